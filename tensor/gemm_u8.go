package tensor

import (
	"fmt"
	"sync"
)

// The uint8 products read pixels as bytes and convert them in registers, so
// that a data set of images never needs a float32 copy.

// MatMulU8T computes C = alpha * X * Wᵀ + beta*C for a uint8 matrix X (m x k,
// its rows possibly picked by X.Index), a float32 matrix W (n x k) and C
// (m x n): C[i][j] = alpha * sum_p float32(X[i][p]) * W[j][p] + beta*C[i][j].
// This is the forward pass of a dense layer with class-major weights: X holds
// one image per row and W one row of weights per class. When beta is 0 C is
// not read. C must not overlap W.
//
// Rows of X are processed in pairs against five rows of W at a time; the
// work is split by rows of X across up to Threads() goroutines, and each
// element of C is computed in the same order whatever the thread count.
func MatMulU8T(alpha float32, x *U8Matrix, w *Matrix, beta float32, c *Matrix) error {
	return matMulU8T(alpha, x, w, beta, nil, c)
}

// MatMulU8TBias computes C = alpha * X * Wᵀ + bias, the forward pass of a
// dense layer: C[i][j] = alpha * sum_p float32(X[i][p]) * W[j][p] + bias[j],
// with X, W and C as in MatMulU8T and bias of length n, rounded as
// float32(alpha*sum) + bias[j]: the result of MatMulU8T with beta = 0, then
// bias added to every row. C is not read, and must not overlap W or bias.
//
// Each thread adds the bias to the rows it has just computed. Setting C's
// rows to the bias beforehand, on one thread, cost 2-14 us per 256 x 10
// logits in a 2-thread training step (measured): those cache lines had last
// been read by both threads, and writing them first waited for the other
// core to give them up.
func MatMulU8TBias(alpha float32, x *U8Matrix, w *Matrix, bias []float32, c *Matrix) error {
	if bias == nil {
		bias = []float32{} // checked like any other bias (nil means none below)
	}
	return matMulU8T(alpha, x, w, 0, bias, c)
}

// matMulU8T is MatMulU8T, then, when bias is not nil, adds bias (checked
// against W and C) to every row.
func matMulU8T(alpha float32, x *U8Matrix, w *Matrix, beta float32, bias []float32, c *Matrix) error {
	if err := x.check("X"); err != nil {
		return err
	}
	if err := w.check("W"); err != nil {
		return err
	}
	if err := c.check("C"); err != nil {
		return err
	}
	m, k, n := x.Rows, x.Cols, w.Rows
	if w.Cols != k || c.Rows != m || c.Cols != n {
		return fmt.Errorf("%w: X is %dx%d, W is %dx%d (want %dx%d), C is %dx%d (want %dx%d)",
			ErrShape, m, k, w.Rows, w.Cols, n, k, c.Rows, c.Cols, m, n)
	}
	if overlaps(c.Data, w.Data) {
		return fmt.Errorf("%w: C overlaps W", ErrShape)
	}
	if bias != nil && len(bias) != n {
		return fmt.Errorf("%w: bias of length %d for %d rows of W", ErrShape, len(bias), n)
	}
	if overlaps(c.Data, bias) {
		return fmt.Errorf("%w: C overlaps the bias", ErrShape)
	}
	if m == 0 || n == 0 {
		return nil
	}
	if alpha == 0 || k == 0 {
		scaleMatrix(c, beta)
		addBias(c, bias, 0, m)
		return nil
	}
	ks := active
	if ks.dotU8Rows10 != nil && n >= 10 && k >= 8 {
		// Classes by groups of ten with the whole-range kernel (a group's W,
		// 31 KB for 784 inputs, stays in L1 while the rows stream from L2),
		// the n%10 left over by tiles.
		groups := n / 10
		var ws, cs []*Matrix // per group, then the rest; none for ten classes
		for j0 := 0; n > 10 && j0 < n; j0 += 10 {
			wv, _ := w.View(j0, 0, min(10, n-j0), k) // valid: inside w and c
			cv, _ := c.View(0, j0, m, min(10, n-j0))
			ws, cs = append(ws, wv), append(cs, cv)
		}
		parallelFor(m, 2, 2*float64(m)*float64(n)*float64(k), func(lo, hi int) {
			if n == 10 {
				// The kernel adds the bias as it stores each row (a pass of
				// Go over 128 rows took 0.6 us).
				dotU8Rows10(ks, lo, hi, alpha, x, w, beta, bias, c)
				return
			}
			for g := range groups {
				dotU8Rows10(ks, lo, hi, alpha, x, ws[g], beta, nil, cs[g])
			}
			if n > 10*groups {
				dotU8T(ks, lo, hi, alpha, x, ws[groups], beta, cs[groups])
			}
			addBias(c, bias, lo, hi)
		})
		return nil
	}
	parallelFor(m, 2, 2*float64(m)*float64(n)*float64(k), func(lo, hi int) {
		dotU8T(ks, lo, hi, alpha, x, w, beta, c)
		addBias(c, bias, lo, hi)
	})
	return nil
}

