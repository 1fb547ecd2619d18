package tensor

import (
	"fmt"
	"sync"
)

// The drivers of the products of data rows, shared by the uint8 products
// (u8.go) and the float32 ones (f32.go): the same groups of ten classes,
// calls of 256 rows, blocks of rows, chunks of eight columns, tails and
// threads, over the element type E of the rows and that type's kernels.

// elem is the element type of a data set's rows: uint8 pixels or float32
// features.
type elem interface{ uint8 | float32 }

// dataRows is the drivers' view of a U8Matrix or an F32Matrix, which
// convert to it (the same fields): element (i, j) is Data[r*Stride+j] with
// r = i, or r = Index[i] when Index is not nil.
type dataRows[E elem] struct {
	Rows, Cols, Stride int
	Data               []E
	Index              []int32
}

// rowOff returns the offset in Data of row i.
func (x *dataRows[E]) rowOff(i int) int {
	if x.Index != nil {
		return int(x.Index[i]) * x.Stride
	}
	return i * x.Stride
}

// check reports, as an error wrapping ErrShape, a nil x, a header
// inconsistent with Data or an Index entry out of range.
func (x *dataRows[E]) check(name string) error {
	if x == nil {
		return fmt.Errorf("%w: %s is nil", ErrShape, name)
	}
	if x.Index == nil {
		return checkDims(name, x.Rows, x.Cols, x.Stride, len(x.Data))
	}
	if x.Rows != len(x.Index) {
		return fmt.Errorf("%w: %s has %d rows but an index of %d", ErrShape, name, x.Rows, len(x.Index))
	}
	if x.Cols < 0 {
		return fmt.Errorf("%w: %s has negative size %dx%d", ErrShape, name, x.Rows, x.Cols)
	}
	if x.Rows == 0 || x.Cols == 0 {
		return nil
	}
	if x.Stride < x.Cols {
		return fmt.Errorf("%w: %s stride %d < cols %d", ErrShape, name, x.Stride, x.Cols)
	}
	avail := (len(x.Data)-x.Cols)/x.Stride + 1 // rows the data can hold
	if len(x.Data) < x.Cols {
		avail = 0
	}
	for i, r := range x.Index {
		if r < 0 || int(r) >= avail {
			return fmt.Errorf("%w: %s index[%d] = %d out of range [0, %d)", ErrShape, name, i, r, avail)
		}
	}
	return nil
}

// fwdKernel is the type of kernelSet.fwdU8Rows10 and fwdF32Rows10, and
// gradKernel that of gradU8x10 and gradF32x10 (their contracts are in
// kernelSet).
type (
	fwdKernel[E elem]  func(x []E, index []int32, stride int, w []float32, wstride int, c []float32, cstride int, m, k int, alpha, beta float32, bias []float32)
	gradKernel[E elem] func(x []E, offs []int, gp []float32, c []float32, cstride, nch int, alpha, beta float32, acc []float32, mode int)
)

// elemKernels are the kernels of one level for rows of E, and the level's
// set (for its vector kernels and gradGrain).
type elemKernels[E elem] struct {
	ks   *kernelSet
	fwd  fwdKernel[E]
	grad gradKernel[E]
}

func u8Kernels(ks *kernelSet) elemKernels[uint8] {
	return elemKernels[uint8]{ks, ks.fwdU8Rows10, ks.gradU8x10}
}

func f32Kernels(ks *kernelSet) elemKernels[float32] {
	return elemKernels[float32]{ks, ks.fwdF32Rows10, ks.gradF32x10}
}

// matMulT is MatMulU8T and MatMulF32T: C = alpha * X * Wᵀ + beta*C, then,
// when bias is not nil (checked against W and C), bias added to every row
// (a third rounding).
func matMulT[E elem](ws *Workers, kern elemKernels[E], alpha float32, x *dataRows[E], w *Matrix, beta float32, bias []float32, c *Matrix) error {
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
	if overlaps(c.Data, x.Data) { // (only float32 rows can)
		return fmt.Errorf("%w: C overlaps X", ErrShape)
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
				fwdRows(kern.fwd, lo, hi, alpha, x, w.Data[j0*w.Stride:], w.Stride, beta, gb, c.Data[j0:], c.Stride)
			} else {
				fwdRowsPadded(kern.fwd, lo, hi, alpha, x, wpad, beta, gb, c, j0)
			}
		}
	})
	return nil
}

