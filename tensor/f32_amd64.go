//go:build !purego

package tensor

// The float32 kernels of f32_amd64.s: the bodies of rows_amd64.h on float32
// rows, each the twin of its uint8 kernel (u8_amd64.go) but for the loads
// of x and, in the AVX2 tails, the elements already counted masked to +0 in
// x as in W (contracts in kernelSet, isa.go; the Go around them, shared with
// the uint8 rows, in rows_amd64.go). The caller guarantees every bound the
// contracts state; nothing is checked.

// fwdF32Rows10AVX2 is fwdU8Rows10AVX2 for float32 rows (kernelSet.fwdF32Rows10,
// k >= 8); the rows four ahead are prefetched into L2, a line of one of
// them per trip of 16 elements.
//
//go:noescape
func fwdF32Rows10AVX2(x []float32, index []int32, stride int, w []float32, wstride int, c []float32, cstride int, m, k int, alpha, beta float32, bias []float32)

// fwdF32Rows10AVX512 is fwdU8Rows10AVX512 for float32 rows
// (kernelSet.fwdF32Rows10, any k >= 1), a line of each of rows i+4 and i+5
// prefetched per step.
//
//go:noescape
func fwdF32Rows10AVX512(x []float32, index []int32, stride int, w []float32, wstride int, c []float32, cstride int, m, k int, alpha, beta float32, bias []float32)

// gradF32x10BlkAVX2 is gradU8x10BlkAVX2 for float32 rows
// (kernelSet.gradF32x10, an even nch >= 2), its sums in the same layout.
//
//go:noescape
func gradF32x10BlkAVX2(x []float32, offs []int, gp []float32, c []float32, cstride, nch int, alpha, beta float32, t []float32, mode int)

// gradF32x10OneAVX2 is gradU8x10OneAVX2 for float32 rows (one chunk).
//
//go:noescape
func gradF32x10OneAVX2(x []float32, offs []int, gp []float32, c []float32, cstride int, alpha, beta float32, t []float32, mode int)

// gradF32x10BlkAVX512 is gradU8x10BlkAVX512 for float32 rows
// (kernelSet.gradF32x10, any nch >= 1), acc in the same layout.
//
//go:noescape
func gradF32x10BlkAVX512(x []float32, offs []int, gp []float32, c []float32, cstride, nch int, alpha, beta float32, acc []float32, mode int)

// dotF32RowAVX2 is dotU8RowAVX2 for a float32 row (kernelSet.dotF32Row,
// k = len(x) >= 8), the tail as in fwdF32Rows10AVX2.
//
//go:noescape
func dotF32RowAVX2(x []float32, w []float32, wstride int, alpha float32, bias []float32, z []float32)

// dotF32RowAVX512 is dotU8RowAVX512 for a float32 row (kernelSet.dotF32Row,
// any k >= 1).
//
//go:noescape
func dotF32RowAVX512(x []float32, w []float32, wstride int, alpha float32, bias []float32, z []float32)
