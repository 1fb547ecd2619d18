package tensor

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestWorkersRunEveryRange: through Workers of 2-4 threads, every element
// of a range is run exactly once, whether the workers spin or sleep, and
// after Close too (on goroutines started for the call).
func TestWorkersRunEveryRange(t *testing.T) {
	for _, n := range []int{2, 3, 4} {
		ws := NewWorkers(n)
		if ws.Threads() != n || ws.pool == nil {
			t.Fatalf("NewWorkers(%d): %d threads, pool %v", n, ws.Threads(), ws.pool)
		}
		for round := range 2000 {
			if round == 1500 {
				ws.Close()
				ws.Close() // idempotent
			}
			size := 1 + round%97
			hits := make([]int32, size)
			parallelFor(ws, size, 1, 1e12, func(lo, hi int) {
				for i := lo; i < hi; i++ {
					atomic.AddInt32(&hits[i], 1)
				}
			})
			for i, h := range hits {
				if h != 1 {
					t.Fatalf("n=%d round %d: element %d run %d times", n, round, i, h)
				}
			}
			if round%500 == 0 {
				time.Sleep(2 * time.Millisecond) // let the workers go to sleep
			}
		}
		if !ws.pool.quit.Load() {
			t.Fatal("Close left the workers running")
		}
	}
}

// TestWorkersThreads: the thread count a Workers reports, the default of
// a nil one and of NewWorkers(0) included.
func TestWorkersThreads(t *testing.T) {
	var nilWorkers *Workers
	if got := nilWorkers.Threads(); got != runtime.GOMAXPROCS(0) {
		t.Errorf("nil Workers: %d threads, want GOMAXPROCS %d", got, runtime.GOMAXPROCS(0))
	}
	nilWorkers.Close() // does nothing
	if got := new(Workers).Threads(); got != runtime.GOMAXPROCS(0) {
		t.Errorf("zero Workers: %d threads, want GOMAXPROCS %d", got, runtime.GOMAXPROCS(0))
	}
	for _, n := range []int{-1, 0, 1, 2, 5} {
		ws := NewWorkers(n)
		want := n
		if n < 1 {
			want = runtime.GOMAXPROCS(0)
		}
		if got := ws.Threads(); got != want || (ws.pool != nil) != (want >= 2) {
			t.Errorf("NewWorkers(%d): %d threads, pool %v; want %d", n, got, ws.pool != nil, want)
		}
		// At most Threads() ranges, whatever the size of the job.
		var ranges atomic.Int32
		ws.For(1000, 1, 1e12, func(lo, hi int) { ranges.Add(1) })
		if r := int(ranges.Load()); r < 1 || r > want {
			t.Errorf("NewWorkers(%d).For: %d ranges", n, r)
		}
		ws.Close()
	}
}

// TestWorkersConcurrentCallers: operations from several goroutines while a
// pool runs; those that find it busy start goroutines instead.
func TestWorkersConcurrentCallers(t *testing.T) {
	ws := NewWorkers(2)
	defer ws.Close()
	rng := newRNG(t)
	a, b := randMat(rng, 300, 784), randMat(rng, 784, 10)
	want := NewMatrix(300, 10)
	if err := MatMul(NoTrans, NoTrans, 1, a, b, 0, want); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			c := NewMatrix(300, 10)
			for range 50 {
				if err := ws.MatMul(NoTrans, NoTrans, 1, a, b, 0, c); err != nil {
					t.Error(err)
					return
				}
				for i := range c.Data {
					if math.Float32bits(c.Data[i]) != math.Float32bits(want.Data[i]) {
						t.Errorf("element %d = %v, want %v", i, c.Data[i], want.Data[i])
						return
					}
				}
			}
		})
	}
	wg.Wait()
}
