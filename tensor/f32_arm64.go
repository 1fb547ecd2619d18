//go:build !purego

package tensor

// The NEON float32 kernels of f32_arm64.s: the bodies of rows_arm64.h on
// float32 rows, each the twin of its uint8 kernel (u8_arm64.go) but for the
// loads of x and, in dotF32RowNEON's tail, the elements already counted
// masked to +0 in x as in W (contracts in kernelSet, isa.go; the Go around
// them, shared with the uint8 rows, in rows_arm64.go). The caller
// guarantees every bound the contracts state; nothing is checked.

// dotF32x2x5NEON is dotU8x2x5NEON for float32 rows: out[r*5+j] =
// sum_{p<k} x_r[p] * w_j[p].
//
//go:noescape
func dotF32x2x5NEON(x0, x1 []float32, w0, w1, w2, w3, w4 []float32, out *[10]float32)

// gradF32x10x8NEON is gradU8x10x8NEON for float32 rows: it adds
// gp[i*10+c] * x[offs[i]+j] to tile[c*8+j].
//
//go:noescape
func gradF32x10x8NEON(x []float32, offs []int, gp []float32, tile *[80]float32)

// dotF32RowNEON is dotU8RowNEON for a float32 row (kernelSet.dotF32Row,
// k = len(x) >= 8), the lanes already counted in the tail masked to +0 in
// x and in W.
//
//go:noescape
func dotF32RowNEON(x []float32, w []float32, wstride int, alpha float32, bias []float32, z []float32)
