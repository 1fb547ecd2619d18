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
