package tensor

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// Tests of the products of data rows, for uint8 and float32 rows alike:
// the kernels of every level (kernelSet's fwd*Rows10 and grad*x10) against
// a float64 oracle and bitwise against themselves cut in other ways (rows,
// blocks of rows, chunks), and the products (MatMul*T, MatMul*TBias,
// MatMulT*, MatVec*Bias) against the oracle and across thread counts, with
// poisoned outputs (C full of NaN garbage when beta is 0). Each test body
// is generic over the element type E and takes a rowsType that says how to
// make rows of E and which kernels and products to call; a Test function
// per element type runs it (u8Rows: pixels, f32Rows: float32 data of both
// signs and wide magnitudes), with the type's alpha. The tests of one type
// only are in f32_test.go (float32 rows) and gemm_test.go
// (TestMatMulU8Errors).

// rowsType is what the tests of the products of data rows need of the
// element type E of the rows.
type rowsType[E elem] struct {
	// name is the type's name in the products' names: U8 (MatMulU8T),
	// F32 (MatMulF32T).
	name string
	// gen returns n random elements: any pixel (randU8), or values of both
	// signs and wide magnitudes with some zeros (randF32Data).
	gen func(rng *rand.Rand, n int) []E
	// rowGen is gen for the one-row product: pixels with more 0 and 255
	// (rowPixels), randF32Data.
	rowGen func(rng *rand.Rand, n int) []E
	// The kernels of a level: kernelSet's fwd*Rows10, grad*x10, dot*Row.
	fwd    func(ks *kernelSet) fwdKernel[E]
	grad   func(ks *kernelSet) gradKernel[E]
	dotRow func(ks *kernelSet) dotRowKernel[E]
	// The products on the threads of ws: MatMul*T, MatMul*TBias, MatMulT*;
	// and MatVec*Bias.
	matMulT     func(ws *Workers, alpha float32, x *dataRows[E], w *Matrix, beta float32, c *Matrix) error
	matMulTBias func(ws *Workers, alpha float32, x *dataRows[E], w *Matrix, bias []float32, c *Matrix) error
	matMulTX    func(ws *Workers, alpha float32, g *Matrix, x *dataRows[E], beta float32, c *Matrix) error
	matVecBias  func(alpha float32, x []E, w *Matrix, bias, z []float32) error
	// zInX returns ten floats that overlap x (at least 15 elements), nil
	// when no output can (uint8 rows).
	zInX func(x []E) []float32
	// benchData is the 60000 x 784 data set of the benchmarks
	// (fashionLike, fashionLikeF32).
	benchData func() []E
}

// dotRowKernel is the type of kernelSet.dotU8Row and dotF32Row.
type dotRowKernel[E elem] func(x []E, w []float32, wstride int, alpha float32, bias []float32, z []float32)

var u8Rows = rowsType[uint8]{
	name:   "U8",
	gen:    randU8,
	rowGen: rowPixels,
	fwd:    func(ks *kernelSet) fwdKernel[uint8] { return ks.fwdU8Rows10 },
	grad:   func(ks *kernelSet) gradKernel[uint8] { return ks.gradU8x10 },
	dotRow: func(ks *kernelSet) dotRowKernel[uint8] { return ks.dotU8Row },
	matMulT: func(ws *Workers, alpha float32, x *dataRows[uint8], w *Matrix, beta float32, c *Matrix) error {
		return ws.MatMulU8T(alpha, (*U8Matrix)(x), w, beta, c)
	},
	matMulTBias: func(ws *Workers, alpha float32, x *dataRows[uint8], w *Matrix, bias []float32, c *Matrix) error {
		return ws.MatMulU8TBias(alpha, (*U8Matrix)(x), w, bias, c)
	},
	matMulTX: func(ws *Workers, alpha float32, g *Matrix, x *dataRows[uint8], beta float32, c *Matrix) error {
		return ws.MatMulTU8(alpha, g, (*U8Matrix)(x), beta, c)
	},
	matVecBias: MatVecU8Bias,
	zInX:       func([]uint8) []float32 { return nil },
	benchData:  fashionLike,
}

var f32Rows = rowsType[float32]{
	name:   "F32",
	gen:    randF32Data,
	rowGen: randF32Data,
	fwd:    func(ks *kernelSet) fwdKernel[float32] { return ks.fwdF32Rows10 },
	grad:   func(ks *kernelSet) gradKernel[float32] { return ks.gradF32x10 },
	dotRow: func(ks *kernelSet) dotRowKernel[float32] { return ks.dotF32Row },
	matMulT: func(ws *Workers, alpha float32, x *dataRows[float32], w *Matrix, beta float32, c *Matrix) error {
		return ws.MatMulF32T(alpha, (*F32Matrix)(x), w, beta, c)
	},
	matMulTBias: func(ws *Workers, alpha float32, x *dataRows[float32], w *Matrix, bias []float32, c *Matrix) error {
		return ws.MatMulF32TBias(alpha, (*F32Matrix)(x), w, bias, c)
	},
	matMulTX: func(ws *Workers, alpha float32, g *Matrix, x *dataRows[float32], beta float32, c *Matrix) error {
		return ws.MatMulTF32(alpha, g, (*F32Matrix)(x), beta, c)
	},
	matVecBias: MatVecF32Bias,
	zInX:       func(x []float32) []float32 { return x[5:15] },
	benchData:  fashionLikeF32,
}

