//go:build linux

package tensor

import (
	"math"
	"testing"
	"unsafe"
)

// guardF64 returns n float64s against the back or front guard of g, filled
// with NaN.
func guardF64(g *guardArena, n int, front bool) []float64 {
	all := unsafe.Slice((*float64)(unsafe.Pointer(&g.data[0])), len(g.data)/8)
	s := all[len(all)-n:]
	if front {
		s = all[:n]
	}
	for i := range s {
		s[i] = math.NaN()
	}
	return s[:n:n]
}

// TestGuardSoftmaxXent10 runs kernelSet.softmaxXent10 with the logits, the
// labels, s, shift and the column sums each flush against a guard page,
// for every n up to 41 (every group remainder), and checks that every
// output was written.
func TestGuardSoftmaxXent10(t *testing.T) {
	ar := make([]*guardArena, 5)
	for i := range ar {
		ar[i] = newGuardArena(t, 16<<10)
	}
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		for _, front := range []bool{false, true} {
			for n := 0; n <= 41; n++ {
				z := ar[0].f32(10*n, front, 0)
				for i := range z {
					z[i] = float32(i%13) - 6
				}
				labels := ar[1].u8(n, front)
				for i := range labels {
					labels[i] = uint8(i*7) % 10
				}
				s := ar[2].f32(n, front, poison)
				shift := guardF64(ar[3], n, front)
				cs := guardF64(ar[4], 10, front)
				ks.softmaxXent10(z, labels, 0.125, s, shift, cs)
				for i := range n {
					if s[i] != s[i] || shift[i] != shift[i] {
						t.Fatalf("n=%d front=%v: row %d: s %v shift %v", n, front, i, s[i], shift[i])
					}
				}
				for i, v := range z {
					if v != v || v < -0.125 || v > 0.125 {
						t.Fatalf("n=%d front=%v: z[%d] = %v", n, front, i, v)
					}
				}
				for j, v := range cs {
					if v != v {
						t.Fatalf("n=%d front=%v: cs[%d] = %v", n, front, j, v)
					}
				}
			}
		}
	})
}
