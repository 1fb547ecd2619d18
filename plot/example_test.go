package plot_test

import (
	"bytes"
	"fmt"
	"image/png"
	"math"
	"strings"

	"github.com/softmax-fast/softmax-fast/plot"
)

func ExampleTemplates() {
	// Two classes of 28x28 weights: the first likes ink in the top half,
	// the second in the bottom half. A trained model's weights come from
	// its weight matrix, one row per class.
	const w, h = 28, 28
	weights := make([][]float32, 2)
	for c := range weights {
		weights[c] = make([]float32, w*h)
		for i := range weights[c] {
			top := i < w*h/2
			if top == (c == 0) {
				weights[c][i] = 0.02
			} else {
				weights[c][i] = -0.01
			}
		}
	}
	var buf bytes.Buffer // or an *os.File
	if err := plot.Templates(&buf, weights, w, h, []string{"top", "bottom"}); err != nil {
		fmt.Println(err)
		return
	}
	img, err := png.Decode(&buf)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(img.Bounds())

	// A weight row of the wrong length is an error.
	err = plot.Templates(&buf, [][]float32{make([]float32, 783)}, w, h, nil)
	fmt.Println(err)
	// Output:
	// (0,0)-(500,327)
	// plot: Templates: class 0 has 783 weights, want width*height = 28*28 = 784
}

func ExampleCurves() {
	// Five epochs of training; the test accuracy was measured every other
	// epoch only (NaN where it is missing).
	nan := math.NaN()
	epochs := []float64{1, 2, 3, 4, 5}
	var buf bytes.Buffer
	err := plot.Curves(&buf, epochs, []plot.Series{
		{Name: "loss", Values: []float64{0.787, 0.571, 0.526, 0.501, 0.486}, Axis: plot.AxisLeft},
		{Name: "train acc", Values: []float64{0.749, 0.812, 0.825, 0.832, 0.837}, Axis: plot.AxisRight},
		{Name: "test acc", Values: []float64{0.786, nan, 0.809, nan, 0.825}, Axis: plot.AxisRight},
	}, plot.CurveOptions{Title: "softmax regression", XLabel: "epoch"})
	if err != nil {
		fmt.Println(err)
		return
	}
	svg := buf.String()
	fmt.Println(strings.Count(svg, "<path "), "paths")
	fmt.Println(strings.Contains(svg, ">test acc</text>"), strings.Contains(svg, ">epoch</text>"))

	// A series with a value per x is required.
	err = plot.Curves(&buf, epochs, []plot.Series{{Name: "loss", Values: []float64{0.787}}}, plot.CurveOptions{})
	fmt.Println(err)
	// Output:
	// 3 paths
	// true true
	// plot: Curves: series 0 ("loss") has 1 values for 5 x values
}

func ExampleConfusion() {
	// Rows are true classes, columns predicted ones.
	counts := [][]int{
		{90, 8, 2},
		{5, 80, 15},
		{0, 10, 90},
	}
	var buf bytes.Buffer
	if err := plot.Confusion(&buf, counts, []string{"cat", "dog", "fox"}); err != nil {
		fmt.Println(err)
		return
	}
	img, err := png.Decode(&buf)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(img.Bounds())

	fmt.Println(plot.Confusion(&buf, [][]int{{1, -1}, {0, 1}}, nil))
	// Output:
	// (0,0)-(366,325)
	// plot: Confusion: count [0][1] is -1, want >= 0
}
