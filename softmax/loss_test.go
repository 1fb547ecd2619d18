package softmax

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/softmax-fast/softmax-fast/tensor"
)

// loss64 is the float64 oracle: the mean over rows of lse(z_i) - z_i,y_i.
func loss64(z [][]float64, labels []uint8) float64 {
	return kindLoss64(z, labels, crossEntropy)
}

func toMatrix(rows [][]float32) *tensor.Matrix {
	m := tensor.NewMatrix(len(rows), len(rows[0]))
	for i, r := range rows {
		copy(m.Row(i), r)
	}
	return m
}

func to64(m *tensor.Matrix) [][]float64 {
	out := make([][]float64, m.Rows)
	for i := range out {
		out[i] = make([]float64, m.Cols)
		for j, v := range m.Row(i) {
			out[i][j] = float64(v)
		}
	}
	return out
}

// The gradient of the fused loss matches central finite differences of the
// float64 oracle, and the loss matches the oracle.
func TestLossGradientCheck(t *testing.T) {
	withISA(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(7, 7))
		for _, sh := range []struct{ n, k int }{{1, 1}, {1, 2}, {3, 10}, {17, 10}, {5, 3}, {4, 37}} {
			for _, scale := range []float64{0.1, 3, 30} {
				z, labels := randomLogits(r, sh.n, sh.k, scale)
				g := tensor.NewMatrix(sh.n, sh.k)
				loss, _, err := SoftmaxCrossEntropy(g, z, labels)
				if err != nil {
					t.Fatal(err)
				}
				checkLossGrad(t, fmt.Sprintf("%dx%d scale %v", sh.n, sh.k, scale), loss, g, to64(z), labels, loss64)
			}
		}
	})
}

// randomLogits returns an n x k matrix of normal logits of standard
// deviation scale, and n random labels below k.
func randomLogits(r *rand.Rand, n, k int, scale float64) (*tensor.Matrix, []uint8) {
	z := tensor.NewMatrix(n, k)
	for i := range z.Data {
		z.Data[i] = float32(r.NormFloat64() * scale)
	}
	labels := make([]uint8, n)
	for i := range labels {
		labels[i] = uint8(r.IntN(k))
	}
	return z, labels
}

// checkLossGrad checks a mean loss against its float64 oracle and the
// gradient g against central finite differences of the oracle at z64.
func checkLossGrad(t *testing.T, name string, loss float64, g *tensor.Matrix, z64 [][]float64, labels []uint8, oracle func([][]float64, []uint8) float64) {
	t.Helper()
	if want := oracle(z64, labels); math.Abs(loss-want) > 1e-6*math.Max(1, math.Abs(want)) {
		t.Errorf("%s: loss %v, oracle %v", name, loss, want)
	}
	const h = 1e-5
	for i := range z64 {
		for j := range z64[i] {
			v := z64[i][j]
			z64[i][j] = v + h
			lp := oracle(z64, labels)
			z64[i][j] = v - h
			lm := oracle(z64, labels)
			z64[i][j] = v
			fd := (lp - lm) / (2 * h)
			if got := float64(g.At(i, j)); math.Abs(got-fd) > 1e-6+1e-4*math.Abs(fd) {
				t.Errorf("%s: dL/dz[%d][%d] = %v, finite difference %v", name, i, j, got, fd)
			}
		}
	}
}