// testRows returns a rows x cols matrix of gen's elements, with a stride
// above cols by 0 to 2, picking its rows by index from a larger matrix if
// indexed (the first and last rows are the data's last row).
func testRows[E elem](rng *rand.Rand, rows, cols int, indexed bool, gen func(*rand.Rand, int) []E) *dataRows[E] {
	stride := cols + rng.IntN(3)
	if !indexed {
		n := 0
		if rows > 0 {
			n = (rows-1)*stride + cols
		}
		return &dataRows[E]{Rows: rows, Cols: cols, Stride: stride, Data: gen(rng, n)}
	}
	total := rows + 5
	data := gen(rng, (total-1)*stride+cols)
	idx := make([]int32, rows)
	for i := range idx {
		idx[i] = int32(rng.IntN(total))
	}
	if rows > 1 {
		idx[rows-1] = int32(total - 1) // the last row of the data: no reading past it
		idx[0] = idx[rows-1]
	}
	return &dataRows[E]{Rows: rows, Cols: cols, Stride: stride, Data: data, Index: idx}
}

// u8Mat and f32Mat are testRows of randU8 and randF32Data.
func u8Mat(rng *rand.Rand, rows, cols int, indexed bool) *U8Matrix {
	return (*U8Matrix)(testRows(rng, rows, cols, indexed, randU8))
}

func f32Mat(rng *rand.Rand, rows, cols int, indexed bool) *F32Matrix {
	return (*F32Matrix)(testRows(rng, rows, cols, indexed, randF32Data))
}

// rowsMatrix returns the rows of x as a dense Matrix of their values, and
// u8ToMatrix and f32ToMatrix those of a U8Matrix and an F32Matrix.
func rowsMatrix[E elem](x *dataRows[E]) *Matrix {
	m := NewMatrix(x.Rows, x.Cols)
	for i := range x.Rows {
		o := x.rowOff(i)
		for j, v := range x.Data[o : o+x.Cols] {
			m.Data[i*x.Cols+j] = float32(v)
		}
	}
	return m
}

func u8ToMatrix(x *U8Matrix) *Matrix   { return rowsMatrix((*dataRows[uint8])(x)) }
func f32ToMatrix(x *F32Matrix) *Matrix { return rowsMatrix((*dataRows[float32])(x)) }

// garbage is a quiet NaN that is not the poison marker: C is filled with it
// when beta is 0, which must not read C.
var garbage = math.Float32frombits(0x7fc0dead)

// clone returns a copy of tm with its own buffer (same offset, stride
// and poison).
func (tm testMat) clone() testMat {
	buf := append([]float32(nil), tm.buf...)
	m := *tm.m
	if len(tm.m.Data) > 0 {
		m.Data = buf[tm.off : tm.off+len(tm.m.Data)]
	}
	return testMat{&m, buf, tm.off}
}

// fillGarbage sets every element of the matrix (not the gaps) to garbage.
func (tm testMat) fillGarbage() {
	for i := range tm.m.Rows {
		for j := range tm.m.Cols {
			tm.m.Data[i*tm.m.Stride+j] = garbage
		}
	}
}

// sameBits fails unless a and b hold the same bits.
func sameBits(t *testing.T, name string, a, b []float32) {
	t.Helper()
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			t.Fatalf("%s: element %d of the buffer is %v (%#x), want %v (%#x)", name, i, a[i], math.Float32bits(a[i]), b[i], math.Float32bits(b[i]))
		}
	}
}

// checkOutsideC fails if an element of cbuf outside C (n elements from coff,
// rows of width used elements every cstride) is not poison.
func checkOutsideC(t *testing.T, name string, cbuf []float32, coff, n, cstride, width int) {
	t.Helper()
	for i, v := range cbuf {
		r := i - coff
		if (r < 0 || r >= n || r%cstride >= width) && !isPoison(v) {
			t.Fatalf("%s: element %d of the buffer outside C was written (%v)", name, i, v)
		}
	}
}

// gradOperands are the operands of the merging gradient kernels for m rows
// and nch chunks: rows of gen's elements at any alignment (the first two
// the same, ending at the data's last element), G at an odd offset, C (10
// rows of cstride) inside a poisoned buffer at offset coff, full of NaN
// garbage when beta is 0.
type gradOperands[E elem] struct {
	data          []E
	offs          []int
	gp, c, cbuf   []float32
	coff, cstride int
}

func newGradOperands[E elem](rng *rand.Rand, m, nch int, beta float32, gen func(*rand.Rand, int) []E) gradOperands[E] {
	rowLen := 8*nch + rng.IntN(9)
	off := rng.IntN(8)
	data := gen(rng, off+(m+2)*rowLen)
	offs := make([]int, m)
	for i := range offs {
		offs[i] = off + rng.IntN(len(data)-off-8*nch+1) // any alignment
	}
	offs[0] = len(data) - 8*nch // reads up to the last byte
	if m > 1 {
		offs[1] = offs[0]
	}
	gp := randSlice(rng, 10*m+off, -1, 1)[off:]
	cstride := 8*nch + rng.IntN(5)
	coff := rng.IntN(8)
	cbuf := poisoned(coff + 9*cstride + 8*nch + 5)
	c := cbuf[coff : coff+9*cstride+8*nch]
	for r := range 10 {
		for j := range 8 * nch {
			c[r*cstride+j] = 2*rng.Float32() - 1
			if beta == 0 {
				c[r*cstride+j] = garbage
			}
		}
	}
	return gradOperands[E]{data, offs, gp, c, cbuf, coff, cstride}
}

// fastU8Betas are the betas of the tests: 0 (C not read), 1 (training's
// forward, and its update without weight decay) and others.
var fastU8Betas = []float32{0, 1, -0.5, 0.999}

// negZero is -0 as a float32 (beta -0 must not read C, as beta +0).
var negZero = float32(math.Copysign(0, -1))

