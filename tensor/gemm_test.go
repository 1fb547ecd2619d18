package tensor

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// testMat is a matrix view inside a poisoned buffer: poison before, after
// and in the gap between Cols and Stride, so writes outside show up.
type testMat struct {
	m   *Matrix
	buf []float32
	off int
}

func newTestMat(rng *rand.Rand, rows, cols int, fill bool) testMat {
	off := rng.IntN(4)
	stride := cols + rng.IntN(3)
	n := off + rows*stride + 3
	buf := poisoned(n)
	m := &Matrix{Rows: rows, Cols: cols, Stride: stride}
	if rows > 0 && cols > 0 {
		m.Data = buf[off : off+(rows-1)*stride+cols]
	}
	if fill {
		for i := range rows {
			for j := range cols {
				m.Data[i*stride+j] = 2*rng.Float32() - 1
			}
		}
	}
	return testMat{m, buf, off}
}

// checkOutside fails if anything outside the matrix elements was written.
func (tm testMat) checkOutside(t *testing.T, what string) {
	t.Helper()
	m := tm.m
	inside := func(idx int) bool {
		if m.Rows == 0 || m.Cols == 0 {
			return false
		}
		r := idx - tm.off
		return r >= 0 && r/m.Stride < m.Rows && r%m.Stride < m.Cols
	}
	for i, v := range tm.buf {
		if !inside(i) && !isPoison(v) {
			t.Fatalf("%s: element %d of the buffer outside the matrix was written (%v)", what, i, v)
		}
	}
}

func opAt(m *Matrix, tr Transpose, i, j int) float64 {
	if tr {
		return float64(m.Data[j*m.Stride+i])
	}
	return float64(m.Data[i*m.Stride+j])
}

// checkGemm compares C = alpha*op(A)*op(B) + beta*C0 with a float64 oracle,
// with error <= (k+4)*eps*(|alpha|*sum|a||b| + |beta*c0|).
func checkGemm(t *testing.T, name string, tA, tB Transpose, alpha float32, a, b *Matrix, beta float32, c0 []float32, c *Matrix) {
	t.Helper()
	m, n := c.Rows, c.Cols
	k := a.Cols
	if tA {
		k = a.Rows
	}
	for i := range m {
		for j := range n {
			var s, sa float64
			if alpha != 0 {
				for p := range k {
					v := opAt(a, tA, i, p) * opAt(b, tB, p, j)
					s += v
					sa += math.Abs(v)
				}
			}
			want := float64(alpha) * s
			bound := float64(k+4) * eps32 * math.Abs(float64(alpha)) * sa
			if beta != 0 {
				cv := float64(beta) * float64(c0[i*c.Stride+j])
				want += cv
				bound += 4 * eps32 * math.Abs(cv)
			}
			got := c.Data[i*c.Stride+j]
			if math.IsNaN(float64(got)) || math.Abs(float64(got)-want) > bound+1e-30 {
				t.Fatalf("%s: C[%d][%d] = %v, want %v (bound %g)", name, i, j, got, want, bound)
			}
		}
	}
}

func TestMatMulAllSizes(t *testing.T) {
	rng := newRNG(t)
	step := 1
	if testing.Short() {
		step = 3
	}
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		for _, tA := range []Transpose{NoTrans, Trans} {
			for _, tB := range []Transpose{NoTrans, Trans} {
				for m := 0; m <= 33; m += step {
					for n := 0; n <= 33; n += step {
						for k := 0; k <= 33; k += step {
							alpha, beta := float32(1), float32(0)
							switch (m + n + k) % 4 {
							case 1:
								alpha, beta = -1, 1
							case 2:
								alpha, beta = 0.5, -1
							case 3:
								alpha, beta = 1, 0.25
							}
							testMatMul(t, rng, nil, tA, tB, m, n, k, alpha, beta)
						}
					}
				}
			}
		}
	})
}

func testMatMul(t *testing.T, rng *rand.Rand, ws *Workers, tA, tB Transpose, m, n, k int, alpha, beta float32) {
	t.Helper()
	ar, ac := m, k
	if tA {
		ar, ac = k, m
	}
	br, bc := k, n
	if tB {
		br, bc = n, k
	}
	a, b := newTestMat(rng, ar, ac, true), newTestMat(rng, br, bc, true)
	c := newTestMat(rng, m, n, beta != 0)
	c0 := append([]float32{}, c.m.Data...)
	name := fmt.Sprintf("%v%v m=%d n=%d k=%d alpha=%v beta=%v", tA, tB, m, n, k, alpha, beta)
	if err := ws.MatMul(tA, tB, alpha, a.m, b.m, beta, c.m); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	checkGemm(t, name, tA, tB, alpha, a.m, b.m, beta, c0, c.m)
	c.checkOutside(t, name)
	a.checkOutside(t, name+" (A)")
	b.checkOutside(t, name+" (B)")
}

