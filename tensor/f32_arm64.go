//go:build !purego

package tensor

import "unsafe"

// The NEON float32 kernels of f32_arm64.s, and the level's forward rows and
// gradient blocks built from them, each the uint8 twin of u8_arm64.go on
// float32 rows. The caller guarantees every bound the contracts state;
// nothing is checked.

// dotF32x2x5NEON computes, for r < 2 and j < 5, out[r*5+j] = sum_{p<k}
// x_r[p] * w_j[p] with k = len(x0) a multiple of 8 (a remainder is
// ignored) and x1, w0..w4 at least k long. The inputs may alias each
// other; k = 0 gives zeros.
//
//go:noescape
func dotF32x2x5NEON(x0, x1 []float32, w0, w1, w2, w3, w4 []float32, out *[10]float32)

// gradF32x10x8NEON adds to tile[c*8+j] the sum over the rows i < m =
// len(offs), in order, one FMA each, of gp[i*10+c] * x[offs[i]+j] for
// c < 10, j < 8. It reads x[offs[i]:offs[i]+8], offs[:m] and gp[:10m].
//
//go:noescape
func gradF32x10x8NEON(x []float32, offs []int, gp []float32, tile *[80]float32)

// dotF32RowNEON is kernelSet.dotF32Row in NEON for k = len(x) >= 8: ten
// classes per pass over x, the last group's rows clamped to the last real
// row, the k%8 tail over the 8 elements that end at k with the lanes
// already counted masked to +0 in x and in W.
//
//go:noescape
func dotF32RowNEON(x []float32, w []float32, wstride int, alpha float32, bias []float32, z []float32)

// fwdF32Rows10NEON is kernelSet.fwdF32Rows10 for NEON: the generic level's
// loop (rows by pairs, classes by fives, the k%8 tail and the epilogue in
// Go: fwdFinish) around dotF32x2x5NEON, with the rows of the next pair
// prefetched (a row of 784 float32 is 49 lines; fwdU8Rows10NEON's
// prefetch of two rows ahead).
func fwdF32Rows10NEON(x []float32, index []int32, stride int, w []float32, wstride int, c []float32, cstride int, m, k int, alpha, beta float32, bias []float32) {
	k8 := k &^ 7
	var out [10]float32
	var wr [10][]float32
	for j := range wr {
		wr[j] = w[j*wstride : j*wstride+k]
	}
	for i := 0; i < min(2, m); i++ {
		prefetchF32NEON(x[int(index[i])*stride:][:k])
	}
	for i := 0; i < m; i += 2 {
		x0 := x[int(index[i])*stride:][:k]
		x1, two := x0, i+1 < m
		if two {
			x1 = x[int(index[i+1])*stride:][:k]
		}
		for r := i + 2; r < min(i+4, m); r++ {
			prefetchF32NEON(x[int(index[r])*stride:][:k])
		}
		for j0 := 0; j0 < 10; j0 += 5 {
			ws := wr[j0 : j0+5]
			dotF32x2x5NEON(x0[:k8], x1[:k8], ws[0][:k8], ws[1][:k8], ws[2][:k8], ws[3][:k8], ws[4][:k8], &out)
			fwdFinish(c[i*cstride+j0:i*cstride+j0+5], out[:5], x0, ws, k8, alpha, beta, bias, j0)
			if two {
				fwdFinish(c[(i+1)*cstride+j0:(i+1)*cstride+j0+5], out[5:], x1, ws, k8, alpha, beta, bias, j0)
			}
		}
	}
}

// prefetchF32NEON asks for the cache lines of x to be loaded into L2.
func prefetchF32NEON(x []float32) {
	if len(x) > 0 {
		prefetchNEON(unsafe.Slice((*uint8)(unsafe.Pointer(&x[0])), 4*len(x)))
	}
}

// gradF32x10NEON is kernelSet.gradF32x10 for NEON: chunk by chunk, its 80
// sums (acc[80q:80q+80]) carried through gradF32x10x8NEON, then merged as
// mergeRow8 merges.
func gradF32x10NEON(x []float32, offs []int, gp []float32, c []float32, cstride, nch int, alpha, beta float32, acc []float32, mode int) {
	var tile [80]float32
	for q := range nch {
		if mode&1 != 0 {
			tile = [80]float32(acc[80*q : 80*q+80])
		} else {
			tile = [80]float32{}
		}
		gradF32x10x8NEON(x[8*q:], offs, gp, &tile)
		if mode&2 == 0 {
			copy(acc[80*q:80*q+80], tile[:])
			continue
		}
		for r := range 10 {
			crow := c[r*cstride+8*q : r*cstride+8*q+8]
			mergeRow8((*[8]float32)(crow), (*[8]float32)(tile[r*8:r*8+8]), alpha, beta)
		}
	}
}

// dotF32RowNEONGo is the NEON level's kernelSet.dotF32Row: the kernel for
// k >= 8, the generic one for fewer elements.
func dotF32RowNEONGo(x []float32, w []float32, wstride int, alpha float32, bias []float32, z []float32) {
	if len(x) < 8 {
		dotRowGeneric(x, w, wstride, alpha, bias, z)
		return
	}
	dotF32RowNEON(x, w, wstride, alpha, bias, z)
}
