package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// blobs returns n examples of three well separated classes in two
// features on very different scales (metres beside grams), as CSV rows
// "height,weight,class" (with a header) or LIBSVM lines "label 1:h 2:w".
// Classes cycle so that every class appears; extra adds a fourth class.
func blobs(n int, seed uint64, libsvm, extra bool) string {
	rng := rand.New(rand.NewPCG(seed, 1))
	type blob struct {
		name   string
		label  int
		h, w   float64 // centres
		dh, dw float64 // spreads
	}
	bs := []blob{{"cat", 3, 0.25, 4000, 0.03, 600}, {"dog", 5, 0.55, 25000, 0.05, 3000}, {"horse", 9, 1.6, 500000, 0.1, 50000}}
	if extra {
		bs = append(bs, blob{"zebra", 11, 1.4, 350000, 0.1, 40000})
	}
	var sb strings.Builder
	if !libsvm {
		sb.WriteString("height_m,weight_g,species\n")
	}
	for i := range n {
		b := bs[i%len(bs)]
		h, w := b.h+b.dh*rng.NormFloat64(), b.w+b.dw*rng.NormFloat64()
		if libsvm {
			fmt.Fprintf(&sb, "%d 1:%.4g 2:%.6g\n", b.label, h, w)
		} else {
			fmt.Fprintf(&sb, "%.4g,%.6g,%s\n", h, w, b.name)
		}
	}
	return sb.String()
}

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// summary returns the last JSON line of a train -json run.
func summary(t *testing.T, out string) map[string]any {
	t.Helper()
	lines := jsonLines(t, out)
	if len(lines) == 0 || lines[len(lines)-1]["summary"] != true {
		t.Fatalf("no summary line in %q", out)
	}
	return lines[len(lines)-1]
}

// TestFeatureFiles trains on a CSV and a LIBSVM file, evaluates and
// predicts with the model, and checks that the accuracies agree with each
// other and with the predictions.
func TestFeatureFiles(t *testing.T) {
	for _, format := range []string{"csv", "libsvm"} {
		t.Run(format, func(t *testing.T) {
			dir := setup(t)
			libsvm := format == "libsvm"
			train := writeFile(t, dir, "train."+format, blobs(600, 1, libsvm, false))
			test := writeFile(t, dir, "test."+format, blobs(150, 2, libsvm, false))
			model := filepath.Join(dir, "m.smx")
			args := []string{"train", "-data", train, "-test", test, "-out", model, "-json", "-threads", "1"}
			if !libsvm {
				args = append(args, "-label-column", "species")
			}
			code, out, errs := runCLI(t, args...)
			if code != 0 {
				t.Fatalf("train exit %d: %s", code, errs)
			}
			sum := summary(t, out)
			// 600 examples make 3 steps an epoch: the epochs grow to 334
			// for 1000 steps.
			if sum["epochs"] != 334.0 {
				t.Errorf("%v epochs, want 334 (at least 1000 steps)", sum["epochs"])
			}
			acc, _ := sum["test_acc"].(float64)
			if acc < 0.97 {
				t.Errorf("test acc %v, want >= 0.97 on well separated classes (standardized)", sum["test_acc"])
			}
			evalArgs := []string{"eval", "-model", model, "-data", test, "-json"}
			predArgs := []string{"predict", "-model", model}
			if !libsvm {
				evalArgs = append(evalArgs, "-label-column", "species")
				predArgs = append(predArgs, "-label-column", "species")
			}
			code, out, errs = runCLI(t, evalArgs...)
			if code != 0 {
				t.Fatalf("eval exit %d: %s", code, errs)
			}
			ev := jsonLines(t, out)[0]
			if ev["accuracy"] != acc || ev["examples"] != 150.0 {
				t.Errorf("eval: accuracy %v of %v examples; train said %v of 150", ev["accuracy"], ev["examples"], acc)
			}
			code, out, errs = runCLI(t, append(predArgs, test)...)
			if code != 0 {
				t.Fatalf("predict exit %d: %s", code, errs)
			}
			got := strings.Fields(out)
			want := wantClasses(t, test, libsvm)
			if len(got) != len(want) {
				t.Fatalf("predict printed %d classes for %d examples", len(got), len(want))
			}
			right := 0
			for i := range got {
				if got[i] == want[i] {
					right++
				}
			}
			if r := float64(right) / float64(len(want)); math.Abs(r-acc) > 1e-9 {
				t.Errorf("predictions right %v of the time, eval's accuracy %v", r, acc)
			}
		})
	}
}

// wantClasses returns the class names of the examples of a blobs file.
func wantClasses(t *testing.T, path string, libsvm bool) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		switch {
		case libsvm:
			out = append(out, strings.Fields(line)[0])
		case i > 0:
			out = append(out, line[strings.LastIndexByte(line, ',')+1:])
		}
	}
	return out
}

