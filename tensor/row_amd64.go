//go:build !purego

package tensor

// dotU8RowAVX512 is the contract "dotU8Row" in AVX-512 (row_amd64.s): one
// image x (k = len(x) >= 1 pixels, read as uint8) against n = len(z) >= 1
// classes, z[j] = float32(alpha*s_j) + bias[j] with
// s_j = sum_{p<k} float32(x[p]) * w[j*wstride+p] (two roundings after the
// sum), in groups of 10 classes, x read once per group. The caller
// guarantees len(bias) >= n and w[:(n-1)*wstride+k] in bounds (nothing is
// checked); nothing outside x, w's rows, bias[:n] and z is read or written.
// Requires hasAVX512.
//
//go:noescape
func dotU8RowAVX512(x []uint8, w []float32, wstride int, alpha float32, bias []float32, z []float32)

// dotU8RowAVX2 is dotU8RowAVX512 in AVX2+FMA for k = len(x) >= 8 (the
// caller handles k < 8). Requires AVX2 and FMA.
//
//go:noescape
func dotU8RowAVX2(x []uint8, w []float32, wstride int, alpha float32, bias []float32, z []float32)
