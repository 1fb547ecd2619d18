//go:build !purego

package tensor

// The level's kernel by a direct call (see direct_amd64.go).

func xent10(ks *kernelSet, z []float32, labels []uint8, scale float64, s []float32, shift, cs []float64) int {
	if ks == &neonSet {
		return softmaxXent10NEON(z, labels, scale, s, shift, cs)
	}
	return softmaxXent10Generic(z, labels, scale, s, shift, cs)
}

// dotU8RowOf is dotU8Row and dotF32RowOf dotF32Row (see direct_amd64.go).
func dotU8RowOf(ks *kernelSet, x []uint8, w []float32, wstride int, alpha float32, bias []float32, z []float32) {
	if ks == &neonSet {
		dotU8RowNEONGo(x, w, wstride, alpha, bias, z)
		return
	}
	dotRowGeneric(x, w, wstride, alpha, bias, z)
}

func dotF32RowOf(ks *kernelSet, x []float32, w []float32, wstride int, alpha float32, bias []float32, z []float32) {
	if ks == &neonSet {
		dotF32RowNEONGo(x, w, wstride, alpha, bias, z)
		return
	}
	dotRowGeneric(x, w, wstride, alpha, bias, z)
}

func expShiftSumOf(ks *kernelSet, dst, src []float32, shift float32) float32 {
	if ks == &neonSet {
		return expShiftSumNEON(dst, src, shift)
	}
	return expShiftSumGeneric(dst, src, shift)
}