// matVecCheck is the part of MatVecU8Bias and MatVecF32Bias before the
// kernel, for an x of xlen elements, zx telling whether z overlaps x: it
// reports bad shapes and overlaps, and computes z itself when there is no
// product to take (no classes, or no inputs: z = bias), when it returns
// done. It and the kernel's call (dotU8RowOf, dotF32RowOf) are not generic:
// through a generic function over the element type, every Predict paid
// for dictionary lookups and a type switch (docs/performance.md).
func matVecCheck(alpha float32, xlen int, zx bool, w *Matrix, bias, z []float32) (done bool, err error) {
	if err := w.check("W"); err != nil {
		return true, err
	}
	n, k := w.Rows, w.Cols
	if xlen != k || len(z) != n || len(bias) != n {
		return true, fmt.Errorf("%w: x of %d, W %dx%d, bias of %d, z of %d", ErrShape, xlen, n, k, len(bias), len(z))
	}
	if overlaps(z, w.Data) || overlaps(z, bias) {
		return true, fmt.Errorf("%w: z overlaps W or the bias", ErrShape)
	}
	if zx { // (only float32 rows can)
		return true, fmt.Errorf("%w: z overlaps x", ErrShape)
	}
	if k == 0 {
		for j, b := range bias {
			z[j] = float32(alpha*0) + b
		}
	}
	return n == 0 || k == 0, nil
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

// rowsPerCall is the most rows of X one call of a forward kernel
// (kernelSet.fwdU8Rows10, fwdF32Rows10) handles, and rowIota its row index
// for a matrix without Index: an assembly call cannot be preempted, and 256
// rows are a few tens of microseconds.
const rowsPerCall = 256

var rowIota = func() (r [rowsPerCall]int32) {
	for i := range r {
		r[i] = int32(i)
	}
	return r
}()

// fwdRows computes rows [lo, hi) of one group of ten classes of matMulT
// with the kernel fwd, W's rows of the group at w, C's columns of the
// group at c, adding bias (nil: none; else 10 values) as the kernel stores
// the rows. A row's sums do not depend on the other rows, so the result
// does not depend on where the ranges are cut.
func fwdRows[E elem](fwd fwdKernel[E], lo, hi int, alpha float32, x *dataRows[E], w []float32, wstride int, beta float32, bias []float32, c []float32, cstride int) {
	for i := lo; i < hi; i += rowsPerCall {
		e := min(i+rowsPerCall, hi)
		cd := c[i*cstride : (e-1)*cstride+10]
		if x.Index != nil {
			fwd(x.Data, x.Index[i:e], x.Stride, w, wstride, cd, cstride, e-i, x.Cols, alpha, beta, bias)
		} else {
			fwd(x.Data[i*x.Stride:], rowIota[:e-i], x.Stride, w, wstride, cd, cstride, e-i, x.Cols, alpha, beta, bias)
		}
	}
}

// fwdRowsPadded computes rows [lo, hi) of the last group of classes
// j0..n-1 (fewer than ten) of matMulT against wpad, that group's rows of W
// padded with zero rows to ten, into a buffer of ten columns, and merges
// its n-j0 real columns into C with the rounding of the kernel's epilogue:
// alpha*s, plus beta*c, plus the bias, each rounded.
func fwdRowsPadded[E elem](fwd fwdKernel[E], lo, hi int, alpha float32, x *dataRows[E], wpad []float32, beta float32, bias []float32, c *Matrix, j0 int) {
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
		fwdRows(fwd, 0, e-i, alpha, &xv, wpad, x.Cols, 0, nil, t, 10)
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

// matMulTRows is MatMulTU8 and MatMulTF32: C = alpha * Gᵀ * X + beta*C.
func matMulTRows[E elem](ws *Workers, kern elemKernels[E], alpha float32, g *Matrix, x *dataRows[E], beta float32, c *Matrix) error {
	return matMulTFill(ws, kern, alpha, g, x, beta, c, 1, nil)
}

// matMulTFill is matMulTRows with G's rows set by fill (if not nil) before
// they are read: MatMulTU8Fill and MatMulTF32Fill (align as there).
func matMulTFill[E elem](ws *Workers, kern elemKernels[E], alpha float32, g *Matrix, x *dataRows[E], beta float32, c *Matrix, align int, fill func(w *Workers, lo, hi int) error) error {
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
	if overlaps(c.Data, x.Data) { // (only float32 rows can)
		return fmt.Errorf("%w: C overlaps X", ErrShape)
	}
	halves := m >= gradHalfRows && n*k <= gradHalfMaxWeights && n > 0 && k > 0 && alpha != 0
	if fill != nil && (!halves || ws.Threads() < 2) {
		// On one thread the halves gain nothing from running apart, and
		// the forward product streams through all the rows at once.
		if err := fill(ws, 0, m); err != nil {
			return err
		}
		fill = nil
	}
	if n == 0 || k == 0 {
		return nil
	}
	if alpha == 0 || m == 0 {
		scaleMatrix(c, beta)
		return nil
	}
	ks := kern.ks
	if !halves {
		gradRows(ws, kern, alpha, g, x, 0, m, beta, c, true)
		return nil
	}
	// Two halves of the rows, each summed on its own (on its own thread
	// when there are two), then added and merged into C. In training the
	// forward product leaves each thread's rows in its own core's caches
	// (with fill, the same thread has just computed them); split by
	// columns, each thread would read half of every row from the other
	// core. The halves are fixed, so the sums do not depend on the thread
	// count.
	pb := getBuf(2 * n * k)
	defer gemmPool.Put(pb)
	parts := [2]*Matrix{
		{Rows: n, Cols: k, Stride: k, Data: (*pb)[:n*k]},
		{Rows: n, Cols: k, Stride: k, Data: (*pb)[n*k:]},
	}
	half := halfRows(m, align)
	var errs [2]error
	parallelFor(ws, 2, 1, 2*float64(m)*float64(n)*float64(k), func(lo, hi int) {
		for p := lo; p < hi; p++ {
			r0, r1 := p*half, half+p*(m-half)
			if fill != nil {
				if errs[p] = fill(oneThread, r0, r1); errs[p] != nil {
					continue
				}
			}
			if r0 == r1 {
				clear(parts[p].Data)
				continue
			}
			gradRows(ws, kern, 1, g, x, r0, r1, 0, parts[p], false)
		}
	})
	if errs[0] != nil {
		return errs[0]
	}
	if errs[1] != nil {
		return errs[1]
	}
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

// halfRows is where matMulTFill cuts m rows in two: m/2 rounded up to a
// multiple of align (align < 1 counts as 1), at most m.
func halfRows(m, align int) int {
	align = max(1, align)
	return min(m, (m/2+align-1)/align*align)
}

// oneThread runs every product on the calling goroutine: the Workers that
// fill gets inside a half of matMulTFill, which already has its thread.
var oneThread = &Workers{n: 1}

// gradHalfRows is the fewest rows matMulTRows sums in two halves: below
// it, the halves' buffers and their merge would cost more than they save.
const gradHalfRows = 64

// gradHalfMaxWeights is the most elements of C for which matMulTRows sums
// two halves of the rows: each half's sums take a buffer the size of C, and
// beyond a few hundred KB they no longer stay in L2 until the merge.
const gradHalfMaxWeights = 1 << 15

// gradMergeWork is the work parallelFor is told one element of the merge
// of the two halves costs (in multiply-adds at full speed): it moves three
// floats through the caches, so that two threads share the merge.
const gradMergeWork = 32

// gradRows computes C = alpha * G[r0:r1]ᵀ * X[r0:r1] + beta*C (the rows
// [r0, r1) of matMulTRows's operands), its chunks split across the threads
// of ws if parallel, else on the calling goroutine.
func gradRows[E elem](ws *Workers, kern elemKernels[E], alpha float32, g *Matrix, x *dataRows[E], r0, r1 int, beta float32, c *Matrix, parallel bool) {
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
		gradCols(kern.grad, 0, chunks, alpha, gp, x, offs, beta, c)
		return
	}
	// Split by the level's grain of chunks (the columns its gradient kernel
	// takes at a time): a boundary inside one would give both threads a
	// partial step and, when C's rows start on 64-byte boundaries (a model's
	// W does, with 784 inputs), cache lines of C written by both.
	parallelFor(ws, chunks, kern.ks.gradGrain, 2*float64(m)*float64(n)*float64(k), func(lo, hi int) {
		gradCols(kern.grad, lo, hi, alpha, gp, x, offs, beta, c)
	})
}

// gradRowBlock is how many rows gradBlocks takes at a time: the rows of a
// minibatch lie on as many pages as rows, and a pass of the kernel over
// more of them than the first-level TLB holds misses it at every row; a
// block's rows, its share of the sums (acc) and of G stay under it.
const gradRowBlock = 32

// gradAccChunks bounds the chunks gradBlocks sums at a time, so that their
// sums (acc: 320 bytes a chunk, 20 KB) stay in L1 (and an assembly call,
// which cannot be preempted, stays short).
const gradAccChunks = 64

// gradBlocks computes the chunks [lo, hi) of ten classes of matMulTRows
// (gradient rows pt, c the tile's rows of C from column 0) with the
// gradient kernel grad, by blocks of gradRowBlock rows (one block, and no
// buffer for the sums, when m <= gradRowBlock) and groups of at most
// gradAccChunks chunks; the sums are bitwise those of one call on all the
// rows.
func gradBlocks[E elem](grad gradKernel[E], lo, hi int, alpha float32, pt []float32, xd []E, offs []int, beta float32, c []float32, cstride int) {
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
			grad(xd[8*g:], offs[r:re], pt[10*r:10*re], c[8*g:], cstride, e-g, alpha, beta, sums, mode)
		}
	}
}

