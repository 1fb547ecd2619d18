package tensor

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// xentOracle is SoftmaxXent10 of one row in float64: s = sum e**(z-m),
// shift = m - z[y], the gradient scale*(p - onehot(y)) and the first
// argmax.
func xentOracle(z []float32, y uint8, scale float64) (s, shift float64, g [10]float64, arg int) {
	m := float64(z[0])
	for j, v := range z {
		if float64(v) > m {
			m, arg = float64(v), j
		}
	}
	var e [10]float64
	for j, v := range z {
		e[j] = math.Exp(float64(v) - m)
		s += e[j]
	}
	for j := range g {
		g[j] = scale * e[j] / s
	}
	g[y] -= scale
	return s, m - float64(z[y]), g, arg
}

// xentRows returns n random rows of 10 logits: uniform in ±amp, with some
// rows of equal logits (ties) and some of a repeated maximum.
func xentRows(rng *rand.Rand, n int, amp float64) ([]float32, []uint8) {
	z := make([]float32, 10*n)
	labels := make([]uint8, n)
	for i := range n {
		row := z[10*i : 10*i+10]
		for j := range row {
			row[j] = float32(amp * (2*rng.Float64() - 1))
		}
		switch rng.IntN(8) {
		case 0: // all equal: the first class is the argmax
			for j := range row {
				row[j] = row[0]
			}
		case 1: // a tie between two classes
			a, b := rng.IntN(10), rng.IntN(10)
			mx := row[0]
			for _, v := range row {
				mx = max(mx, v)
			}
			row[a], row[b] = mx, mx
		}
		labels[i] = uint8(rng.IntN(10))
		if rng.IntN(3) == 0 { // often the label is the argmax
			arg := 0
			for j, v := range row {
				if v > row[arg] {
					arg = j
				}
			}
			labels[i] = uint8(arg)
		}
	}
	return z, labels
}

// checkXent runs SoftmaxXent10 on z (in place) and checks every output
// against xentOracle: s within 4 float32 ulp, shift exact, the gradient
// within 1e-6 relative (plus a tiny absolute term), the correct count and the
// column sums (exactly the float64 sums of the new rows, in order). s and
// shift are one longer than needed; their last element must stay poisoned.
func checkXent(t *testing.T, name string, z []float32, labels []uint8, scale float32, s []float32, shift, cs []float64) {
	t.Helper()
	n := len(labels)
	orig := append([]float32(nil), z...)
	for i := range s {
		s[i] = poison
	}
	for i := range shift {
		shift[i] = math.NaN()
	}
	for i := range cs {
		cs[i] = math.NaN()
	}
	correct, err := SoftmaxXent10(z, labels, float64(scale), s[:n], shift[:n], cs)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(s) > n && !isPoison(s[n]) {
		t.Fatalf("%s: s[%d] written past n", name, n)
	}
	if len(shift) > n && !math.IsNaN(shift[n]) {
		t.Fatalf("%s: shift[%d] written past n", name, n)
	}
	checkXentOracle(t, name, orig, labels, scale, z, s, shift, cs, correct)
}

// checkXentOracle compares the results of a kernel on the rows orig with
// xentOracle: s within 4 float32 ulp, shift exact, the gradient within 1e-6
// relative (plus a tiny absolute term) and flushed to +0 below 2**-64, the
// correct count and the column sums (exactly the float64 sums of the new
// rows, in order).
func checkXentOracle(t *testing.T, name string, orig []float32, labels []uint8, scale float32, z, s []float32, shift, cs []float64, correct int) {
	t.Helper()
	n := len(labels)
	wantCorrect := 0
	var wantCS [10]float64
	for i := range n {
		row := orig[10*i : 10*i+10]
		ws, wsh, wg, arg := xentOracle(row, labels[i], float64(scale))
		if arg == int(labels[i]) {
			wantCorrect++
		}
		if math.Abs(float64(s[i])-ws) > 4*math.Ldexp(1, math.Ilogb(ws)-23) {
			t.Fatalf("%s: row %d %v: s %v, want %v", name, i, row, s[i], ws)
		}
		if shift[i] != wsh {
			t.Fatalf("%s: row %d %v: shift %v, want %v", name, i, row, shift[i], wsh)
		}
		for j, v := range z[10*i : 10*i+10] {
			p := wg[j]
			if j == int(labels[i]) {
				p += float64(scale)
			}
			// exp (1.03 ulp), s (4 ulp), scale/s and the product: about 6
			// ulp of float32, 7.2e-7; allow 1e-6. The float32 argument
			// z_j - m is rounded by up to 2**-24 of itself, which e**x
			// turns into a relative error of |x|·2**-24.
			m := float64(slices.Max(row))
			x := math.Abs(float64(row[j]) - m)
			if math.IsInf(x, 0) || math.IsNaN(x) {
				x = 0
			}
			tol := (1e-6+x*0x1p-24)*p + 1e-12*float64(scale) + 0x1p-64 // (the flush)
			if j == int(labels[i]) {
				tol += 6e-8 * float64(scale) // p - 1 rounded to float32
			}
			// The flush: no entry in (-2**-64, 2**-64) but +0; one whose
			// exact value is clearly below 2**-64 is +0, one clearly above
			// is not (but at the label, where p - 1 may round to 0).
			a := math.Abs(wg[j])
			if v != 0 && math.Abs(float64(v)) < 0x1p-64 || v == 0 && math.Signbit(float64(v)) ||
				a < 0x1p-64*(1-1e-5) && v != 0 || a > 0x1p-64*(1+1e-5) && v == 0 && j != int(labels[i]) {
				t.Fatalf("%s: row %d %v label %d: g[%d] = %v, want %v flushed to +0 below 2**-64 only",
					name, i, row, labels[i], j, v, wg[j])
			}
			if math.Abs(float64(v)-wg[j]) > tol {
				t.Fatalf("%s: row %d %v label %d: g[%d] = %v, want %v (error %.3g, tolerance %.3g)",
					name, i, row, labels[i], j, v, wg[j], math.Abs(float64(v)-wg[j]), tol)
			}
			wantCS[j] += float64(v)
		}
	}
	if correct != wantCorrect {
		t.Fatalf("%s: correct %d, want %d", name, correct, wantCorrect)
	}
	for j, v := range cs {
		if v != wantCS[j] {
			t.Fatalf("%s: colsum[%d] = %v, want %v", name, j, v, wantCS[j])
		}
	}
}

