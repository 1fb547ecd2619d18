package tensor

import (
	"math"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestWorkersRunEveryRange(t *testing.T) {
	defer SetThreads(0)
	for _, n := range []int{2, 3, 4} {
		SetThreads(n)
		stop := StartWorkers(n)
		if pool.Load() == nil {
			t.Fatalf("StartWorkers(%d) started no pool", n)
		}
		if stop2 := StartWorkers(n); pool.Load() == nil {
			t.Fatal("a second StartWorkers replaced the pool")
		} else {
			stop2() // a no-op
		}
		for round := range 2000 {
			size := 1 + round%97
			hits := make([]int32, size)
			parallelFor(size, 1, 1e12, func(lo, hi int) {
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
		stop()
		stop() // idempotent
		if pool.Load() != nil {
			t.Fatal("stop left the pool in place")
		}
	}
}

// TestWorkersConcurrentCallers: operations from several goroutines while a
// pool runs; those that find it busy start goroutines instead.
func TestWorkersConcurrentCallers(t *testing.T) {
	defer SetThreads(0)
	SetThreads(2)
	defer StartWorkers(2)()
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
				if err := MatMul(NoTrans, NoTrans, 1, a, b, 0, c); err != nil {
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
