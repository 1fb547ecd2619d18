package tensor

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// Tests of the float32 products of data rows: the kernels of every level
// (kernelSet's fwdF32Rows10, gradF32x10 and dotF32Row) through the bodies
// of the uint8 kernels' tests, on data of both signs and wide magnitudes,
// plus the float32-only property that every product is added once (an Inf
// of X stays an Inf); MatMulF32T, MatMulF32TBias, MatMulTF32 and
// MatVecF32Bias against the oracle, across thread counts and on bad
// operands.

// randF32Data returns n float32 data values of both signs, in one of three
// regimes per call: standard normal, normal times 1000, or magnitudes from
// 1e-3 to 1e5 mixed; about one in sixteen values is +0 or -0.
func randF32Data(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	regime := rng.IntN(3)
	for i := range s {
		switch r := rng.IntN(32); {
		case r == 0:
			s[i] = 0
		case r == 1:
			s[i] = negZero
		case regime == 0:
			s[i] = float32(rng.NormFloat64())
		case regime == 1:
			s[i] = float32(1000 * rng.NormFloat64())
		default:
			s[i] = float32(rng.NormFloat64() * math.Pow(10, float64(rng.IntN(9)-3)))
		}
	}
	return s
}

func fwdF32(ks *kernelSet) fwdKernel[float32]   { return ks.fwdF32Rows10 }
func gradF32(ks *kernelSet) gradKernel[float32] { return ks.gradF32x10 }

// TestKernelFwdF32Rows10 is TestKernelFwdU8Rows10 for
// kernelSet.fwdF32Rows10.
func TestKernelFwdF32Rows10(t *testing.T) {
	testKernelFwd(t, fwdF32, randF32Data, 0.5)
}

// TestKernelFwdF32Rows10Independent is TestKernelFwdU8Rows10Independent
// for kernelSet.fwdF32Rows10.
func TestKernelFwdF32Rows10Independent(t *testing.T) {
	testKernelFwdIndependent(t, fwdF32, randF32Data, 0.5)
}

// TestKernelGradF32x10 is TestKernelGradU8x10 for kernelSet.gradF32x10.
func TestKernelGradF32x10(t *testing.T) {
	testKernelGrad(t, gradF32, randF32Data, -0.01)
}

// TestKernelF32EachProductOnce checks, at every level, that the forward
// kernel and dotF32Row add each product once, tails included: one +Inf (or
// NaN) of X at any position, with W positive, gives +Inf (NaN) for every
// class, never NaN from an element counted twice against a masked +0 (Inf
// * 0); one +Inf of W gives +Inf for its class only.
func TestKernelF32EachProductOnce(t *testing.T) {
	inf, nan := float32(math.Inf(1)), float32(math.NaN())
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		for _, k := range []int{1, 3, 7, 8, 9, 15, 16, 17, 23, 31, 33, 40} {
			w := make([]float32, 10*k)
			for i := range w {
				w[i] = 0.25 + float32(i%7)
			}
			bias := make([]float32, 10)
			for p := range k {
				for _, v := range []float32{inf, nan} {
					x := make([]float32, 2*k)
					for i := range x {
						x[i] = float32(i%5) - 1
					}
					x[p] = v     // row 0
					x[k+p] = 1.5 // row 1: finite
					c := poisoned(20)
					ks.fwdF32Rows10(x, []int32{0, 1}, k, w, k, c, 10, 2, k, 1, 0, bias)
					z := poisoned(10)
					ks.dotF32Row(x[:k], w, k, 1, bias, z)
					for j := range 10 {
						for _, got := range []float32{c[j], z[j]} {
							if v == inf && got != inf || v != v && got == got {
								t.Fatalf("k=%d x[%d] = %v: class %d = %v (forward %v, one row %v)", k, p, v, j, got, c[j], z[j])
							}
						}
						if math.IsInf(float64(c[10+j]), 0) || c[10+j] != c[10+j] {
							t.Fatalf("k=%d x[%d] = %v: the finite row's class %d = %v", k, p, v, j, c[10+j])
						}
					}
				}
				// +Inf in W row 3 at p, X finite and positive.
				x := make([]float32, k)
				for i := range x {
					x[i] = 1
				}
				w2 := append([]float32(nil), w...)
				w2[3*k+p] = inf
				c := poisoned(10)
				ks.fwdF32Rows10(x, []int32{0}, k, w2, k, c, 10, 1, k, 1, 0, nil)
				z := poisoned(10)
				ks.dotF32Row(x, w2, k, 1, bias, z)
				for j := range 10 {
					for _, got := range []float32{c[j], z[j]} {
						if j == 3 && got != inf || j != 3 && (math.IsInf(float64(got), 0) || got != got) {
							t.Fatalf("k=%d w[3][%d] = +Inf: class %d = %v (forward %v, one row %v)", k, p, j, got, c[j], z[j])
						}
					}
				}
			}
		}
	})
}