func TestSoftmaxXent10(t *testing.T) {
	rng := newRNG(t)
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		for _, n := range []int{0, 1, 2, 3, 4, 5, 7, 8, 31, 32, 33, 256} {
			for _, amp := range []float64{0.1, 1, 30, 1e4, 3e38} {
				z, labels := xentRows(rng, n, amp)
				name := fmt.Sprintf("n=%d amp=%g", n, amp)
				cs := make([]float64, 10)
				if n%2 == 1 {
					cs = nil
				}
				scale := float32(1 / float64(max(n, 1)))
				checkXent(t, name, z, labels, scale, make([]float32, n+1), make([]float64, n+1), cs)
			}
		}
		// Specials: every row position in a group of 4 and the padded rows.
		const big = 3e38
		specials := [][10]float32{
			{2, 2, 2, 2, 2, 2, 2, 2, 2, 2},
			{0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
			{1e4, 0, -1e4, 5, 1e4 - 1, 0, 0, 0, 0, 0},
			{big, -big, 0, 1, -1, 2e38, 1e38, -1e38, 0, 0},
			{-big, -big, -big, -big, -big, -big, -big, -big, -big, -big},
			{big, big, big, big, big, big, big, big, big, big},
			{-87.5, -100, -103.9, -88, 88, 88.7, -150, 0, 1, 2},
			{0, 0, 0, 0, 0, 0, 0, 0, 0, 5},
			{0, 0, 0, 0, 0, 0, 0, 0, 5, 5},
			{0, 0, 0, 0, 0, 0, 0, 0, 4, 5},
			{0, 0, 0, 0, 0, 0, 0, 5, 5, 5},
			{float32(math.Copysign(0, -1)), 0, -1, -2, -3, -4, -5, -6, -7, -8},
		}
		for n := 1; n <= 9; n++ {
			for _, sp := range specials {
				for at := range n {
					for _, y := range []uint8{0, 7, 8, 9} {
						z, labels := xentRows(rng, n, 3)
						copy(z[10*at:], sp[:])
						labels[at] = y
						checkXent(t, fmt.Sprintf("n=%d special %v at %d label %d", n, sp, at, y), z, labels, 0.25, make([]float32, n), make([]float64, n), make([]float64, 10))
					}
				}
			}
		}
		// Entries on either side of the flush threshold: row i has logits
		// 0 and -x_i, e**-x_i/(1 + 9·e**-x_i) going across 2**-64 = e**-44.36.
		for _, n := range []int{1, 5, 16, 101} {
			z := make([]float32, 10*n)
			labels := make([]uint8, n)
			for i := range n {
				x := 43.9 + 1.0*float64(i)/float64(n)
				for j := 1; j < 10; j++ {
					z[10*i+j] = float32(-x)
				}
			}
			checkXent(t, fmt.Sprintf("n=%d across 2**-64", n), z, labels, 1, make([]float32, n), make([]float64, n), make([]float64, 10))
		}
		// NaN and +Inf: a NaN s or shift for the row, finite results for the others.
		nan, inf := float32(math.NaN()), float32(math.Inf(1))
		for _, n := range []int{1, 4, 6} {
			for at := range n {
				for _, j := range []int{0, 3, 7, 8, 9} {
					for _, bad := range []float32{nan, inf} {
						z, labels := xentRows(rng, n, 3)
						z[10*at+j] = bad
						s, shift := make([]float32, n), make([]float64, n)
						if _, err := SoftmaxXent10(z, labels, 0.5, s, shift, nil); err != nil {
							t.Fatal(err)
						}
						for i := range n {
							bad := math.IsNaN(float64(s[i])) || math.IsNaN(shift[i])
							if bad != (i == at) {
								t.Fatalf("n=%d: %v at row %d col %d: row %d s %v shift %v", n, z[10*at+j], at, j, i, s[i], shift[i])
							}
						}
					}
				}
			}
		}
		// Errors: lengths, labels.
		z := make([]float32, 20)
		for _, tc := range []struct {
			z      []float32
			labels []uint8
			s      int
			shift  int
			cs     int
		}{
			{z[:19], []uint8{0, 1}, 2, 2, 0},
			{z, []uint8{0, 1}, 1, 2, 0},
			{z, []uint8{0, 1}, 2, 1, 0},
			{z, []uint8{0, 1}, 2, 2, 9},
			{z, []uint8{0, 10}, 2, 2, 0},
		} {
			_, err := SoftmaxXent10(tc.z, tc.labels, 1, make([]float32, tc.s), make([]float64, tc.shift), make([]float64, tc.cs))
			if !errors.Is(err, ErrShape) {
				t.Errorf("%d logits, labels %v, %d s, %d shifts, %d sums: err %v, want ErrShape", len(tc.z), tc.labels, tc.s, tc.shift, tc.cs, err)
			}
		}
	})
}
