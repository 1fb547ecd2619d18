// Package probe measures the machine for the command's reports: the
// multiply-add peak of each ISA level of package tensor, against which the
// products' speed is judged, and the time a value takes between two
// threads, the cost under every synchronisation of a parallel product.
// These are measurements, not specifications: on a shared or virtual
// machine they drop when other programs run.
package probe

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/softmax-fast/softmax-fast/tensor"
)

// The peak probe is a loop of independent multiply-adds on registers only
// (no memory traffic), one per ISA level, timed on several threads.

// peakLoop is the compute-bound loop of one ISA level.
type peakLoop struct {
	isa tensor.ISA
	// run executes n iterations (nothing for n <= 0).
	run func(n int)
	// flop is the number of floating-point operations of one iteration,
	// counting a multiply-add as 2 per lane.
	flop int
}

// peakLoops lists the loops of every level compiled in: the generic one here,
// the others appended by the arch files from package var initializers
// (registerPeak), like levels in isa.go.
var peakLoops = []peakLoop{{isa: tensor.Generic, run: fmaLoopGenericSink, flop: fmaGenericChains * 2}}

// registerPeak adds the loop of a level. It returns true so that it can be
// called from a var initializer.
func registerPeak(l peakLoop) bool {
	peakLoops = append(peakLoops, l)
	return true
}

// peakLoopFor returns the loop of level l, or the generic one if l has none.
func peakLoopFor(l tensor.ISA) peakLoop {
	for _, p := range peakLoops {
		if p.isa == l {
			return p
		}
	}
	return peakLoops[0]
}

// PeakGFLOPS measures the float32 multiply-add throughput of level l, in
// GFLOP/s (10**9 floating-point operations per second, a fused multiply-add
// counting 2 per lane: 16 per VFMADD231PS ymm, 32 per zmm, 8 per VFMLA .4S
// on NEON). It runs a loop of independent multiply-adds on registers only
// on threads goroutines, each locked to an OS thread, for about d, and
// returns their total rate. The generic level's loop is scalar Go code, so
// its "peak" is just what scalar Go code reaches. The machine's limit is the
// peak of tensor.Best(), whatever level is in use. It fails for a level this
// CPU or build cannot run.
//
// threads < 1 means GOMAXPROCS; d is raised to at least 10 ms.
//
// This is a measurement, not a specification: it is noisy, and on a shared or
// virtual machine it drops when other programs run (with threads above the
// number of idle cores, the threads share them). Use it to judge the
// fraction of peak a kernel reaches, measured under the same conditions.
func PeakGFLOPS(l tensor.ISA, threads int, d time.Duration) (float64, error) {
	if !slices.Contains(tensor.Available(), l) {
		return 0, fmt.Errorf("probe: %v: %w (available: %v)", l, tensor.ErrISAUnavailable, tensor.Available())
	}
	if threads < 1 {
		threads = runtime.GOMAXPROCS(0)
	}
	d = max(d, 10*time.Millisecond)
	loop := peakLoopFor(l)
	n := peakChunk(loop.run)

	var ready, done sync.WaitGroup
	startc := make(chan struct{})
	iters := make([]int64, threads)
	var deadline time.Time
	for g := range threads {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			ready.Done()
			<-startc
			var it int64
			for {
				loop.run(n)
				it += int64(n)
				if !time.Now().Before(deadline) {
					break
				}
			}
			iters[g] = it
		}()
	}
	ready.Wait()
	start := time.Now()
	deadline = start.Add(d) // written before close(startc): no race
	close(startc)
	done.Wait()
	elapsed := time.Since(start).Seconds()
	var total float64
	for _, it := range iters {
		total += float64(it)
	}
	return total * float64(loop.flop) / elapsed / 1e9, nil
}

// peakChunk returns a number of iterations of run that take about 1 ms (at
// least 1), so that the probe reads the clock rarely but stops close to its
// deadline. It also warms the core up.
func peakChunk(run func(n int)) int {
	const target = time.Millisecond
	n := 64
	for {
		t := time.Now()
		run(n)
		el := time.Since(t)
		if el >= target/4 || n >= 1<<30 {
			if el <= 0 {
				return n
			}
			return max(1, int(float64(n)*float64(target)/float64(el)))
		}
		n *= 2
	}
}

// fmaGenericChains is the number of independent multiply-add chains of
// fmaLoopGeneric: enough to hide the latency of a scalar multiply and add
// (or FMA) on 2 pipes.
const fmaGenericChains = 12

// peakMul and peakAdd are variables so that the compiler cannot fold the
// loop. Each chain converges to peakAdd/(1-peakMul) = 1: no overflow, no
// subnormals.
var peakMul, peakAdd float32 = 0.5, 0.5

// peakSink keeps the result of fmaLoopGeneric alive.
var peakSink atomic.Uint32

func fmaLoopGenericSink(n int) {
	peakSink.Store(math.Float32bits(fmaLoopGeneric(n)))
}

// fmaLoopGeneric runs n iterations of fmaGenericChains independent scalar
// float32 multiply-adds a = a*m + c (fused into FMA where the compiler does
// so, as on arm64) and returns the sum of the chains.
func fmaLoopGeneric(n int) float32 {
	m, c := peakMul, peakAdd
	var a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11 float32
	for range n {
		a0 = a0*m + c
		a1 = a1*m + c
		a2 = a2*m + c
		a3 = a3*m + c
		a4 = a4*m + c
		a5 = a5*m + c
		a6 = a6*m + c
		a7 = a7*m + c
		a8 = a8*m + c
		a9 = a9*m + c
		a10 = a10*m + c
		a11 = a11*m + c
	}
	return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11
}