func TestLossStability(t *testing.T) {
	const big = 3e38
	cases := []struct {
		name  string
		row   []float32
		label uint8
	}{
		{"all equal", []float32{2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, 3},
		{"all zero", make([]float32, 10), 0},
		{"1e4 at label", []float32{1e4, 0, -1e4, 5, 1e4 - 1, 0, 0, 0, 0, 0}, 0},
		{"1e4 elsewhere", []float32{1e4, 0, -1e4, 5, 1e4 - 1, 0, 0, 0, 0, 0}, 2},
		{"3e38 at label", []float32{big, -big, 0, 1, -1, 2e38, 1e38, -1e38, 0, 0}, 0},
		{"-3e38 at label", []float32{big, -big, 0, 1, -1, 2e38, 1e38, -1e38, 0, 0}, 1},
		{"all -3e38", []float32{-big, -big, -big, -big, -big, -big, -big, -big, -big, -big}, 9},
		{"all 3e38", []float32{big, big, big, big, big, big, big, big, big, big}, 5},
		{"exp limits", []float32{-87.5, -100, -103.9, -88, 88, 88.7, -150, 0, 1, 2}, 6},
		{"one class", []float32{123}, 0},
	}
	withISA(t, func(t *testing.T) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				for _, inPlace := range []bool{false, true} {
					z := toMatrix([][]float32{tc.row, tc.row})
					labels := []uint8{tc.label, tc.label}
					want := loss64(to64(z), labels)
					g := z
					if !inPlace {
						g = tensor.NewMatrix(2, len(tc.row))
					}
					loss, _, err := SoftmaxCrossEntropy(g, z, labels)
					if err != nil {
						t.Fatal(err)
					}
					if math.IsNaN(loss) || math.IsInf(loss, 0) || math.Abs(loss-want) > 1e-6*math.Max(1, math.Abs(want)) {
						t.Errorf("in place %v: loss %v, oracle %v", inPlace, loss, want)
					}
					// Gradient: (softmax - onehot)/2, finite; each row sums to 0.
					p := softmax64(tc.row)
					for i := range 2 {
						var sum float64
						for j, v := range g.Row(i) {
							w := p[j] / 2
							if j == int(tc.label) {
								w -= 0.5
							}
							if math.IsNaN(float64(v)) || math.Abs(float64(v)-w) > 1e-7 {
								t.Errorf("in place %v: grad[%d][%d] = %v, want %v", inPlace, i, j, v, w)
							}
							sum += float64(v)
						}
						if math.Abs(sum) > 1e-6 {
							t.Errorf("in place %v: grad row %d sums to %v", inPlace, i, sum)
						}
					}
				}
			})
		}
	})
	// All-equal logits give exactly log(k).
	z := toMatrix([][]float32{{5, 5, 5, 5}})
	loss, correct, _ := SoftmaxCrossEntropy(z, z, []uint8{2})
	if math.Abs(loss-math.Log(4)) > 1e-7 || correct != 0 {
		t.Errorf("all-equal row: loss %v correct %d, want log 4 = %v and 0 (ties go to the first class)", loss, correct, math.Log(4))
	}
}

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

func TestLossNonFinite(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	for _, row := range [][]float32{{0, nan, 1}, {nan, 0, 0}, {0, 1, inf}} {
		z := toMatrix([][]float32{{1, 2, 3}, row})
		loss, _, err := SoftmaxCrossEntropy(z, z, []uint8{0, 0})
		if err != nil {
			t.Fatal(err)
		}
		if !math.IsNaN(loss) {
			t.Errorf("row %v: loss %v, want NaN", row, loss)
		}
	}
}

func TestLossCorrectAndStrided(t *testing.T) {
	// A strided view (no single Exp call) must give the same as compact.
	big := tensor.NewMatrix(3, 6)
	for i := range big.Data {
		big.Data[i] = float32(i%7) - 3
	}
	view, _ := big.View(0, 1, 3, 4)
	compact := tensor.NewMatrix(3, 4)
	for i := range 3 {
		copy(compact.Row(i), view.Row(i))
	}
	labels := []uint8{0, 1, 3}
	g1, g2 := tensor.NewMatrix(3, 4), tensor.NewMatrix(3, 4)
	l1, c1, err1 := SoftmaxCrossEntropy(g1, view, labels)
	l2, c2, err2 := SoftmaxCrossEntropy(g2, compact, labels)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if l1 != l2 || c1 != c2 {
		t.Errorf("strided: loss %v correct %d; compact: %v %d", l1, c1, l2, c2)
	}
	for i := range g1.Data {
		if g1.Data[i] != g2.Data[i] {
			t.Fatalf("strided and compact gradients differ at %d", i)
		}
	}
	// correct counts rows whose first max is at the label.
	z := toMatrix([][]float32{{1, 3, 3}, {5, 0, 0}, {0, 0, 1}})
	_, c, _ := SoftmaxCrossEntropy(tensor.NewMatrix(3, 3), z, []uint8{2, 0, 2})
	if c != 2 {
		t.Errorf("correct = %d, want 2", c)
	}
}

