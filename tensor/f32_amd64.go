//go:build !purego

package tensor

// The float32 products of f32_amd64.s (contracts in kernelSet, isa.go),
// each its uint8 twin of u8_amd64.go on float32 rows. The caller
// guarantees every bound the contracts state; nothing is checked.

// fwdF32Rows10AVX2 is kernelSet.fwdF32Rows10 in AVX2+FMA for k >= 8: rows
// by pairs (an odd last row paired with itself), each pair against classes
// 0-4 and then 5-9, 16 elements a trip; the last k%8 elements in one more
// step over the 8 that end at k, with the lanes already counted masked to
// +0 in x and in W. The rows of the next pair are prefetched into L2.
//
//go:noescape
func fwdF32Rows10AVX2(x []float32, index []int32, stride int, w []float32, wstride int, c []float32, cstride int, m, k int, alpha, beta float32, bias []float32)

// fwdF32Rows10AVX2Go is the AVX2 level's kernelSet.fwdF32Rows10: the kernel
// for k >= 8, the generic one for fewer elements (the kernel's tail step
// needs 8 readable elements).
func fwdF32Rows10AVX2Go(x []float32, index []int32, stride int, w []float32, wstride int, c []float32, cstride int, m, k int, alpha, beta float32, bias []float32) {
	if k < 8 {
		fwdRows10Generic(x, index, stride, w, wstride, c, cstride, m, k, alpha, beta, bias)
		return
	}
	fwdF32Rows10AVX2(x, index, stride, w, wstride, c, cstride, m, k, alpha, beta, bias)
}

// fwdF32Rows10AVX512 is kernelSet.fwdF32Rows10 in AVX-512 (any k >= 1):
// rows by pairs (an odd last row paired with itself), each pair against
// all ten classes, 16 elements a step, the k%16 last under a mask; each
// sum's order depends on k only. Rows i+4 and i+5 are prefetched into L2,
// a line of each per step.
//
//go:noescape
func fwdF32Rows10AVX512(x []float32, index []int32, stride int, w []float32, wstride int, c []float32, cstride int, m, k int, alpha, beta float32, bias []float32)

// gradF32x10AVX2 is the AVX2 level's kernelSet.gradF32x10: pairs of chunks
// through gradF32x10BlkAVX2, an odd last chunk through gradF32x10OneAVX2,
// whose sums sit after the pairs' in acc (acc[80q:80q+80] for chunk q).
func gradF32x10AVX2(x []float32, offs []int, gp []float32, c []float32, cstride, nch int, alpha, beta float32, acc []float32, mode int) {
	if p := nch &^ 1; p > 0 {
		gradF32x10BlkAVX2(x, offs, gp, c, cstride, p, alpha, beta, acc, mode)
	}
	if nch&1 != 0 {
		q := nch - 1
		var t []float32
		if mode != 2 {
			t = acc[80*q : 80*q+80]
		}
		gradF32x10OneAVX2(x[8*q:], offs, gp, c[8*q:], cstride, alpha, beta, t, mode)
	}
}

// gradF32x10BlkAVX2 is kernelSet.gradF32x10 in AVX2+FMA for an even
// nch >= 2: chunks by pairs (16 columns, two accumulators per class) in
// two halves of five classes, so that each broadcast of gp feeds two FMAs.
// Its sums for pair p, half h are t[80*(2p+h):][:80].
//
//go:noescape
func gradF32x10BlkAVX2(x []float32, offs []int, gp []float32, c []float32, cstride, nch int, alpha, beta float32, t []float32, mode int)

// gradF32x10OneAVX2 is kernelSet.gradF32x10 in AVX2+FMA for one chunk
// (nch = 1) against all ten classes, its sums t[8r:8r+8] for class r
// (len(t) >= 80 unless mode == 2).
//
//go:noescape
func gradF32x10OneAVX2(x []float32, offs []int, gp []float32, c []float32, cstride int, alpha, beta float32, t []float32, mode int)

// gradF32x10BlkAVX512 is kernelSet.gradF32x10 in AVX-512 (any nch >= 1): 32
// columns against ten classes (two accumulators per class), gp broadcast
// in the FMAs, the nch%4 last chunks under masks; acc in the layout of
// gradU8x10BlkAVX512.
//
//go:noescape
func gradF32x10BlkAVX512(x []float32, offs []int, gp []float32, c []float32, cstride, nch int, alpha, beta float32, acc []float32, mode int)

// dotF32RowAVX2 is kernelSet.dotF32Row in AVX2+FMA for k = len(x) >= 8: ten
// classes per pass over x (one accumulator per class, W rows as memory
// operands), the last group's rows clamped to the last real row, the k%8
// tail as in fwdF32Rows10AVX2. x is prefetched at entry.
//
//go:noescape
func dotF32RowAVX2(x []float32, w []float32, wstride int, alpha float32, bias []float32, z []float32)

// dotF32RowAVX2Go is the AVX2 level's kernelSet.dotF32Row: the kernel for
// k >= 8, the generic one for fewer elements.
func dotF32RowAVX2Go(x []float32, w []float32, wstride int, alpha float32, bias []float32, z []float32) {
	if len(x) < 8 {
		dotRowGeneric(x, w, wstride, alpha, bias, z)
		return
	}
	dotF32RowAVX2(x, w, wstride, alpha, bias, z)
}

// dotF32RowAVX512 is kernelSet.dotF32Row in AVX-512 (any k >= 1): as
// dotF32RowAVX2, 16 elements a step, the k%16 tail under a mask.
//
//go:noescape
func dotF32RowAVX512(x []float32, w []float32, wstride int, alpha float32, bias []float32, z []float32)