// fwdCase is one call of a forward kernel (fwdU8Rows10, fwdF32Rows10)
// with its operands: rows of gen's elements picked by index (random rows,
// the last row of the data, a repeated row) with stride > k, W and C at
// odd offsets in poisoned buffers, C with gaps (cstride > 10), full of NaN
// garbage when beta is +-0.
type fwdCase[E elem] struct {
	data                  []E
	index                 []int32
	stride, wstride, m, k int
	w, c, cbuf, bias      []float32
	coff, cstride         int
	alpha, beta           float32
	fwd                   fwdKernel[E]
}

func newFwdCase[E elem](rng *rand.Rand, fwd fwdKernel[E], m, k int, alpha, beta float32, withBias bool, gen func(*rand.Rand, int) []E) fwdCase[E] {
	stride := k + 1 + rng.IntN(9)
	rows := m + 3
	xoff := rng.IntN(4)
	data := gen(rng, xoff+(rows-1)*stride+k)[xoff:]
	index := make([]int32, m+rng.IntN(3)) // longer than m: only [:m] is used
	for i := range index {
		index[i] = int32(rng.IntN(rows))
	}
	index[0] = int32(rows - 1) // the last row of the data: its last byte is the data's
	if m > 2 {
		index[2] = index[0] // a repeated row
	}
	wstride := k + rng.IntN(5)
	woff := rng.IntN(8)
	w := randSlice(rng, woff+9*wstride+k, -0.1, 0.1)[woff:]
	cstride := 10 + rng.IntN(6)
	coff := rng.IntN(8)
	cbuf := poisoned(coff + (m-1)*cstride + 10 + 17)
	c := cbuf[coff : coff+(m-1)*cstride+10]
	for i := range m {
		for j := range 10 {
			c[i*cstride+j] = 2*rng.Float32() - 1
			if beta == 0 {
				c[i*cstride+j] = garbage
			}
		}
	}
	var bias []float32
	if withBias {
		boff := rng.IntN(4)
		bias = append(randSlice(rng, boff+10, -2, 2), poisoned(6)...)[boff : boff+10]
		bias[rng.IntN(10)] = negZero
	}
	return fwdCase[E]{data, index, stride, wstride, m, k, w, c, cbuf, bias, coff, cstride, alpha, beta, fwd}
}

func (f *fwdCase[E]) run() {
	f.fwd(f.data, f.index, f.stride, f.w, f.wstride, f.c, f.cstride, f.m, f.k, f.alpha, f.beta, f.bias)
}

// check compares c with the float64 oracle (c0: C before the call), with
// the bound of checkGemm, and checks nothing outside the
// m x 10 block of C was written.
func (f *fwdCase[E]) check(t *testing.T, name string, c0 []float32) {
	t.Helper()
	for i := range f.m {
		xi := f.data[int(f.index[i])*f.stride:][:f.k]
		for j := range 10 {
			var want, sa float64
			for p, v := range xi {
				pr := float64(v) * float64(f.w[j*f.wstride+p])
				want += pr
				sa += math.Abs(pr)
			}
			a := math.Abs(float64(f.alpha))
			want *= float64(f.alpha)
			bound := float64(f.k+4) * eps32 * a * sa
			if f.beta != 0 {
				cv := float64(f.beta * c0[i*f.cstride+j])
				want += cv
				bound += 4 * eps32 * math.Abs(cv)
			}
			if f.bias != nil {
				want += float64(f.bias[j])
				bound += 2 * eps32 * (math.Abs(want) + math.Abs(float64(f.bias[j])))
			}
			got := f.c[i*f.cstride+j]
			if math.Abs(float64(got)-want) > bound+1e-30 || math.IsNaN(float64(got)) {
				t.Fatalf("%s: c[%d][%d] = %v, want %v (bound %g)", name, i, j, got, want, bound)
			}
		}
	}
	checkOutsideC(t, name, f.cbuf, f.coff, len(f.c), f.cstride, 10)
}

var fwdTestK = []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
	31, 32, 33, 47, 48, 49, 63, 64, 65, 783, 784, 785, 800}

// TestKernelFwdU8Rows10 checks kernelSet.fwdU8Rows10 of every level
// against the float64 oracle: every k tail, odd and large row counts,
// indexed rows with strides above k, unaligned W and C, C with gaps and
// poison around it (full of NaN garbage when beta is +-0), with and without
// a bias.
// TestKernelFwdF32Rows10 is TestKernelFwdU8Rows10 for
// kernelSet.fwdF32Rows10.
func TestKernelFwdU8Rows10(t *testing.T)  { testKernelFwd(t, u8Rows, 1.0/255) }
func TestKernelFwdF32Rows10(t *testing.T) { testKernelFwd(t, f32Rows, 0.5) }

// testKernelFwd is TestKernelFwdU8Rows10 for the forward kernel of rt's
// rows, with alpha alpha0 or -1.5.
func testKernelFwd[E elem](t *testing.T, rt rowsType[E], alpha0 float32) {
	rng := newRNG(t)
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		kk, ms := fwdTestK, []int{1, 2, 3, 4, 5, 7, 255, 256}
		if testing.Short() { // under the race detector and qemu: every tail kind once
			kk, ms = []int{1, 7, 8, 9, 16, 17, 33, 784, 785}, []int{1, 2, 3, 5, 256}
		}
		for _, k := range kk {
			for _, m := range ms {
				for _, beta := range []float32{0, negZero, 1, -0.5} {
					if m > 7 && k < 783 && beta != 1 && k%16 != 1 {
						continue // the big m with every beta for a few k only
					}
					alpha := alpha0
					if rng.IntN(2) == 0 {
						alpha = -1.5
					}
					f := newFwdCase(rng, rt.fwd(ks), m, k, alpha, beta, rng.IntN(2) == 0, rt.gen)
					c0 := append([]float32(nil), f.c...)
					f.run()
					f.check(t, fmt.Sprintf("k=%d m=%d alpha=%v beta=%v bias=%v", k, m, alpha, beta, f.bias != nil), c0)
				}
			}
		}
	})
}

