//go:build !purego

package tensor

// The register tile of gemmTileNEON: 8x8 = 16 accumulators of 4 lanes.
const (
	gemmMRNEON = 8
	gemmNRNEON = 8
)

// gemmTileNEON is the 8x8 NEON micro-kernel of kernelSet.gemmTile:
// tile[i*8+j] = sum_{p<k} ap[p*8+i] * bp[p*8+j] for i, j < 8, overwriting
// tile[:64]. It reads exactly ap[:8k] and bp[:8k]; the caller guarantees
// those lengths and len(tile) >= 64 (nothing is checked). k <= 0 gives zeros.
//
//go:noescape
func gemmTileNEON(k int, ap, bp, tile []float32)

// dotU8x2x5NEON is kernelSet.dotU8x2x5 in NEON: out[r*5+j] = sum_{p<k}
// float32(x_r[p]) * w_j[p] for r < 2, j < 5, with k = len(x0) a multiple of 8
// (a remainder is ignored) and x1, w0..w4 at least k long (not checked). The
// inputs may alias each other; k = 0 gives zeros.
//
//go:noescape
func dotU8x2x5NEON(x0, x1 []uint8, w0, w1, w2, w3, w4 []float32, out *[10]float32)

// gradU8x10x8NEON is kernelSet.gradU8x10x8 in NEON: tile[c*8+j] =
// sum_{i<m} gp[i*10+c] * float32(x[offs[i]+j]) for c < 10, j < 8, with
// m = len(offs). It reads x[offs[i]:offs[i]+8], offs[:m] and gp[:10m]; the
// caller guarantees those bounds (not checked). m = 0 gives zeros.
//
//go:noescape
func gradU8x10x8NEON(x []uint8, offs []int, gp []float32, tile *[80]float32)
