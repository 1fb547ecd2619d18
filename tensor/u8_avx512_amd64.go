//go:build !purego

package tensor

// fwdU8Rows10AVX512 is the uint8 forward product of a range of rows for ten
// classes in AVX-512 (the contract of dotU8Rows10AVX2, for any k >= 1): for
// i < m and j < 10, c[i*cstride+j] = alpha*s + beta*c[i*cstride+j] with
// s = sum_{p<k} float32(x[index[i]*stride+p]) * w[j*wstride+p] (c not read
// when beta is +-0), then bias[j] added when bias is not nil. Each s is
// summed in an order that depends on k only (not on i, m, the other rows
// or the pairing of rows), and rounded as alpha*s, beta*c, their sum, then
// plus the bias (no FMA). The rows that come next are prefetched into L2.
// The caller guarantees k >= 1, m >= 1 (at most 256 rows per call),
// len(index) >= m, every row x[index[i]*stride:][:k] (i < m),
// w[:9*wstride+k], c[:(m-1)*cstride+10] and, if not nil, bias[:10] in
// bounds (nothing is checked). Uses AVX512F only; callers check the
// level's AVX512F+BW+DQ+VL.
//
//go:noescape
func fwdU8Rows10AVX512(x []uint8, index []int32, stride int, w []float32, wstride int, c []float32, cstride int, m, k int, alpha, beta float32, bias []float32)

// gradU8x10BlkAVX512 is the uint8 weight gradient of nch 8-column chunks
// for ten classes over one block of rows in AVX-512 (the contract of
// gradU8x10BlkAVX2, for any nch >= 1): with m = len(offs) >= 1,
// T[r][p] = sum over the rows i = 0, 1, ..., m-1 of gp[i*10+r] *
// float32(x[offs[i]+p]) for r < 10, p < 8*nch, one FMA per row in row
// order, starting from the sums of the earlier blocks in acc (mode&1) or
// from +0. If mode&2 (the last block), c[r*cstride+p] = alpha*T +
// beta*c[r*cstride+p] (two roundings, c not read when beta is +-0);
// otherwise T is stored in acc, in the kernel's own layout, for the next
// block. So blocks of rows run in order give bitwise the C of one block,
// and any split of the chunks between calls gives bitwise the same C; the
// sums are also bitwise those of gradU8x10MergeAVX2 (the same FMAs in the
// same order). The caller guarantees nch >= 1, len(offs) >= 1, offs[i]+8*nch <= len(x),
// len(gp) >= 10*len(offs), len(acc) >= 80*nch unless mode == 2 (then acc
// is neither read nor written and may be nil), and, if mode&2,
// len(c) >= 9*cstride+8*nch (nothing is checked). Uses AVX512F and
// AVX512BW; callers check the level's AVX512F+BW+DQ+VL.
//
//go:noescape
func gradU8x10BlkAVX512(x []uint8, offs []int, gp []float32, c []float32, cstride, nch int, alpha, beta float32, acc []float32, mode int)