// TestFeatureTestFileExtras checks that a test file with a class and a
// feature the training file lacks is reported and measured, not refused:
// the extra feature is ignored with a warning, the examples of the new
// class count as errors.
func TestFeatureTestFileExtras(t *testing.T) {
	dir := setup(t)
	train := writeFile(t, dir, "train.svm", blobs(600, 1, true, false))
	test := writeFile(t, dir, "test.svm", blobs(200, 2, true, true)+"3 1:0.25 2:4000 3:7\n")
	model := filepath.Join(dir, "m.smx")
	code, out, errs := runCLI(t, "train", "-data", train, "-test", test, "-out", model, "-threads", "1")
	if code != 0 {
		t.Fatalf("train exit %d: %s", code, errs)
	}
	for _, want := range []string{"indices above 2", "the model cannot predict 11"} {
		if !strings.Contains(out, want) {
			t.Errorf("train's output lacks %q:\n%s", want, out)
		}
	}
	code, out, errs = runCLI(t, "eval", "-model", model, "-data", test, "-json")
	if code != 0 {
		t.Fatalf("eval exit %d: %s", code, errs)
	}
	ev := jsonLines(t, out)[0]
	// 50 of the 201 examples are of class 11.
	if ev["examples"] != 201.0 || ev["unknown_class_examples"] != 50.0 {
		t.Errorf("eval: %v examples, %v of unknown classes; want 201 and 50", ev["examples"], ev["unknown_class_examples"])
	}
	if acc := ev["accuracy"].(float64); acc > 151.0/201 {
		t.Errorf("accuracy %v above %v: the unknown class's examples must count as errors", acc, 151.0/201)
	}
}

// TestFeatureFileErrors checks that bad feature files and files of the
// wrong kind for a model fail with an error naming the file, the place
// and the problem.
func TestFeatureFileErrors(t *testing.T) {
	dir := setup(t)
	good := writeFile(t, dir, "good.svm", blobs(90, 1, true, false))
	featModel := filepath.Join(dir, "f.smx")
	if code, _, errs := runCLI(t, "train", "-data", good, "-out", featModel, "-epochs", "2"); code != 0 {
		t.Fatalf("train exit %d: %s", code, errs)
	}
	imgModel := filepath.Join(dir, "i.smx")
	if code, _, errs := runCLI(t, "train", "-data", testdata, "-out", imgModel, "-epochs", "1"); code != 0 {
		t.Fatalf("train exit %d: %s", code, errs)
	}
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"bad number", []string{"train", "-data", writeFile(t, dir, "num.svm", "1 1:0.5\n2 1:0.x\n")}, []string{"num.svm:2:", "0.x"}},
		{"unsorted", []string{"train", "-data", writeFile(t, dir, "order.svm", "1 2:1 1:1\n2 1:1\n")}, []string{"order.svm:1:", "increase"}},
		{"index 0", []string{"train", "-data", writeFile(t, dir, "zero.svm", "1 0:1\n2 1:1\n")}, []string{"zero.svm:1:", "0"}},
		{"NaN", []string{"train", "-data", writeFile(t, dir, "nan.csv", "y,a\n1,2\n2,NaN\n")}, []string{"nan.csv:3:", "NaN"}},
		{"ragged", []string{"train", "-data", writeFile(t, dir, "ragged.csv", "1,2,3\n2,3\n")}, []string{"ragged.csv:2:"}},
		{"empty", []string{"train", "-data", writeFile(t, dir, "empty.svm", "")}, []string{"empty.svm", "no examples"}},
		{"one class", []string{"train", "-data", writeFile(t, dir, "one.svm", "1 1:1\n1 1:2\n")}, []string{"one.svm", "two classes"}},
		{"bad test", []string{"train", "-data", good, "-test", writeFile(t, dir, "badtest.svm", "1 1:1\nx\n")}, []string{"badtest.svm:2:"}},
		{"no label column", []string{"train", "-data", writeFile(t, dir, "h.csv", "a,b\n1,2\n2,3\n"), "-label-column", "y"}, []string{"h.csv", `"y"`}},
		{"features to an image model", []string{"eval", "-model", imgModel, "-data", good}, []string{imgModel, "images, not features"}},
		{"images to a feature model", []string{"eval", "-model", featModel, "-data", testdata}, []string{featModel, "features, not images"}},
		{"predict images with a feature model", []string{"predict", "-model", featModel, filepath.Join(dir, "x.png")}, []string{"x.png"}},
		{"predict features with an image model", []string{"predict", "-model", imgModel, good}, []string{"good.svm"}},
		{"missing file", []string{"train", "-data", filepath.Join(dir, "missing.csv")}, []string{"missing.csv", "no such file"}},
		{"missing test file", []string{"eval", "-model", featModel, "-data", filepath.Join(dir, "missing.svm")}, []string{"missing.svm", "no such file"}},
		{"too few features", []string{"eval", "-model", featModel, "-data", writeFile(t, dir, "narrow.csv", "3,1\n5,2\n")}, []string{"narrow.csv"}},
	}
	for _, tc := range cases {
		code, out, errs := runCLI(t, tc.args...)
		if code != 1 {
			t.Errorf("%s: exit %d, want 1; stdout %q stderr %q", tc.name, code, out, errs)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(errs, w) {
				t.Errorf("%s: error %q lacks %q", tc.name, strings.TrimSpace(errs), w)
			}
		}
	}
	// Flags for feature files with the Fashion-MNIST directory are usage
	// errors.
	for _, args := range [][]string{
		{"train", "-data", testdata, "-test", good},
		{"train", "-data", testdata, "-no-standardize"},
		{"train", "-data", good, "-format", "xml"},
	} {
		if code, _, errs := runCLI(t, args...); code != 2 {
			t.Errorf("%v: exit %d (%s), want 2", args, code, errs)
		}
	}
}

