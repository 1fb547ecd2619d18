//go:build !purego

package tensor

// The register tile of gemmTileAVX2: 6x16 = 12 accumulators of 8 lanes.
const (
	gemmMRAVX2 = 6
	gemmNRAVX2 = 16
)

// gemmTileAVX2 is the 6x16 AVX2+FMA micro-kernel of kernelSet.gemmTile:
// tile[i*16+j] = sum_{p<k} ap[p*6+i] * bp[p*16+j] for i < 6, j < 16,
// overwriting tile[:96]. It reads exactly ap[:6k] and bp[:16k]; the caller
// guarantees those lengths and len(tile) >= 96 (nothing is checked).
// k <= 0 gives zeros.
//
//go:noescape
func gemmTileAVX2(k int, ap, bp, tile []float32)

// dotU8x2x5AVX2 is kernelSet.dotU8x2x5 in AVX2+FMA: out[r*5+j] = sum_{p<k}
// float32(x_r[p]) * w_j[p] for r < 2, j < 5, with k = len(x0) a multiple of
// 8 (a remainder is ignored) and x1, w0..w4 at least k long (not checked).
// The inputs may alias each other; k = 0 gives zeros.
//
//go:noescape
func dotU8x2x5AVX2(x0, x1 []uint8, w0, w1, w2, w3, w4 []float32, out *[10]float32)

// gradU8x10x8AVX2 is kernelSet.gradU8x10x8 in AVX2+FMA: tile[c*8+j] =
// sum_{i<m} gp[i*10+c] * float32(x[offs[i]+j]) for c < 10, j < 8, with
// m = len(offs). It reads x[offs[i]:offs[i]+8], offs[:m] and gp[:10m]; the
// caller guarantees those bounds (not checked). m = 0 gives zeros.
//
//go:noescape
func gradU8x10x8AVX2(x []uint8, offs []int, gp []float32, tile *[80]float32)