// f32Mat returns a rows x cols F32Matrix of randF32Data, with a stride
// above cols by 0 to 2, picking its rows by index from a larger matrix if
// indexed (the first and last rows are the data's last row).
func f32Mat(rng *rand.Rand, rows, cols int, indexed bool) *F32Matrix {
	stride := cols + rng.IntN(3)
	if !indexed {
		n := 0
		if rows > 0 {
			n = (rows-1)*stride + cols
		}
		return &F32Matrix{Rows: rows, Cols: cols, Stride: stride, Data: randF32Data(rng, n)}
	}
	total := rows + 5
	data := randF32Data(rng, (total-1)*stride+cols)
	idx := make([]int32, rows)
	for i := range idx {
		idx[i] = int32(rng.IntN(total))
	}
	if rows > 1 {
		idx[rows-1] = int32(total - 1) // the last row of the data: no reading past it
		idx[0] = idx[rows-1]
	}
	return &F32Matrix{Rows: rows, Cols: cols, Stride: stride, Data: data, Index: idx}
}

// f32ToMatrix returns the rows of x as a dense Matrix.
func f32ToMatrix(x *F32Matrix) *Matrix {
	m := NewMatrix(x.Rows, x.Cols)
	for i := range x.Rows {
		copy(m.Data[i*x.Cols:], x.Row(i))
	}
	return m
}

// TestMatMulF32TLevels runs MatMulF32T at every level against the float64
// oracle and bitwise across thread counts (onThreads): no rows, classes or
// inputs; ten classes (one group), more (groups of ten and a padded rest),
// fewer (one padded group); every k tail, k below 8; row counts over
// several kernel calls; indexed rows or not; C poisoned around it and full
// of NaN garbage when beta is 0.
func TestMatMulF32TLevels(t *testing.T) {
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
					testF32T(t, rng, s.m, s.n, s.k, indexed, beta)
				}
			}
		}
	})
}

func testF32T(t *testing.T, rng *rand.Rand, m, n, k int, indexed bool, beta float32) {
	t.Helper()
	const alpha = -0.75
	x := f32Mat(rng, m, k, indexed)
	w := newTestMat(rng, n, k, true)
	c := newTestMat(rng, m, n, true) // random stride: poisoned gaps
	if beta == 0 {
		c.fillGarbage()
	}
	c0 := append([]float32(nil), c.m.Data...)
	name := fmt.Sprintf("F32T m=%d n=%d k=%d indexed=%v beta=%v", m, n, k, indexed, beta)
	xf := f32ToMatrix(x)
	onThreads(t, name, c, func(ws *Workers, got *Matrix) error { return ws.MatMulF32T(alpha, x, w.m, beta, got) }, func(nameT string, got *Matrix) {
		checkGemm(t, nameT, NoTrans, Trans, alpha, xf, w.m, beta, c0, got)
	})
}

