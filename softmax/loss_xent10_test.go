package softmax

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/softmax-fast/softmax-fast/tensor"
)

// TestLossXent10Levels checks that every level's lossGradParts, whether it
// uses tensor.SoftmaxXent10 (AVX2) or the Go loop, agrees with the generic
// level on random batches of 10 classes: the loss, the gradient, the count
// of correct rows and the column sums, in place and not, with sizes that
// leave partial parts and partial groups of 4 rows.
func TestLossXent10Levels(t *testing.T) {
	saved, _ := tensor.CurrentISA()
	t.Cleanup(func() { tensor.SetISA(saved) })
	r := rand.New(rand.NewPCG(11, 12))
	for _, n := range []int{256, 255, 33, 5, 1} {
		for _, amp := range []float64{0.5, 3, 30} {
			z, labels := randomLogits(r, n, 10, amp)
			run := func(l tensor.ISA, inPlace bool) (float64, int, *tensor.Matrix, []float64) {
				if err := tensor.SetISA(l); err != nil {
					t.Fatal(err)
				}
				src := tensor.NewMatrix(n, 10)
				copy(src.Data, z.Data)
				g := src
				if !inPlace {
					g = tensor.NewMatrix(n, 10)
				}
				cs := make([]float64, 10)
				sum, correct := lossGradParts(g, src, labels, crossEntropy, nil, cs)
				return sum, correct, g, cs
			}
			wantSum, wantCorrect, wantG, wantCS := run(tensor.Generic, true)
			for _, l := range tensor.Available() {
				for _, inPlace := range []bool{true, false} {
					sum, correct, g, cs := run(l, inPlace)
					if math.Abs(sum-wantSum) > 1e-6*math.Abs(wantSum) || correct != wantCorrect {
						t.Errorf("n=%d amp=%g %v in place %v: loss sum %v correct %d, generic %v %d", n, amp, l, inPlace, sum, correct, wantSum, wantCorrect)
					}
					scale := 1 / float64(n)
					for i, v := range g.Data {
						w := float64(wantG.Data[i])
						if math.Abs(float64(v)-w) > 8e-7*math.Abs(w)+3e-7*scale {
							t.Fatalf("n=%d amp=%g %v in place %v: grad[%d][%d] = %v, generic %v", n, amp, l, inPlace, i/10, i%10, v, w)
						}
					}
					for j, v := range cs {
						if math.Abs(v-wantCS[j]) > 1e-6*scale*float64(n) {
							t.Errorf("n=%d amp=%g %v in place %v: colsum[%d] = %v, generic %v", n, amp, l, inPlace, j, v, wantCS[j])
						}
					}
				}
			}
		}
	}
}
