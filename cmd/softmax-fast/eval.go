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

func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("eval", "-model FILE [-data DIR] [-json] [-plot DIR]", stderr)
	modelPath := fs.String("model", "", "model file written by 'softmax-fast train -out'")
	data := fs.String("data", "", "Fashion-MNIST directory (default: as for train)")
	asJSON := fs.Bool("json", false, "print one JSON object")
	noCache := fs.Bool("no-cache", false, "decode the IDX files even if a decoded copy is cached")
	isa := fs.String("isa", "", "kernel set: generic, avx2, avx512, neon or best")
	plotDir := fs.String("plot", "", "write pictures (weights, confusion matrix) to this directory")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	if *modelPath == "" {
		return usagef("-model FILE is required")
	}
	if err := selectISA(*isa); err != nil {
		return err
	}
	model, err := softmax.Load(*modelPath)
	if err != nil {
		return err
	}
	var info io.Writer
	if !*asJSON {
		info = stdout
	}
	ds, _, err := loadData(*data, *noCache, info)
	if err != nil {
		return err
	}
	test := ds.Test.Dataset()
	if model.Inputs() != test.Images.Cols || model.Classes() != mnist.NumClasses {
		return fmt.Errorf("model %s has %d inputs and %d classes; the test images have %d pixels and %d classes",
			*modelPath, model.Inputs(), model.Classes(), test.Images.Cols, mnist.NumClasses)
	}
	t0 := time.Now()
	conf, err := model.Confusion(test)
	if err != nil {
		return err
	}
	elapsed := time.Since(t0)
	k := len(conf)
	perClass := make([]float64, k)
	correct, total := 0, 0
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
	acc := float64(correct) / float64(max(total, 1))
	names := className(model)
	var pics []string
	if *plotDir != "" {
		if pics, err = pictures(*plotDir, model, ds.Test.Cols, ds.Test.Rows, test, nil, softmax.EpochStats{}); err != nil {
			return err
		}
	}
	if *asJSON {
		rec := map[string]any{
			"model": *modelPath, "accuracy": acc, "per_class": perClass, "confusion": conf,
			"classes": names, "images": total, "seconds": elapsed.Seconds(),
		}
		if pics != nil {
			rec["pictures"] = pics
		}
		return json.NewEncoder(stdout).Encode(rec)
	}
	fmt.Fprintf(stdout, "model     %s\n", *modelPath)
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