// TestMatMulTF32Levels runs MatMulTF32 at every level against the float64
// oracle and bitwise across thread counts: no rows, classes or inputs; full
// tiles of ten classes and a partial one; every k tail, k below 8; blocks
// of rows over more than gradAccChunks chunks; odd chunk counts; the two
// halves of 64 rows or more (and more than 32768 weights, which are not
// summed in halves).
func TestMatMulTF32Levels(t *testing.T) {
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
					testTF32(t, rng, s.m, s.n, s.k, indexed, beta)
				}
			}
		}
	})
}

func testTF32(t *testing.T, rng *rand.Rand, m, n, k int, indexed bool, beta float32) {
	t.Helper()
	const alpha = -0.01
	g := newTestMat(rng, m, n, true)
	x := f32Mat(rng, m, k, indexed)
	c := newTestMat(rng, n, k, true)
	if beta == 0 {
		c.fillGarbage()
	}
	c0 := append([]float32(nil), c.m.Data...)
	name := fmt.Sprintf("TF32 m=%d n=%d k=%d indexed=%v beta=%v", m, n, k, indexed, beta)
	xf := f32ToMatrix(x)
	onThreads(t, name, c, func(ws *Workers, got *Matrix) error { return ws.MatMulTF32(alpha, g.m, x, beta, got) }, func(nameT string, got *Matrix) {
		checkGemm(t, nameT, Trans, NoTrans, alpha, g.m, xf, beta, c0, got)
	})
}