// TestKernelFwdU8Rows10Independent checks, at every level, that a row's result is bitwise
// independent of m, of the row it is paired with and of where the rows are
// cut: one call on 256 rows against the same rows cut into random ranges
// (odd and even sizes, so rows meet other partners, or themselves at an
// odd end) and against every row alone.
// TestKernelFwdF32Rows10Independent is TestKernelFwdU8Rows10Independent
// for kernelSet.fwdF32Rows10.
func TestKernelFwdU8Rows10Independent(t *testing.T)  { testKernelFwdIndependent(t, u8Rows, 1.0/255) }
func TestKernelFwdF32Rows10Independent(t *testing.T) { testKernelFwdIndependent(t, f32Rows, 0.5) }

// testKernelFwdIndependent is TestKernelFwdU8Rows10Independent for the
// forward kernel of rt's rows.
func testKernelFwdIndependent[E elem](t *testing.T, rt rowsType[E], alpha float32) {
	rng := newRNG(t)
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		kk, trials := []int{1, 15, 16, 17, 33, 784, 785}, 20
		if testing.Short() {
			kk, trials = []int{1, 17, 784}, 4
		}
		for _, k := range kk {
			for _, beta := range []float32{0, 1, 0.75} {
				f := newFwdCase(rng, rt.fwd(ks), 256, k, alpha, beta, beta != 1, rt.gen)
				c0 := append([]float32(nil), f.c...)
				f.run()
				want := append([]float32(nil), f.cbuf...)
				name := fmt.Sprintf("k=%d beta=%v", k, beta)
				f.check(t, name, c0)
				for trial := range trials {
					copy(f.c, c0)
					var cuts []int
					for lo := 0; lo < 256; {
						hi := min(256, lo+1+rng.IntN(9))
						if trial == 0 {
							hi = lo + 1 // every row alone
						}
						g := f
						g.index, g.m, g.c = f.index[lo:hi], hi-lo, f.c[lo*f.cstride:]
						g.run()
						cuts = append(cuts, hi)
						lo = hi
					}
					sameBits(t, fmt.Sprintf("%s: cut at %v", name, cuts), f.cbuf, want)
				}
			}
		}
	})
}

// checkGrad compares c (the gradient of g's operands over all rows,
// c0: C before) with the float64 oracle, and checks nothing outside C was
// written.
func checkGrad[E elem](t *testing.T, name string, g gradOperands[E], nch int, alpha, beta float32, c0 []float32) {
	t.Helper()
	for r := range 10 {
		for p := range 8 * nch {
			idx := r*g.cstride + p
			var want, sa float64
			for i, o := range g.offs {
				v := float64(g.gp[i*10+r]) * float64(g.data[o+p])
				want += v
				sa += math.Abs(v)
			}
			want *= float64(alpha)
			bound := float64(len(g.offs)+4) * eps32 * math.Abs(float64(alpha)) * sa
			if beta != 0 {
				cv := float64(beta * c0[idx])
				want += cv
				bound += 4 * eps32 * math.Abs(cv)
			}
			got := g.c[idx]
			if math.Abs(float64(got)-want) > bound+1e-30 || math.IsNaN(float64(got)) {
				t.Fatalf("%s: c[%d][%d] = %v, want %v (bound %g)", name, r, p, got, want, bound)
			}
		}
	}
	checkOutsideC(t, name, g.cbuf, g.coff, len(g.c), g.cstride, 8*nch)
}

// TestKernelGradU8x10 checks kernelSet.gradU8x10 of every level against the
// float64 oracle for one block of all the rows (mode 2, no acc), against
// the rows run as blocks of random sizes (acc full of NaN garbage to begin with and
// poisoned past 80*nch, C untouched before the last block) and against the
// chunks split between two calls at every split point.
// TestKernelGradF32x10 is TestKernelGradU8x10 for kernelSet.gradF32x10.
func TestKernelGradU8x10(t *testing.T)  { testKernelGrad(t, u8Rows, -0.1/255) }
func TestKernelGradF32x10(t *testing.T) { testKernelGrad(t, f32Rows, -0.01) }

