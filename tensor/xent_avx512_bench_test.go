//go:build amd64 && !purego

package tensor

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkSoftmaxXent10 times softmaxXent10 at AVX2 and AVX-512 on n rows
// with column sums (as the loss calls it: chunks of 32 rows), each level
// right after the other in one run so that they see the same machine load.
// The copy of the logits back (the kernel works in place) is in the time.
func BenchmarkSoftmaxXent10(b *testing.B) {
	for _, n := range []int{32, 256} {
		rng := rand.New(rand.NewPCG(1, 2))
		z0, labels := xentRows(rng, n, 5)
		z := make([]float32, len(z0))
		s := make([]float32, n)
		sh := make([]float64, n)
		cs := make([]float64, 10)
		for _, lv := range []struct {
			name string
			f    xentKernel
			ok   bool
		}{{"avx2", softmaxXent10AVX2, true}, {"avx512", softmaxXent10AVX512, hasAVX512}} {
			b.Run(fmt.Sprintf("n=%d/isa=%s", n, lv.name), func(b *testing.B) {
				if !lv.ok {
					b.Skip("no AVX-512 F/BW/DQ/VL on this CPU")
				}
				for b.Loop() {
					copy(z, z0)
					lv.f(z, labels, 0.1, s, sh, cs)
				}
			})
		}
	}
}
