//go:build !purego

package tensor

// The vector kernels of vec_amd64.s. Each computes what its generic version
// in vec_generic.go does (contracts in kernelSet, isa.go); none reads or
// writes outside its slices' lengths.

// maxAVX2 returns the largest element of x, len(x) >= 1, or its first NaN if
// it has one (NaN for an empty x).
//
//go:noescape
func maxAVX2(x []float32) float32

// dotAVX2 returns the sum of x[i]*y[i] for i < len(x); len(y) >= len(x).
//
//go:noescape
func dotAVX2(x, y []float32) float32

// axpyAVX2 sets y[i] += a*x[i] (one fused multiply-add) for i < len(x);
// len(y) >= len(x).
//
//go:noescape
func axpyAVX2(a float32, x, y []float32)

// scaleAVX2 sets x[i] *= a.
//
//go:noescape
func scaleAVX2(a float32, x []float32)

// maxAVX512 is maxAVX2 on 16 lanes: the largest element of x, or its first
// NaN, bit for bit.
//
//go:noescape
func maxAVX512(x []float32) float32

// dotAVX512 is dotAVX2 on 16 lanes.
//
//go:noescape
func dotAVX512(x, y []float32) float32

// axpyAVX512 is axpyAVX2 on 16 lanes (bitwise its results).
//
//go:noescape
func axpyAVX512(a float32, x, y []float32)

// scaleAVX512 is scaleAVX2 on 16 lanes.
//
//go:noescape
func scaleAVX512(a float32, x []float32)