// addBias adds bias (nil: nothing) to rows [lo, hi) of c.
func addBias(c *Matrix, bias []float32, lo, hi int) {
	if bias == nil {
		return
	}
	n := c.Cols
	bias = bias[:n]
	for i := lo; i < hi; i++ {
		row := c.Data[i*c.Stride : i*c.Stride+n]
		for j, b := range bias {
			row[j] += b
		}
	}
}

// rowsPerCall is the most rows of X one call of kernelSet.dotU8Rows10
// handles, and rowIota its row index for a matrix without Index. An assembly
// call cannot be preempted: 256 rows take ~50 us at one core's speed.
const rowsPerCall = 256

var rowIota = func() (r [rowsPerCall]int32) {
	for i := range r {
		r[i] = int32(i)
	}
	return r
}()

// dotU8Rows10 computes rows [lo, hi) of MatMulU8T for n = 10 and k >= 8
// with the whole-range kernel, rowsPerCall rows per call, adding bias (nil:
// none) as the kernel stores the rows. A row's sums do not
// depend on its partner in a pair, so the result does not depend on where
// the ranges are cut; for k%8 == 0 they are those of dotU8T (the kernel
// sums the same way), with a k%8 tail they differ from them in the order of
// the additions only.
func dotU8Rows10(ks *kernelSet, lo, hi int, alpha float32, x *U8Matrix, w *Matrix, beta float32, bias []float32, c *Matrix) {
	if bias != nil {
		bias = bias[:10]
	}
	for i := lo; i < hi; i += rowsPerCall {
		e := min(i+rowsPerCall, hi)
		cd := c.Data[i*c.Stride : (e-1)*c.Stride+10]
		if x.Index != nil {
			ks.dotU8Rows10(x.Data, x.Index[i:e], x.Stride, w.Data, w.Stride, cd, c.Stride, e-i, x.Cols, alpha, beta, bias)
		} else {
			ks.dotU8Rows10(x.Data[i*x.Stride:], rowIota[:e-i], x.Stride, w.Data, w.Stride, cd, c.Stride, e-i, x.Cols, alpha, beta, bias)
		}
	}
}

