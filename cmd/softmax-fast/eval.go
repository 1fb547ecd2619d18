package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/softmax-fast/softmax-fast/mnist"
	"github.com/softmax-fast/softmax-fast/softmax"
)

// evalFlags are the eval command's flags.
type evalFlags struct {
	modelPath, data, isa, plotDir string
	asJSON, noCache               bool
}

// runEval is the eval command: it measures a model file's accuracy on the
// test set, overall and per class, with the confusion matrix, and draws
// the pictures asked for.
func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, err := parseEval(args, stderr)
	if err != nil {
		return err
	}
	if err := selectISA(f.isa); err != nil {
		return err
	}
	model, err := softmax.Load(f.modelPath)
	if err != nil {
		return err
	}
	var info io.Writer
	if !f.asJSON {
		info = stdout
	}
	ds, _, err := loadData(f.data, f.noCache, info)
	if err != nil {
		return err
	}
	test := ds.Test.Dataset()
	if model.Inputs() != test.Images.Cols || model.Classes() != mnist.NumClasses {
		return fmt.Errorf("model %s has %d inputs and %d classes; the test images have %d pixels and %d classes",
			f.modelPath, model.Inputs(), model.Classes(), test.Images.Cols, mnist.NumClasses)
	}
	t0 := time.Now()
	conf, err := model.Confusion(test)
	if err != nil {
		return err
	}
	elapsed := time.Since(t0)
	var pics []string
	if f.plotDir != "" {
		if pics, err = pictures(f.plotDir, model, ds.Test.Cols, ds.Test.Rows, test, nil, softmax.EpochStats{}); err != nil {
			return err
		}
	}
	return printEval(stdout, f, className(model), conf, elapsed, pics)
}

// parseEval parses the eval command's flags; -model is required.
func parseEval(args []string, stderr io.Writer) (evalFlags, error) {
	var f evalFlags
	fs := newFlags("eval", "-model FILE [-data DIR] [-json] [-plot DIR]", stderr)
	fs.StringVar(&f.modelPath, "model", "", "model file written by 'softmax-fast train -out'")
	fs.StringVar(&f.data, "data", "", "Fashion-MNIST directory (default: as for train)")
	fs.BoolVar(&f.asJSON, "json", false, "print one JSON object")
	fs.BoolVar(&f.noCache, "no-cache", false, "decode the IDX files even if a decoded copy is cached")
	fs.StringVar(&f.isa, "isa", "", "kernel set: generic, avx2, avx512, neon or best")
	fs.StringVar(&f.plotDir, "plot", "", "write pictures (weights, confusion matrix) to this directory")
	if err := parseFlags(fs, args); err != nil {
		return f, err
	}
	if fs.NArg() > 0 {
		return f, usagef("unexpected argument %q", fs.Arg(0))
	}
	if f.modelPath == "" {
		return f, usagef("-model FILE is required")
	}
	return f, nil
}

// printEval reports the evaluation whose confusion matrix is conf (rows:
// true classes), measured in elapsed, as one JSON object or as a table of
// the classes' accuracies and confusion rows.
func printEval(stdout io.Writer, f evalFlags, names []string, conf [][]int, elapsed time.Duration, pics []string) error {
	k := len(conf)
	perClass, correct, total := classAccuracy(conf)
	acc := float64(correct) / float64(max(total, 1))
	if f.asJSON {
		rec := map[string]any{
			"model": f.modelPath, "accuracy": acc, "per_class": perClass, "confusion": conf,
			"classes": names, "images": total, "seconds": elapsed.Seconds(),
		}
		if pics != nil {
			rec["pictures"] = pics
		}
		return json.NewEncoder(stdout).Encode(rec)
	}
	fmt.Fprintf(stdout, "model     %s\n", f.modelPath)
	fmt.Fprintf(stdout, "accuracy  %.4f (%d of %d test images, %.1f ms)\n\n", acc, correct, total, float64(elapsed.Microseconds())/1000)
	fmt.Fprintf(stdout, "%-12s %8s   confusion (rows: true class, columns: predicted)\n", "class", "accuracy")
	for y := range k {
		cells := make([]string, k)
		for p, c := range conf[y] {
			cells[p] = fmt.Sprintf("%4d", c)
		}
		fmt.Fprintf(stdout, "%-12s %8.3f   %s\n", names[y], perClass[y], strings.Join(cells, " "))
	}
	if pics != nil {
		fmt.Fprintf(stdout, "\npictures  %s\n", strings.Join(pics, ", "))
	}
	return nil
}

// classAccuracy returns, from a confusion matrix (rows: true classes), each
// class's accuracy (0 for a class without images), the images classified
// right and the images in all.
func classAccuracy(conf [][]int) (perClass []float64, correct, total int) {
	perClass = make([]float64, len(conf))
	for y, row := range conf {
		n := 0
		for _, c := range row {
			n += c
		}
		total += n
		correct += row[y]
		if n > 0 {
			perClass[y] = float64(row[y]) / float64(n)
		}
	}
	return perClass, correct, total
}

// className returns the model's class names, or numbers if it has none.
func className(m *softmax.Dense) []string {
	if len(m.Names) == m.Classes() {
		return m.Names
	}
	out := make([]string, m.Classes())
	for i := range out {
		out[i] = fmt.Sprint(i)
	}
	return out
}
