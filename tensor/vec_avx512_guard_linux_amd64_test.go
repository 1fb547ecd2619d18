//go:build !purego

package tensor

import (
	"fmt"
	"math"
	"testing"
)

// Guard-page tests of the AVX-512 kernels: every slice in turn flush against
// the PROT_NONE page after its end or before its start (newGuardArena), so
// that a load or store of one element too many faults, masked tails
// included.

func TestAVX512GuardPages(t *testing.T) {
	needAVX512(t)
	rng := newRNG(t)
	const mr, nr = gemmMRAVX512, gemmNRAVX512
	size := max(4*(nr*784+64), 64<<10)
	ar := make([]*guardArena, 3)
	for i := range ar {
		ar[i] = newGuardArena(t, size)
	}
	sides := []bool{false, true}
	for _, n := range avx512Lengths() {
		for _, fa := range sides {
			for _, fb := range sides {
				name := fmt.Sprintf("n=%d front=%v,%v", n, fa, fb)
				src := ar[0].f32(n, fa, 0)
				copy(src, randSlice(rng, n, -30, 30))
				dst := ar[1].f32(n, fb, poison)
				expAVX512(dst, src)
				checkNoNaN(t, name+" exp", dst)
				for i := range dst {
					dst[i] = poison
				}
				_ = expShiftSumAVX512(dst, src, 1)
				checkNoNaN(t, name+" expShiftSum", dst)
				y := ar[1].f32(n, fb, 1)
				_ = dotAVX512(src, y)
				axpyAVX512(2, src, y)
				scaleAVX512(3, y)
				if n > 0 {
					_ = maxAVX512(src)
					// The NaN scan, with the NaN in the last element.
					src[n-1] = float32(math.NaN())
					if got := maxAVX512(src); got == got {
						t.Fatalf("%s: max with a NaN last = %v", name, got)
					}
				}
				// In place, at either guard.
				expAVX512(dst, dst)
				_ = expShiftSumAVX512(dst, dst, 1)
			}
		}
	}
	ks := []int{-1}
	for k := 0; k <= 20; k++ {
		ks = append(ks, k)
	}
	ks = append(ks, 255, 256, 784)
	for _, k := range ks {
		kk := max(k, 0)
		for _, fa := range sides {
			for _, fb := range sides {
				for _, ft := range sides {
					ap := ar[0].f32(mr*kk, fa, 1)
					bp := ar[1].f32(nr*kk, fb, 1)
					tile := ar[2].f32(mr*nr, ft, poison)
					gemmTileAVX512(k, ap, bp, tile)
					for i, v := range tile {
						if v != float32(kk) {
							t.Fatalf("gemmTileAVX512 k=%d front=%v,%v,%v: tile[%d] = %v, want %d", k, fa, fb, ft, i, v, kk)
						}
					}
				}
			}
		}
	}
}
