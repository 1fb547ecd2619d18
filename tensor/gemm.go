package tensor

import (
	"fmt"
	"sync"
	"unsafe"
)

// Transpose says whether an operand of MatMul is used as it is or transposed.
type Transpose bool

const (
	NoTrans Transpose = false // use the matrix as it is
	Trans   Transpose = true  // use its transpose
)

func (t Transpose) String() string {
	if t {
		return "T"
	}
	return "N"
}

// MatMul computes C = alpha*op(A)*op(B) + beta*C, where op(X) is X or its
// transpose, op(A) is m x k, op(B) is k x n and C is m x n. Any shapes are
// allowed, empty ones included, and every operand may be a strided view.
//
// As in BLAS, when beta is 0 C is not read (NaNs in it are overwritten), and
// when alpha is 0 or k is 0, A and B are not read. C must not overlap A or B.
//
// The product is blocked for the caches around the active ISA level's
// register kernel and split across up to GOMAXPROCS goroutines when it is
// large enough (Workers.MatMul chooses the threads); every element of C is
// computed by one goroutine in a fixed order, so the result does not depend
// on the thread count.
func MatMul(tA, tB Transpose, alpha float32, a, b *Matrix, beta float32, c *Matrix) error {
	return (*Workers)(nil).MatMul(tA, tB, alpha, a, b, beta, c)
}

// MatMul is the package's MatMul on the threads of ws.
func (ws *Workers) MatMul(tA, tB Transpose, alpha float32, a, b *Matrix, beta float32, c *Matrix) error {
	if err := a.check("A"); err != nil {
		return err
	}
	if err := b.check("B"); err != nil {
		return err
	}
	if err := c.check("C"); err != nil {
		return err
	}
	m, k := a.Rows, a.Cols
	if tA {
		m, k = k, m
	}
	kb, n := b.Rows, b.Cols
	if tB {
		kb, n = n, kb
	}
	if k != kb || c.Rows != m || c.Cols != n {
		return fmt.Errorf("%w: op(A) is %dx%d, op(B) is %dx%d, C is %dx%d", ErrShape, m, k, kb, n, c.Rows, c.Cols)
	}
	if overlaps(c.Data, a.Data) || overlaps(c.Data, b.Data) {
		return fmt.Errorf("%w: C overlaps an input", ErrShape)
	}
	if m == 0 || n == 0 {
		return nil
	}
	if alpha == 0 || k == 0 {
		scaleMatrix(c, beta)
		return nil
	}
	gemm(ws, active, tA, tB, m, n, k, alpha, a, b, beta, c)
	return nil
}

// overlaps reports whether two slices share memory.
func overlaps[T, U any](x []T, y []U) bool {
	if len(x) == 0 || len(y) == 0 {
		return false
	}
	x0 := uintptr(unsafe.Pointer(unsafe.SliceData(x)))
	y0 := uintptr(unsafe.Pointer(unsafe.SliceData(y)))
	return x0 < y0+uintptr(len(y))*unsafe.Sizeof(y[0]) && y0 < x0+uintptr(len(x))*unsafe.Sizeof(x[0])
}

// scaleMatrix sets C = beta*C, writing zeros when beta is 0.
func scaleMatrix(c *Matrix, beta float32) {
	for i := range c.Rows {
		row := c.Row(i)
		switch beta {
		case 0:
			clear(row)
		case 1:
		default:
			active.scale(beta, row)
		}
	}
}

var gemmPool = sync.Pool{New: func() any { return new([]float32) }}

func getBuf(n int) *[]float32 {
	p := gemmPool.Get().(*[]float32)
	if cap(*p) < n {
		*p = make([]float32, n)
	}
	*p = (*p)[:n]
	return p
}

// gemm is the blocked product (Goto's algorithm): for each kc x nc block of
// op(B), packed into nr-wide column panels, and each mc x kc block of op(A),
// packed into mr-high row panels, the register kernel computes mr x nr tiles
// that are merged into C. The first k block applies beta.
func gemm(ws *Workers, ks *kernelSet, tA, tB Transpose, m, n, k int, alpha float32, a, b *Matrix, beta float32, c *Matrix) {
	mr, nr := ks.gemmMR, ks.gemmNR
	bl := gemmBlocking(mr, nr)
	kc, nc := min(bl.kc, k), min(bl.nc, roundUp(n, nr))
	bbuf := getBuf(kc * nc)
	defer gemmPool.Put(bbuf)
	bp := *bbuf
	for jc := 0; jc < n; jc += nc {
		nb := min(nc, n-jc)
		for pc := 0; pc < k; pc += kc {
			kb := min(kc, k-pc)
			packB(bp, b, tB, pc, jc, kb, nb, nr)
			be := beta
			if pc > 0 {
				be = 1
			}
			// Split the rows of C across goroutines in whole mr panels; when C
			// has few rows, split its nr-wide column panels instead.
			flop := 2 * float64(m) * float64(nb) * float64(kb)
			if th := ws.Threads(); th > 1 && m < 2*mr*th && nb > nr {
				parallelFor(ws, nb, nr, flop, func(lo, hi int) {
					gemmBlock(ks, a, tA, c, bp, pc, jc, kb, nb, 0, m, lo, hi, bl.mc, alpha, be)
				})
			} else {
				parallelFor(ws, m, mr, flop, func(lo, hi int) {
					gemmBlock(ks, a, tA, c, bp, pc, jc, kb, nb, lo, hi, 0, nb, bl.mc, alpha, be)
				})
			}
		}
	}
}

