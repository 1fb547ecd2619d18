//go:build !purego

package tensor

// The level's kernel by a direct call, for the kernels whose callers keep
// their buffers on the stack: a call through a kernelSet's func value
// makes every slice argument escape to the heap (an allocation per call in
// the training step and in Predict); a direct call of a //go:noescape
// assembly function, or of a Go function that keeps no reference, does
// not. Each computes what ks's field of the same name computes.

func xent10(ks *kernelSet, z []float32, labels []uint8, scale float64, s []float32, shift, cs []float64) int {
	switch ks {
	case &avx512Set:
		return softmaxXent10AVX512(z, labels, float32(scale), s, shift, cs)
	case &avx2Set:
		return softmaxXent10AVX2(z, labels, float32(scale), s, shift, cs)
	}
	return softmaxXent10Generic(z, labels, scale, s, shift, cs)
}

// dotU8RowOf is dotU8Row and dotF32RowOf dotF32Row: the level's function
// of the kernel set, each of one element type, called directly.
func dotU8RowOf(ks *kernelSet, x []uint8, w []float32, wstride int, alpha float32, bias []float32, z []float32) {
	switch ks {
	case &avx512Set:
		dotU8RowAVX512(x, w, wstride, alpha, bias, z)
	case &avx2Set:
		dotU8RowAVX2Go(x, w, wstride, alpha, bias, z)
	default:
		dotRowGeneric(x, w, wstride, alpha, bias, z)
	}
}

func dotF32RowOf(ks *kernelSet, x []float32, w []float32, wstride int, alpha float32, bias []float32, z []float32) {
	switch ks {
	case &avx512Set:
		dotF32RowAVX512(x, w, wstride, alpha, bias, z)
	case &avx2Set:
		dotF32RowAVX2Go(x, w, wstride, alpha, bias, z)
	default:
		dotRowGeneric(x, w, wstride, alpha, bias, z)
	}
}

func expShiftSumOf(ks *kernelSet, dst, src []float32, shift float32) float32 {
	switch ks {
	case &avx512Set:
		return expShiftSumAVX512(dst, src, shift)
	case &avx2Set:
		return expShiftSumAVX2(dst, src, shift)
	}
	return expShiftSumGeneric(dst, src, shift)
}
