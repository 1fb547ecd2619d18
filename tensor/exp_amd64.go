//go:build !purego

package tensor

// The exp kernels of exp_amd64.s: within 2 ulp of
// float32(math.Exp(float64(x))) everywhere, special values exact, subnormal
// results rounded once; the AVX-512 ones give bitwise the AVX2 results.
// len(dst) >= len(src), and dst may be src.

// expAVX2 sets dst[i] = e**src[i] for i < len(src).
//
//go:noescape
func expAVX2(dst, src []float32)

// expShiftSumAVX2 sets dst[i] = e**(src[i]-shift) for i < len(src) and
// returns the float32 sum of those values (8 lane sums, then added up).
//
//go:noescape
func expShiftSumAVX2(dst, src []float32, shift float32) float32

// expAVX512 is expAVX2 on 16 lanes (bitwise its results).
//
//go:noescape
func expAVX512(dst, src []float32)

// expShiftSumAVX512 is expShiftSumAVX2 on 16 lanes (16 lane sums, then
// added up).
//
//go:noescape
func expShiftSumAVX512(dst, src []float32, shift float32) float32
