//go:build !purego

package tensor

// The uint8 kernels of u8_amd64.s: the bodies of rows_amd64.h on uint8
// rows, pixels widened in registers (contracts in kernelSet, isa.go; the Go
// around them, shared with the float32 rows, in rows_amd64.go). The caller
// guarantees every bound the contracts state; nothing is checked.

// fwdU8Rows10AVX2 is kernelSet.fwdU8Rows10 in AVX2+FMA for k >= 8: rows by
// pairs (an odd last row paired with itself), each pair against classes
// 0-4 and then 5-9, 16 pixels a step; the last k%8 pixels go in one more
// step over the 8 pixels that end at k, with W's lanes of the pixels
// already counted masked to zero. The rows of the next pair are prefetched
// into L2.
//
//go:noescape
func fwdU8Rows10AVX2(x []uint8, index []int32, stride int, w []float32, wstride int, c []float32, cstride int, m, k int, alpha, beta float32, bias []float32)

// fwdU8Rows10AVX512 is kernelSet.fwdU8Rows10 in AVX-512 (any k >= 1): rows
// by pairs (an odd last row paired with itself), each pair against all ten
// classes, 16 pixels a step, the k%16 last pixels under a mask; each sum's
// order depends on k only. Rows i+4 and i+5 are prefetched into L2, a line
// per step.
//
//go:noescape
func fwdU8Rows10AVX512(x []uint8, index []int32, stride int, w []float32, wstride int, c []float32, cstride int, m, k int, alpha, beta float32, bias []float32)

// gradU8x10BlkAVX2 is kernelSet.gradU8x10 in AVX2+FMA for an even nch >= 2:
// chunks by pairs (16 columns, two accumulators per class) in two halves of
// five classes, so that each broadcast of gp feeds two FMAs. Its sums for
// pair p, half h are t[80*(2p+h):][:80].
//
//go:noescape
func gradU8x10BlkAVX2(x []uint8, offs []int, gp []float32, c []float32, cstride, nch int, alpha, beta float32, t []float32, mode int)

// gradU8x10OneAVX2 is kernelSet.gradU8x10 in AVX2+FMA for one chunk
// (nch = 1) against all ten classes, its sums t[8r:8r+8] for class r
// (len(t) >= 80 unless mode == 2).
//
//go:noescape
func gradU8x10OneAVX2(x []uint8, offs []int, gp []float32, c []float32, cstride int, alpha, beta float32, t []float32, mode int)

// gradU8x10BlkAVX512 is kernelSet.gradU8x10 in AVX-512 (any nch >= 1): 32
// columns against ten classes (two accumulators per class), gp broadcast in
// the FMAs, the nch%4 last chunks under masks. Its sums for the 32 columns
// of step s start at acc[320s], class r at acc[320s+r*w:][:w], w the step's
// width (32, or 8*(nch%4) for the last).
//
//go:noescape
func gradU8x10BlkAVX512(x []uint8, offs []int, gp []float32, c []float32, cstride, nch int, alpha, beta float32, acc []float32, mode int)

// dotU8RowAVX2 is kernelSet.dotU8Row in AVX2+FMA for k = len(x) >= 8: ten
// classes per pass over x (one accumulator per class, W rows as memory
// operands), the last group's rows clamped to the last real row, the k%8
// tail as in fwdU8Rows10AVX2. x is prefetched at entry.
//
//go:noescape
func dotU8RowAVX2(x []uint8, w []float32, wstride int, alpha float32, bias []float32, z []float32)

// dotU8RowAVX512 is kernelSet.dotU8Row in AVX-512 (any k >= 1): as
// dotU8RowAVX2, 16 pixels a step, the k%16 tail under a mask.
//
//go:noescape
func dotU8RowAVX512(x []uint8, w []float32, wstride int, alpha float32, bias []float32, z []float32)

// prefetchAVX2 asks for the cache lines of p to be loaded into L2
// (PREFETCHT2); it never faults.
//
//go:noescape
func prefetchAVX2(p []uint8)
