//go:build !purego

package tensor

// TEMPORARY STUB: replaced by the assembly kernels in gemm_arm64.s.

const (
	gemmMRNEON = 4
	gemmNRNEON = 4
)

func gemmTileNEON(k int, ap, bp, tile []float32) { gemmTileGeneric(k, ap, bp, tile) }

func dotU8x2x5NEON(x0, x1 []uint8, w0, w1, w2, w3, w4 []float32, out *[10]float32) {
	dotU8x2x5Generic(x0, x1, w0, w1, w2, w3, w4, out)
}

func gradU8x10x8NEON(x []uint8, offs []int, gp []float32, tile *[80]float32) {
	gradU8x10x8Generic(x, offs, gp, tile)
}
