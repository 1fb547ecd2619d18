//go:build !purego

package tensor

// The AVX2+FMA vector kernels, in vec_amd64.s. Each computes what its generic
// version in kernels_generic.go does (contracts in kernelSet, isa.go); none
// reads or writes outside its slices' lengths.

// expAVX2 sets dst[i] = e**src[i] for i < len(src); len(dst) >= len(src) and
// dst may be src. Within 2 ulp of float32(math.Exp(float64(x))) everywhere,
// special values exact. Requires AVX2 and FMA.
//
//go:noescape
func expAVX2(dst, src []float32)

// maxAVX2 returns the largest element of x, len(x) >= 1, or its first NaN if
// it has one (NaN for an empty x). Requires AVX2.
//
//go:noescape
func maxAVX2(x []float32) float32

// expShiftSumAVX2 sets dst[i] = e**(src[i]-shift) for i < len(src) and returns
// the float32 sum of those values (8 lane sums, then added up); len(dst) >=
// len(src) and dst may be src. Requires AVX2 and FMA.
//
//go:noescape
func expShiftSumAVX2(dst, src []float32, shift float32) float32

// dotAVX2 returns the sum of x[i]*y[i] for i < len(x); len(y) >= len(x).
// Requires AVX2 and FMA.
//
//go:noescape
func dotAVX2(x, y []float32) float32

// axpyAVX2 sets y[i] += a*x[i] (one fused multiply-add) for i < len(x);
// len(y) >= len(x). Requires AVX2 and FMA.
//
//go:noescape
func axpyAVX2(a float32, x, y []float32)

// scaleAVX2 sets x[i] *= a. Requires AVX2.
//
//go:noescape
func scaleAVX2(a float32, x []float32)

// softmaxXent10AVX2 is kernelSet.softmaxXent10 in AVX2+FMA: the fused softmax
// cross-entropy of len(labels) rows of 10 logits, in place, 4 rows at a time
// (see vec_amd64.s). Requires AVX2 and FMA.
//
//go:noescape
func softmaxXent10AVX2(z []float32, labels []uint8, scale float32, s []float32, shift []float64, cs []float64) (correct int)
