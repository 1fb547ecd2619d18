//go:build !purego

package tensor

// neonSet is the NEON (Advanced SIMD) kernel set (gemm_arm64.s,
// u8_arm64.s and f32_arm64.s with rows_arm64.h, exp_arm64.s, vec_arm64.s;
// the forward rows, gradient blocks (rows_arm64.go) and softmax
// cross-entropy are built in Go from those kernels). Advanced SIMD is part
// of every arm64 CPU (x/sys/cpu's ARM64.HasASIMD is always true), so it is
// always registered.
var neonSet = kernelSet{
	isa:           NEON,
	gemmMR:        gemmMRNEON,
	gemmNR:        gemmNRNEON,
	gemmTile:      gemmTileNEON,
	fwdU8Rows10:   fwdRows10NEON[uint8],
	gradU8x10:     gradx10NEON[uint8],
	gradGrain:     2,
	dotU8Row:      dotU8RowNEONGo,
	fwdF32Rows10:  fwdRows10NEON[float32],
	gradF32x10:    gradx10NEON[float32],
	dotF32Row:     dotF32RowNEONGo,
	exp:           expNEON,
	max:           maxNEON,
	expShiftSum:   expShiftSumNEON,
	dot:           dotNEON,
	axpy:          axpyNEON,
	scale:         scaleNEON,
	prefetch:      prefetchNEON,
	softmaxXent10: softmaxXent10NEON,
}

var _ = register(&neonSet, true)

// softmaxXent10NEON is kernelSet.softmaxXent10 with the NEON exp.
func softmaxXent10NEON(z []float32, labels []uint8, scale float64, s []float32, shift []float64, cs []float64) int {
	return softmaxXent10Go(expNEON, z, labels, scale, s, shift, cs)
}
