package tensor

import (
	"runtime"
	"sync"
)

// Workers are the threads that the parallel parts of the products run on:
// at most Threads() goroutines per product, the caller's included. A nil
// (or zero) Workers, what the package-level products use, runs up to
// GOMAXPROCS goroutines, started for each product. NewWorkers keeps threads-1
// goroutines waiting between products instead, for a sequence of short
// products such as a training loop.
//
// Each Workers is its own: two of them (two models trained at once in one
// process, say) neither share threads nor see each other's setting. A
// product called while another one is using the same Workers (from another
// goroutine) starts goroutines as a nil Workers does, so Workers may be
// shared, only not for speed.
//
// Results never depend on the Workers: every product computes each output
// element on one thread, in the same order, however the work is split.
type Workers struct {
	n    int         // threads, >= 1
	pool *workerPool // nil with one thread
}

// NewWorkers returns Workers of the given number of threads (threads < 1
// means GOMAXPROCS). With two or more it starts threads-1 goroutines that,
// with the calling goroutine, run the parallel parts of every product called
// through the Workers until Close. Between products they spin for a few
// hundred microseconds, then sleep: the gaps inside a training step are
// shorter than waking a sleeping thread, the gaps between a user's calls
// much longer. With two threads the Workers also learn where to cut a
// product so that both threads finish together (a thread slowed by another
// process gets less).
func NewWorkers(threads int) *Workers {
	if threads < 1 {
		threads = runtime.GOMAXPROCS(0)
	}
	w := &Workers{n: threads}
	if threads >= 2 {
		w.pool = startPool(threads)
		// Workers dropped without Close still stop their goroutines, which
		// hold the pool, never w.
		runtime.AddCleanup(w, (*workerPool).stop, w.pool)
	}
	return w
}

// Threads returns the most goroutines a product run through w may use:
// GOMAXPROCS for a nil or zero w.
func (w *Workers) Threads() int {
	if w == nil || w.n < 1 {
		return runtime.GOMAXPROCS(0)
	}
	return w.n
}

// Close stops w's goroutines, after any product in progress. Products run
// through w after Close still work, on goroutines started for each call.
// Close may be called more than once.
func (w *Workers) Close() {
	if w != nil && w.pool != nil {
		w.pool.stop()
	}
}

// For runs f over [0, n), split into contiguous ranges whose boundaries are
// multiples of grain (the end excepted), on up to Threads() goroutines, the
// first range on the calling goroutine. work is the cost of the whole range
// in floating-point operations (as a product at full speed would count
// them): a range is split off only when each part is worth more than
// handing it to another thread. f must be safe to run concurrently on
// distinct ranges. Where the range is cut depends on the thread count and,
// with two threads, on their measured speeds (it moves from call to call),
// so a caller that wants reproducible results must make them independent of
// the cut, as the products do.
func (w *Workers) For(n, grain int, work float64, f func(lo, hi int)) {
	parallelFor(w, n, grain, work, f)
}

// parallelFLOP is the work (in floating-point operations) below which an
// operation runs on the calling goroutine only: starting and joining a
// goroutine costs about a microsecond, so 1 MFLOP per goroutine (about 15 us
// at AVX2 speed) keeps that under ~7 %.
const parallelFLOP = 1 << 20

// poolFLOP is the same with a running worker pool, which starts a part in
// well under a microsecond: 128 kFLOP is about 2 us at AVX2 speed.
const poolFLOP = 1 << 17

// parallelFor is w.For.
func parallelFor(w *Workers, n, grain int, flop float64, f func(lo, hi int)) {
	if n <= 0 {
		return
	}
	if grain < 1 {
		grain = 1
	}
	units := (n + grain - 1) / grain
	var wp *workerPool
	minFLOP := float64(parallelFLOP)
	if w != nil && w.pool != nil && !w.pool.quit.Load() {
		wp, minFLOP = w.pool, poolFLOP
	}
	p := min(w.Threads(), units, max(1, int(flop/minFLOP)))
	if p <= 1 {
		f(0, n)
		return
	}
	if wp != nil {
		// One part per thread (more parts cost a claim each and made the
		// short products of a step slower); parts are claimed by whoever is
		// free, so a part whose worker is off the CPU is run by the caller.
		// Two parts are cut where the last jobs of this size say both
		// threads finish together (balance.go).
		if p == 2 && wp.runSplit2(n, units, grain, f) {
			return
		}
		parts := p
		if wp.run(parts, func(i int) { f(min(n, units*i/parts*grain), min(n, units*(i+1)/parts*grain)) }) {
			return
		}
	}
	bound := func(i int) int { return min(n, units*i/p*grain) }
	var wg sync.WaitGroup
	for i := 1; i < p; i++ {
		wg.Go(func() { f(bound(i), bound(i+1)) })
	}
	f(0, bound(1))
	wg.Wait()
}
