package tensor

import "time"

// Two threads are not always equally fast: on a shared host one virtual
// CPU can run much slower than the other for seconds at a time (another
// guest on the same core, presumably), and a product split in equal halves
// then waits for the slow half (docs/performance.md has the measurements).
//
// So a job of two parts (two threads) is split unequally: the caller's
// share of the work is learnt from the last jobs of the same size, so that
// both parts finish together. Every operation that goes through
// parallelFor computes each output element on one thread, whatever the
// split, so results do not depend on it.

// splitShares is how many job sizes a splitter remembers: a training step
// has three (forward rows, loss parts, gradient chunks) and the evaluation
// of a test set one more.
const splitShares = 8

// splitGain is the fraction of the gap to the measured balance that one job
// closes: a slowdown that lasts a few steps is followed, one job's noise is
// not.
const splitGain = 0.25

// minShare bounds the caller's share of a 2-part job to [minShare,
// 1-minShare], so that a few misleading timings cannot starve a thread.
const minShare = 0.15

// splitter holds the caller's share of 2-part jobs by job size (units).
type splitter struct {
	units [splitShares]int
	share [splitShares]float64
	next  int // the entry to replace next
}

// entry returns the index of the entry for jobs of units units, making one
// (with an equal share) if there is none.
func (s *splitter) entry(units int) int {
	for i, u := range s.units {
		if u == units {
			return i
		}
	}
	i := s.next
	s.next = (s.next + 1) % splitShares
	s.units[i], s.share[i] = units, 0.5
	return i
}

// cut returns how many of units go to the caller's part, in [1, units-1]
// (units >= 2).
func (s *splitter) cut(i, units int) int {
	return min(units-1, max(1, int(s.share[i]*float64(units)+0.5)))
}

// learn moves the share of entry i towards the share that would have made
// both parts finish together, given that the caller's u0 of units took d0
// and the other part finished d1 after the job began (so a worker's late
// start counts against it).
func (s *splitter) learn(i, u0, units int, d0, d1 time.Duration) {
	if d0 <= 0 || d1 <= 0 || u0 <= 0 || u0 >= units {
		return
	}
	c0 := float64(d0) / float64(u0)       // the caller's time per unit
	c1 := float64(d1) / float64(units-u0) // the other thread's
	target := c1 / (c0 + c1)              // the share that equalises c0*u and c1*(units-u)
	sh := s.share[i] + splitGain*(target-s.share[i])
	s.share[i] = min(1-minShare, max(minShare, sh))
}

// runSplit2 runs f over [0, n) in two parts, the caller's of the learnt
// share of the units (grain elements each) and one for a worker. It reports
// false, running nothing, if the pool is busy or stopped.
func (p *workerPool) runSplit2(n, units, grain int, f func(lo, hi int)) bool {
	if !p.acquire() {
		return false
	}
	defer p.busy.Unlock()
	i := p.split.entry(units)
	u0 := p.split.cut(i, units)
	mid := min(n, u0*grain)
	var d [2]time.Duration
	t0 := time.Now()
	ran := p.runLocked(2, func(part int) {
		if part == 0 {
			f(0, mid)
		} else {
			f(mid, n)
		}
		d[part] = time.Since(t0)
	})
	if ran == 1 { // each part had its own thread
		p.split.learn(i, u0, units, d[0], d[1])
	}
	return true
}