// dotU8T computes rows [lo, hi) of MatMulU8T.
func dotU8T(ks *kernelSet, lo, hi int, alpha float32, x *U8Matrix, w *Matrix, beta float32, c *Matrix) {
	k, n := x.Cols, w.Rows
	k8 := k &^ 7
	var out [10]float32
	var wr [5][]float32
	for i := lo; i < min(lo+2, hi); i++ {
		ks.prefetch(x.Row(i))
	}
	for i := lo; i < hi; i += 2 {
		x0 := x.Row(i)
		x1, two := x0, i+1 < hi
		if two {
			x1 = x.Row(i + 1)
		}
		// Rows come from random places of the data set: ask for the next
		// pair now, so it is in L2 when this pair is done (this doubles the
		// speed of a minibatch that is not in the caches).
		for r := i + 2; r < min(i+4, hi); r++ {
			ks.prefetch(x.Row(r))
		}
		for j0 := 0; j0 < n; j0 += 5 {
			nj := min(5, n-j0)
			for j := range 5 {
				wr[j] = w.Row(j0 + min(j, nj-1)) // repeat the last row to fill the tile
			}
			ks.dotU8x2x5(x0[:k8], x1[:k8], wr[0][:k8], wr[1][:k8], wr[2][:k8], wr[3][:k8], wr[4][:k8], &out)
			for r, xr := range [2][]uint8{x0, x1} {
				if r == 1 && !two {
					break
				}
				crow := c.Data[(i+r)*c.Stride+j0 : (i+r)*c.Stride+j0+nj]
				for j := range nj {
					s := out[r*5+j]
					for p := k8; p < k; p++ { // the k%8 tail
						s += float32(xr[p]) * wr[j][p]
					}
					if beta == 0 {
						crow[j] = alpha * s
					} else {
						crow[j] = alpha*s + beta*crow[j]
					}
				}
			}
		}
	}
}

var offsPool = sync.Pool{New: func() any { return new([]int) }}

// MatMulTU8 computes C = alpha * Gᵀ * X + beta*C for a float32 matrix G
// (m x n), a uint8 matrix X (m x k, its rows possibly picked by X.Index) and
// C (n x k): C[j][p] = alpha * sum_i G[i][j] * float32(X[i][p]) + beta*C[j][p].
// This is the weight gradient of a dense layer with class-major weights: G
// holds the gradient of the loss with respect to the logits, one row per
// image. When beta is 0 C is not read. C must not overlap G.
//
// Columns of X are processed eight at a time against ten columns of G (with
// AVX2, sixteen at a time against five); the work is split by columns of C
// across up to Threads() goroutines, and each element of C is computed in
// the same order whatever the thread count.
func MatMulTU8(alpha float32, g *Matrix, x *U8Matrix, beta float32, c *Matrix) error {
	if err := g.check("G"); err != nil {
		return err
	}
	if err := x.check("X"); err != nil {
		return err
	}
	if err := c.check("C"); err != nil {
		return err
	}
	m, n, k := g.Rows, g.Cols, x.Cols
	if x.Rows != m || c.Rows != n || c.Cols != k {
		return fmt.Errorf("%w: G is %dx%d, X is %dx%d (want %d rows), C is %dx%d (want %dx%d)",
			ErrShape, m, n, x.Rows, k, m, c.Rows, c.Cols, n, k)
	}
	if overlaps(c.Data, g.Data) {
		return fmt.Errorf("%w: C overlaps G", ErrShape)
	}
	if n == 0 || k == 0 {
		return nil
	}
	if alpha == 0 || m == 0 {
		scaleMatrix(c, beta)
		return nil
	}
	ks := active
	op := offsPool.Get().(*[]int)
	defer offsPool.Put(op)
	if cap(*op) < m {
		*op = make([]int, m)
	}
	offs := (*op)[:m]
	for i := range offs {
		offs[i] = x.rowOff(i)
	}
	var gp []float32
	if n == 10 && g.Stride == 10 {
		// G is already in the packed layout (the gradient of a 10-class
		// layer): use it as it is.
		gp = g.Data[:10*m]
	} else {
		gbuf := getBuf(10 * m * ((n + 9) / 10))
		defer gemmPool.Put(gbuf)
		gp = *gbuf
		// Pack G by tiles of ten columns, zero-padded: gp[t][i*10+c] = G[i][10t+c].
		for t := 0; t*10 < n; t++ {
			pt := gp[t*10*m : (t+1)*10*m]
			nc := min(10, n-10*t)
			for i := range m {
				copy(pt[i*10:i*10+nc], g.Data[i*g.Stride+10*t:i*g.Stride+10*t+nc])
				clear(pt[i*10+nc : i*10+10])
			}
		}
	}
	chunks := (k + 7) / 8
	// Split by pairs of chunks (16 columns, 64 bytes of a row of C): the
	// merging kernel takes chunks by pairs, and a boundary inside a pair
	// would give each thread an odd chunk (the slower one-chunk loop) and,
	// when C's rows start on 64-byte boundaries (a model's W does, with 784
	// inputs), a cache line of every row of C written by both. For 784
	// columns: 48+50 chunks instead of 49+49; the gradient product was ~5 %
	// faster.
	parallelFor(chunks, 2, 2*float64(m)*float64(n)*float64(k), func(lo, hi int) {
		gradU8(ks, lo, hi, alpha, gp, x, offs, beta, c)
	})
	return nil
}