func TestLossErrors(t *testing.T) {
	z := tensor.NewMatrix(2, 3)
	cases := []struct {
		name   string
		g, z   *tensor.Matrix
		labels []uint8
		want   error
	}{
		{"nil grad", nil, z, []uint8{0, 0}, tensor.ErrShape},
		{"shape", tensor.NewMatrix(2, 2), z, []uint8{0, 0}, tensor.ErrShape},
		{"labels", tensor.NewMatrix(2, 3), z, []uint8{0}, tensor.ErrShape},
		{"label range", tensor.NewMatrix(2, 3), z, []uint8{0, 3}, ErrLabel},
		{"overflowing header", &tensor.Matrix{Rows: math.MaxInt / 4, Cols: 3, Stride: math.MaxInt / 4, Data: make([]float32, 5)}, z, []uint8{0, 0}, tensor.ErrShape},
		{"bad header", &tensor.Matrix{Rows: 2, Cols: 3, Stride: 3, Data: make([]float32, 5)}, z, []uint8{0, 0}, tensor.ErrShape},
		{"overlap", &tensor.Matrix{Rows: 2, Cols: 3, Stride: 3, Data: z.Data[0:6:6]}, &tensor.Matrix{Rows: 2, Cols: 3, Stride: 2, Data: z.Data[1:6]}, []uint8{0, 0}, tensor.ErrShape},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := SoftmaxCrossEntropy(tc.g, tc.z, tc.labels)
			if !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
	if l, c, err := SoftmaxCrossEntropy(tensor.NewMatrix(0, 3), tensor.NewMatrix(0, 3), nil); l != 0 || c != 0 || err != nil {
		t.Errorf("empty batch: %v %v %v", l, c, err)
	}
}

// kindLoss64 is the float64 oracle of a loss kind: the mean over rows of the
// smoothed cross-entropy or of the GCE mix (see lossKind).
func kindLoss64(z [][]float64, labels []uint8, kind lossKind) float64 {
	var sum float64
	for i, row := range z {
		m := math.Inf(-1)
		for _, v := range row {
			m = math.Max(m, v)
		}
		var s float64
		for _, v := range row {
			s += math.Exp(v - m)
		}
		// -log p_j = log(s) + (m - z_j), exact even for logits near ±3e38
		nlp := func(j int) float64 { return math.Log(s) + (m - row[j]) }
		y := int(labels[i])
		if kind.q > 0 {
			py := math.Exp(-nlp(y))
			sum += kind.beta*nlp(y) + (1-kind.beta)*(1-math.Pow(py, kind.q))/kind.q
			continue
		}
		k := float64(len(row))
		for j := range row {
			tj := kind.eps / k
			if j == y {
				tj += 1 - kind.eps
			}
			if tj != 0 {
				sum += tj * nlp(j)
			}
		}
	}
	return sum / float64(len(z))
}

// Label smoothing and the GCE mix: the loss matches its float64 oracle and
// the gradient the finite differences of that oracle; eps = 0 and q = 0 give
// bitwise the plain cross-entropy.
func TestLossKinds(t *testing.T) {
	kinds := []lossKind{{eps: 0.1}, {eps: 0.5}, {q: 0.7, beta: 0.05}, {q: 1}, {q: 0.3, beta: 0.5}, {q: 1, beta: 1}}
	withISA(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(8, 8))
		for _, sh := range []struct{ n, k int }{{1, 2}, {3, 10}, {40, 10}, {5, 3}} {
			for _, scale := range []float64{0.1, 3} {
				z, labels := randomLogits(r, sh.n, sh.k, scale)
				for _, kind := range kinds {
					g := tensor.NewMatrix(sh.n, sh.k)
					sum, _ := lossGradParts(g, z, labels, kind, nil, nil)
					oracle := func(z64 [][]float64, labels []uint8) float64 { return kindLoss64(z64, labels, kind) }
					checkLossGrad(t, fmt.Sprintf("%+v %dx%d scale %v", kind, sh.n, sh.k, scale), sum/float64(sh.n), g, to64(z), labels, oracle)
				}
				// The zero kind is SoftmaxCrossEntropy, bit for bit.
				g0, g1 := tensor.NewMatrix(sh.n, sh.k), tensor.NewMatrix(sh.n, sh.k)
				s0, c0 := lossGradParts(g0, z, labels, lossKind{eps: 0, q: 0, beta: 0.3}, nil, nil)
				l1, c1, _ := SoftmaxCrossEntropy(g1, z, labels)
				if s0/float64(sh.n) != l1 || c0 != c1 {
					t.Errorf("%dx%d: zero kind loss %v (%d correct), cross-entropy %v (%d)", sh.n, sh.k, s0/float64(sh.n), c0, l1, c1)
				}
				for i := range g0.Data {
					if g0.Data[i] != g1.Data[i] {
						t.Fatalf("%dx%d: zero kind gradient differs at %d", sh.n, sh.k, i)
					}
				}
			}
		}
	})
}