// testKernelGrad is TestKernelGradU8x10 for the gradient kernel of rt's
// rows, with alpha alpha0 or 1.
func testKernelGrad[E elem](t *testing.T, rt rowsType[E], alpha0 float32) {
	rng := newRNG(t)
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		grad := rt.grad(ks)
		nchs, ms := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 98}, []int{1, 2, 3, 31, 32, 33, 256}
		if testing.Short() {
			nchs, ms = []int{1, 2, 3, 4, 5, 9, 33, 98}, []int{1, 3, 33, 256}
		}
		for _, nch := range nchs {
			for _, m := range ms {
				for _, beta := range []float32{0, negZero, 1, -0.5} {
					if m == 256 && beta != 1 && nch > 9 && nch != 98 {
						continue
					}
					alpha := alpha0
					if rng.IntN(2) == 0 {
						alpha = 1
					}
					name := fmt.Sprintf("nch=%d m=%d alpha=%v beta=%v", nch, m, alpha, beta)
					g := newGradOperands(rng, m, nch, beta, rt.gen)
					c0 := append([]float32(nil), g.c...)
					cbuf0 := append([]float32(nil), g.cbuf...)
					grad(g.data, g.offs, g.gp, g.c, g.cstride, nch, alpha, beta, nil, 2)
					checkGrad(t, name+" one block", g, nch, alpha, beta, c0)
					want := append([]float32(nil), g.cbuf...)

					// Blocks of rows with the sums in acc.
					copy(g.cbuf, cbuf0)
					aoff := rng.IntN(4) // any alignment, poison before and after
					accbuf := poisoned(aoff + 80*nch + 17)
					acc := accbuf[aoff : aoff+80*nch]
					for i := range acc {
						acc[i] = garbage // never read by the first block
					}
					var blocks []int
					for r := 0; r < m; {
						b := min(m-r, 1+rng.IntN(32))
						mode := 0
						if r > 0 {
							mode |= 1
						}
						if r+b == m {
							mode |= 2
						}
						grad(g.data, g.offs[r:r+b], g.gp[10*r:10*(r+b)], g.c, g.cstride, nch, alpha, beta, acc, mode)
						blocks = append(blocks, b)
						if mode&2 == 0 {
							sameBits(t, fmt.Sprintf("%s: C after block %d of %v", name, len(blocks), blocks), g.cbuf, cbuf0)
						}
						r += b
					}
					sameBits(t, fmt.Sprintf("%s blocks %v", name, blocks), g.cbuf, want)
					for i, v := range accbuf {
						if (i < aoff || i >= aoff+80*nch) && !isPoison(v) {
							t.Fatalf("%s blocks %v: element %d of the buffer outside the sums was written (%v)", name, blocks, i-aoff, v)
						}
					}

					// The chunks split between two calls, at every split point.
					if beta == -0.5 || m == 256 && nch > 9 {
						continue // enough splits of the other betas and sizes
					}
					for s := 1; s < nch; s++ {
						copy(g.cbuf, cbuf0)
						grad(g.data, g.offs, g.gp, g.c, g.cstride, s, alpha, beta, nil, 2)
						grad(g.data[8*s:], g.offs, g.gp, g.c[8*s:], g.cstride, nch-s, alpha, beta, nil, 2)
						sameBits(t, fmt.Sprintf("%s split at chunk %d", name, s), g.cbuf, want)
					}
				}
			}
		}
	})
}

// TestMatMulU8TLevels and TestMatMulF32TLevels run MatMulU8T and
// MatMulF32T at every level against the float64 oracle and bitwise across
// thread counts (onThreads): no rows, classes or inputs; ten classes (one
// group), more (groups of ten and a padded rest), fewer (one padded
// group); every k tail, k below 8; row counts over several kernel calls;
// indexed rows or not; C poisoned around it and full of NaN garbage when
// beta is 0.
func TestMatMulU8TLevels(t *testing.T)  { testMatMulTLevels(t, u8Rows, 1.0/255) }
func TestMatMulF32TLevels(t *testing.T) { testMatMulTLevels(t, f32Rows, -0.75) }

func testMatMulTLevels[E elem](t *testing.T, rt rowsType[E], alpha float32) {
	rng := newRNG(t)
	type size struct{ m, n, k int }
	var sizes []size
	for _, m := range []int{0, 1, 2, 3, 4, 5, 7, 9} {
		for _, k := range []int{0, 8, 16, 24, 40, 56, 392, 7, 9, 15, 17, 1, 3} {
			sizes = append(sizes, size{m, 10, k})
		}
	}
	for _, m := range []int{255, 257, 600} { // 600: three calls of at most rowsPerCall rows
		for _, k := range []int{8, 784, 785} {
			sizes = append(sizes, size{m, 10, k})
		}
	}
	for _, n := range []int{0, 20, 13, 29, 11, 3, 1} {
		for _, k := range []int{8, 24, 9, 196, 784, 5} {
			for _, m := range []int{1, 6, 33} {
				sizes = append(sizes, size{m, n, k})
			}
		}
	}
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		for i, s := range sizes {
			if testing.Short() && i%3 != 0 {
				continue
			}
			for _, indexed := range []bool{false, true} {
				for j, beta := range fastU8Betas {
					if (s.m > 9 || s.n != 10) && (i+j)%len(fastU8Betas) != 0 && !(beta == 1 && s.m == 257) {
						continue // the other betas on the small sizes
					}
					testMatMulT(t, rng, rt, s.m, s.n, s.k, indexed, alpha, beta)
				}
			}
		}
	})
}

func testMatMulT[E elem](t *testing.T, rng *rand.Rand, rt rowsType[E], m, n, k int, indexed bool, alpha, beta float32) {
	t.Helper()
	x := testRows(rng, m, k, indexed, rt.gen)
	w := newTestMat(rng, n, k, true)
	c := newTestMat(rng, m, n, true) // random stride: poisoned gaps
	if beta == 0 {
		c.fillGarbage()
	}
	c0 := append([]float32(nil), c.m.Data...)
	name := fmt.Sprintf("%sT m=%d n=%d k=%d indexed=%v beta=%v", rt.name, m, n, k, indexed, beta)
	xf := rowsMatrix(x)
	onThreads(t, name, c, func(ws *Workers, got *Matrix) error { return rt.matMulT(ws, alpha, x, w.m, beta, got) }, func(nameT string, got *Matrix) {
		checkGemm(t, nameT, NoTrans, Trans, alpha, xf, w.m, beta, c0, got)
	})
}

// testWorkers returns Workers of th threads that start goroutines for every
// product, as a nil Workers does with GOMAXPROCS = th (NewWorkers tests the
// pool).
func testWorkers(th int) *Workers { return &Workers{n: th} }

// onThreads runs f on a copy of c with 1 and with 2 threads; after each it
// calls check and checks that nothing outside C was written, and it demands
// bitwise the same C from both.
func onThreads(t *testing.T, name string, c testMat, f func(ws *Workers, c *Matrix) error, check func(name string, c *Matrix)) {
	t.Helper()
	var first testMat
	for _, th := range []int{1, 2} {
		got := c.clone()
		nameT := fmt.Sprintf("%s threads=%d", name, th)
		if err := f(testWorkers(th), got.m); err != nil {
			t.Fatalf("%s: %v", nameT, err)
		}
		check(nameT, got.m)
		got.checkOutside(t, nameT)
		if th == 1 {
			first = got
		} else {
			sameBits(t, nameT+" vs threads=1", got.buf, first.buf)
		}
	}
}

