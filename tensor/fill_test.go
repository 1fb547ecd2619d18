package tensor

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
)

// fillCase is one call of MatMulTU8Fill or MatMulTF32Fill: fill copies
// G's rows from src and records the ranges it was called with.
type fillCase struct {
	src   *Matrix // the rows fill writes into G
	align int
	fail  int // a fill whose range starts at fail-1 returns errFill (0: none)

	mu     sync.Mutex
	ranges [][2]int
	single []bool // per range: w was a one-thread Workers
}

var errFill = errors.New("fill failed")

func (f *fillCase) fill(g *Matrix) func(w *Workers, lo, hi int) error {
	return func(w *Workers, lo, hi int) error {
		f.mu.Lock()
		f.ranges = append(f.ranges, [2]int{lo, hi})
		f.single = append(f.single, w.Threads() == 1)
		f.mu.Unlock()
		if f.fail > 0 && lo == f.fail-1 {
			return errFill
		}
		for i := lo; i < hi; i++ {
			copy(g.Row(i), f.src.Row(i))
		}
		return nil
	}
}

// check fails unless fill was called on the two halves of [0, m) cut at
// halfRows(m, align), each with a one-thread Workers, if halves, else once
// on [0, m).
func (f *fillCase) check(t *testing.T, name string, m int, halves bool) {
	t.Helper()
	want := [][2]int{{0, m}}
	if halves {
		h := halfRows(m, f.align)
		if h%max(1, f.align) != 0 && h != m {
			t.Fatalf("%s: cut at %d, not a multiple of %d", name, h, f.align)
		}
		want = [][2]int{{0, h}, {h, m}}
	}
	got := f.ranges
	if len(got) == 2 && got[0][0] > got[1][0] {
		got = [][2]int{got[1], got[0]}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%s: fill called on %v, want %v", name, got, want)
	}
	for _, one := range f.single {
		if halves && !one {
			t.Fatalf("%s: fill of a half got Workers of more than one thread", name)
		}
	}
}

// TestMatMulTFill checks MatMulTU8Fill and MatMulTF32Fill at every level,
// on 1 and 2 threads (goroutines and a pool): fill's ranges, C against the
// float64 oracle and bitwise against MatMulTU8 / MatMulTF32 on the filled G
// when the cut is theirs (align 1), bitwise across threads, and a failing
// fill leaving C as it was.
func TestMatMulTFill(t *testing.T) {
	rng := newRNG(t)
	type size struct{ m, n, k int }
	sizes := []size{{1, 10, 784}, {40, 10, 784}, {63, 10, 37}, {64, 10, 784}, {65, 13, 37},
		{96, 10, 784}, {200, 10, 9}, {256, 10, 784}, {257, 20, 100}, {100, 50, 784}}
	pool := NewWorkers(2)
	defer pool.Close()
	workers := []*Workers{testWorkers(1), testWorkers(2), pool}
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		i := 0
		for _, s := range sizes {
			halves := s.m >= gradHalfRows && s.n*s.k <= gradHalfMaxWeights
			for _, align := range []int{1, 32} {
				for _, beta := range []float32{0, 1, 0.5} {
					for _, f32 := range []bool{false, true} {
						i++
						if testing.Short() && i%6 != 0 && i%7 != 0 { // every size and align, betas and types in turn
							continue
						}
						name := fmt.Sprintf("m=%d n=%d k=%d align=%d beta=%v f32=%v", s.m, s.n, s.k, align, beta, f32)
						testFill(t, rng, name, s.m, s.n, s.k, align, beta, f32, halves, workers)
					}
				}
			}
		}
	})
}

func testFill(t *testing.T, rng *rand.Rand, name string, m, n, k, align int, beta float32, f32, halves bool, workers []*Workers) {
	t.Helper()
	const alpha = -0.1 / 255
	src := newTestMat(rng, m, n, true)
	c := newTestMat(rng, n, k, true)
	if beta == 0 {
		c.fillGarbage()
	}
	c0 := append([]float32(nil), c.m.Data...)
	var xu *U8Matrix
	var xf *F32Matrix
	var xm *Matrix
	if f32 {
		xf = f32Mat(rng, m, k, true)
		xm = f32ToMatrix(xf)
	} else {
		xu = u8Mat(rng, m, k, true)
		xm = u8ToMatrix(xu)
	}
	run := func(ws *Workers, f *fillCase, g *Matrix, got *Matrix) error {
		if f32 {
			return ws.MatMulTF32Fill(alpha, g, xf, beta, got, f.align, f.fill(g))
		}
		return ws.MatMulTU8Fill(alpha, g, xu, beta, got, f.align, f.fill(g))
	}
	var first testMat
	for i, ws := range workers {
		nameW := fmt.Sprintf("%s workers=%d", name, i)
		g := newTestMat(rng, m, n, false)
		g.fillGarbage() // every row must come from fill
		got := c.clone()
		f := &fillCase{src: src.m, align: align}
		if err := run(ws, f, g.m, got.m); err != nil {
			t.Fatalf("%s: %v", nameW, err)
		}
		f.check(t, nameW, m, halves && ws.Threads() > 1)
		got.checkOutside(t, nameW)
		checkGemm(t, nameW, Trans, NoTrans, alpha, src.m, xm, beta, c0, got.m)
		if i == 0 {
			first = got
		} else {
			sameBits(t, nameW+" vs workers=0", got.buf, first.buf)
		}
		if align == 1 {
			// The same cut as MatMulTU8's: the same sums.
			want := c.clone()
			var err error
			if f32 {
				err = ws.MatMulTF32(alpha, src.m, xf, beta, want.m)
			} else {
				err = ws.MatMulTU8(alpha, src.m, xu, beta, want.m)
			}
			if err != nil {
				t.Fatal(err)
			}
			sameBits(t, nameW+" vs MatMulT", got.buf, want.buf)
		}
		// A failing fill (the first or the second half's, or the only
		// one) returns its error and leaves C as it was.
		for _, at := range []int{0, halfRows(m, align)} {
			if at > 0 && (!halves || ws.Threads() < 2 || at == m) {
				continue
			}
			bad := c.clone()
			f := &fillCase{src: src.m, align: align, fail: at + 1}
			if err := run(ws, f, g.m, bad.m); !errors.Is(err, errFill) {
				t.Fatalf("%s: fill failing at row %d: err %v, want errFill", nameW, at, err)
			}
			sameBits(t, fmt.Sprintf("%s: C after a fill failing at row %d", nameW, at), bad.buf, c.buf)
		}
	}
}
