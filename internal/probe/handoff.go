package probe

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// HandoffNanos measures how long a value written by one thread takes to
// reach another one and back: two goroutines, each locked to an OS thread,
// take turns incrementing a shared counter (each waits, spinning, for the
// other's increment), for about d; it returns the mean round trip in
// nanoseconds. On a 2-CPU machine the two threads run on the two CPUs.
//
// This is the cost under every synchronisation of a parallel product (a
// worker picking a job up, the caller seeing it done). On the shared VMs of
// the project it is bimodal: ~60 ns when the host runs both virtual CPUs on
// cores that share a cache, ~340 ns when it places them farther apart, and
// 2-thread training is then 1.3-1.5x slower. A figure above ~150 ns marks a
// measurement of parallel speed taken in the slow placement.
//
// It needs at least two CPUs (GOMAXPROCS >= 2): otherwise the two threads
// would take turns on one CPU, and it returns 0. d is raised to at least
// 1 ms; a thread that is descheduled meanwhile inflates the mean, and the
// probe returns after at most about 2d even on a busy machine.
func HandoffNanos(d time.Duration) float64 {
	if runtime.GOMAXPROCS(0) < 2 || runtime.NumCPU() < 2 {
		return 0
	}
	d = max(d, time.Millisecond)
	t0 := time.Now()
	var turn atomic.Int64 // even: the first thread's turn, odd: the second's
	var stop, ready atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		ready.Store(true)
		for i := int64(1); ; i += 2 {
			for turn.Load() != i {
				if stop.Load() {
					return
				}
			}
			turn.Store(i + 1)
		}
	}()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	// The clock is read every 32 round trips (a read costs ~20 ns, a trip
	// 60-350 ns), and while waiting now and then: when the other thread
	// shares its CPU with other work a trip can take milliseconds, and the
	// probe must still end near its deadline (at the latest at 2d).
	const batch = 32
	// The clock starts once the other thread runs (starting its OS thread
	// is not part of a round trip).
	for spins := 1; !ready.Load(); spins++ {
		if spins%4096 == 0 && time.Since(t0) > 2*d {
			// The other thread never ran: the answer is "at least 2d". It
			// exits when it runs (stop is set); waiting for it could take
			// as long again.
			stop.Store(true)
			return float64(time.Since(t0).Nanoseconds())
		}
	}
	start := time.Now()
	deadline, giveUp := start.Add(d), start.Add(2*d)
	trips := 0
	late := false
measure:
	for i := int64(0); ; {
		for range batch {
			turn.Store(i + 1)
			i += 2
			for spins := 1; turn.Load() != i; spins++ {
				if spins%4096 == 0 && !time.Now().Before(giveUp) {
					late = true
					break measure
				}
			}
			trips++
		}
		if !time.Now().Before(deadline) {
			break
		}
	}
	elapsed := time.Since(start)
	stop.Store(true)
	wg.Wait()
	if late {
		trips++ // the unfinished trip took at least the rest of the time
	}
	return float64(elapsed.Nanoseconds()) / float64(trips)
}
