package tensor

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// A training step is two products of ~30-70 us each. Starting goroutines
// for each of them costs little, but the second CPU's thread is usually
// asleep by then, and waking it takes longer than the product: measured on a
// 2-core machine, a step ran slower on two threads than on one. A persistent
// pool whose workers spin for a while between calls (then sleep) avoids that.

// workerPool runs jobs on n participants: the calling goroutine and n-1
// workers.
type workerPool struct {
	n        int
	busy     sync.Mutex    // one job at a time; others fall back to goroutines
	gen      atomic.Uint64 // bumped for each job
	job      func(w int)   // written before gen is bumped
	done     atomic.Int32  // workers that finished the current job
	quit     atomic.Bool
	sleeping []atomic.Bool
	wake     []chan struct{}
	exited   sync.WaitGroup
}

// spinLimit is how many times an idle worker polls for a job before it
// sleeps: a few tens of microseconds, longer than the gaps inside a training
// step, shorter than anything a user would notice as a busy CPU.
const spinLimit = 1 << 15

var pool atomic.Pointer[workerPool]

// StartWorkers starts a pool of n-1 goroutines that, with the calling
// goroutine, run the parallel parts of the package's operations until stop
// is called, instead of starting goroutines for every call. Between calls
// the workers spin for a few tens of microseconds, then sleep, so that a
// sequence of short products (a training loop) does not wait for sleeping
// threads to wake up. Results do not change: work is split as without the
// pool.
//
// Only one pool exists at a time: while one is running, StartWorkers
// returns a stop function that does nothing. n < 2 starts nothing. An
// operation called while another one is using the pool (from another
// goroutine) starts goroutines as usual.
func StartWorkers(n int) (stop func()) {
	if n < 2 {
		return func() {}
	}
	p := &workerPool{n: n, sleeping: make([]atomic.Bool, n), wake: make([]chan struct{}, n)}
	if !pool.CompareAndSwap(nil, p) {
		return func() {}
	}
	for w := 1; w < n; w++ {
		p.wake[w] = make(chan struct{}, 1)
		p.exited.Add(1)
		go p.worker(w)
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			p.busy.Lock() // wait for a job in progress
			pool.CompareAndSwap(p, nil)
			p.quit.Store(true)
			for w := 1; w < n; w++ {
				select {
				case p.wake[w] <- struct{}{}:
				default:
				}
			}
			p.busy.Unlock()
			p.exited.Wait()
		})
	}
}

func (p *workerPool) worker(w int) {
	defer p.exited.Done()
	// Not p.gen.Load(): a job may have been posted before this goroutine
	// first ran. No job exists before the pool, whose generation starts at 0.
	seen := uint64(0)
	for {
		for spins := 0; p.gen.Load() == seen; spins++ {
			if p.quit.Load() {
				return
			}
			switch {
			case spins < spinLimit:
				if spins&255 == 255 {
					runtime.Gosched()
				}
			default: // sleep until the next job
				p.sleeping[w].Store(true)
				if p.gen.Load() == seen && !p.quit.Load() {
					<-p.wake[w]
				}
				p.sleeping[w].Store(false)
				spins = 0
			}
		}
		seen = p.gen.Load()
		p.job(w)
		p.done.Add(1)
	}
}

// run calls job(w) for w in [0, n) on the n participants and returns when
// all are done. It reports false, running nothing, if the pool is busy.
func (p *workerPool) run(job func(w int)) bool {
	if !p.busy.TryLock() {
		return false
	}
	defer p.busy.Unlock()
	if p.quit.Load() {
		return false
	}
	p.job = job
	p.done.Store(0)
	p.gen.Add(1)
	for w := 1; w < p.n; w++ {
		if p.sleeping[w].Load() {
			select {
			case p.wake[w] <- struct{}{}:
			default:
			}
		}
	}
	job(0)
	for spins := 0; p.done.Load() != int32(p.n-1); spins++ {
		if spins&255 == 255 {
			runtime.Gosched()
		}
	}
	return true
}