// mergeWork is about the most multiply-adds (rows x chunks) one call of
// kernelSet.gradU8x10Merge is given: an assembly call cannot be preempted,
// and 256 rows x 98 chunks take ~50 us at one core's speed.
const mergeWork = 256 * 128

// gradRowBlock is how many rows gradU8Blocks takes at a time: the rows of a
// minibatch lie on as many pages as rows, and a pass of the merging kernel
// over 256 of them missed the first-level TLB (72 entries on a Zen 4) at
// every row, 50 times a step; a block's rows, its share of the sums (acc)
// and of G stay under it. (Gradient product, 256 rows of 784 pixels, rows
// in L2: on 256 distinct pages ~10 % slower than on 49; with the blocks
// 6-9 % faster. In training it showed on a busy host only: BENCHMARKS.md.)
const gradRowBlock = 32

// gradAccChunks bounds the chunks gradU8Blocks sums at a time, so that
// their sums (acc: 320 bytes a chunk, 20 KB) stay in L1.
const gradAccChunks = 64

// gradU8Blocks computes the chunks [lo, hi) (an even number) of ten classes
// of MatMulTU8 (gradient rows pt, c the tile's rows of C from column 0)
// with kernelSet.gradU8x10Blk, by blocks of gradRowBlock rows (one block,
// and no buffer for the sums, when m <= gradRowBlock) and groups of at most
// gradAccChunks chunks; the sums are bitwise those of
// kernelSet.gradU8x10Merge on all the rows.
func gradU8Blocks(ks *kernelSet, lo, hi int, alpha float32, pt []float32, x *U8Matrix, offs []int, beta float32, c []float32, cstride int) {
	m := len(offs)
	var sums []float32 // the sums between blocks: none with one block
	if m > gradRowBlock {
		acc := getBuf(80 * min(hi-lo, gradAccChunks))
		defer gemmPool.Put(acc)
		sums = *acc
	}
	for g := lo; g < hi; g += gradAccChunks {
		e := min(g+gradAccChunks, hi)
		for r := 0; r < m; r += gradRowBlock {
			re := min(r+gradRowBlock, m)
			mode := 0
			if r > 0 {
				mode |= 1 // sums of the earlier blocks in acc
			}
			if re == m {
				mode |= 2 // the last block: merge into c
			}
			ks.gradU8x10Blk(x.Data[8*g:], offs[r:re], pt[10*r:10*re], c[8*g:], cstride, e-g, alpha, beta, sums, mode)
		}
	}
}

