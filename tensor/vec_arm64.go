//go:build !purego

package tensor

// The NEON vector kernels, in exp_arm64.s and vec_arm64.s. Each computes
// what its generic counterpart in exp_generic.go or vec_generic.go computes
// (see kernelSet for the exact contracts); they read and write nothing past
// len(src) or len(x).

// expNEON computes dst[i] = e**src[i] for i < len(src); len(dst) >= len(src).
// Same algorithm and constants as exp32, with fused multiply-adds: <= 2 ulp
// from the exact result, exact special values.
//
//go:noescape
func expNEON(dst, src []float32)

// maxNEON returns the largest element of x (len(x) >= 1), NaN if any element
// is NaN.
//
//go:noescape
func maxNEON(x []float32) float32

// expShiftSumNEON computes dst[i] = e**(src[i]-shift) for i < len(src) and
// returns the float32 sum of those values; len(dst) >= len(src).
//
//go:noescape
func expShiftSumNEON(dst, src []float32, shift float32) float32

// dotNEON returns sum x[i]*y[i] for i < len(x); len(y) >= len(x).
//
//go:noescape
func dotNEON(x, y []float32) float32

// axpyNEON computes y[i] += a*x[i] (fused) for i < len(x); len(y) >= len(x).
//
//go:noescape
func axpyNEON(a float32, x, y []float32)

// scaleNEON computes x[i] *= a.
//
//go:noescape
func scaleNEON(a float32, x []float32)
