package tensor

import (
	"errors"
	"math"
	"testing"
)

// lse64 is the float64 oracle of log-sum-exp.
func lse64(row []float32) float64 {
	m := math.Inf(-1)
	for _, v := range row {
		m = math.Max(m, float64(v))
	}
	if math.IsInf(m, 0) || math.IsNaN(m) {
		return m
	}
	var s float64
	for _, v := range row {
		s += math.Exp(float64(v) - m)
	}
	return m + math.Log(s)
}

// softmax64 is the float64 oracle of softmax (finite rows).
func softmax64(row []float32) []float64 {
	m := math.Inf(-1)
	for _, v := range row {
		m = math.Max(m, float64(v))
	}
	p := make([]float64, len(row))
	var s float64
	for j, v := range row {
		p[j] = math.Exp(float64(v) - m)
		s += p[j]
	}
	for j := range p {
		p[j] /= s
	}
	return p
}

func rowsOf(rows [][]float32) *Matrix {
	cols := len(rows[0])
	m := NewMatrix(len(rows), cols)
	for i, r := range rows {
		copy(m.Row(i), r)
	}
	return m
}

var (
	inf  = float32(math.Inf(1))
	ninf = float32(math.Inf(-1))
	nan  = float32(math.NaN())
)

func TestRowOpsSpecial(t *testing.T) {
	rows := [][]float32{
		{1e4, -1e4, 0, 1e4, 5000, 1, 2, 3, 4, 5},
		{-1e4, -1e4, -1e4, -1e4, -1e4, -1e4, -1e4, -1e4, -1e4, -1e4},
		{3e38, -3e38, 3e38, 0, 1, -1, 2e38, 1e38, -1e38, 0},
		{-3e38, -3e38, -3e38, -3e38, -3e38, -3e38, -3e38, -3e38, -3e38, -3e38},
		{ninf, ninf, ninf, ninf, ninf, ninf, ninf, ninf, ninf, ninf},
		{ninf, 0, ninf, ninf, ninf, ninf, ninf, ninf, ninf, 1},
		{0, 1, 2, nan, 4, 5, 6, 7, 8, 9},
		{0, 1, 2, 3, 4, 5, 6, 7, 8, nan},
		{0, 1, inf, 3, 4, 5, 6, 7, 8, 9},
		{50, 50, 50, 50, 50, 50, 50, 50, 50, 50},
		{-87.5, -100, -103.9, -88, 88, 88.7, -150, 0, 1, 2},
	}
	x := rowsOf(rows)
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		lse := make([]float32, len(rows))
		if err := LogSumExpRows(lse, x); err != nil {
			t.Fatal(err)
		}
		sm := NewMatrix(x.Rows, x.Cols)
		if err := SoftmaxRows(sm, x); err != nil {
			t.Fatal(err)
		}
		am := make([]int, len(rows))
		if err := ArgmaxRows(am, x); err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			want := lse64(r)
			got := float64(lse[i])
			switch {
			case math.IsNaN(want):
				if !math.IsNaN(got) {
					t.Errorf("row %d: LSE = %v, want NaN", i, got)
				}
			case math.IsInf(want, 0):
				if got != want {
					t.Errorf("row %d: LSE = %v, want %v", i, got, want)
				}
			default:
				if math.Abs(got-want) > 4*eps32*math.Abs(want)+4*eps32 {
					t.Errorf("row %d: LSE = %v, want %v", i, got, want)
				}
			}
			// softmax: NaN rows where undefined, else within 1e-6 of float64 and summing to 1
			p := sm.Row(i)
			if math.IsNaN(want) || math.IsInf(want, 0) {
				for j, v := range p {
					if v == v {
						t.Errorf("row %d: softmax[%d] = %v, want NaN", i, j, v)
					}
				}
			} else {
				var s float64
				sm64 := softmax64(r)
				for j, v := range p {
					wp := sm64[j]
					if math.Abs(float64(v)-wp) > 1e-6*wp+1e-7 || v != v {
						t.Errorf("row %d: softmax[%d] = %v, want %v", i, j, v, wp)
					}
					s += float64(v)
				}
				if math.Abs(s-1) > 1e-6 {
					t.Errorf("row %d: softmax sums to %v", i, s)
				}
			}
			// argmax: first largest, first NaN
			wa := 0
			for j, v := range r {
				if v != v {
					wa = j
					break
				}
				if v > r[wa] {
					wa = j
				}
			}
			if am[i] != wa {
				t.Errorf("row %d: argmax = %d, want %d", i, am[i], wa)
			}
		}
	})
}

