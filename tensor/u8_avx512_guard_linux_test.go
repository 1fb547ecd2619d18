//go:build linux && amd64 && !purego

package tensor

import (
	"fmt"
	"testing"
)

// TestU8AVX512GuardPages runs fwdU8Rows10AVX512 and gradU8x10BlkAVX512
// with every operand flush against a PROT_NONE page, after its end and
// before its start (newGuardArena), so that any read or write past a slice
// (a k or column tail loaded whole, say) faults.
func TestU8AVX512GuardPages(t *testing.T) {
	needAVX512(t)
	ar := make([]*guardArena, 6)
	for i := range ar {
		ar[i] = newGuardArena(t, 64<<10)
	}
	for _, front := range []bool{false, true} {
		for _, k := range []int{1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 48, 49, 784, 785} {
			for m := 1; m <= 5; m++ {
				for _, beta := range []float32{0, 1} {
					for _, withBias := range []bool{false, true} {
						name := fmt.Sprintf("fwd k=%d m=%d beta=%v bias=%v front=%v", k, m, beta, withBias, front)
						stride := k + m%3 // the last row of x ends (or the first starts) at the guard
						x := ar[0].u8((m-1)*stride+k, front)
						index := guardInts[int32](ar[1], m, front)
						for i := range index {
							index[i] = int32(m - 1 - i) // the rows backwards: first and last rows read
						}
						wstride := k + (k+m)%2
						w := ar[2].f32(9*wstride+k, front, 0.25)
						cstride := 10 + m%2
						fill := float32(1)
						if beta == 0 {
							fill = poison
						}
						c := ar[3].f32((m-1)*cstride+10, front, fill)
						var bias []float32
						if withBias {
							bias = ar[4].f32(10, front, 0.5)
						}
						fwdU8Rows10AVX512(x, index, stride, w, wstride, c, cstride, m, k, 1, beta, bias)
						for i := range m {
							checkNoNaN(t, name, c[i*cstride:i*cstride+10])
						}
					}
				}
			}
		}
		for _, nch := range []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 33} {
			for _, m := range []int{1, 2, 3, 20} {
				for _, beta := range []float32{0, 1} {
					name := fmt.Sprintf("grad nch=%d m=%d beta=%v front=%v", nch, m, beta, front)
					x, offs, gp, c := guardGradOperands(ar, nch, m, beta, front)
					gradU8x10BlkAVX512(x, offs, gp, c, 8*nch, nch, 1, beta, nil, 2)
					checkNoNaN(t, name+" one block", c)
					// Two blocks (one for m = 1: it reads the sums), the sums
					// against a guard page too.
					x, offs, gp, c = guardGradOperands(ar, nch, m, beta, front)
					acc := ar[4].f32(80*nch, front, 1)
					h := m / 2
					if h > 0 {
						gradU8x10BlkAVX512(x, offs[:h], gp[:10*h], c, 8*nch, nch, 1, beta, acc, 0)
					}
					gradU8x10BlkAVX512(x, offs[h:], gp[10*h:], c, 8*nch, nch, 1, beta, acc, 3)
					checkNoNaN(t, name+" two blocks", c)
				}
			}
		}
	}
}