// TestMatMulTU8Levels and TestMatMulTF32Levels run MatMulTU8 and MatMulTF32
// at every level against the float64 oracle and bitwise across thread
// counts: no rows, classes or inputs; full tiles of ten classes and a
// partial one; every k tail, k below 8; blocks of rows over more than
// gradAccChunks chunks; odd chunk counts; the two halves of 64 rows or
// more (and more than 32768 weights, which are not summed in halves).
func TestMatMulTU8Levels(t *testing.T)  { testMatMulTXLevels(t, u8Rows, -0.1/255) }
func TestMatMulTF32Levels(t *testing.T) { testMatMulTXLevels(t, f32Rows, -0.01) }

func testMatMulTXLevels[E elem](t *testing.T, rt rowsType[E], alpha float32) {
	rng := newRNG(t)
	type size struct{ m, n, k int }
	var sizes []size
	for _, m := range []int{0, 1, 2, 3, 7, 8} {
		for _, n := range []int{0, 10, 20, 13, 9} { // 13: a full tile and a partial one; 9: none
			for _, k := range []int{0, 8, 16, 24, 7, 9, 23, 41, 3} {
				sizes = append(sizes, size{m, n, k})
			}
		}
	}
	for _, m := range []int{63, 64, 255, 257} {
		for _, k := range []int{8, 784, 785} {
			sizes = append(sizes, size{m, 10, k})
		}
	}
	sizes = append(sizes, size{1000, 10, 784}, size{33, 20, 800}, size{33, 23, 263}, size{70, 50, 700})
	// Blocks of rows (gradRowBlock) over more than gradAccChunks chunks
	// (k = 1100: 137 chunks and 4 more columns) and three tiles of ten.
	sizes = append(sizes, size{70, 10, 1100}, size{65, 30, 2048})
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		for i, s := range sizes {
			if testing.Short() && i%3 != 0 {
				continue
			}
			for _, indexed := range []bool{false, true} {
				for j, beta := range fastU8Betas {
					if s.m > 33 && (i+j)%len(fastU8Betas) != 0 && !(beta == 1 && s.k == 784) {
						continue
					}
					testMatMulTX(t, rng, rt, s.m, s.n, s.k, indexed, alpha, beta)
				}
			}
		}
	})
}

func testMatMulTX[E elem](t *testing.T, rng *rand.Rand, rt rowsType[E], m, n, k int, indexed bool, alpha, beta float32) {
	t.Helper()
	g := newTestMat(rng, m, n, true)
	x := testRows(rng, m, k, indexed, rt.gen)
	c := newTestMat(rng, n, k, true)
	if beta == 0 {
		c.fillGarbage()
	}
	c0 := append([]float32(nil), c.m.Data...)
	name := fmt.Sprintf("T%s m=%d n=%d k=%d indexed=%v beta=%v", rt.name, m, n, k, indexed, beta)
	xf := rowsMatrix(x)
	onThreads(t, name, c, func(ws *Workers, got *Matrix) error { return rt.matMulTX(ws, alpha, g.m, x, beta, got) }, func(nameT string, got *Matrix) {
		checkGemm(t, nameT, Trans, NoTrans, alpha, g.m, xf, beta, c0, got)
	})
}

// TestMatMulU8T and TestMatMulF32T run MatMulU8T and MatMulF32T at every
// level on every small shape (no rows, classes or inputs included) and a
// few large ones, indexed rows or not, on 1 and 2 threads, beta 0 (C
// poisoned) or -0.5, against the float64 oracle.
func TestMatMulU8T(t *testing.T)  { testMatMulTSizes(t, u8Rows, 1.0/255) }
func TestMatMulF32T(t *testing.T) { testMatMulTSizes(t, f32Rows, -0.75) }

func testMatMulTSizes[E elem](t *testing.T, rt rowsType[E], alpha float32) {
	rng := newRNG(t)
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		sizes := [][3]int{{256, 10, 784}, {255, 10, 784}, {33, 7, 785}, {64, 100, 300}}
		for m := 0; m <= 9; m++ {
			for _, n := range []int{0, 1, 4, 5, 6, 10, 11} {
				for _, k := range []int{0, 1, 7, 8, 9, 16, 23, 33} {
					sizes = append(sizes, [3]int{m, n, k})
				}
			}
		}
		for _, s := range sizes {
			for _, indexed := range []bool{false, true} {
				for _, th := range []int{1, 2} {
					ws := testWorkers(th)
					m, n, k := s[0], s[1], s[2]
					x := testRows(rng, m, k, indexed, rt.gen)
					w := newTestMat(rng, n, k, true)
					beta := float32(0)
					if (m+n+k)%2 == 1 {
						beta = -0.5
					}
					c := newTestMat(rng, m, n, beta != 0)
					c0 := append([]float32{}, c.m.Data...)
					name := fmt.Sprintf("%sT m=%d n=%d k=%d indexed=%v threads=%d", rt.name, m, n, k, indexed, th)
					if err := rt.matMulT(ws, alpha, x, w.m, beta, c.m); err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					xf := rowsMatrix(x)
					checkGemm(t, name, NoTrans, Trans, alpha, xf, w.m, beta, c0, c.m)
					c.checkOutside(t, name)
				}
			}
		}
	})
}

// TestMatMulTU8 and TestMatMulTF32 run MatMulTU8 and MatMulTF32 at every
// level on every small shape (no rows, classes or inputs included) and a
// few large ones, indexed rows or not, on 1 and 2 threads, beta 0 (C
// poisoned) or 1, against the float64 oracle.
func TestMatMulTU8(t *testing.T)  { testMatMulTXSizes(t, u8Rows, -0.1/255) }
func TestMatMulTF32(t *testing.T) { testMatMulTXSizes(t, f32Rows, -0.01) }