// TestMatMulF32TBias: the product with the bias added by each thread is
// bitwise MatMulF32T with beta = 0 followed by adding the bias, at every
// level, with and without the worker pool, on odd shapes (C poisoned, so a
// read of it would show).
func TestMatMulF32TBias(t *testing.T) {
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
		for i, s := range sizes {
			if testing.Short() && i%2 != 0 {
				continue
			}
			for _, indexed := range []bool{false, true} {
				for _, th := range []int{1, 2, -2} { // -2: two threads with a worker pool
					ws := testWorkers(th)
					if th < 0 {
						ws = NewWorkers(-th)
					}
					m, n, k := s[0], s[1], s[2]
					x := f32Mat(rng, m, k, indexed)
					w := newTestMat(rng, n, k, true)
					bias := randSlice(rng, n, -2, 2)
					if n > 0 {
						bias[0] = negZero
					}
					c := newTestMat(rng, m, n, false) // poisoned
					want := NewMatrix(m, n)
					const alpha = 0.125
					name := fmt.Sprintf("F32TBias m=%d n=%d k=%d indexed=%v threads=%d", m, n, k, indexed, th)
					if err := ws.MatMulF32T(alpha, x, w.m, 0, want); err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					for i := range m {
						for j := range n {
							want.Data[i*n+j] += bias[j]
						}
					}
					if err := ws.MatMulF32TBias(alpha, x, w.m, bias, c.m); err != nil {
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

// TestDotF32Row checks kernelSet.dotF32Row of every level against float64
// for k in 1..40, 783..785 and 1568, classes 1..23, strides k and k+3, x
// and W unaligned, z poisoned around it; that a class's result does not
// depend on the others (bitwise the same alone); and exact results: zeros
// give the bias, a single 1 at each position picks W's column.
func TestDotF32Row(t *testing.T) {
	rng := newRNG(t)
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		kk := []int{783, 784, 785, 1568}
		for k := 1; k <= 40; k++ {
			kk = append(kk, k)
		}
		for _, k := range kk {
			for n := 1; n <= 23; n++ {
				if k > 100 && n%5 != 0 && n != 1 && n != 23 || testing.Short() && n%4 != 1 {
					continue
				}
				ws := k + 3*(n%2)
				xo, wo := rng.IntN(4), rng.IntN(4)
				x := randF32Data(rng, xo+k)[xo : xo+k : xo+k]
				w := randSlice(rng, wo+(n-1)*ws+k, -1, 1)[wo:]
				w = w[: (n-1)*ws+k : (n-1)*ws+k]
				bias := randSlice(rng, n, -2, 2)
				alpha := float32(0.5)
				if n%3 == 0 {
					alpha = -0.75
				}
				const pad = 20
				zb := poisoned(n + 2*pad)
				z := zb[pad : pad+n : pad+n]
				ks.dotF32Row(x, w, ws, alpha, bias, z)
				checkUntouched(t, zb[:pad], fmt.Sprintf("k=%d n=%d: before z", k, n))
				checkUntouched(t, zb[pad+n:], fmt.Sprintf("k=%d n=%d: after z", k, n))
				for j := range n {
					want, tol := rowOracle(x, w, ws, alpha, bias, j)
					if math.Abs(float64(z[j])-want) > tol || z[j] != z[j] {
						t.Fatalf("k=%d n=%d ws=%d xo=%d wo=%d: z[%d] = %v, want %v (tolerance %.3g)", k, n, ws, xo, wo, j, z[j], want, tol)
					}
				}
				if n == 23 || n == 7 {
					for j := range n {
						var one [1]float32
						ks.dotF32Row(x, w[j*ws:], ws, alpha, bias[j:j+1], one[:])
						if math.Float32bits(one[0]) != math.Float32bits(z[j]) {
							t.Fatalf("k=%d n=%d: class %d alone %v, with the others %v", k, n, j, one[0], z[j])
						}
					}
				}
			}
		}
		for _, k := range []int{1, 7, 8, 15, 16, 17, 31, 33, 784} {
			const n = 12
			w := make([]float32, n*k)
			for i := range w {
				w[i] = float32(i%997) + 0.5
			}
			bias := make([]float32, n)
			for j := range bias {
				bias[j] = float32(j) - 3
			}
			x := make([]float32, k)
			z := make([]float32, n)
			ks.dotF32Row(x, w, k, 1, bias, z)
			for j, v := range z {
				if v != bias[j] {
					t.Fatalf("k=%d zeros: z[%d] = %v, want the bias %v", k, j, v, bias[j])
				}
			}
			clear(bias)
			for p := range k {
				clear(x)
				x[p] = 1
				ks.dotF32Row(x, w, k, 1, bias, z)
				for j, v := range z {
					if v != w[j*k+p] {
						t.Fatalf("k=%d element %d: z[%d] = %v, want %v", k, p, j, v, w[j*k+p])
					}
				}
			}
		}
	})
}

// TestMatVecF32Bias checks MatVecF32Bias at every level against the
// float64 oracle (and bitwise against the level's kernel), its errors, and
// the shapes with no classes or no inputs; it allocates nothing.
func TestMatVecF32Bias(t *testing.T) {
	rng := newRNG(t)
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		for _, s := range [][2]int{{10, 784}, {1, 1}, {3, 7}, {23, 33}, {64, 100}, {10, 0}, {0, 5}} {
			n, k := s[0], s[1]
			w := newTestMat(rng, n, k, true)
			x := randF32Data(rng, k)
			bias := randSlice(rng, n, -1, 1)
			z := poisoned(n)
			if err := MatVecF32Bias(0.5, x, w.m, bias, z); err != nil {
				t.Fatalf("n=%d k=%d: %v", n, k, err)
			}
			for j := range n {
				want, tol := rowOracle(x, w.m.Data, w.m.Stride, 0.5, bias, j)
				if math.Abs(float64(z[j])-want) > tol || z[j] != z[j] {
					t.Fatalf("n=%d k=%d: z[%d] = %v, want %v", n, k, j, z[j], want)
				}
			}
			if n > 0 && k > 0 {
				got := poisoned(n)
				ks.dotF32Row(x, w.m.Data, w.m.Stride, 0.5, bias, got)
				sameBits(t, fmt.Sprintf("n=%d k=%d vs the kernel", n, k), z, got)
			}
		}
		w := NewMatrix(10, 784)
		x, bias, z := make([]float32, 784), make([]float32, 10), make([]float32, 10)
		if a := testing.AllocsPerRun(100, func() { MatVecF32Bias(1, x, w, bias, z) }); a != 0 {
			t.Errorf("%v allocations per call", a)
		}
		for _, tc := range []struct {
			name    string
			x       []float32
			bias, z []float32
		}{
			{"short x", x[:783], bias, z},
			{"short bias", x, bias[:9], z},
			{"short z", x, bias, z[:9]},
			{"z is the bias", x, bias, bias},
			{"z in W", x, bias, w.Data[:10]},
			{"z in x", x, bias, x[5:15]},
		} {
			if err := MatVecF32Bias(1, tc.x, w, tc.bias, tc.z); !errors.Is(err, ErrShape) {
				t.Errorf("%s: err %v, want ErrShape", tc.name, err)
			}
		}
		if err := MatVecF32Bias(1, x, &Matrix{Rows: 10, Cols: 784, Stride: 784}, bias, z); !errors.Is(err, ErrShape) {
			t.Errorf("W without data: err %v, want ErrShape", err)
		}
	})
}

// TestMatMulF32Errors: bad shapes, bad headers and indexes of X, and
// outputs that overlap an operand (X included) are ErrShape, never a
// panic; F32Matrix.Validate and Row.
func TestMatMulF32Errors(t *testing.T) {
	x := &F32Matrix{Rows: 2, Cols: 3, Stride: 3, Data: make([]float32, 6)}
	w, c := NewMatrix(4, 3), NewMatrix(2, 4)
	if err := MatMulF32T(1, x, w, 0, c); err != nil {
		t.Fatal(err)
	}
	bad := []struct {
		name string
		x    *F32Matrix
	}{
		{"nil X", nil},
		{"short data", &F32Matrix{Rows: 2, Cols: 3, Stride: 3, Data: make([]float32, 5)}},
		{"stride below cols", &F32Matrix{Rows: 2, Cols: 3, Stride: 2, Data: make([]float32, 6)}},
		{"negative size", &F32Matrix{Rows: -1, Cols: 3, Stride: 3}},
		{"index out of range", &F32Matrix{Rows: 2, Cols: 3, Stride: 3, Data: make([]float32, 6), Index: []int32{0, 2}}},
		{"negative index", &F32Matrix{Rows: 2, Cols: 3, Stride: 3, Data: make([]float32, 6), Index: []int32{-1, 0}}},
		{"index length", &F32Matrix{Rows: 3, Cols: 3, Stride: 3, Data: make([]float32, 6), Index: []int32{0, 1}}},
	}
	for _, tc := range bad {
		if err := tc.x.Validate(); !errors.Is(err, ErrShape) {
			t.Errorf("Validate %s: err = %v, want ErrShape", tc.name, err)
		}
		if err := MatMulF32T(1, tc.x, w, 0, c); !errors.Is(err, ErrShape) {
			t.Errorf("MatMulF32T %s: err = %v, want ErrShape", tc.name, err)
		}
		if err := MatMulTF32(1, NewMatrix(2, 4), tc.x, 0, NewMatrix(4, 3)); !errors.Is(err, ErrShape) {
			t.Errorf("MatMulTF32 %s: err = %v, want ErrShape", tc.name, err)
		}
	}
	// C inside X's data (a data set and its outputs in one buffer).
	big := make([]float32, 100)
	xb := &F32Matrix{Rows: 2, Cols: 3, Stride: 3, Data: big[:6]}
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"MatMulF32T W cols", MatMulF32T(1, x, NewMatrix(4, 2), 0, c)},
		{"MatMulF32T C shape", MatMulF32T(1, x, w, 0, NewMatrix(3, 4))},
		{"MatMulF32T C in W", MatMulF32T(1, x, &Matrix{Rows: 4, Cols: 3, Stride: 3, Data: big[:12]}, 0, &Matrix{Rows: 2, Cols: 4, Stride: 4, Data: big[4:12]})},
		{"MatMulF32T C in X", MatMulF32T(1, xb, w, 0, &Matrix{Rows: 2, Cols: 4, Stride: 4, Data: big[5:13]})},
		{"MatMulF32TBias C in X", MatMulF32TBias(1, xb, w, make([]float32, 4), &Matrix{Rows: 2, Cols: 4, Stride: 4, Data: big[:8]})},
		{"MatMulF32TBias nil bias", MatMulF32TBias(1, x, w, nil, c)},
		{"MatMulF32TBias bias length", MatMulF32TBias(1, x, w, make([]float32, 3), c)},
		{"MatMulF32TBias bias in C", MatMulF32TBias(1, x, w, c.Data[2:6], c)},
		{"MatMulTF32 C shape", MatMulTF32(1, NewMatrix(2, 4), x, 0, NewMatrix(3, 4))},
		{"MatMulTF32 G rows", MatMulTF32(1, NewMatrix(3, 4), x, 0, NewMatrix(4, 3))},
		{"MatMulTF32 C in X", MatMulTF32(1, NewMatrix(2, 4), xb, 0, &Matrix{Rows: 4, Cols: 3, Stride: 3, Data: big[:12]})},
		{"MatMulTF32 C in G", MatMulTF32(1, &Matrix{Rows: 2, Cols: 4, Stride: 4, Data: big[20:28]}, x, 0, &Matrix{Rows: 4, Cols: 3, Stride: 3, Data: big[24:36]})},
		{"MatMulTF32 nil G", MatMulTF32(1, nil, x, 0, NewMatrix(4, 3))},
	} {
		if !errors.Is(tc.err, ErrShape) {
			t.Errorf("%s: err = %v, want ErrShape", tc.name, tc.err)
		}
	}
	if err := MatMulTF32(1, NewMatrix(2, 4), x, 0, NewMatrix(4, 3)); err != nil {
		t.Fatal(err)
	}
	// Row and Validate of a good matrix, indexed.
	xi := &F32Matrix{Rows: 2, Cols: 2, Stride: 3, Data: []float32{0, 1, 2, 3, 4, 5, 6, 7}, Index: []int32{2, 0}}
	if err := xi.Validate(); err != nil {
		t.Fatal(err)
	}
	if r := xi.Row(0); len(r) != 2 || cap(r) != 2 || r[0] != 6 || r[1] != 7 {
		t.Errorf("Row(0) = %v (cap %d), want [6 7]", r, cap(r))
	}
	if r := xi.Row(1); r[0] != 0 || r[1] != 1 {
		t.Errorf("Row(1) = %v, want [0 1]", r)
	}
}

