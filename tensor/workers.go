package tensor

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// The products of a training step are each shorter than the time it takes
// to wake a sleeping thread: with goroutines started for each product, the
// second CPU's thread is usually asleep by then, and a step ran slower on
// two threads than on one. A persistent pool whose workers spin for a while
// between products (then sleep) avoids that.
//
// The parts of a job other than the first are not bound to workers: the
// caller runs part 0, then every participant, the caller included, claims
// the next unclaimed part until none is left. So when a worker's thread has
// been taken off the CPU (another process is running), the caller runs that
// part itself instead of waiting for it.

// poolJob is one call: parts [0, parts) of fn, claimed through next.
type poolJob struct {
	fn    func(part int)
	parts int32
	next  atomic.Int32 // the next part to claim
	done  atomic.Int32 // parts finished
}

// runParts claims and runs parts of j until none is left and returns how
// many it ran.
func (j *poolJob) runParts() (ran int) {
	for {
		i := j.next.Add(1) - 1
		if i >= j.parts {
			return ran
		}
		j.fn(int(i))
		j.done.Add(1)
		ran++
	}
}

// workerPool runs jobs on the calling goroutine and n-1 workers.
type workerPool struct {
	n        int
	busy     sync.Mutex // one job at a time; other callers start goroutines
	cur      atomic.Pointer[poolJob]
	quit     atomic.Bool
	sleeping []atomic.Bool
	wake     []chan struct{}
	exited   sync.WaitGroup
	split    splitter // two-part splits, under busy
	stopOnce sync.Once
}

// spinLimit is how many times an idle worker polls for a job before it
// sleeps: a few hundred microseconds, longer than the gaps inside a training
// step, shorter than anything a user would notice as a busy CPU.
const spinLimit = 1 << 15

// startPool starts the n-1 workers of a pool of n threads.
func startPool(n int) *workerPool {
	p := &workerPool{n: n, sleeping: make([]atomic.Bool, n), wake: make([]chan struct{}, n)}
	for w := 1; w < n; w++ {
		p.wake[w] = make(chan struct{}, 1)
		p.exited.Add(1)
		go p.worker(w)
	}
	return p
}

// stop ends the workers after the job in progress, if any, and waits for
// them to exit. Later calls do nothing.
func (p *workerPool) stop() {
	p.stopOnce.Do(func() {
		p.busy.Lock() // wait for a job in progress
		p.quit.Store(true)
		for w := 1; w < p.n; w++ {
			select {
			case p.wake[w] <- struct{}{}:
			default:
			}
		}
		p.busy.Unlock()
		p.exited.Wait()
	})
}

func (p *workerPool) worker(w int) {
	defer p.exited.Done()
	var seen *poolJob
	for {
		var j *poolJob
		for spins := 0; ; spins++ {
			if p.quit.Load() {
				return
			}
			if j = p.cur.Load(); j != seen {
				break
			}
			switch {
			case spins < spinLimit:
				if spins&255 == 255 {
					runtime.Gosched()
				}
			default: // sleep until the next job
				p.sleeping[w].Store(true)
				if p.cur.Load() == seen && !p.quit.Load() {
					<-p.wake[w]
				}
				p.sleeping[w].Store(false)
				spins = 0
			}
		}
		seen = j
		j.runParts()
	}
}

// run calls fn(part) for every part in [0, parts) on the participants and
// returns when all are done. It reports false, running nothing, if the pool
// is busy or stopped.
func (p *workerPool) run(parts int, fn func(part int)) bool {
	if !p.acquire() {
		return false
	}
	defer p.busy.Unlock()
	p.runLocked(parts, fn)
	return true
}

// acquire takes p.busy for one job and reports true, or reports false
// (holding nothing) if the pool is busy or stopped.
func (p *workerPool) acquire() bool {
	if !p.busy.TryLock() {
		return false
	}
	if p.quit.Load() {
		p.busy.Unlock()
		return false
	}
	return true
}

// runLocked is run with p.busy held and the pool running. The caller runs
// part 0 itself (so that a split can give it its own share, see balance.go),
// then claims parts with the workers. It returns how many parts the caller
// ran.
func (p *workerPool) runLocked(parts int, fn func(part int)) int {
	if parts <= 0 {
		return 0
	}
	j := &poolJob{fn: fn, parts: int32(parts)}
	j.next.Store(1)
	p.cur.Store(j)
	for w := 1; w < p.n; w++ {
		if p.sleeping[w].Load() {
			select {
			case p.wake[w] <- struct{}{}:
			default:
			}
		}
	}
	fn(0)
	j.done.Add(1)
	ran := 1 + j.runParts()
	for spins := 0; j.done.Load() != j.parts; spins++ {
		if spins&255 == 255 {
			runtime.Gosched()
		}
	}
	return ran
}