// gradCols computes the 8-column chunks [lo, hi) of matMulTRows (gp: G
// packed by tiles of ten classes). Every element is summed in the same
// order (rows in order, one multiply-add each) wherever the chunks are
// cut. The chunks of eight readable columns go to the kernel; a last tile
// of fewer than ten classes and the k%8 last columns go through a buffer
// and are merged in Go with the rounding of the kernel's epilogue.
func gradCols[E elem](grad gradKernel[E], lo, hi int, alpha float32, gp []float32, x *dataRows[E], offs []int, beta float32, c *Matrix) {
	m, n, k := len(offs), c.Rows, x.Cols
	full := min(hi, k/8) // chunks [lo, full) have 8 columns
	for t := 0; 10*t < n; t++ {
		nc := min(10, n-10*t) // classes of this tile
		pt := gp[t*10*m : (t+1)*10*m]
		if full > lo {
			if nc == 10 {
				cd := c.Data[10*t*c.Stride : (10*t+9)*c.Stride+8*full]
				gradBlocks(grad, lo, full, alpha, pt, x.Data, offs, beta, cd, c.Stride)
			} else {
				w := 8 * (full - lo)
				buf := getBuf(10 * w)
				gradBlocks(grad, 0, full-lo, alpha, pt, x.Data[8*lo:], offs, 0, *buf, w)
				mergeCols(c, 10*t, nc, 8*lo, w, *buf, w, 1, beta)
				gemmPool.Put(buf)
			}
		}
		if hi > k/8 && k%8 != 0 {
			gradTail(grad, alpha, pt, x, offs, beta, c, 10*t, nc)
		}
	}
}

// gradTail computes the k%8 last columns of classes [r0, r0+nc) of
// matMulTRows: the kernel's chunk of the 8 columns that end at k (all
// inside every row) with alpha 1, of which the last k%8 are kept, or, for
// k < 8, the rows copied into 8-element rows padded with zeros.
func gradTail[E elem](grad gradKernel[E], alpha float32, pt []float32, x *dataRows[E], offs []int, beta float32, c *Matrix, r0, nc int) {
	k := x.Cols
	nw := k % 8
	xd, to := x.Data[k-min(k, 8):], offs
	if k < 8 {
		xd, to = make([]E, 8*len(offs)), make([]int, len(offs))
		for i, o := range offs {
			copy(xd[8*i:8*i+k], x.Data[o:o+k])
			to[i] = 8 * i
		}
	}
	var tile [80]float32
	gradBlocks(grad, 0, 1, 1, pt, xd, to, 0, tile[:], 8)
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