// gradU8 computes the 8-column chunks [lo, hi) of MatMulTU8.
func gradU8(ks *kernelSet, lo, hi int, alpha float32, gp []float32, x *U8Matrix, offs []int, beta float32, c *Matrix) {
	m, n, k := len(offs), c.Rows, x.Cols
	// With the merging kernel, the full chunks of the full tiles of ten
	// classes go to it, nch chunks per call; the loop below does the rest.
	// Every element is summed in the same order either way.
	full, fullT := lo, 0 // chunks [lo, full) of tiles [0, fullT) are done
	if ks.gradU8x10Merge != nil {
		full, fullT = max(lo, min(hi, k/8)), n/10
		nch := max(1, (mergeWork/m)&^1) // even: the kernel takes chunks by pairs
		for t := range fullT {
			pt := gp[t*10*m : (t+1)*10*m]
			ch0 := lo // the chunks [lo, ch0) go by blocks of rows, the rest (one) to gradU8x10Merge
			if ks.gradU8x10Blk != nil && full-lo >= 2 {
				ch0 = lo + (full-lo)&^1
				cd := c.Data[10*t*c.Stride : (10*t+9)*c.Stride+8*ch0]
				gradU8Blocks(ks, lo, ch0, alpha, pt, x, offs, beta, cd, c.Stride)
			}
			for ch := ch0; ch < full; ch += nch {
				e := min(ch+nch, full)
				cd := c.Data[10*t*c.Stride+8*ch : (10*t+9)*c.Stride+8*e]
				ks.gradU8x10Merge(x.Data[8*ch:], offs, pt, cd, c.Stride, e-ch, alpha, beta)
			}
		}
	}
	var tile [80]float32
	for ch := lo; ch < hi; ch++ {
		p0 := ch * 8
		nw := min(8, k-p0)
		t0 := 0
		if ch < full {
			t0 = fullT
		}
		for t := t0; t*10 < n; t++ {
			pt := gp[t*10*m : (t+1)*10*m]
			lane := 0 // the tile's column of column p0
			switch {
			case nw == 8:
				ks.gradU8x10x8(x.Data[p0:], offs, pt, &tile)
			case k >= 8:
				// The k%8 tail: the kernel on the 8 columns that end at k
				// (all inside every row), of which the last nw are kept.
				// (With a scalar loop here and in the forward product, a
				// training step with 196 inputs took as long as one with
				// 330: 34 against 59 GFLOP/s for 200 inputs.)
				ks.gradU8x10x8(x.Data[k-8:], offs, pt, &tile)
				lane = 8 - nw
			default: // k < 8: fewer than 8 readable columns
				tile = [80]float32{}
				for i, o := range offs {
					px := x.Data[o+p0 : o+p0+nw]
					for j, v := range px {
						f := float32(v)
						for cl := range 10 {
							tile[cl*8+j] += pt[i*10+cl] * f
						}
					}
				}
			}
			for cl := range min(10, n-10*t) {
				crow := c.Data[(10*t+cl)*c.Stride+p0 : (10*t+cl)*c.Stride+p0+nw]
				tr := tile[cl*8+lane : cl*8+8]
				if nw == 8 { // the common case, unrolled without bounds checks
					mergeRow8((*[8]float32)(crow), (*[8]float32)(tr), alpha, beta)
					continue
				}
				for j := range crow {
					if beta == 0 {
						crow[j] = alpha * tr[j]
					} else {
						crow[j] = alpha*tr[j] + beta*crow[j]
					}
				}
			}
		}
	}
}

// mergeRow8 sets c = alpha*t + beta*c for 8 elements; c is not read when
// beta is 0. (The merge of the gradient tiles took ~10 % of a training step
// as a loop with the beta test inside.)
func mergeRow8(c, t *[8]float32, alpha, beta float32) {
	switch beta {
	case 0:
		c[0], c[1], c[2], c[3] = alpha*t[0], alpha*t[1], alpha*t[2], alpha*t[3]
		c[4], c[5], c[6], c[7] = alpha*t[4], alpha*t[5], alpha*t[6], alpha*t[7]
	case 1:
		c[0], c[1], c[2], c[3] = c[0]+alpha*t[0], c[1]+alpha*t[1], c[2]+alpha*t[2], c[3]+alpha*t[3]
		c[4], c[5], c[6], c[7] = c[4]+alpha*t[4], c[5]+alpha*t[5], c[6]+alpha*t[6], c[7]+alpha*t[7]
	default:
		c[0], c[1], c[2], c[3] = alpha*t[0]+beta*c[0], alpha*t[1]+beta*c[1], alpha*t[2]+beta*c[2], alpha*t[3]+beta*c[3]
		c[4], c[5], c[6], c[7] = alpha*t[4]+beta*c[4], alpha*t[5]+beta*c[5], alpha*t[6]+beta*c[6], alpha*t[7]+beta*c[7]
	}
}