func testMatMulTXSizes[E elem](t *testing.T, rt rowsType[E], alpha float32) {
	rng := newRNG(t)
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		sizes := [][3]int{{256, 10, 784}, {255, 10, 785}, {100, 23, 33}, {17, 1, 800}}
		for m := 0; m <= 9; m++ {
			for _, n := range []int{0, 1, 9, 10, 11, 20} {
				for _, k := range []int{0, 1, 7, 8, 9, 16, 23, 33} {
					sizes = append(sizes, [3]int{m, n, k})
				}
			}
		}
		for _, s := range sizes {
			for _, indexed := range []bool{false, true} {
				for _, th := range []int{1, 2} {
					ws := testWorkers(th)
					m, n, k := s[0], s[1], s[2]
					g := newTestMat(rng, m, n, true)
					x := testRows(rng, m, k, indexed, rt.gen)
					beta := float32(0)
					if (m+n+k)%2 == 1 {
						beta = 1
					}
					c := newTestMat(rng, n, k, beta != 0)
					c0 := append([]float32{}, c.m.Data...)
					name := fmt.Sprintf("T%s m=%d n=%d k=%d indexed=%v threads=%d", rt.name, m, n, k, indexed, th)
					if err := rt.matMulTX(ws, alpha, g.m, x, beta, c.m); err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					checkGemm(t, name, Trans, NoTrans, alpha, g.m, rowsMatrix(x), beta, c0, c.m)
					c.checkOutside(t, name)
				}
			}
		}
	})
}

// TestMatMulU8TBias and TestMatMulF32TBias: the product with the bias added
// by each thread is bitwise MatMul*T with beta = 0 followed by adding the
// bias, at every level, with and without the worker pool, on odd shapes
// (C poisoned, so a read of it would show).
func TestMatMulU8TBias(t *testing.T)  { testMatMulTBias(t, u8Rows, 1.0/255) }
func TestMatMulF32TBias(t *testing.T) { testMatMulTBias(t, f32Rows, 0.125) }

func testMatMulTBias[E elem](t *testing.T, rt rowsType[E], alpha float32) {
	rng := newRNG(t)
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		sizes := [][3]int{{256, 10, 784}, {255, 10, 784}, {33, 7, 785}, {64, 25, 300}, {9, 20, 13}}
		for m := 0; m <= 5; m++ {
			for _, n := range []int{0, 1, 5, 10, 11} {
				for _, k := range []int{0, 1, 8, 9, 23} {
					sizes = append(sizes, [3]int{m, n, k})
				}
			}
		}
		for _, s := range sizes {
			for _, indexed := range []bool{false, true} {
				for _, th := range []int{1, 2, -2} { // -2: two threads with a worker pool
					ws := testWorkers(th)
					if th < 0 {
						ws = NewWorkers(-th)
					}
					m, n, k := s[0], s[1], s[2]
					x := testRows(rng, m, k, indexed, rt.gen)
					w := newTestMat(rng, n, k, true)
					bias := randSlice(rng, n, -2, 2)
					if n > 0 {
						bias[0] = negZero
					}
					c := newTestMat(rng, m, n, false) // poisoned
					want := NewMatrix(m, n)
					name := fmt.Sprintf("%sTBias m=%d n=%d k=%d indexed=%v threads=%d", rt.name, m, n, k, indexed, th)
					if err := rt.matMulT(ws, alpha, x, w.m, 0, want); err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					for i := range m {
						for j := range n {
							want.Data[i*n+j] += bias[j]
						}
					}
					if err := rt.matMulTBias(ws, alpha, x, w.m, bias, c.m); err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					ws.Close()
					for i := range m {
						for j := range n {
							if g, e := c.m.At(i, j), want.At(i, j); math.Float32bits(g) != math.Float32bits(e) {
								t.Fatalf("%s: C[%d][%d] = %v, want %v", name, i, j, g, e)
							}
						}
					}
					c.checkOutside(t, name)
				}
			}
		}
	})
}

// TestMatVecU8Bias and TestMatVecF32Bias check MatVecU8Bias and
// MatVecF32Bias at every level against the float64 oracle (and bitwise
// against the level's kernel), their errors, and the shapes with no
// classes or no inputs; they allocate nothing.
func TestMatVecU8Bias(t *testing.T)  { testMatVecBias(t, u8Rows, 1.0/255) }
func TestMatVecF32Bias(t *testing.T) { testMatVecBias(t, f32Rows, 0.5) }