func TestRowOpsRandom(t *testing.T) {
	rng := newRNG(t)
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		for _, cols := range []int{1, 2, 3, 7, 8, 9, 10, 15, 16, 17, 33, 100, 1000} {
			for _, scale := range []float32{1, 30, 1e4} {
				x := newTestMat(rng, 13, cols, true)
				for i := range x.m.Rows {
					Scale(scale, x.m.Row(i))
				}
				lse := poisoned(14)
				mx := poisoned(14)
				if err := LogSumExpRows(lse[:13], x.m); err != nil {
					t.Fatal(err)
				}
				if err := MaxRows(mx[:13], x.m); err != nil {
					t.Fatal(err)
				}
				if !isPoison(lse[13]) || !isPoison(mx[13]) {
					t.Fatal("row op wrote past dst")
				}
				out := newTestMat(rng, 13, cols, false)
				if err := SoftmaxRows(out.m, x.m); err != nil {
					t.Fatal(err)
				}
				out.checkOutside(t, "SoftmaxRows")
				for i := range 13 {
					r := x.m.Row(i)
					want := lse64(r)
					if d := math.Abs(float64(lse[i]) - want); d > 4*eps32*math.Abs(want)+float64(cols)*eps32 {
						t.Fatalf("cols=%d scale=%v row %d: LSE = %v, want %v", cols, scale, i, lse[i], want)
					}
					m := r[0]
					for _, v := range r {
						m = max(m, v)
					}
					if mx[i] != m {
						t.Fatalf("cols=%d row %d: max = %v, want %v", cols, i, mx[i], m)
					}
					var s float64
					sm64 := softmax64(r)
					for j, v := range out.m.Row(i) {
						wp := sm64[j]
						if math.Abs(float64(v)-wp) > 1e-6*wp+1e-7 {
							t.Fatalf("cols=%d row %d: softmax[%d] = %v, want %v", cols, i, j, v, wp)
						}
						s += float64(v)
					}
					if math.Abs(s-1) > 1e-6 {
						t.Fatalf("cols=%d row %d: softmax sums to %v", cols, i, s)
					}
				}
				// in place
				if err := SoftmaxRows(x.m, x.m); err != nil {
					t.Fatal(err)
				}
				for i := range 13 {
					for j, v := range x.m.Row(i) {
						if v != out.m.Row(i)[j] {
							t.Fatalf("in-place softmax differs at (%d, %d)", i, j)
						}
					}
				}
			}
		}
	})
}

