package tensor

import (
	"math"
	"testing"
	"time"
)

// TestPeakLoops runs the peak loop of every level this machine can run, for
// a few iteration counts including none.
func TestPeakLoops(t *testing.T) {
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		l := peakLoopFor(ks.isa)
		if l.isa != ks.isa {
			t.Fatalf("no peak loop for %v", ks.isa)
		}
		if l.flop <= 0 {
			t.Fatalf("flop per iteration %d", l.flop)
		}
		for _, n := range []int{-1, 0, 1, 2, 1000} {
			l.run(n)
		}
	})
}

// TestPeakGFLOPS checks that the probe returns a positive finite rate at
// every level, on one thread and on two (no timing assertions).
func TestPeakGFLOPS(t *testing.T) {
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		for _, threads := range []int{1, 2, 0} {
			g := PeakGFLOPS(threads, 20*time.Millisecond)
			if !(g > 0) || math.IsInf(g, 0) {
				t.Errorf("PeakGFLOPS(%d) = %v", threads, g)
			}
			t.Logf("%v, %d threads: %.1f GFLOP/s", ks.isa, threads, g)
		}
	})
}

// TestFmaLoopGeneric checks the generic loop's arithmetic: each chain
// converges to 1.
func TestFmaLoopGeneric(t *testing.T) {
	if got := fmaLoopGeneric(0); got != 0 {
		t.Errorf("fmaLoopGeneric(0) = %v, want 0", got)
	}
	if got := fmaLoopGeneric(1); got != fmaGenericChains*0.5 {
		t.Errorf("fmaLoopGeneric(1) = %v, want %v", got, fmaGenericChains*0.5)
	}
	if got := fmaLoopGeneric(100); got != fmaGenericChains {
		t.Errorf("fmaLoopGeneric(100) = %v, want %v", got, fmaGenericChains)
	}
}