// TestMatMulModelShapes covers the softmax-regression shapes and sizes that
// cross the cache blocks, with one and several threads.
func TestMatMulModelShapes(t *testing.T) {
	rng := newRNG(t)
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		for _, s := range []struct {
			tA, tB  Transpose
			m, n, k int
		}{
			{NoTrans, NoTrans, 256, 10, 784}, // forward
			{Trans, NoTrans, 784, 10, 256},   // weight gradient Xᵀ·G
			{NoTrans, Trans, 256, 10, 784},   // forward with class-major W
			{Trans, NoTrans, 10, 784, 256},   // Gᵀ·X
			{NoTrans, NoTrans, 97, 300, 600},
			{Trans, Trans, 130, 70, 1100},
		} {
			for _, th := range []int{1, 2, 3} {
				testMatMul(t, rng, testWorkers(th), s.tA, s.tB, s.m, s.n, s.k, 0.75, 0.5)
			}
		}
	})
}

// TestMatMulThreadsBitwise checks that the thread count does not change a
// single bit of the result.
func TestMatMulThreadsBitwise(t *testing.T) {
	rng := newRNG(t)
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		a, b := newTestMat(rng, 300, 784, true), newTestMat(rng, 784, 10, true)
		var ref []float32
		for _, th := range []int{1, 2, 4} {
			c := NewMatrix(300, 10)
			if err := testWorkers(th).MatMul(NoTrans, NoTrans, 1, a.m, b.m, 0, c); err != nil {
				t.Fatal(err)
			}
			if ref == nil {
				ref = c.Data
				continue
			}
			for i := range ref {
				if math.Float32bits(ref[i]) != math.Float32bits(c.Data[i]) {
					t.Fatalf("threads=%d: element %d = %v, 1 thread gave %v", th, i, c.Data[i], ref[i])
				}
			}
		}
	})
}

func TestMatMulErrors(t *testing.T) {
	a, b, c := NewMatrix(3, 4), NewMatrix(4, 5), NewMatrix(3, 5)
	bad := []struct {
		name    string
		a, b, c *Matrix
	}{
		{"k mismatch", a, NewMatrix(5, 5), c},
		{"C rows", a, b, NewMatrix(4, 5)},
		{"C cols", a, b, NewMatrix(3, 6)},
		{"nil A", nil, b, c},
		{"short data", &Matrix{Rows: 3, Cols: 4, Stride: 4, Data: make([]float32, 11)}, b, c},
		{"stride < cols", &Matrix{Rows: 3, Cols: 4, Stride: 3, Data: make([]float32, 12)}, b, c},
		{"negative", &Matrix{Rows: -1, Cols: 4, Stride: 4}, b, c},
		{"C aliases A", a, NewMatrix(4, 4), a},
	}
	for _, tc := range bad {
		err := MatMul(NoTrans, NoTrans, 1, tc.a, tc.b, 0, tc.c)
		if !errors.Is(err, ErrShape) {
			t.Errorf("%s: err = %v, want ErrShape", tc.name, err)
		}
	}
	if err := MatMul(NoTrans, NoTrans, 1, a, b, 0, c); err != nil {
		t.Errorf("valid call: %v", err)
	}
}

func TestMatMulU8Errors(t *testing.T) {
	x := &U8Matrix{Rows: 2, Cols: 3, Stride: 3, Data: make([]uint8, 6)}
	w, c := NewMatrix(4, 3), NewMatrix(2, 4)
	if err := MatMulU8T(1, x, w, 0, c); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		x    *U8Matrix
		w, c *Matrix
	}{
		{"W cols", x, NewMatrix(4, 2), c},
		{"C shape", x, w, NewMatrix(3, 4)},
		{"short data", &U8Matrix{Rows: 2, Cols: 3, Stride: 3, Data: make([]uint8, 5)}, w, c},
		{"index out of range", &U8Matrix{Rows: 2, Cols: 3, Stride: 3, Data: make([]uint8, 6), Index: []int32{0, 2}}, w, c},
		{"negative index", &U8Matrix{Rows: 2, Cols: 3, Stride: 3, Data: make([]uint8, 6), Index: []int32{-1, 0}}, w, c},
		{"index length", &U8Matrix{Rows: 3, Cols: 3, Stride: 3, Data: make([]uint8, 6), Index: []int32{0, 1}}, w, c},
	}
	for _, tc := range cases {
		if err := MatMulU8T(1, tc.x, tc.w, 0, tc.c); !errors.Is(err, ErrShape) {
			t.Errorf("MatMulU8T %s: err = %v, want ErrShape", tc.name, err)
		}
	}
	bias := make([]float32, 4)
	if err := MatMulU8TBias(1, x, w, bias, c); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		w    *Matrix
		bias []float32
		c    *Matrix
	}{
		{"bias length", w, bias[:3], c},
		{"nil bias", w, nil, c},
		{"nil W", nil, bias, c},
		{"nil C", w, bias, nil},
		{"bias inside C", w, c.Data[2:6], c},
		{"C shape", w, bias, NewMatrix(3, 4)},
	} {
		if err := MatMulU8TBias(1, x, tc.w, tc.bias, tc.c); !errors.Is(err, ErrShape) {
			t.Errorf("MatMulU8TBias %s: err = %v, want ErrShape", tc.name, err)
		}
	}
	g := NewMatrix(2, 4)
	if err := MatMulTU8(1, g, x, 0, NewMatrix(4, 3)); err != nil {
		t.Fatal(err)
	}
	if err := MatMulTU8(1, g, x, 0, NewMatrix(3, 4)); !errors.Is(err, ErrShape) {
		t.Errorf("MatMulTU8 C shape: err = %v, want ErrShape", err)
	}
}
