package softmax_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/softmax-fast/softmax-fast/softmax"
	"github.com/softmax-fast/softmax-fast/tensor"
)

// shapes returns n noisy 3x3 images of three shapes: a horizontal bar (class
// 0), a vertical bar (1) and a diagonal (2).
func shapes(n int, seed uint64) softmax.Dataset {
	masks := [3][9]uint8{
		{0, 0, 0, 1, 1, 1, 0, 0, 0},
		{0, 1, 0, 0, 1, 0, 0, 1, 0},
		{1, 0, 0, 0, 1, 0, 0, 0, 1},
	}
	r := rand.New(rand.NewPCG(seed, 0))
	pixels := make([]uint8, 9*n)
	labels := make([]uint8, n)
	for i := range n {
		c := r.IntN(3)
		labels[i] = uint8(c)
		for p, on := range masks[c] {
			pixels[9*i+p] = uint8(r.IntN(60)) + on*180
		}
	}
	images := &tensor.U8Matrix{Rows: n, Cols: 9, Stride: 9, Data: pixels}
	return softmax.Dataset{Images: images, Labels: labels}
}

func ExampleTrainer_Fit() {
	train, test := shapes(600, 1), shapes(200, 2)
	model, err := softmax.NewDense(9, 3, 0.01, 42)
	if err != nil {
		fmt.Println(err)
		return
	}
	model.Names = []string{"horizontal", "vertical", "diagonal"}
	trainer := &softmax.Trainer{Epochs: 3, BatchSize: 32, Seed: 7, SGD: softmax.SGD{LR: 0.5}}
	stats, err := trainer.Fit(context.Background(), model, train, test)
	if err != nil {
		fmt.Println(err)
		return
	}
	last := stats[len(stats)-1]
	fmt.Printf("epoch %d: test accuracy %.2f\n", last.Epoch, last.TestAcc)

	class, prob, err := model.Predict([]uint8{
		0, 200, 0,
		0, 200, 0,
		0, 200, 0,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s (p > 0.9: %v)\n", model.Names[class], prob > 0.9)
	// Output:
	// epoch 3: test accuracy 1.00
	// vertical (p > 0.9: true)
}

func ExampleLoad() {
	dir, err := os.MkdirTemp("", "softmax-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "model.smx")

	model, _ := softmax.NewDense(784, 10, 0.01, 1)
	if err := model.Save(path); err != nil {
		fmt.Println(err)
		return
	}
	loaded, err := softmax.Load(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(loaded.Inputs(), loaded.Classes())

	// A damaged file is refused with the reason.
	b, _ := os.ReadFile(path)
	b[100] ^= 1
	os.WriteFile(path, b, 0o644)
	_, err = softmax.Load(path)
	fmt.Println(err != nil)
	// Output:
	// 784 10
	// true
}

// Hold out a validation set, stop when its accuracy no longer improves,
// and keep the best epoch's weights.
func ExampleTrainer_earlyStop() {
	data := shapes(800, 3)
	train, val, err := data.Split(200, 1) // 200 random examples held out
	if err != nil {
		fmt.Println(err)
		return
	}
	model, _ := softmax.NewDense(9, 3, 0.01, 42)
	trainer := &softmax.Trainer{
		Epochs:     50,
		BatchSize:  32,
		SGD:        softmax.SGD{LR: 0.5, Momentum: 0.9, Nesterov: true, Cosine: true},
		Validation: val,
		EarlyStop:  3, // epochs without a better validation accuracy
	}
	stats, err := trainer.Fit(context.Background(), model, train, softmax.Dataset{})
	if err != nil {
		fmt.Println(err)
		return
	}
	acc, _ := model.Accuracy(val)
	fmt.Printf("%d images for training, %d for validation\n", train.Len(), val.Len())
	fmt.Printf("stopped early: %v; kept model's validation accuracy %.2f\n", len(stats) < 50, acc)
	// Output:
	// 600 images for training, 200 for validation
	// stopped early: true; kept model's validation accuracy 1.00
}

// A model of float32 feature vectors: two features on very different scales
// (a temperature in kelvin and a fraction), standardized by Fit, then one
// prediction on raw values.
func ExampleDense_PredictFeatures() {
	r := rand.New(rand.NewPCG(1, 2))
	const n = 400
	x := &tensor.F32Matrix{Rows: n, Cols: 2, Stride: 2, Data: make([]float32, 2*n)}
	labels := make([]uint8, n)
	for i := range n {
		hot := r.IntN(2)
		labels[i] = uint8(hot)
		x.Data[2*i] = float32(280 + 40*float64(hot) + 5*r.NormFloat64()) // kelvin
		x.Data[2*i+1] = float32(r.Float64())                             // noise
	}
	m, _ := softmax.NewDense(2, 2, 0.01, 1)
	m.Features = true
	m.Names = []string{"cold", "hot"}
	if _, err := (&softmax.Trainer{Epochs: 3, BatchSize: 32}).Fit(context.Background(), m, softmax.Dataset{Features: x, Labels: labels}, softmax.Dataset{}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("mean temperature %.0f K\n", m.Mean[0])
	for _, v := range [][]float32{{275, 0.5}, {330, 0.5}} {
		class, _, _ := m.PredictFeatures(v)
		fmt.Printf("%.0f K: %s\n", v[0], m.Names[class])
	}
	// Output:
	// mean temperature 303 K
	// 275 K: cold
	// 330 K: hot
}
