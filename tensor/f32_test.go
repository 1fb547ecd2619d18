package tensor

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// The tests of the float32 products of data rows that have no uint8 twin
// (those that run for both element types are in rows_test.go): that every
// product is added once (an Inf of X stays an Inf), and bad operands of
// MatMulF32T, MatMulF32TBias and MatMulTF32 (X included, which a float32
// output can overlap); and the float32 rows of the tests (randF32Data,
// f32Mat).

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
		{"(rows-1)*stride overflows", &F32Matrix{Rows: math.MaxInt / 4, Cols: 3, Stride: math.MaxInt / 4, Data: make([]float32, 6)}},
		{"(rows-1)*stride+cols overflows", &F32Matrix{Rows: 2, Cols: math.MaxInt/2 + 1, Stride: math.MaxInt/2 + 1, Data: make([]float32, 6)}},
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
