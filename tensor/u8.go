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
// The rows of W go by groups of ten (the last group padded); the work is
// split by rows of X across up to GOMAXPROCS goroutines (Workers choose the
// threads), and each element of C is computed in the same order whatever
// the thread count.
func MatMulU8T(alpha float32, x *U8Matrix, w *Matrix, beta float32, c *Matrix) error {
	return matMulU8T(nil, alpha, x, w, beta, nil, c)
}

// MatMulU8T is the package's MatMulU8T on the threads of ws.
func (ws *Workers) MatMulU8T(alpha float32, x *U8Matrix, w *Matrix, beta float32, c *Matrix) error {
	return matMulU8T(ws, alpha, x, w, beta, nil, c)
}

// MatMulU8TBias computes C = alpha * X * Wᵀ + bias, the forward pass of a
// dense layer: C[i][j] = alpha * sum_p float32(X[i][p]) * W[j][p] + bias[j],
// with X, W and C as in MatMulU8T and bias of length n, rounded as
// float32(alpha*sum) + bias[j]: the result of MatMulU8T with beta = 0, then
// bias added to every row. C is not read, and must not overlap W or bias.
//
// The kernel adds the bias as it stores each row, on the thread that
// computed it: setting C's rows to the bias beforehand on one thread would
// wait for cache lines that both threads had just read.
func MatMulU8TBias(alpha float32, x *U8Matrix, w *Matrix, bias []float32, c *Matrix) error {
	return (*Workers)(nil).MatMulU8TBias(alpha, x, w, bias, c)
}

// MatMulU8TBias is the package's MatMulU8TBias on the threads of ws.
func (ws *Workers) MatMulU8TBias(alpha float32, x *U8Matrix, w *Matrix, bias []float32, c *Matrix) error {
	if bias == nil {
		bias = []float32{} // checked like any other bias (nil means none below)
	}
	return matMulU8T(ws, alpha, x, w, 0, bias, c)
}

