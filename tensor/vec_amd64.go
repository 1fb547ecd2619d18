//go:build !purego

package tensor

// TEMPORARY STUB: replaced by the assembly kernels in vec_amd64.s.

func expAVX2(dst, src []float32)  { expGeneric(dst, src) }
func maxAVX2(x []float32) float32 { return maxGeneric(x) }
func expShiftSumAVX2(dst, src []float32, shift float32) float32 {
	return expShiftSumGeneric(dst, src, shift)
}
func dotAVX2(x, y []float32) float32     { return dotGeneric(x, y) }
func axpyAVX2(a float32, x, y []float32) { axpyGeneric(a, x, y) }
func scaleAVX2(a float32, x []float32)   { scaleGeneric(a, x) }
