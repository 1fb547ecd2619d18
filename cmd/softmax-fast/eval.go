package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/softmax-fast/softmax-fast/mnist"
	"github.com/softmax-fast/softmax-fast/softmax"
)

// evalFlags are the eval command's flags.
type evalFlags struct {
	modelPath, data, isa, plotDir string
	asJSON, noCache               bool
	feat                          featureOptions
}

// evalSet is what a model is evaluated on: the test examples of the
// model's classes, and the test examples of other classes (features only),
// which count as errors.
type evalSet struct {
	test          softmax.Dataset
	width, height int      // of the images; 0 for features
	unknown       int      // examples of classes the model lacks
	unknownNames  []string // their classes
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
	var set evalSet
	if model.Features {
		set, err = evalFeatures(f, model, info)
	} else {
		set, err = evalImages(f, model, info)
	}
	if err != nil {
		return err
	}
	t0 := time.Now()
	conf := make([][]int, model.Classes()) // all zero when every example is of another class
	for i := range conf {
		conf[i] = make([]int, model.Classes())
	}
	if set.test.Len() > 0 {
		if conf, err = model.Confusion(set.test); err != nil {
			return err
		}
	}
	elapsed := time.Since(t0)
	var pics []string
	if f.plotDir != "" {
		if pics, err = pictures(f.plotDir, model, set.width, set.height, set.test, nil, softmax.EpochStats{}); err != nil {
			return err
		}
	}
	return printEval(stdout, f, className(model), conf, set, elapsed, pics)
}

// evalImages loads the Fashion-MNIST test images for a model of images.
func evalImages(f evalFlags, model *softmax.Dense, info io.Writer) (evalSet, error) {
	if isFeatureFile(f.data) {
		return evalSet{}, fmt.Errorf("model %s takes %d-pixel images, not features: -data %s must be the Fashion-MNIST directory", f.modelPath, model.Inputs(), f.data)
	}
	ds, _, err := loadData(f.data, f.noCache, info)
	if err != nil {
		return evalSet{}, err
	}
	test := ds.Test.Dataset()
	if model.Inputs() != test.Images.Cols || model.Classes() != mnist.NumClasses {
		return evalSet{}, fmt.Errorf("model %s has %d inputs and %d classes; the test images have %d pixels and %d classes",
			f.modelPath, model.Inputs(), model.Classes(), test.Images.Cols, mnist.NumClasses)
	}
	return evalSet{test: test, width: ds.Test.Cols, height: ds.Test.Rows}, nil
}

// evalFeatures reads the test file of features f.data for a model of
// features, with the model's classes and number of features.
func evalFeatures(f evalFlags, model *softmax.Dense, info io.Writer) (evalSet, error) {
	if st, err := os.Stat(f.data); f.data == "" || (err == nil && st.IsDir()) {
		return evalSet{}, fmt.Errorf("model %s takes %d features, not images: give its test file with -data FILE", f.modelPath, model.Inputs())
	}
	opt, err := f.feat.options()
	if err != nil {
		return evalSet{}, err
	}
	t0 := time.Now()
	s, unknown, err := readTest(f.data, opt, className(model), model.Inputs())
	if err != nil {
		return evalSet{}, err
	}
	if info != nil {
		fmt.Fprintf(info, "data      %s: %d examples of %d features (%s), read in %s\n", f.data, s.N, s.D, s.Format, roundTime(time.Since(t0)))
		warnings(info, s)
	}
	set := evalSet{unknown: unknown, unknownNames: s.Unknown}
	if unknown < s.N {
		if set.test, err = s.Dataset(); err != nil {
			return evalSet{}, err
		}
	}
	return set, nil
}

// parseEval parses the eval command's flags; -model is required.
func parseEval(args []string, stderr io.Writer) (evalFlags, error) {
	var f evalFlags
	fs := newFlags("eval", "-model FILE [-data DIR|FILE] [-json] [-plot DIR]", stderr)
	fs.StringVar(&f.modelPath, "model", "", "model file written by 'softmax-fast train -out'")
	fs.StringVar(&f.data, "data", "", "for a model of images, the Fashion-MNIST directory (default: as for train);\nfor a model of features, its LIBSVM or CSV test file")
	fs.StringVar(&f.feat.format, "format", "auto", "with a -data file: its format, auto (from the content), libsvm or csv")
	fs.StringVar(&f.feat.labelColumn, "label-column", "", "with a CSV -data file: the label column, a header name or a 1-based number\n(negative counts from the end) (default: the first column)")
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
func printEval(stdout io.Writer, f evalFlags, names []string, conf [][]int, set evalSet, elapsed time.Duration, pics []string) error {
	k := len(conf)
	perClass, correct, total := classAccuracy(conf)
	total += set.unknown // examples of other classes: errors
	acc := float64(correct) / float64(max(total, 1))
	what := "test images"
	if set.width == 0 {
		what = "test examples"
	}
	if f.asJSON {
		rec := map[string]any{
			"model": f.modelPath, "accuracy": acc, "per_class": perClass, "confusion": conf,
			"classes": names, "examples": total, "seconds": elapsed.Seconds(),
		}
		if set.unknown > 0 {
			rec["unknown_class_examples"], rec["unknown_classes"] = set.unknown, set.unknownNames
		}
		if pics != nil {
			rec["pictures"] = pics
		}
		return json.NewEncoder(stdout).Encode(rec)
	}
	fmt.Fprintf(stdout, "model     %s\n", f.modelPath)
	fmt.Fprintf(stdout, "accuracy  %.4f (%d of %d %s, %.1f ms)\n", acc, correct, total, what, float64(elapsed.Microseconds())/1000)
	if set.unknown > 0 {
		fmt.Fprintf(stdout, "          of which %d of classes the model lacks (%s), counted as errors\n", set.unknown, strings.Join(set.unknownNames, ", "))
	}
	fmt.Fprintln(stdout)
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
