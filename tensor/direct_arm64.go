//go:build !purego

package tensor

// The level's kernel by a direct call (see direct_amd64.go).

func xent10(ks *kernelSet, z []float32, labels []uint8, scale float64, s []float32, shift, cs []float64) int {
	if ks == &neonSet {
		return softmaxXent10NEON(z, labels, scale, s, shift, cs)
	}
	return softmaxXent10Generic(z, labels, scale, s, shift, cs)
}

// dotRowOf is dotU8Row and dotF32Row, by the type of x.
func dotRowOf[E elem](ks *kernelSet, x []E, w []float32, wstride int, alpha float32, bias []float32, z []float32) {
	if ks == &neonSet {
		dotRowNEONGo(x, w, wstride, alpha, bias, z)
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
