package softmax

import (
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/softmax-fast/softmax-fast/tensor"
)

func TestMain(m *testing.M) {
	if _, err := tensor.CurrentISA(); err != nil {
		fmt.Fprintln(os.Stderr, "softmax tests:", err)
		os.Exit(2)
	}
	os.Exit(m.Run())
}

// synth returns n labelled images of inputs pixels in classes classes: each
// class has a random prototype image, and each example copies it with a
// fraction noise of its pixels replaced by random values. The classes are
// separable for moderate noise.
func synth(n, inputs, classes int, noise float64, seed uint64) Dataset {
	r := rand.New(rand.NewPCG(seed, 1))
	protos := make([][]uint8, classes)
	for c := range protos {
		protos[c] = make([]uint8, inputs)
		for p := range protos[c] {
			protos[c][p] = uint8(r.IntN(256))
		}
	}
	x := &tensor.U8Matrix{Rows: n, Cols: inputs, Stride: inputs, Data: make([]uint8, n*inputs)}
	labels := make([]uint8, n)
	for i := range n {
		c := r.IntN(classes)
		labels[i] = uint8(c)
		row := x.Data[i*inputs : (i+1)*inputs]
		for p := range row {
			if r.Float64() < noise {
				row[p] = uint8(r.IntN(256))
			} else {
				row[p] = protos[c][p]
			}
		}
	}
	return Dataset{Images: x, Labels: labels}
}

// withISA runs f once per ISA level this machine has, with that level set.
func withISA(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	saved, _ := tensor.CurrentISA()
	t.Cleanup(func() { tensor.SetISA(saved) })
	for _, l := range tensor.Available() {
		if err := tensor.SetISA(l); err != nil {
			t.Fatal(err)
		}
		t.Run("isa="+l.String(), f)
	}
	tensor.SetISA(saved)
}
