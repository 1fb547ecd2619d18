//go:build !purego

package tensor

import "unsafe"

// The Go around the NEON products of data rows, for uint8 and float32 rows
// alike (E): the level's forward rows and gradient blocks, built from the
// kernels of u8_arm64.s and f32_arm64.s (bodies in rows_arm64.h, declared in
// u8_arm64.go and f32_arm64.go), and its one-row product. Each kernel of
// E's type is called by a switch on the type of x, a direct call, so that
// arguments on the caller's stack (the tiles, out) do not escape (see
// direct_arm64.go).

// fwdRows10NEON is kernelSet.fwdU8Rows10 and fwdF32Rows10 for NEON: the
// generic level's loop (rows by pairs, classes by fives, the k%8 tail and
// the epilogue in Go: fwdFinish) around dot2x5NEON, with the rows of the
// next pair prefetched (two rows ahead; a row of 784 float32 is 49 lines).
func fwdRows10NEON[E elem](x []E, index []int32, stride int, w []float32, wstride int, c []float32, cstride int, m, k int, alpha, beta float32, bias []float32) {
	k8 := k &^ 7
	var out [10]float32
	wr := fwdWRows(w, wstride, k)
	for i := 0; i < min(2, m); i++ {
		prefetchRowNEON(x[int(index[i])*stride:][:k])
	}
	for i := 0; i < m; i += 2 {
		x0, x1, two := fwdPair(x, index, stride, k, i, m)
		for r := i + 2; r < min(i+4, m); r++ {
			prefetchRowNEON(x[int(index[r])*stride:][:k])
		}
		for j0 := 0; j0 < 10; j0 += 5 {
			ws := wr[j0 : j0+5]
			dot2x5NEON(x0[:k8], x1[:k8], ws[0][:k8], ws[1][:k8], ws[2][:k8], ws[3][:k8], ws[4][:k8], &out)
			fwdFinishPair(c, cstride, i, two, &out, x0, x1, ws, k8, alpha, beta, bias, j0)
		}
	}
}

// dot2x5NEON is dotU8x2x5NEON or dotF32x2x5NEON.
func dot2x5NEON[E elem](x0, x1 []E, w0, w1, w2, w3, w4 []float32, out *[10]float32) {
	switch x0 := any(x0).(type) {
	case []uint8:
		dotU8x2x5NEON(x0, any(x1).([]uint8), w0, w1, w2, w3, w4, out)
	case []float32:
		dotF32x2x5NEON(x0, any(x1).([]float32), w0, w1, w2, w3, w4, out)
	}
}

// prefetchRowNEON asks for the cache lines of the row x to be loaded into
// L2 (prefetchNEON of its bytes).
func prefetchRowNEON[E elem](x []E) {
	if len(x) > 0 {
		prefetchNEON(unsafe.Slice((*uint8)(unsafe.Pointer(&x[0])), len(x)*int(unsafe.Sizeof(x[0]))))
	}
}

// gradx10NEON is kernelSet.gradU8x10 and gradF32x10 for NEON: chunk by
// chunk, its 80 sums (acc[80q:80q+80]) carried through grad10x8NEON, then
// merged as mergeRow8 merges (gradTileLoad, gradTileStore).
func gradx10NEON[E elem](x []E, offs []int, gp []float32, c []float32, cstride, nch int, alpha, beta float32, acc []float32, mode int) {
	var tile [80]float32
	for q := range nch {
		gradTileLoad(&tile, acc, q, mode)
		grad10x8NEON(x[8*q:], offs, gp, &tile)
		gradTileStore(&tile, acc, c, cstride, q, alpha, beta, mode)
	}
}

// grad10x8NEON is gradU8x10x8NEON or gradF32x10x8NEON.
func grad10x8NEON[E elem](x []E, offs []int, gp []float32, tile *[80]float32) {
	switch x := any(x).(type) {
	case []uint8:
		gradU8x10x8NEON(x, offs, gp, tile)
	case []float32:
		gradF32x10x8NEON(x, offs, gp, tile)
	}
}

// dotU8RowNEONGo is the NEON level's kernelSet.dotU8Row and dotF32RowNEONGo
// its dotF32Row: the kernel for k >= 8, the generic one for fewer elements
// (of one element type each, as dotU8RowAVX2Go).
func dotU8RowNEONGo(x []uint8, w []float32, wstride int, alpha float32, bias []float32, z []float32) {
	if len(x) < 8 {
		dotRowGeneric(x, w, wstride, alpha, bias, z)
		return
	}
	dotU8RowNEON(x, w, wstride, alpha, bias, z)
}

func dotF32RowNEONGo(x []float32, w []float32, wstride int, alpha float32, bias []float32, z []float32) {
	if len(x) < 8 {
		dotRowGeneric(x, w, wstride, alpha, bias, z)
		return
	}
	dotF32RowNEON(x, w, wstride, alpha, bias, z)
}
