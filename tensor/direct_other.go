//go:build purego || !(amd64 || arm64)

package tensor

// The level's kernel by a direct call (see direct_amd64.go): here only the
// generic level exists.

func xent10(ks *kernelSet, z []float32, labels []uint8, scale float64, s []float32, shift, cs []float64) int {
	return softmaxXent10Generic(z, labels, scale, s, shift, cs)
}

func dotU8RowOf(ks *kernelSet, x []uint8, w []float32, wstride int, alpha float32, bias []float32, z []float32) {
	dotRowGeneric(x, w, wstride, alpha, bias, z)
}

func dotF32RowOf(ks *kernelSet, x []float32, w []float32, wstride int, alpha float32, bias []float32, z []float32) {
	dotRowGeneric(x, w, wstride, alpha, bias, z)
}

func expShiftSumOf(ks *kernelSet, dst, src []float32, shift float32) float32 {
	return expShiftSumGeneric(dst, src, shift)
}