func TestOpsErrors(t *testing.T) {
	x := NewMatrix(3, 4)
	if err := LogSumExpRows(make([]float32, 2), x); !errors.Is(err, ErrShape) {
		t.Errorf("LogSumExpRows short dst: %v", err)
	}
	if err := MaxRows(make([]float32, 4), x); !errors.Is(err, ErrShape) {
		t.Errorf("MaxRows long dst: %v", err)
	}
	if err := ArgmaxRows(make([]int, 3), NewMatrix(3, 0)); !errors.Is(err, ErrShape) {
		t.Errorf("ArgmaxRows of empty rows: %v", err)
	}
	if err := SoftmaxRows(NewMatrix(3, 5), x); !errors.Is(err, ErrShape) {
		t.Errorf("SoftmaxRows shape: %v", err)
	}
	v, _ := x.View(0, 1, 3, 3)
	if err := SoftmaxRows(v, x); !errors.Is(err, ErrShape) {
		t.Errorf("SoftmaxRows partial overlap: %v", err)
	}
	if err := Exp(make([]float32, 3), make([]float32, 4)); !errors.Is(err, ErrShape) {
		t.Errorf("Exp lengths: %v", err)
	}
	if _, err := Dot(make([]float32, 3), make([]float32, 4)); !errors.Is(err, ErrShape) {
		t.Errorf("Dot lengths: %v", err)
	}
	if err := Axpy(1, make([]float32, 3), make([]float32, 4)); !errors.Is(err, ErrShape) {
		t.Errorf("Axpy lengths: %v", err)
	}
	if _, err := Max(nil); !errors.Is(err, ErrShape) {
		t.Errorf("Max(nil): %v", err)
	}
	if _, err := x.View(2, 2, 2, 2); !errors.Is(err, ErrShape) {
		t.Errorf("View out of range: %v", err)
	}
	if _, err := MatrixFrom(3, 4, make([]float32, 11)); !errors.Is(err, ErrShape) {
		t.Errorf("MatrixFrom short: %v", err)
	}
}

func TestMatrixViews(t *testing.T) {
	m := NewMatrix(4, 5)
	for i := range 4 {
		for j := range 5 {
			m.Set(i, j, float32(10*i+j))
		}
	}
	v, err := m.View(1, 2, 3, 2)
	if err != nil {
		t.Fatal(err)
	}
	if v.At(0, 0) != 12 || v.At(2, 1) != 33 || v.Stride != 5 || len(v.Data) != 2*5+2 {
		t.Errorf("view: %+v", v)
	}
	e, err := m.View(4, 5, 0, 0)
	if err != nil || e.Rows != 0 {
		t.Errorf("empty view at the corner: %v %+v", err, e)
	}
}

// TestArgmaxProb checks ArgmaxProb at every level against the float64
// softmax: the first largest value, the first NaN, ±Inf and ties, rows
// longer than its stack buffer; it allocates nothing.
func TestArgmaxProb(t *testing.T) {
	rng := newRNG(t)
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		for _, n := range []int{1, 2, 9, 10, 11, 16, 17, 64, 65, 300} {
			for range 20 {
				z := randSlice(rng, n, -20, 20)
				if rng.IntN(3) == 0 { // a tie: the first wins
					z[rng.IntN(n)] = z[rng.IntN(n)]
				}
				arg, p, err := ArgmaxProb(z)
				if err != nil {
					t.Fatal(err)
				}
				want, m := 0, z[0]
				for j, v := range z {
					if v > m {
						want, m = j, v
					}
				}
				var s float64
				for _, v := range z {
					s += math.Exp(float64(v) - float64(m))
				}
				if arg != want || math.Abs(float64(p)-1/s) > 1e-6/s {
					t.Fatalf("n=%d %v: (%d, %v), want (%d, %v)", n, z, arg, p, want, 1/s)
				}
			}
		}
		for _, tc := range []struct {
			z      []float32
			arg    int
			nanP   bool
			wantP1 bool
		}{
			{[]float32{1, nan, 3, nan}, 1, true, false},
			{[]float32{1, inf, 3}, 1, true, false},
			{[]float32{float32(math.Inf(-1)), float32(math.Inf(-1))}, 0, true, false},
			{[]float32{-3e38, 3e38, 0}, 1, false, true},
			{[]float32{5}, 0, false, true},
		} {
			arg, p, err := ArgmaxProb(tc.z)
			if err != nil || arg != tc.arg || (p != p) != tc.nanP || tc.wantP1 && p != 1 {
				t.Errorf("%v: (%d, %v, %v)", tc.z, arg, p, err)
			}
		}
		if _, _, err := ArgmaxProb(nil); !errors.Is(err, ErrShape) {
			t.Errorf("empty: err %v", err)
		}
		z := randSlice(rng, 300, -1, 1)
		if a := testing.AllocsPerRun(100, func() { ArgmaxProb(z[:10]); ArgmaxProb(z) }); a != 0 {
			t.Errorf("%v allocations per call", a)
		}
	})
}