// TestFeatureNoTestFile checks a training without a test file: it reports
// train accuracy, and -json has no test_acc (rather than NaN, which is not
// JSON).
func TestFeatureNoTestFile(t *testing.T) {
	dir := setup(t)
	train := writeFile(t, dir, "train.svm", blobs(300, 1, true, false))
	code, out, errs := runCLI(t, "train", "-data", train, "-json", "-epochs", "3")
	if code != 0 {
		t.Fatalf("train exit %d: %s", code, errs)
	}
	for _, l := range jsonLines(t, out) {
		if _, ok := l["test_acc"]; ok {
			t.Errorf("line %v has a test_acc without a test file", l)
		}
	}
	code, out, errs = runCLI(t, "train", "-data", train, "-epochs", "3")
	if code != 0 || !strings.Contains(out, "done      train acc") || strings.Contains(out, "test acc") {
		t.Errorf("train exit %d, stdout:\n%s\nstderr: %s\nwant train acc and no test acc", code, out, errs)
	}
	// A sweep without a test file chooses on the validation set and has
	// no test accuracy; with neither it is a usage error.
	code, out, errs = runCLI(t, "sweep", "-data", train, "-lr", "0.1,1", "-batch-size", "16", "-epochs", "3", "-val", "60")
	if code != 0 || !strings.Contains(out, "best      lr ") || strings.Contains(out, "test acc 0") || !strings.Contains(out, "chosen on validation accuracy") {
		t.Errorf("sweep -val without -test: exit %d, stdout:\n%s\nstderr: %s\nwant runs chosen on validation accuracy and no test accuracy", code, out, errs)
	}
	rows := 0
	for _, l := range strings.Split(out, "\n") {
		f := strings.Fields(l)
		if len(f) == 0 || (f[0] != "0.1" && f[0] != "1") {
			continue // not a run's row
		}
		rows++
		if len(f) < 8 || f[6] != "-" {
			t.Errorf("sweep row %q: want - in the test acc column", l)
		}
	}
	if rows != 2 {
		t.Errorf("sweep printed %d rows of runs, want 2:\n%s", rows, out)
	}
	code, out, errs = runCLI(t, "sweep", "-data", train, "-lr", "0.1", "-batch-size", "16", "-epochs", "3", "-val", "60", "-json")
	lines := jsonLines(t, out)
	if code != 0 || len(lines) != 2 {
		t.Fatalf("sweep -json exit %d, %d lines, stderr %s; want 2 lines", code, len(lines), errs)
	}
	if _, ok := lines[0]["val_acc"]; !ok {
		t.Errorf("sweep -json run %v has no val_acc", lines[0])
	}
	if _, ok := lines[0]["test_acc"]; ok {
		t.Errorf("sweep -json run %v has a test_acc without a test file", lines[0])
	}
	// Without -epochs, each run makes at least minFeatureSteps steps at its
	// batch size, as train would.
	code, out, errs = runCLI(t, "sweep", "-data", train, "-lr", "0.1", "-batch-size", "16,64", "-val", "60", "-json")
	lines = jsonLines(t, out)
	if code != 0 || len(lines) != 3 {
		t.Fatalf("sweep -json exit %d, %d lines, stderr %s; want 3 lines", code, len(lines), errs)
	}
	for i, batch := range []int{16, 64} {
		steps := (300 - 60 + batch - 1) / batch
		want := max(recipes["chapter"].epochs, (minFeatureSteps+steps-1)/steps)
		if got := lines[i]["epochs"]; got != float64(want) || lines[i]["batch_size"] != float64(batch) {
			t.Errorf("sweep run %d: batch %v, %v epochs; want batch %d, %d epochs", i, lines[i]["batch_size"], got, batch, want)
		}
	}
	if code, _, errs := runCLI(t, "sweep", "-data", train, "-lr", "0.1", "-batch-size", "16", "-val", "0"); code != 2 || !strings.Contains(errs, "-test") || !strings.Contains(errs, "-val") {
		t.Errorf("sweep without -test or -val: exit %d, %q; want a usage error asking for either", code, errs)
	}
}