// The bias gradient from lossGradParts is the column sums of the gradient,
// whatever parts it is given, for the cross-entropy and the GCE mix.
func TestLossColumnSums(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	for _, n := range []int{1, 31, 32, 33, 100, 256} {
		z, labels := randomLogits(r, n, 10, 2)
		for _, parts := range [][]lossPart{nil, make([]lossPart, 1), make([]lossPart, 20)} {
			for _, kind := range []lossKind{crossEntropy, {q: 0.7, beta: 0.05}} {
				g := tensor.NewMatrix(n, 10)
				cs := make([]float64, 10)
				for j := range cs {
					cs[j] = 99 // stale values must not survive
				}
				lossGradParts(g, z, labels, kind, parts, cs)
				for j := range 10 {
					var want float64
					for i := range n {
						want += float64(g.At(i, j))
					}
					if math.Abs(cs[j]-want) > 1e-12 {
						t.Errorf("n=%d parts=%d %+v: column %d sums to %v, want %v", n, len(parts), kind, j, cs[j], want)
					}
				}
			}
		}
	}
}

// The gradient has no entry below 2**-64 but +0, whatever the loss kind
// and level: the entries of a logit 50 or more below the row's largest
// (p <= e**-50, below 2**-64; with 200 below, p is subnormal in float32) are
// +0 but at the label, the others are not 0 (for the cross-entropy), and
// the column sums are those of the entries as stored.
func TestLossFlushesTiny(t *testing.T) {
	withISA(t, func(t *testing.T) {
		for _, kind := range []lossKind{crossEntropy, {q: 0.7, beta: 0.05}, {q: 1}} { // label smoothing makes no entry tiny
			for _, k := range []int{10, 7} {
				z := tensor.NewMatrix(3, k)
				for i := range 3 {
					row := z.Row(i)
					for j := range row {
						row[j] = float32(j%3) - 200*float32(j%2) - 50*float32(j%5)
					}
				}
				labels := []uint8{0, 1, 2}
				g := tensor.NewMatrix(3, k)
				cs := make([]float64, k)
				lossGradParts(g, z, labels, kind, nil, cs)
				tiny := 0
				want := make([]float64, k)
				for i := range 3 {
					zr, gr := z.Row(i), g.Row(i)
					for j, v := range gr {
						low := slices.Max(zr)-zr[j] >= 50 && j != int(labels[i])
						if low {
							tiny++
						}
						// (with the GCE mix, a row whose label is unlikely weighs
						// next to nothing: all of it may be flushed)
						high := !low && j != int(labels[i]) && kind.q == 0
						if low && math.Float32bits(v) != 0 || high && v == 0 || v != 0 && math.Abs(float64(v)) < 0x1p-64 {
							t.Fatalf("%+v k=%d: row %d entry %d (logit %g below the largest) is %g", kind, k, i, j, slices.Max(zr)-zr[j], v)
						}
						want[j] += float64(v)
					}
				}
				if tiny == 0 {
					t.Fatalf("%+v k=%d: the test has no tiny entry to flush: %v", kind, k, z.Data)
				}
				for j := range cs {
					if cs[j] != want[j] {
						t.Fatalf("%+v k=%d: column sum %d is %g, want %g", kind, k, j, cs[j], want[j])
					}
				}
			}
		}
	})
}

// TestScaleFlush checks the branchless scaling of the GCE loss against the
// plain product followed by flushTiny: entries just below and at 2**-64,
// both signs, zeros, subnormals, Inf and NaN, and random values.
func TestScaleFlush(t *testing.T) {
	tiny := math.Float32frombits(tinyBits)
	below := math.Float32frombits(tinyBits - 1)
	inf, nan := float32(math.Inf(1)), float32(math.NaN())
	vs := []float32{0, float32(math.Copysign(0, -1)), tiny, -tiny, below, -below, 1e-45, -1e-45, 1, -1, 3e38, inf, -inf, nan}
	ws := []float64{1, 0.05, 0.5, 1e-30, 2, 0}
	r := rand.New(rand.NewPCG(3, 4))
	for range 1000 {
		vs = append(vs, float32(r.NormFloat64()*math.Pow(2, float64(r.IntN(160)-100))))
	}
	for _, v := range vs {
		for _, w := range ws {
			want := []float32{float32(float64(v) * w)}
			flushTiny(want)
			got := scaleFlush(v, w)
			if math.Float32bits(got) != math.Float32bits(want[0]) && !(got != got && want[0] != want[0]) {
				t.Fatalf("scaleFlush(%g, %g) = %g (%#x), want %g (%#x)", v, w, got, math.Float32bits(got), want[0], math.Float32bits(want[0]))
			}
		}
	}
}
