//go:build !purego

package tensor

// The register tiles of gemmTileAVX2 (6x16 = 12 accumulators of 8 lanes)
// and gemmTileAVX512 (12x32 = 24 accumulators of 16 lanes).
const (
	gemmMRAVX2   = 6
	gemmNRAVX2   = 16
	gemmMRAVX512 = 12
	gemmNRAVX512 = 32
)

// gemmTileAVX2 is kernelSet.gemmTile in AVX2+FMA: tile[i*16+j] =
// sum_{p<k} ap[p*6+i] * bp[p*16+j] for i < 6, j < 16, overwriting
// tile[:96]. It reads exactly ap[:6k] and bp[:16k]; the caller guarantees
// those lengths and len(tile) >= 96 (nothing is checked). k <= 0 gives
// zeros.
//
//go:noescape
func gemmTileAVX2(k int, ap, bp, tile []float32)

// gemmTileAVX512 is kernelSet.gemmTile in AVX-512: tile[i*32+j] =
// sum_{p<k} ap[p*12+i] * bp[p*32+j] for i < 12, j < 32, overwriting
// tile[:384]. It reads exactly ap[:12k] and bp[:32k]; the caller guarantees
// those lengths and len(tile) >= 384 (nothing is checked). k <= 0 gives
// zeros.
//
//go:noescape
func gemmTileAVX512(k int, ap, bp, tile []float32)
