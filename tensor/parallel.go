package tensor

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// threads is the most goroutines one operation may use; 0 means GOMAXPROCS.
var threads atomic.Int32

// SetThreads sets the most goroutines a single operation may use (n < 1
// restores the default, GOMAXPROCS). Operations split work only when it is
// large enough to pay for the goroutines, and always in a way that makes the
// result independent of the thread count.
func SetThreads(n int) {
	if n < 1 {
		n = 0
	}
	threads.Store(int32(n))
}

// Threads returns the most goroutines a single operation may use.
func Threads() int {
	if n := int(threads.Load()); n > 0 {
		return n
	}
	return runtime.GOMAXPROCS(0)
}

// parallelFLOP is the work (in floating-point operations) below which an
// operation runs on the calling goroutine only: starting and joining a
// goroutine costs about a microsecond, so 1 MFLOP per goroutine (about 15 us
// at AVX2 speed) keeps that under ~7 %.
const parallelFLOP = 1 << 20

// poolFLOP is the same with a running worker pool, which starts a part in
// well under a microsecond: 128 kFLOP is about 2 us at AVX2 speed.
const poolFLOP = 1 << 17

// parallelFor splits [0, n) into at most Threads() contiguous ranges whose
// boundaries are multiples of grain (except the end) and runs f on each, the
// first on the calling goroutine. flop is the total work, used to decide how
// many goroutines are worth it.
func parallelFor(n, grain int, flop float64, f func(lo, hi int)) {
	if n <= 0 {
		return
	}
	if grain < 1 {
		grain = 1
	}
	units := (n + grain - 1) / grain
	minFLOP := float64(parallelFLOP)
	if pool.Load() != nil {
		minFLOP = poolFLOP
	}
	p := min(Threads(), units, max(1, int(flop/minFLOP)))
	if p <= 1 {
		f(0, n)
		return
	}
	if wp := pool.Load(); wp != nil && p <= wp.n {
		// One part per thread; parts are claimed by whoever is free, so a
		// part whose worker is off the CPU is run by the caller. (Cutting
		// four parts per thread made a 2-thread training step 50 % slower
		// here.) Two parts are cut where the last jobs of this size say
		// both threads finish together (balance.go).
		if p == 2 && wp.runSplit2(n, units, grain, f) {
			return
		}
		parts := p
		if wp.run(parts, func(i int) { f(min(n, units*i/parts*grain), min(n, units*(i+1)/parts*grain)) }) {
			return
		}
	}
	bound := func(w int) int { return min(n, units*w/p*grain) }
	var wg sync.WaitGroup
	for w := 1; w < p; w++ {
		wg.Go(func() { f(bound(w), bound(w+1)) })
	}
	f(0, bound(1))
	wg.Wait()
}

// Parallel runs f over [0, n), split into contiguous ranges whose boundaries
// are multiples of grain, on up to Threads() goroutines: on the pool of
// StartWorkers when one is running, else on new goroutines (the first range
// on the calling goroutine). work is the cost of the whole range in
// floating-point operations (as a product at full speed would count them):
// ranges are only split off when each is worth more than the cost of running
// it elsewhere. f must be safe to run concurrently on distinct ranges. Where
// the range is cut depends on the thread count and, with the pool and two
// threads, on the threads' measured speeds (it moves from call to call), so
// the result must not depend on how the range is split if it is to be
// reproducible. Package softmax uses it to spread the
// loss of a minibatch over the threads of the products.
func Parallel(n, grain int, work float64, f func(lo, hi int)) {
	parallelFor(n, grain, work, f)
}