// BenchmarkF32Kernels is BenchmarkU8Kernels for the float32 kernels
// (kernelSet's fwdF32Rows10 and gradF32x10) on the rows of fashionLikeF32
// (pixel/255 as float32, 188 MB): op=fwd on a fresh minibatch each
// iteration (out of L2), op=grad on one minibatch whose rows stay in L2,
// blocks=1 one call on all 256 rows, blocks=32 the driver's order.
func BenchmarkF32Kernels(b *testing.B) {
	const m, k, stride = 256, 784, 784
	data := fashionLikeF32()
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
		b.Run("op=fwd/rows=256/impl="+kf.isa.String(), func(b *testing.B) {
			i := 0
			for b.Loop() {
				kf.fwdF32Rows10(data, index[i*m:(i+1)*m], stride, w, k, logits, 10, m, k, 1, 0, bias)
				i = (i + 1) % nb
			}
			reportGFLOPS(b, flop)
		})
	}
	for _, kf := range levels {
		b.Run("op=grad/rows=256/blocks=1/impl="+kf.isa.String(), func(b *testing.B) {
			for b.Loop() {
				kf.gradF32x10(data, offs, gp, w, k, k/8, -1e-4, 1, nil, 2)
			}
			reportGFLOPS(b, flop)
		})
	}
	for _, kf := range levels {
		b.Run("op=grad/rows=256/blocks=32/impl="+kf.isa.String(), func(b *testing.B) {
			for b.Loop() {
				gradBlocksBench(kf.gradF32x10, data, offs, gp, w, k, k/8, -1e-4, 1, acc)
			}
			reportGFLOPS(b, flop)
		})
	}
}