// gemmBlock computes rows [i0, i1) and block columns [j0, j1) (multiples of
// nr from the start of the packed block) of one kc block.
func gemmBlock(ks *kernelSet, a *Matrix, tA Transpose, c *Matrix, bp []float32, pc, jc, kb, nb, i0, i1, j0, j1, mc int, alpha, beta float32) {
	mr, nr := ks.gemmMR, ks.gemmNR
	mc = min(mc, roundUp(i1-i0, mr))
	abuf := getBuf(mc*kb + mr*nr)
	defer gemmPool.Put(abuf)
	ap, tile := (*abuf)[:mc*kb], (*abuf)[mc*kb:]
	for ic := i0; ic < i1; ic += mc {
		mb := min(mc, i1-ic)
		packA(ap, a, tA, ic, pc, mb, kb, mr)
		for jr := j0; jr < j1; jr += nr {
			nw := min(nr, nb-jr)
			bpan := bp[jr*kb : jr*kb+nr*kb]
			for ir := 0; ir < mb; ir += mr {
				mh := min(mr, mb-ir)
				ks.gemmTile(kb, ap[ir*kb:ir*kb+mr*kb], bpan, tile)
				mergeTile(c, ic+ir, jc+jr, mh, nw, tile, nr, alpha, beta)
			}
		}
	}
}

// mergeTile sets C[i0+i][j0+j] = alpha*tile[i*nr+j] + beta*C[i0+i][j0+j]
// for i < mh, j < nw; C is not read when beta is 0.
func mergeTile(c *Matrix, i0, j0, mh, nw int, tile []float32, nr int, alpha, beta float32) {
	for i := range mh {
		row := c.Data[(i0+i)*c.Stride+j0 : (i0+i)*c.Stride+j0+nw]
		t := tile[i*nr : i*nr+nw]
		switch beta {
		case 0:
			for j, v := range t {
				row[j] = alpha * v
			}
		case 1:
			for j, v := range t {
				row[j] += alpha * v
			}
		default:
			for j, v := range t {
				row[j] = alpha*v + beta*row[j]
			}
		}
	}
}

// packA copies op(A)[i0:i0+mb, p0:p0+kb] into mr-high panels:
// ap[panel*kb*mr + p*mr + i], zero-padding the last panel.
func packA(ap []float32, a *Matrix, tA Transpose, i0, p0, mb, kb, mr int) {
	for ip := 0; ip < mb; ip += mr {
		pan := ap[ip*kb : ip*kb+mr*kb]
		mh := min(mr, mb-ip)
		if !tA { // op(A)[i][p] = A[i][p]: rows of A are contiguous in p
			for i := range mh {
				row := a.Data[(i0+ip+i)*a.Stride+p0:]
				row = row[:kb]
				for p, v := range row {
					pan[p*mr+i] = v
				}
			}
		} else { // op(A)[i][p] = A[p][i]: rows of A are contiguous in i
			if mr == 2 && mh == 2 { // the generic tile: two elements per row of A
				for p := range kb {
					row := a.Data[(p0+p)*a.Stride+i0+ip:]
					row = row[:2:2]
					pan[p*2], pan[p*2+1] = row[0], row[1]
				}
			} else {
				for p := range kb {
					row := a.Data[(p0+p)*a.Stride+i0+ip:]
					row = row[:mh]
					dst := pan[p*mr : p*mr+mh]
					for i, v := range row { // a loop: mr is too small for copy's call to pay
						dst[i] = v
					}
				}
			}
		}
		if mh < mr {
			for p := range kb {
				clear(pan[p*mr+mh : p*mr+mr])
			}
		}
	}
}

// packB copies op(B)[p0:p0+kb, j0:j0+nb] into nr-wide panels:
// bp[panel*kb*nr + p*nr + j], zero-padding the last panel.
func packB(bp []float32, b *Matrix, tB Transpose, p0, j0, kb, nb, nr int) {
	for jp := 0; jp < nb; jp += nr {
		pan := bp[jp*kb : jp*kb+nr*kb]
		nw := min(nr, nb-jp)
		if !tB { // op(B)[p][j] = B[p][j]
			for p := range kb {
				row := b.Data[(p0+p)*b.Stride+j0+jp:]
				row = row[:nw]
				dst := pan[p*nr : p*nr+nw]
				for j, v := range row {
					dst[j] = v
				}
			}
		} else { // op(B)[p][j] = B[j][p]
			for j := range nw {
				row := b.Data[(j0+jp+j)*b.Stride+p0:]
				row = row[:kb]
				for p, v := range row {
					pan[p*nr+j] = v
				}
			}
		}
		if nw < nr {
			for p := range kb {
				clear(pan[p*nr+nw : p*nr+nr])
			}
		}
	}
}

func roundUp(x, m int) int { return (x + m - 1) / m * m }
