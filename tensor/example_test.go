package tensor_test

import (
	"fmt"

	"github.com/softmax-fast/softmax-fast/tensor"
)

func ExampleMatMul() {
	a, _ := tensor.MatrixFrom(2, 3, []float32{1, 2, 3, 4, 5, 6})
	b, _ := tensor.MatrixFrom(3, 2, []float32{1, 0, 0, 1, 1, 1})
	c := tensor.NewMatrix(2, 2)
	if err := tensor.MatMul(tensor.NoTrans, tensor.NoTrans, 1, a, b, 0, c); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Row(0), c.Row(1))
	// Output: [4 5] [10 11]
}

// A dense layer's forward pass on uint8 images: logits = X·Wᵀ/255, with the
// minibatch picked from the data set by an index and no float32 copy of it.
func ExampleMatMulU8T() {
	images := []uint8{ // three 4-pixel images
		0, 255, 0, 255,
		255, 255, 255, 255,
		0, 0, 0, 0,
	}
	x := &tensor.U8Matrix{Rows: 2, Cols: 4, Stride: 4, Data: images, Index: []int32{1, 0}}
	w, _ := tensor.MatrixFrom(2, 4, []float32{ // two classes, class-major
		1, 1, 1, 1,
		0, 1, 0, -1,
	})
	logits := tensor.NewMatrix(2, 2)
	if err := tensor.MatMulU8T(1.0/255, x, w, 0, logits); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.3f %.3f\n", logits.Row(0), logits.Row(1))
	// Output: [4.000 0.000] [2.000 0.000]
}

// A dense layer's forward pass: logits = X·Wᵀ/255 + b, for all the images
// of a set (no Index: the rows in order).
func ExampleMatMulU8TBias() {
	images := []uint8{ // three 4-pixel images
		0, 255, 0, 255,
		255, 255, 255, 255,
		0, 0, 0, 0,
	}
	x := &tensor.U8Matrix{Rows: 3, Cols: 4, Stride: 4, Data: images}
	w, _ := tensor.MatrixFrom(2, 4, []float32{ // two classes, class-major
		1, 1, 1, 1,
		0, 1, 0, -1,
	})
	bias := []float32{-2, 0.5}
	logits := tensor.NewMatrix(3, 2)
	if err := tensor.MatMulU8TBias(1.0/255, x, w, bias, logits); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.3f %.3f %.3f\n", logits.Row(0), logits.Row(1), logits.Row(2))
	// Output: [0.000 0.500] [2.000 0.500] [-2.000 0.500]
}

func ExampleSoftmaxRows() {
	x, _ := tensor.MatrixFrom(2, 3, []float32{1, 2, 3, 1000, 1000, -1e30})
	p := tensor.NewMatrix(2, 3)
	lse := make([]float32, 2)
	if err := tensor.SoftmaxRows(p, x); err != nil {
		fmt.Println(err)
		return
	}
	if err := tensor.LogSumExpRows(lse, x); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.4f %.4f\n", p.Row(0), p.Row(1))
	fmt.Printf("%.3f\n", lse)
	// Output:
	// [0.0900 0.2447 0.6652] [0.5000 0.5000 0.0000]
	// [3.408 1000.693]
}

func ExampleSetISA() {
	// Force the portable kernels, as SOFTMAX_FAST_ISA=generic would.
	level, err := tensor.ParseISA("generic")
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := tensor.SetISA(level); err != nil {
		fmt.Println(err)
		return
	}
	now, _ := tensor.CurrentISA()
	fmt.Println(now)
	// A name that is no level is an error, as is a level the CPU lacks.
	_, err = tensor.ParseISA("sse5")
	fmt.Println(err)
	tensor.SetISA(tensor.Best())
	// Output:
	// generic
	// tensor: unknown ISA level "sse5" (want generic, avx2, avx512 or neon)
}

func ExampleWorkers() {
	// Two threads that wait between products, for a loop of many short ones.
	w := tensor.NewWorkers(2)
	defer w.Close()
	x := &tensor.U8Matrix{Rows: 2, Cols: 3, Stride: 3, Data: []uint8{255, 0, 0, 0, 255, 255}}
	weights, _ := tensor.MatrixFrom(2, 3, []float32{1, 2, 3, -1, 0, 1})
	logits := tensor.NewMatrix(2, 2)
	for range 3 { // the same product, the same bits, whatever the threads
		if err := w.MatMulU8T(1.0/255, x, weights, 0, logits); err != nil {
			fmt.Println(err)
			return
		}
	}
	fmt.Printf("%d %.3f %.3f\n", w.Threads(), logits.Row(0), logits.Row(1))
	// Output: 2 [1.000 -1.000] [5.000 1.000]
}

// One step of gradient descent for a dense layer on uint8 images, W -= lr·Gᵀ·X/255:
// G, the gradient of the mean cross-entropy with respect to the logits,
// is computed inside the gradient product, by halves of the minibatch (of
// 64 rows or more) on the threads that then sum them.
func ExampleWorkers_MatMulTU8Fill() {
	w := tensor.NewWorkers(2)
	defer w.Close()
	images := []uint8{255, 0, 0, 255, 0, 255, 255, 0} // four 2-pixel images
	labels := []int{0, 1, 1, 0}
	x := &tensor.U8Matrix{Rows: 4, Cols: 2, Stride: 2, Data: images}
	weights := tensor.NewMatrix(2, 2) // two classes, class-major
	bias := make([]float32, 2)
	g := tensor.NewMatrix(4, 2) // the logits, then their gradient
	fill := func(ws *tensor.Workers, lo, hi int) error {
		// Rows [lo, hi): the logits X·Wᵀ/255 + b, their softmax, and
		// (softmax - onehot(label)) / 4.
		gh := &tensor.Matrix{Rows: hi - lo, Cols: 2, Stride: 2, Data: g.Data[2*lo : 2*hi]}
		xh := &tensor.U8Matrix{Rows: hi - lo, Cols: 2, Stride: 2, Data: images[2*lo : 2*hi]}
		if err := ws.MatMulU8TBias(1.0/255, xh, weights, bias, gh); err != nil {
			return err
		}
		if err := tensor.SoftmaxRows(gh, gh); err != nil {
			return err
		}
		for i := lo; i < hi; i++ {
			g.Data[2*i+labels[i]] -= 1
			g.Data[2*i] /= 4
			g.Data[2*i+1] /= 4
		}
		return nil
	}
	const lr = 0.5
	if err := w.MatMulTU8Fill(-lr/255, g, x, 1, weights, 1, fill); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.3f %.3f\n", weights.Row(0), weights.Row(1))
	// Output: [0.125 -0.125] [-0.125 0.125]
}