// TestPredictNoLabel checks that predict on files without labels, CSV
// with -label-column none and LIBSVM as they are, prints the classes it
// prints for the labelled files, and that a CSV file without labels read
// as labelled fails with a hint at -label-column none.
func TestPredictNoLabel(t *testing.T) {
	dir := setup(t)
	lines := func(text string) []string { return strings.Split(strings.TrimSuffix(text, "\n"), "\n") }
	// CSV: the label is the last column.
	csvTest := blobs(150, 2, false, false)
	var noLabel, noHeader strings.Builder
	for i, l := range lines(csvTest) {
		l = l[:strings.LastIndexByte(l, ',')]
		noLabel.WriteString(l + "\n")
		if i > 0 {
			noHeader.WriteString(l + "\n")
		}
	}
	// LIBSVM: no labels, and labels on every other line.
	svmTest := blobs(150, 2, true, false)
	var svmNoLabel, svmMixed strings.Builder
	for i, l := range lines(svmTest) {
		u := l[strings.IndexByte(l, ' ')+1:]
		svmNoLabel.WriteString(u + "\n")
		if i%2 == 0 {
			l = u
		}
		svmMixed.WriteString(l + "\n")
	}
	for _, c := range []struct {
		format, test string
		trainArgs    []string
		labelled     []string // predict's arguments for the labelled test file
		unlabelled   map[string][]string
	}{
		{"csv", csvTest, []string{"-label-column", "species"}, []string{"-label-column", "species"}, map[string][]string{
			noLabel.String():  {"-label-column", "none"},
			noHeader.String(): {"-label-column", "none", "-format", "csv"},
		}},
		{"libsvm", svmTest, nil, nil, map[string][]string{
			svmNoLabel.String(): nil,
			svmMixed.String():   {"-format", "libsvm"},
			svmTest:             {"-label-column", "none"},
		}},
	} {
		libsvm := c.format == "libsvm"
		train := writeFile(t, dir, "train."+c.format, blobs(300, 1, libsvm, false))
		model := filepath.Join(dir, c.format+".smx")
		if code, _, errs := runCLI(t, append([]string{"train", "-data", train, "-out", model, "-epochs", "5", "-threads", "1"}, c.trainArgs...)...); code != 0 {
			t.Fatalf("%s: train exit %d: %s", c.format, code, errs)
		}
		test := writeFile(t, dir, "test."+c.format, c.test)
		code, want, errs := runCLI(t, append(append([]string{"predict", "-model", model}, c.labelled...), test)...)
		if code != 0 || len(strings.Fields(want)) != 150 {
			t.Fatalf("%s: predict exit %d, %d classes: %s", c.format, code, len(strings.Fields(want)), errs)
		}
		i := 0
		for text, args := range c.unlabelled {
			i++
			path := writeFile(t, dir, fmt.Sprintf("new%d.%s", i, c.format), text)
			code, got, errs := runCLI(t, append(append([]string{"predict", "-model", model}, args...), path)...)
			if code != 0 || got != want {
				t.Errorf("%s %v, %.40q...: exit %d (%s), classes differ from the labelled file's: %v", c.format, args, text, code, errs, got != want)
			}
		}
	}

	// An unlabelled CSV file without -label-column none.
	model := filepath.Join(dir, "csv.smx")
	path := writeFile(t, dir, "nolabel.csv", noLabel.String())
	for _, c := range []struct {
		args []string
		want []string
	}{
		{nil, []string{"nolabel.csv:1:", "1 feature columns, want 2", "the file has 2 columns, as many as the model has features", "-label-column none"}},
		{[]string{"-label-column", "species"}, []string{"nolabel.csv:1:", `no column named "species"`, "-label-column none"}},
	} {
		code, out, errs := runCLI(t, append(append([]string{"predict", "-model", model}, c.args...), path)...)
		if code != 1 || out != "" {
			t.Errorf("%v: exit %d, stdout %q; want 1 and nothing", c.args, code, out)
		}
		for _, w := range c.want {
			if !strings.Contains(errs, w) {
				t.Errorf("%v: error %q lacks %q", c.args, strings.TrimSpace(errs), w)
			}
		}
	}
}
