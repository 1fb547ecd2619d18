package features_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/softmax-fast/softmax-fast/features"
)

func ExampleRead() {
	// A LIBSVM file: absent features are 0, classes sorted numerically.
	train := "# label index:value ...\n" +
		"10 1:0.5 3:1\n" +
		"-1 2:0.25\n" +
		"+1 1:1 2:1 3:1\n"
	set, err := features.Read(strings.NewReader(train), "train.svm", features.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(set.Format, set.N, "x", set.D, set.Classes, set.Labels)
	for r := range set.N {
		fmt.Println(set.X[r*set.D : (r+1)*set.D])
	}

	// A malformed line.
	_, err = features.Read(strings.NewReader("1 3:1 2:1\n"), "bad.svm", features.Options{})
	fmt.Println(err, errors.Is(err, features.ErrSyntax))
	// Output:
	// libsvm 3 x 3 [-1 1 10] [2 0 1]
	// [0.5 0 1]
	// [0 0.25 0]
	// [1 1 1]
	// features: bad.svm:1:7: index 2 after 3: indices must increase true
}

func ExampleRead_csv() {
	// A CSV file with a header; the label column named.
	data := "sepal_length,sepal_width,species\n" +
		"5.1,3.5,setosa\n" +
		"7.0,3.2,\"versicolor\"\n"
	set, err := features.Read(strings.NewReader(data), "iris.csv", features.Options{LabelColumn: "species"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(set.Format, set.N, "x", set.D, set.Features, set.Classes, set.Labels, set.X)

	_, err = features.Read(strings.NewReader("y,a,b\ncat,1,2\ndog,3\n"), "ragged.csv", features.Options{})
	fmt.Println(err)
	// Output:
	// csv 2 x 2 [sepal_length sepal_width] [setosa versicolor] [0 1] [5.1 3.5 7 3.2]
	// features: ragged.csv:3: 2 fields, want 3 as on line 1
}

func ExampleRead_testFile() {
	train, err := features.Read(strings.NewReader("1 1:1\n2 2:1\n"), "train.svm", features.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	// The test file against the training set's classes and width.
	opt := features.Options{Classes: train.Classes, Features: train.D}
	test, err := features.Read(strings.NewReader("2 2:1 3:5\n7 1:1\n"), "test.svm", opt)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(test.N, "x", test.D, test.Labels, test.Unknown)
	for _, w := range test.Warnings {
		fmt.Println(w)
	}
	// Output:
	// 2 x 2 [1 -1] [7]
	// ignored 1 values with indices above 2, the training set's features (Options.Features); the largest, 3, on line 1
	// 1 examples (the first on line 2) have labels not among the training set's classes (Options.Classes): "7"
}

// New examples to classify, whose labels, if any, do not matter: the
// same options read a LIBSVM file with or without labels and a CSV file
// with its label column.
func ExampleRead_ignoreLabels() {
	opt := features.Options{IgnoreLabels: true, Features: 3}
	for _, in := range []string{
		"1:0.5 3:1\n2:0.25\n",                // LIBSVM without labels
		"7 1:0.5 3:1\n2:0.25\n",              // a label on one line
		"y,a,b,c\n?,0.5,0,1\ncat,0,0.25,0\n", // CSV, the label first
	} {
		set, err := features.Read(strings.NewReader(in), "new", opt)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(set.Format, set.X, set.Labels)
	}
	// Output:
	// libsvm [0.5 0 1 0 0.25 0] [-1 -1]
	// libsvm [0.5 0 1 0 0.25 0] [-1 -1]
	// csv [0.5 0 1 0 0.25 0] [-1 -1]
}

func ExampleReadFile() {
	dir, err := os.MkdirTemp("", "features")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "big.svm")
	// One stray index would make a matrix of 6 x 16000000 for 7 values.
	var b strings.Builder
	for range 5 {
		b.WriteString("1 1:1\n")
	}
	b.WriteString("2 2:1 16000000:1\n")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		fmt.Println(err)
		return
	}
	_, err = features.ReadFile(path, features.Options{})
	fmt.Println(strings.TrimPrefix(err.Error(), "features: "+dir))
	// Output:
	// /big.svm:6: a dense matrix of 6 x 16000000 float32 (366.2 MiB) for 7 stored values is too large (see Options.MaxDenseBytes); the largest index, 16000000, is on line 6
}

func ExampleWriteLIBSVM() {
	set := &features.Set{N: 2, D: 3, X: []float32{0, 0.5, 0, 1, 0, 2.25}, Labels: []int32{1, 0}, Classes: []string{"-1", "1"}}
	if err := features.WriteLIBSVM(os.Stdout, set); err != nil {
		fmt.Println(err)
	}
	if err := features.WriteCSV(os.Stdout, set); err != nil {
		fmt.Println(err)
	}
	// Output:
	// 1 2:0.5
	// -1 1:1 3:2.25
	// 1,0,0.5,0
	// -1,1,0,2.25
}