func testMatVecBias[E elem](t *testing.T, rt rowsType[E], alpha float32) {
	rng := newRNG(t)
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		for _, s := range [][2]int{{10, 784}, {1, 1}, {3, 7}, {23, 33}, {64, 100}, {10, 0}, {0, 5}} {
			n, k := s[0], s[1]
			w := newTestMat(rng, n, k, true)
			x := rt.gen(rng, k)
			bias := randSlice(rng, n, -1, 1)
			z := poisoned(n)
			if err := rt.matVecBias(alpha, x, w.m, bias, z); err != nil {
				t.Fatalf("n=%d k=%d: %v", n, k, err)
			}
			for j := range n {
				want, tol := rowOracle(x, w.m.Data, w.m.Stride, alpha, bias, j)
				if math.Abs(float64(z[j])-want) > tol || z[j] != z[j] {
					t.Fatalf("n=%d k=%d: z[%d] = %v, want %v", n, k, j, z[j], want)
				}
			}
			if n > 0 && k > 0 {
				got := poisoned(n)
				rt.dotRow(ks)(x, w.m.Data, w.m.Stride, alpha, bias, got)
				sameBits(t, fmt.Sprintf("n=%d k=%d vs the kernel", n, k), z, got)
			}
		}
		w := NewMatrix(10, 784)
		x, bias, z := make([]E, 784), make([]float32, 10), make([]float32, 10)
		if a := testing.AllocsPerRun(100, func() { rt.matVecBias(1, x, w, bias, z) }); a != 0 {
			t.Errorf("%v allocations per call", a)
		}
		cases := []struct {
			name    string
			x       []E
			bias, z []float32
		}{
			{"short x", x[:783], bias, z},
			{"short bias", x, bias[:9], z},
			{"short z", x, bias, z[:9]},
			{"z is the bias", x, bias, bias},
			{"z in W", x, bias, w.Data[:10]},
		}
		if zx := rt.zInX(x); zx != nil {
			cases = append(cases, struct {
				name    string
				x       []E
				bias, z []float32
			}{"z in x", x, bias, zx})
		}
		for _, tc := range cases {
			if err := rt.matVecBias(1, tc.x, w, tc.bias, tc.z); !errors.Is(err, ErrShape) {
				t.Errorf("%s: err %v, want ErrShape", tc.name, err)
			}
		}
		if err := rt.matVecBias(1, x, &Matrix{Rows: 10, Cols: 784, Stride: 784}, bias, z); !errors.Is(err, ErrShape) {
			t.Errorf("W without data: err %v, want ErrShape", err)
		}
	})
}

// gradBlocksBench is gradBlocks for one tile of ten classes with the
// kernel grad (of either element type): groups of at most gradAccChunks
// chunks, blocks of gradRowBlock rows, the sums in acc.
func gradBlocksBench[E elem](grad gradKernel[E], x []E, offs []int, gp, c []float32, cstride, nch int, alpha, beta float32, acc []float32) {
	m := len(offs)
	for g := 0; g < nch; g += gradAccChunks {
		e := min(g+gradAccChunks, nch)
		for r := 0; r < m; r += gradRowBlock {
			re := min(r+gradRowBlock, m)
			mode := 0
			if r > 0 {
				mode |= 1
			}
			if re == m {
				mode |= 2
			}
			grad(x[8*g:], offs[r:re], gp[10*r:10*re], c[8*g:], cstride, e-g, alpha, beta, acc, mode)
		}
	}
}

// BenchmarkU8Kernels measures the two uint8 kernels of a training step on
// the real minibatch shape, every level in the same run (names
// .../impl=..., for benchstat -col /impl): 256 rows of a 60000 x 784 data set
// (fashionLike, 47 MB), 10 classes, W class-major 10 x 784.
//   - op=fwd: logits of a fresh minibatch each iteration (the next 256
//     rows of a random permutation of the data set, as an epoch takes
//     them: out of L2), beta 0 and a bias, as training calls it.
//   - op=grad: the weight gradient merged into W (beta 1) for one
//     minibatch whose rows stay in L2 (training runs it right after the
//     forward product on the same rows): blocks=1 is one call on all 256
//     rows (mode 2); blocks=32 runs the driver's order (gradBlocks):
//     chunk groups of 64 and 34, blocks of 32 rows, sums in acc.
//
// BenchmarkF32Kernels is BenchmarkU8Kernels for the float32 kernels
// (kernelSet's fwdF32Rows10 and gradF32x10) on the rows of fashionLikeF32
// (pixel/255 as float32, 188 MB).
func BenchmarkU8Kernels(b *testing.B)  { benchKernels(b, u8Rows, 1.0/255, -0.1/255) }
func BenchmarkF32Kernels(b *testing.B) { benchKernels(b, f32Rows, 1, -1e-4) }

func benchKernels[E elem](b *testing.B, rt rowsType[E], fwdAlpha, gradAlpha float32) {
	const m, k, stride = 256, 784, 784
	data := rt.benchData()
	rng := benchRNG()
	perm := rng.Perm(60000)
	index := make([]int32, len(perm))
	for i, p := range perm {
		index[i] = int32(p)
	}
	nb := len(index) / m
	w := make([]float32, 10*k)
	for i := range w {
		w[i] = rng.Float32() - 0.5
	}
	bias := randSlice(rng, 10, -1, 1)
	logits := make([]float32, m*10)
	gp := randSlice(rng, 10*m, -1, 1)
	offs := make([]int, m)
	for i := range offs {
		offs[i] = int(index[i]) * stride
	}
	acc := make([]float32, 80*gradAccChunks)
	const flop = 2 * m * k * 10
	for _, kf := range levels {
		fwd := rt.fwd(kf)
		b.Run("op=fwd/rows=256/impl="+kf.isa.String(), func(b *testing.B) {
			i := 0
			for b.Loop() {
				fwd(data, index[i*m:(i+1)*m], stride, w, k, logits, 10, m, k, fwdAlpha, 0, bias)
				i = (i + 1) % nb
			}
			reportGFLOPS(b, flop)
		})
	}
	for _, kf := range levels {
		grad := rt.grad(kf)
		b.Run("op=grad/rows=256/blocks=1/impl="+kf.isa.String(), func(b *testing.B) {
			for b.Loop() {
				grad(data, offs, gp, w, k, k/8, gradAlpha, 1, nil, 2)
			}
			reportGFLOPS(b, flop)
		})
	}
	for _, kf := range levels {
		grad := rt.grad(kf)
		b.Run("op=grad/rows=256/blocks=32/impl="+kf.isa.String(), func(b *testing.B) {
			for b.Loop() {
				gradBlocksBench(grad, data, offs, gp, w, k, k/8, gradAlpha, 1, acc)
			}
			reportGFLOPS(b, flop)
		})
	}
}
