//go:build !purego

package tensor

import (
	"fmt"
	"testing"
)

// TestGradU8AVX512MatchesAVX2 and TestGradF32AVX512MatchesAVX2 check that
// the AVX-512 gradient kernels give bitwise the AVX2 level's results (the
// same FMAs in the same order for every element), for every chunk count
// and rows in blocks: so a model trained at either level gets the same
// weight updates from the same gradient rows.
func TestGradU8AVX512MatchesAVX2(t *testing.T)  { testGradAVX512MatchesAVX2(t, u8Rows) }
func TestGradF32AVX512MatchesAVX2(t *testing.T) { testGradAVX512MatchesAVX2(t, f32Rows) }

func testGradAVX512MatchesAVX2[E elem](t *testing.T, rt rowsType[E]) {
	needAVX512(t)
	rng := newRNG(t)
	for _, nch := range []int{1, 2, 3, 4, 5, 6, 7, 9, 17, 64, 98} {
		for _, m := range []int{1, 2, 3, 33, 256} {
			for _, beta := range []float32{0, 1, -0.5} {
				name := fmt.Sprintf("nch=%d m=%d beta=%v", nch, m, beta)
				g := newGradOperands(rng, m, nch, beta, rt.gen)
				cbuf0 := append([]float32(nil), g.cbuf...)
				gradBlocks(rt.grad(&avx2Set), 0, nch, 0.25, g.gp, g.data, g.offs, beta, g.c, g.cstride)
				want := append([]float32(nil), g.cbuf...)
				copy(g.cbuf, cbuf0)
				gradBlocks(rt.grad(&avx512Set), 0, nch, 0.25, g.gp, g.data, g.offs, beta, g.c, g.cstride)
				sameBits(t, name, g.cbuf, want)
			}
		}
	}
}
