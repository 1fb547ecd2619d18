package features_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/softmax-fast/softmax-fast/features"
	"github.com/softmax-fast/softmax-fast/softmax"
)

// TestDataset checks the view of a test file with examples of a class the
// training set lacks: they are left out through the index, the others keep
// their order, rows and labels.
func TestDataset(t *testing.T) {
	test := "1 1:1\n7 1:2\n2 1:3\n7 1:4\n1 1:5\n"
	s, err := features.Read(strings.NewReader(test), "test.svm", features.Options{Classes: []string{"1", "2"}, Features: 1})
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	x := d.Features
	if d.Images != nil || x.Rows != 3 || len(d.Labels) != 3 || fmt.Sprint(x.Index) != "[0 2 4]" || fmt.Sprint(d.Labels) != "[0 1 0]" {
		t.Fatalf("view: rows %d, index %v, labels %v; want 3 rows [0 2 4] labels [0 1 0]", x.Rows, x.Index, d.Labels)
	}
	for i, want := range []float32{1, 3, 5} {
		if got := x.Data[int(x.Index[i])*x.Stride]; got != want {
			t.Errorf("row %d: %v, want %v", i, got, want)
		}
	}
	// All known: no index, the set's own matrix.
	s, err = features.Read(strings.NewReader("1 1:1\n2 1:3\n"), "train.svm", features.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d, err = s.Dataset(); err != nil || d.Features.Index != nil || d.Features.Rows != 2 || &d.Features.Data[0] != &s.X[0] {
		t.Errorf("all known: %+v, %v; want a view of X without index", d.Features, err)
	}
	// 257 classes do not fit a byte.
	var sb strings.Builder
	for c := range features.MaxClasses + 1 {
		fmt.Fprintf(&sb, "%d 1:1\n", c)
	}
	s, err = features.Read(strings.NewReader(sb.String()), "many.svm", features.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Dataset(); err == nil || !strings.Contains(err.Error(), "many.svm") {
		t.Errorf("257 classes: %v, want an error naming the file", err)
	}
}

func ExampleSet_Dataset() {
	// Two features on very different scales (kelvin and a fraction); the
	// Trainer standardizes them and the model keeps the transform.
	var csv strings.Builder
	csv.WriteString("temperature_K,humidity,weather\n")
	for i := range 200 {
		t, h := 270+float64(i%20), 0.3+0.02*float64(i%7)
		w := "cold"
		if i%2 == 1 {
			t, w = t+40, "hot"
		}
		fmt.Fprintf(&csv, "%g,%g,%s\n", t, h, w)
	}
	set, err := features.Read(strings.NewReader(csv.String()), "weather.csv", features.Options{LabelColumn: "weather"})
	if err != nil {
		fmt.Println(err)
		return
	}
	train, err := set.Dataset()
	if err != nil {
		fmt.Println(err)
		return
	}
	m, _ := softmax.NewDense(set.D, len(set.Classes), 0.01, 1)
	m.Features, m.Names = true, set.Classes
	tr := &softmax.Trainer{Epochs: 20, BatchSize: 16, SGD: softmax.SGD{LR: 0.1}}
	if _, err := tr.Fit(context.Background(), m, train, softmax.Dataset{}); err != nil {
		fmt.Println(err)
		return
	}
	acc, _ := m.Accuracy(train)
	fmt.Println(set.Features, "->", set.Classes, "train acc", acc)
	for _, x := range [][]float32{{265, 0.4}, {320, 0.4}} {
		class, _, _ := m.PredictFeatures(x)
		fmt.Println(x, m.Names[class])
	}
	// Output:
	// [temperature_K humidity] -> [cold hot] train acc 1
	// [265 0.4] cold
	// [320 0.4] hot
}