// matMulU8T is MatMulU8T, then, when bias is not nil, adds bias (checked
// against W and C) to every row (a third rounding).
func matMulU8T(ws *Workers, alpha float32, x *U8Matrix, w *Matrix, beta float32, bias []float32, c *Matrix) error {
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
	// Classes by groups of ten (a group's W, 31 KB for 784 inputs, stays in
	// L1 while the rows stream from L2); the last group of n%10 classes
	// runs against a copy of its rows of W padded with zero rows.
	var wpad []float32
	if n%10 != 0 {
		wb := getBuf(10 * k)
		defer gemmPool.Put(wb)
		wpad = *wb
		clear(wpad)
		for j := range n % 10 {
			copy(wpad[j*k:(j+1)*k], w.Row(n/10*10+j))
		}
	}
	parallelFor(ws, m, 2, 2*float64(m)*float64(n)*float64(k), func(lo, hi int) {
		for j0 := 0; j0 < n; j0 += 10 {
			var gb []float32 // the group's bias
			if bias != nil {
				gb = bias[j0:min(j0+10, n)]
			}
			if j0+10 <= n {
				fwdRows(ks, lo, hi, alpha, x, w.Data[j0*w.Stride:], w.Stride, beta, gb, c.Data[j0:], c.Stride)
			} else {
				fwdRowsPadded(ks, lo, hi, alpha, x, wpad, beta, gb, c, j0)
			}
		}
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

// rowsPerCall is the most rows of X one call of kernelSet.fwdU8Rows10
// handles, and rowIota its row index for a matrix without Index: an
// assembly call cannot be preempted, and 256 rows are a few tens of
// microseconds.
const rowsPerCall = 256

var rowIota = func() (r [rowsPerCall]int32) {
	for i := range r {
		r[i] = int32(i)
	}
	return r
}()

// fwdRows computes rows [lo, hi) of one group of ten classes of
// MatMulU8T, W's rows of the group at w, C's columns of the group at c,
// adding bias (nil: none; else 10 values) as the kernel stores the rows. A
// row's sums do not depend on the other rows, so the result does not
// depend on where the ranges are cut.
func fwdRows(ks *kernelSet, lo, hi int, alpha float32, x *U8Matrix, w []float32, wstride int, beta float32, bias []float32, c []float32, cstride int) {
	for i := lo; i < hi; i += rowsPerCall {
		e := min(i+rowsPerCall, hi)
		cd := c[i*cstride : (e-1)*cstride+10]
		if x.Index != nil {
			ks.fwdU8Rows10(x.Data, x.Index[i:e], x.Stride, w, wstride, cd, cstride, e-i, x.Cols, alpha, beta, bias)
		} else {
			ks.fwdU8Rows10(x.Data[i*x.Stride:], rowIota[:e-i], x.Stride, w, wstride, cd, cstride, e-i, x.Cols, alpha, beta, bias)
		}
	}
}

// fwdRowsPadded computes rows [lo, hi) of the last group of classes
// j0..n-1 (fewer than ten) of MatMulU8T against wpad, that group's rows
// of W padded with zero rows to ten, into a buffer of ten columns, and
// merges its n-j0 real columns into C with the rounding of the kernel's
// epilogue: alpha*s, plus beta*c, plus the bias, each rounded.
func fwdRowsPadded(ks *kernelSet, lo, hi int, alpha float32, x *U8Matrix, wpad []float32, beta float32, bias []float32, c *Matrix, j0 int) {
	nc := c.Cols - j0
	buf := getBuf(10 * rowsPerCall)
	defer gemmPool.Put(buf)
	for i := lo; i < hi; i += rowsPerCall {
		e := min(i+rowsPerCall, hi)
		t := (*buf)[:10*(e-i)]
		xv := *x
		xv.Rows = e - i
		if x.Index != nil {
			xv.Index = x.Index[i:e]
		} else {
			xv.Data = x.Data[i*x.Stride:]
		}
		fwdRows(ks, 0, e-i, alpha, &xv, wpad, x.Cols, 0, nil, t, 10)
		for r := range e - i {
			row := c.Data[(i+r)*c.Stride+j0 : (i+r)*c.Stride+j0+nc]
			for j := range row {
				v := t[10*r+j]
				if beta != 0 {
					v += float32(beta * row[j])
				}
				if bias != nil {
					v = float32(v) + bias[j]
				}
				row[j] = v
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
// Columns of X go by chunks of eight against ten columns of G, the rows by
// blocks of 32 (a minibatch's rows lie on as many pages as rows, and a
// block stays within the first-level TLB). From 64 rows on, with C of at
// most 32768 elements (a layer of 784 inputs and 41 classes), the two halves
// of the rows are summed apart (on two threads when there are two: each
// half's rows are then read by one core only) and their sums added before
// they are merged into C (alpha*T + beta*C with one fused rounding when
// beta is 1); with fewer rows, the work is split by columns of C. Either
// way each element of C is summed in a fixed order, whatever the thread
// count.
func MatMulTU8(alpha float32, g *Matrix, x *U8Matrix, beta float32, c *Matrix) error {
	return (*Workers)(nil).MatMulTU8(alpha, g, x, beta, c)
}

// MatMulTU8 is the package's MatMulTU8 on the threads of ws.
func (ws *Workers) MatMulTU8(alpha float32, g *Matrix, x *U8Matrix, beta float32, c *Matrix) error {
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
	if m < gradHalfRows || n*k > gradHalfMaxWeights {
		gradRows(ws, ks, alpha, g, x, 0, m, beta, c, true)
		return nil
	}
	// Two halves of the rows, each summed on its own (on its own thread
	// when there are two), then added and merged into C. In training the
	// forward product leaves each thread's rows in its own core's caches;
	// split by columns, each thread would read half of every row from the
	// other core. The halves are fixed, so the sums do not depend on the
	// thread count.
	pb := getBuf(2 * n * k)
	defer gemmPool.Put(pb)
	parts := [2]*Matrix{
		{Rows: n, Cols: k, Stride: k, Data: (*pb)[:n*k]},
		{Rows: n, Cols: k, Stride: k, Data: (*pb)[n*k:]},
	}
	half := m / 2
	parallelFor(ws, 2, 1, 2*float64(m)*float64(n)*float64(k), func(lo, hi int) {
		for p := lo; p < hi; p++ {
			r0, r1 := p*half, half+p*(m-half)
			gradRows(ws, ks, 1, g, x, r0, r1, 0, parts[p], false)
		}
	})
	parallelFor(ws, k, 16, gradMergeWork*float64(n)*float64(k), func(lo, hi int) {
		for r := range n {
			v, v1 := parts[0].Data[r*k+lo:r*k+hi], parts[1].Data[r*k+lo:r*k+hi]
			ks.axpy(1, v1, v) // v = v + v1, one rounding
			cr := c.Data[r*c.Stride+lo : r*c.Stride+hi]
			switch beta {
			case 0: // c is not read
				copy(cr, v)
				ks.scale(alpha, cr)
			case 1:
				ks.axpy(alpha, v, cr)
			default:
				ks.scale(beta, cr)
				ks.axpy(alpha, v, cr)
			}
		}
	})
	return nil
}

// gradHalfRows is the fewest rows MatMulTU8 sums in two halves: below it,
// the halves' buffers and their merge would cost more than they save.
const gradHalfRows = 64

// gradHalfMaxWeights is the most elements of C for which MatMulTU8 sums
// two halves of the rows: each half's sums take a buffer the size of C, and
// beyond a few hundred KB they no longer stay in L2 until the merge.
const gradHalfMaxWeights = 1 << 15

// gradMergeWork is the work parallelFor is told one element of the merge
// of the two halves costs (in multiply-adds at full speed): it moves three
// floats through the caches, so that two threads share the merge.
const gradMergeWork = 32

// gradRows computes C = alpha * G[r0:r1]ᵀ * X[r0:r1] + beta*C (the rows
// [r0, r1) of MatMulTU8's operands), its chunks split across the threads of
// ws if parallel, else on the calling goroutine.
func gradRows(ws *Workers, ks *kernelSet, alpha float32, g *Matrix, x *U8Matrix, r0, r1 int, beta float32, c *Matrix, parallel bool) {
	m, n, k := r1-r0, g.Cols, x.Cols
	op := offsPool.Get().(*[]int)
	defer offsPool.Put(op)
	if cap(*op) < m {
		*op = make([]int, m)
	}
	offs := (*op)[:m]
	for i := range offs {
		offs[i] = x.rowOff(r0 + i)
	}
	var gp []float32
	if n == 10 && g.Stride == 10 {
		// G is already in the packed layout (the gradient of a 10-class
		// layer): use it as it is.
		gp = g.Data[10*r0 : 10*r1]
	} else {
		gbuf := getBuf(10 * m * ((n + 9) / 10))
		defer gemmPool.Put(gbuf)
		gp = *gbuf
		// Pack G by tiles of ten columns, zero-padded: gp[t][i*10+c] = G[r0+i][10t+c].
		for t := 0; t*10 < n; t++ {
			pt := gp[t*10*m : (t+1)*10*m]
			nc := min(10, n-10*t)
			for i := range m {
				row := g.Data[(r0+i)*g.Stride+10*t:]
				copy(pt[i*10:i*10+nc], row[:nc])
				clear(pt[i*10+nc : i*10+10])
			}
		}
	}
	chunks := (k + 7) / 8
	if !parallel {
		gradU8(ks, 0, chunks, alpha, gp, x, offs, beta, c)
		return
	}
	// Split by the level's grain of chunks (the columns its gradient kernel
	// takes at a time): a boundary inside one would give both threads a
	// partial step and, when C's rows start on 64-byte boundaries (a model's
	// W does, with 784 inputs), cache lines of C written by both.
	parallelFor(ws, chunks, ks.gradGrain, 2*float64(m)*float64(n)*float64(k), func(lo, hi int) {
		gradU8(ks, lo, hi, alpha, gp, x, offs, beta, c)
	})
}

// gradRowBlock is how many rows gradU8Blocks takes at a time: the rows of a
// minibatch lie on as many pages as rows, and a pass of the kernel over
// more of them than the first-level TLB holds misses it at every row; a
// block's rows, its share of the sums (acc) and of G stay under it.
const gradRowBlock = 32

// gradAccChunks bounds the chunks gradU8Blocks sums at a time, so that
// their sums (acc: 320 bytes a chunk, 20 KB) stay in L1 (and an assembly
// call, which cannot be preempted, stays short).
const gradAccChunks = 64

// gradU8Blocks computes the chunks [lo, hi) of ten classes of MatMulTU8
// (gradient rows pt, c the tile's rows of C from column 0) with
// kernelSet.gradU8x10, by blocks of gradRowBlock rows (one block, and no
// buffer for the sums, when m <= gradRowBlock) and groups of at most
// gradAccChunks chunks; the sums are bitwise those of one call on all the
// rows.
func gradU8Blocks(ks *kernelSet, lo, hi int, alpha float32, pt []float32, xd []uint8, offs []int, beta float32, c []float32, cstride int) {
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
			ks.gradU8x10(xd[8*g:], offs[r:re], pt[10*r:10*re], c[8*g:], cstride, e-g, alpha, beta, sums, mode)
		}
	}
}

// gradU8 computes the 8-column chunks [lo, hi) of MatMulTU8 (gp: G packed
// by tiles of ten classes). Every element is summed in the same order
// (rows in order, one multiply-add each) wherever the chunks are cut. The
// chunks of eight readable columns go to the kernel; a last tile of fewer
// than ten classes and the k%8 last columns go through a buffer and are
// merged in Go with the rounding of the kernel's epilogue.
func gradU8(ks *kernelSet, lo, hi int, alpha float32, gp []float32, x *U8Matrix, offs []int, beta float32, c *Matrix) {
	m, n, k := len(offs), c.Rows, x.Cols
	full := min(hi, k/8) // chunks [lo, full) have 8 columns
	for t := 0; 10*t < n; t++ {
		nc := min(10, n-10*t) // classes of this tile
		pt := gp[t*10*m : (t+1)*10*m]
		if full > lo {
			if nc == 10 {
				cd := c.Data[10*t*c.Stride : (10*t+9)*c.Stride+8*full]
				gradU8Blocks(ks, lo, full, alpha, pt, x.Data, offs, beta, cd, c.Stride)
			} else {
				w := 8 * (full - lo)
				buf := getBuf(10 * w)
				gradU8Blocks(ks, 0, full-lo, alpha, pt, x.Data[8*lo:], offs, 0, *buf, w)
				mergeCols(c, 10*t, nc, 8*lo, w, *buf, w, 1, beta)
				gemmPool.Put(buf)
			}
		}
		if hi > k/8 && k%8 != 0 {
			gradTail(ks, alpha, pt, x, offs, beta, c, 10*t, nc)
		}
	}
}

// gradTail computes the k%8 last columns of classes [r0, r0+nc) of
// MatMulTU8: the kernel's chunk of the 8 columns that end at k (all inside
// every row) with alpha 1, of which the last k%8 are kept, or, for k < 8,
// the rows copied into 8-byte rows padded with zeros.
func gradTail(ks *kernelSet, alpha float32, pt []float32, x *U8Matrix, offs []int, beta float32, c *Matrix, r0, nc int) {
	k := x.Cols
	nw := k % 8
	xd, to := x.Data[k-min(k, 8):], offs
	if k < 8 {
		xd, to = make([]uint8, 8*len(offs)), make([]int, len(offs))
		for i, o := range offs {
			copy(xd[8*i:8*i+k], x.Data[o:o+k])
			to[i] = 8 * i
		}
	}
	var tile [80]float32
	gradU8Blocks(ks, 0, 1, 1, pt, xd, to, 0, tile[:], 8)
	lane := 8 - nw // the tile's column of column k-nw
	if k < 8 {
		lane = 0
	}
	mergeCols(c, r0, nc, k-nw, nw, tile[lane:], 8, alpha, beta)
}

// mergeCols sets C[r0+r][p0+j] = alpha*t[r*tstride+j] + beta*C[r0+r][p0+j]
// for r < nc, j < nw, with the two roundings of the kernels' epilogue; C
// is not read when beta is +-0. (Callers whose t already holds alpha*T
// pass alpha = 1, which multiplies exactly.)
func mergeCols(c *Matrix, r0, nc, p0, nw int, t []float32, tstride int, alpha, beta float32) {
	for r := range nc {
		row := c.Data[(r0+r)*c.Stride+p0 : (r0+r)*c.Stride+p0+nw]
		tr := t[r*tstride : r*tstride+nw]
		for j := range row {
			v := float32(alpha * tr[j])
			if beta != 0 {
				v += float32(beta * row[j])
			}
			row[j] = v
		}
	}
}

// MatVecU8Bias computes z = alpha * W·x + bias for one uint8 vector x (one
// image): z[j] = alpha * sum_p float32(x[p]) * W[j][p] + bias[j], rounded
// as float32(alpha*sum) + bias[j], with len(x) = W.Cols and
// len(z) = len(bias) = W.Rows. It reads the pixels as bytes, ten classes per
// pass over them, on the calling goroutine; it allocates nothing and may
// run on many goroutines at once (z must not overlap W or bias). The sums
// are in the level's order for one row, which may differ in the last bits
// from MatMulU8TBias's for the same image.
func MatVecU8Bias(alpha float32, x []uint8, w *Matrix, bias, z []float32) error {
	if err := w.check("W"); err != nil {
		return err
	}
	n, k := w.Rows, w.Cols
	if len(x) != k || len(z) != n || len(bias) != n {
		return fmt.Errorf("%w: x of %d, W %dx%d, bias of %d, z of %d", ErrShape, len(x), n, k, len(bias), len(z))
	}
	if overlaps(z, w.Data) || overlaps(z, bias) {
		return fmt.Errorf("%w: z overlaps W or the bias", ErrShape)
	}
	if n == 0 {
		return nil
	}
	if k == 0 {
		for j, b := range bias {
			z[j] = float32(alpha*0) + b
		}
		return nil
	}
	dotU8RowOf(active, x, w.Data, w.Stride, alpha, bias, z)
	return nil
}
