package tensor

import (
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestSplitterLearns: with the other thread 1.5 times slower per unit, the
// caller's share goes to 0.6 (both parts then finish together); a late
// start counts against the worker; the share stays inside its bounds and
// ignores timings it cannot use.
func TestSplitterLearns(t *testing.T) {
	var s splitter
	const units = 128
	i := s.entry(units)
	if s.share[i] != 0.5 || s.cut(i, units) != 64 {
		t.Fatalf("a new entry: share %v, cut %d; want 0.5, 64", s.share[i], s.cut(i, units))
	}
	for range 40 {
		u0 := s.cut(i, units)
		s.learn(i, u0, units, time.Duration(1000*u0), time.Duration(1500*(units-u0)))
	}
	if got := s.share[i]; math.Abs(got-0.6) > 0.01 {
		t.Errorf("other thread 1.5x slower: share %.3f, want 0.6", got)
	}
	// A 20 us late start for a 2-unit-per-us job: more for the caller.
	j := s.entry(64)
	for range 40 {
		u0 := s.cut(j, 64)
		s.learn(j, u0, 64, time.Duration(500*u0), 20*time.Microsecond+time.Duration(500*(64-u0)))
	}
	if got := s.share[j]; math.Abs(got-(52.0/64)) > 0.03 {
		t.Errorf("worker 20 us late: share %.3f, want ~%.3f (both end at 26 us)", got, 52.0/64)
	}
	for range 60 {
		u0 := s.cut(i, units)
		s.learn(i, u0, units, time.Duration(1000*u0), time.Duration(100000*(units-u0)))
	}
	if got := s.share[i]; got != 1-minShare {
		t.Errorf("other thread 100x slower: share %v, want the bound %v", got, 1-minShare)
	}
	before := s.share[i]
	s.learn(i, 64, units, 0, time.Microsecond)
	s.learn(i, 64, units, time.Microsecond, -1)
	s.learn(i, 0, units, time.Microsecond, time.Microsecond)
	s.learn(i, units, units, time.Microsecond, time.Microsecond)
	if s.share[i] != before {
		t.Errorf("unusable timings moved the share from %v to %v", before, s.share[i])
	}
	for u := 2; u < 40; u++ {
		for _, sh := range []float64{0, minShare, 0.5, 1 - minShare, 1} {
			s.share[i] = sh
			if c := s.cut(i, u); c < 1 || c > u-1 {
				t.Fatalf("share %v of %d units: cut %d, want it in [1, %d]", sh, u, c, u-1)
			}
		}
	}
	// Entries are kept by size; the oldest is replaced.
	var r splitter
	for u := range splitShares + 1 {
		r.entry(100 + u)
	}
	if slices.Contains(r.units[:], 100) || !slices.Contains(r.units[:], 100+splitShares) {
		t.Errorf("after %d sizes the entries are %v: want the oldest replaced", splitShares+1, r.units)
	}
}

// goid returns the calling goroutine's id, read from its stack trace.
func goid(t *testing.T) int64 {
	var buf [64]byte
	s := strings.TrimPrefix(string(buf[:runtime.Stack(buf[:], false)]), "goroutine ")
	id, err := strconv.ParseInt(s[:max(0, strings.IndexByte(s, ' '))], 10, 64)
	if err != nil {
		t.Fatalf("no goroutine id in %q", s)
	}
	return id
}

// TestSplitLearnsFromThreads: through the pool, part 0 of a 2-part job
// always runs on the caller (the share is learnt from its time), and a job
// in which the worker ran part 1 moves the share (runSplit2 learns). How far
// it moves depends on timing, which a shared machine makes noisy; the
// arithmetic of learning is checked by TestSplitterLearns.
func TestSplitLearnsFromThreads(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 || runtime.NumCPU() < 2 {
		t.Skip("needs two CPUs")
	}
	ws := NewWorkers(2)
	defer ws.Close()
	p := ws.pool
	caller := goid(t)
	spin := func(d time.Duration) {
		for t0 := time.Now(); time.Since(t0) < d; {
		}
	}
	const units = 20
	learnt := 0
	for job := range 100 { // ~30 ms; enough jobs to see part 0 claimed by a worker, were that possible
		p.busy.Lock()
		p.split = splitter{} // a share of 0.5
		p.busy.Unlock()
		var part0Elsewhere, part1Elsewhere atomic.Bool
		parallelFor(ws, units, 1, 1e12, func(lo, hi int) {
			elsewhere := goid(t) != caller
			if lo == 0 {
				part0Elsewhere.Store(elsewhere)
				spin(300 * time.Microsecond) // time for the worker to take part 1
			} else {
				part1Elsewhere.Store(elsewhere)
				spin(100 * time.Microsecond)
			}
		})
		if part0Elsewhere.Load() {
			t.Fatalf("job %d: part 0 ran on another goroutine than the caller", job)
		}
		p.busy.Lock()
		sh := p.split.share[p.split.entry(units)]
		p.busy.Unlock()
		if !part1Elsewhere.Load() {
			if sh != 0.5 {
				t.Fatalf("job %d: the caller ran both parts, yet the share moved to %v", job, sh)
			}
			continue // the worker was late: the caller ran both parts
		}
		if sh == 0.5 {
			t.Fatalf("job %d: each part had its own thread, but the share did not move", job)
		}
		learnt++
	}
	if learnt < 5 {
		t.Skipf("the worker thread ran part 1 in only %d of 100 jobs (a busy machine): too few to check", learnt)
	}
}

// TestSplit2Bounds: whatever share was learnt, a 2-thread parallelFor runs
// every element once, in two non-empty ranges cut at a multiple of grain.
func TestSplit2Bounds(t *testing.T) {
	ws := NewWorkers(2)
	defer ws.Close()
	p := ws.pool
	if p == nil {
		t.Fatal("no pool")
	}
	for _, grain := range []int{1, 2, 3, 8} {
		for n := grain + 1; n < 200; n += 1 + n/8 {
			units := (n + grain - 1) / grain
			for _, sh := range []float64{0, minShare, 0.3, 0.5, 0.77, 1 - minShare, 1} {
				p.busy.Lock()
				i := p.split.entry(units)
				p.split.share[i] = sh
				p.busy.Unlock()
				hits := make([]int32, n)
				var ranges atomic.Int32
				var cut atomic.Int64
				parallelFor(ws, n, grain, 1e12, func(lo, hi int) {
					ranges.Add(1)
					if lo == 0 {
						cut.Store(int64(hi))
					}
					if hi <= lo {
						t.Errorf("n=%d grain=%d share %v: empty range [%d, %d)", n, grain, sh, lo, hi)
					}
					for k := lo; k < hi; k++ {
						atomic.AddInt32(&hits[k], 1)
					}
				})
				for k, h := range hits {
					if h != 1 {
						t.Fatalf("n=%d grain=%d share %v: element %d run %d times", n, grain, sh, k, h)
					}
				}
				want := int64(min(units-1, max(1, int(math.Round(sh*float64(units))))) * grain)
				if ranges.Load() != 2 || cut.Load() != want {
					t.Fatalf("n=%d grain=%d share %v: %d ranges, the first ends at %d; want 2, %d",
						n, grain, sh, ranges.Load(), cut.Load(), want)
				}
			}
		}
	}
}

// TestSplit2SameResults: products split at any share give the results of
// one thread, bitwise (each element is computed on one thread).
func TestSplit2SameResults(t *testing.T) {
	rng := newRNG(t)
	x := batch(rng, 256)
	w := randMat(rng, 10, 784)
	g := randMat(rng, 256, 10)
	run := func(ws *Workers) (*Matrix, *Matrix) {
		f, d := NewMatrix(256, 10), NewMatrix(10, 784)
		if err := ws.MatMulU8T(1.0/255, x, w, 0, f); err != nil {
			t.Fatal(err)
		}
		if err := ws.MatMulTU8(1.0/255, g, x, 0, d); err != nil {
			t.Fatal(err)
		}
		return f, d
	}
	wantF, wantD := run(NewWorkers(1))
	ws := NewWorkers(2)
	defer ws.Close()
	run(ws) // makes the splitter's entries for both sizes
	p := ws.pool
	for _, sh := range []float64{minShare, 0.37, 0.5, 0.71, 1 - minShare} {
		p.busy.Lock()
		for i := range p.split.share {
			p.split.share[i] = sh
		}
		p.busy.Unlock()
		if f, d := run(ws); !slices.Equal(f.Data, wantF.Data) || !slices.Equal(d.Data, wantD.Data) {
			t.Errorf("share %v: a 2-thread product differs from the 1-thread one", sh)
		}
	}
}
