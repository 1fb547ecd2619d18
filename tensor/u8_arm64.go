//go:build !purego

package tensor

// The NEON uint8 kernels of u8_arm64.s: the bodies of rows_arm64.h on uint8
// rows, pixels widened in registers (contracts in kernelSet, isa.go; the Go
// that builds the level's forward rows and gradient blocks from them,
// shared with the float32 rows, in rows_arm64.go). The caller guarantees
// every bound the contracts state; nothing is checked.

// dotU8x2x5NEON computes, for r < 2 and j < 5, out[r*5+j] = sum_{p<k}
// float32(x_r[p]) * w_j[p] with k = len(x0) a multiple of 8 (a remainder
// is ignored) and x1, w0..w4 at least k long. The inputs may alias each
// other; k = 0 gives zeros.
//
//go:noescape
func dotU8x2x5NEON(x0, x1 []uint8, w0, w1, w2, w3, w4 []float32, out *[10]float32)

// gradU8x10x8NEON adds to tile[c*8+j] the sum over the rows i < m =
// len(offs), in order, one FMA each, of gp[i*10+c] * float32(x[offs[i]+j])
// for c < 10, j < 8. It reads x[offs[i]:offs[i]+8], offs[:m] and gp[:10m].
//
//go:noescape
func gradU8x10x8NEON(x []uint8, offs []int, gp []float32, tile *[80]float32)

// dotU8RowNEON is kernelSet.dotU8Row in NEON for k = len(x) >= 8: ten
// classes per pass over x, the last group's rows clamped to the last real
// row, the k%8 tail over the 8 pixels that end at k with the lanes already
// counted masked to zero.
//
//go:noescape
func dotU8RowNEON(x []uint8, w []float32, wstride int, alpha float32, bias []float32, z []float32)

// prefetchNEON asks for the cache lines of p to be loaded into L2; it never
// faults.
//
//go:noescape
func prefetchNEON(p []uint8)
