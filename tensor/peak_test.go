package tensor

import (
	"errors"
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

// TestPeakGFLOPS checks that the probe returns a positive finite rate for
// every level, on one thread and on two, whatever level is active (no
// timing assertions), and an error for a level this CPU cannot run.
func TestPeakGFLOPS(t *testing.T) {
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		for _, threads := range []int{1, 2, 0} {
			g, err := PeakGFLOPSOf(ks.isa, threads, 20*time.Millisecond)
			if err != nil || !(g > 0) || math.IsInf(g, 0) {
				t.Errorf("PeakGFLOPSOf(%v, %d) = %v, %v", ks.isa, threads, g, err)
			}
			t.Logf("%v, %d threads: %.1f GFLOP/s", ks.isa, threads, g)
		}
		if g := PeakGFLOPS(1, 10*time.Millisecond); !(g > 0) {
			t.Errorf("PeakGFLOPS(1) = %v at level %v", g, ks.isa)
		}
	})
	for _, l := range []ISA{AVX2, AVX512, NEON, ISA(99)} {
		if lookup(l) == nil {
			if _, err := PeakGFLOPSOf(l, 1, 10*time.Millisecond); !errors.Is(err, ErrISAUnavailable) {
				t.Errorf("PeakGFLOPSOf(%v) on a CPU without it: err %v", l, err)
			}
		}
	}
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
