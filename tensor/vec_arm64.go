//go:build !purego

package tensor

// TEMPORARY STUB: replaced by the assembly kernels in vec_arm64.s.

func expNEON(dst, src []float32)  { expGeneric(dst, src) }
func maxNEON(x []float32) float32 { return maxGeneric(x) }
func expShiftSumNEON(dst, src []float32, shift float32) float32 {
	return expShiftSumGeneric(dst, src, shift)
}
func dotNEON(x, y []float32) float32     { return dotGeneric(x, y) }
func axpyNEON(a float32, x, y []float32) { axpyGeneric(a, x, y) }
func scaleNEON(a float32, x []float32)   { scaleGeneric(a, x) }
