package tensor

import (
	"fmt"
	"math"
	"testing"
)

// gradx10x8GenericRowwise is the plain loop over rows that
// gradx10x8Generic (by blocks of rows, class by class) must equal bit for
// bit: every element summed over the rows in the same order.
func gradx10x8GenericRowwise[E elem](x []E, offs []int, gp []float32, tile *[80]float32) {
	var acc [80]float32
	gp = gp[:10*len(offs)]
	for i, o := range offs {
		px := x[o : o+8 : o+8]
		g := gp[10*i : 10*i+10 : 10*i+10]
		for j, v := range px {
			f := float32(v)
			for c, gc := range g {
				acc[c*8+j] += gc * f
			}
		}
	}
	*tile = acc
}

func TestGradU8x10x8GenericBlocks(t *testing.T)  { testGradx10x8GenericBlocks(t, u8Rows) }
func TestGradF32x10x8GenericBlocks(t *testing.T) { testGradx10x8GenericBlocks(t, f32Rows) }

func testGradx10x8GenericBlocks[E elem](t *testing.T, rt rowsType[E]) {
	rng := newRNG(t)
	for _, m := range []int{0, 1, 2, 7, 255, 256, 257, 600} {
		stride := 8 + rng.IntN(20)
		x := rt.gen(rng, (m+1)*stride+8)
		offs := make([]int, m)
		for i := range offs {
			offs[i] = rng.IntN(m+1)*stride + rng.IntN(stride-7)
		}
		gp := randSlice(rng, 10*m, -1, 1)
		var got, want [80]float32
		gradx10x8Generic(x, offs, gp, &got)
		gradx10x8GenericRowwise(x, offs, gp, &want)
		for i := range got {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("%s: tile[%d] = %v, want %v bitwise", fmt.Sprintf("m=%d", m), i, got[i], want[i])
			}
		}
	}
}
