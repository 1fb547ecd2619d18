//go:build !purego

package tensor

// The register tile of gemmTileAVX2: 6x16 = 12 accumulators of 8 lanes.
const (
	gemmMRAVX2 = 6
	gemmNRAVX2 = 16
)

// gemmTileAVX2 is the 6x16 AVX2+FMA micro-kernel of kernelSet.gemmTile:
// tile[i*16+j] = sum_{p<k} ap[p*6+i] * bp[p*16+j] for i < 6, j < 16,
// overwriting tile[:96]. It reads exactly ap[:6k] and bp[:16k]; the caller
// guarantees those lengths and len(tile) >= 96 (nothing is checked).
// k <= 0 gives zeros.
//
//go:noescape
func gemmTileAVX2(k int, ap, bp, tile []float32)

// dotU8x2x5AVX2 is kernelSet.dotU8x2x5 in AVX2+FMA: out[r*5+j] = sum_{p<k}
// float32(x_r[p]) * w_j[p] for r < 2, j < 5, with k = len(x0) a multiple of
// 8 (a remainder is ignored) and x1, w0..w4 at least k long (not checked).
// The inputs may alias each other; k = 0 gives zeros.
//
//go:noescape
func dotU8x2x5AVX2(x0, x1 []uint8, w0, w1, w2, w3, w4 []float32, out *[10]float32)

// gradU8x10x8AVX2 is kernelSet.gradU8x10x8 in AVX2+FMA: tile[c*8+j] =
// sum_{i<m} gp[i*10+c] * float32(x[offs[i]+j]) for c < 10, j < 8, with
// m = len(offs). It reads x[offs[i]:offs[i]+8], offs[:m] and gp[:10m]; the
// caller guarantees those bounds (not checked). m = 0 gives zeros.
//
//go:noescape
func gradU8x10x8AVX2(x []uint8, offs []int, gp []float32, tile *[80]float32)

// dotU8Rows10AVX2 is kernelSet.dotU8Rows10 in AVX2+FMA: for i < m and
// j < 10, c[i*cstride+j] = alpha*s + beta*c[i*cstride+j] with
// s = sum_{p<k} float32(x[index[i]*stride+p]) * w[j*wstride+p] (c not read
// when beta is 0), then bias[j] added when bias is not nil (len(bias) >= 10).
// Rows go by pairs (an odd last row is paired with itself),
// each pair against classes 0-4 and then 5-9 with the loop and the sums of
// dotU8x2x5AVX2, so for k%8 == 0 every s is bitwise the one dotU8x2x5AVX2
// gives; the epilogue rounds alpha*s and beta*c before adding them, as the
// Go code of dotU8T does. The rows of the next pair are prefetched into L2.
// Any k >= 8 works: the last k%8 pixels (if any) go in one more step over
// the 8 pixels that end at k, with W's lanes of the pixels already counted
// masked to zero, so s differs from dotU8T's (whose scalar Go tail adds
// them after the sum of the lanes) in the order of additions only. The
// caller guarantees k >= 8, m >= 1, len(index) >= m, every row
// x[index[i]*stride:][:k] (i < m), w[:9*wstride+k] and
// c[:(m-1)*cstride+10] in bounds (nothing is checked).
//
//go:noescape
func dotU8Rows10AVX2(x []uint8, index []int32, stride int, w []float32, wstride int, c []float32, cstride int, m, k int, alpha, beta float32, bias []float32)

// gradU8x10MergeAVX2 is kernelSet.gradU8x10Merge in AVX2+FMA: for each
// chunk q < nch, the tile of gradU8x10x8AVX2(x[8q:], offs, gp) merged into
// c: c[r*cstride+8q+j] = alpha*t[r][j] + beta*c[r*cstride+8q+j] for r < 10,
// j < 8, two roundings, c not read when beta is 0. Pairs of chunks go to
// gradU8x10BlkAVX2 as one block (its sums not kept: mode 2), an odd last
// chunk to gradU8x10OneAVX2; both sum the rows in the order
// gradU8x10x8AVX2 does, so the tiles are bitwise its tiles. The caller
// guarantees nch >= 1, offs[i]+8*nch <= len(x), len(gp) >= 10*len(offs),
// len(c) >= 9*cstride+8*nch (nothing is checked).
func gradU8x10MergeAVX2(x []uint8, offs []int, gp []float32, c []float32, cstride, nch int, alpha, beta float32) {
	if p := nch &^ 1; p > 0 {
		gradU8x10BlkAVX2(x, offs, gp, c, cstride, p, alpha, beta, nil, 2)
	}
	if nch&1 != 0 {
		q := nch - 1
		gradU8x10OneAVX2(x[8*q:], offs, gp, c[8*q:], cstride, alpha, beta)
	}
}

// gradU8x10OneAVX2 is one chunk of gradU8x10MergeAVX2 (nch = 1), against
// all ten classes (gemm_amd64.s). The caller guarantees offs[i]+8 <= len(x),
// len(gp) >= 10*len(offs), len(c) >= 9*cstride+8.
//
//go:noescape
func gradU8x10OneAVX2(x []uint8, offs []int, gp []float32, c []float32, cstride int, alpha, beta float32)

// gradU8x10BlkAVX2 is kernelSet.gradU8x10Blk in AVX2+FMA: the two-chunk
// passes of gradU8x10MergeAVX2 on one block of rows, the sums carried from
// block to block in t (gemm_amd64.s). The caller guarantees nch >= 2 and
// even, len(offs) >= 1, offs[i]+8*nch <= len(x), len(gp) >= 10*len(offs),
// len(t) >= 80*nch, and len(c) >= 9*cstride+8*nch when mode&2 (nothing is
// checked).
//
//go:noescape
func gradU8x10BlkAVX2(x []uint8, offs []int, gp []float32, c []float32, cstride, nch int, alpha, beta float32, t []float32, mode int)
