package probe

import (
	"errors"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/softmax-fast/softmax-fast/tensor"
)

// forEachISA runs f as a subtest for every level of package tensor, each
// named after its level; a level this CPU or build cannot run is a skipped
// subtest that says so, so a run on a smaller CPU shows what it did not
// check.
func forEachISA(t *testing.T, f func(t *testing.T, level tensor.ISA)) {
	for _, l := range []tensor.ISA{tensor.Generic, tensor.AVX2, tensor.AVX512, tensor.NEON} {
		t.Run(l.String(), func(t *testing.T) {
			if !slices.Contains(tensor.Available(), l) {
				t.Skipf("%v: not available on this CPU or build (available: %v)", l, tensor.Available())
			}
			f(t, l)
		})
	}
}

// TestPeakLoops runs the peak loop of every level this machine can run, for
// a few iteration counts including none.
func TestPeakLoops(t *testing.T) {
	forEachISA(t, func(t *testing.T, level tensor.ISA) {
		l := peakLoopFor(level)
		if l.isa != level {
			t.Fatalf("no peak loop for %v", level)
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
	forEachISA(t, func(t *testing.T, level tensor.ISA) {
		for _, threads := range []int{1, 2, 0} {
			g, err := PeakGFLOPS(level, threads, 20*time.Millisecond)
			if err != nil || !(g > 0) || math.IsInf(g, 0) {
				t.Errorf("PeakGFLOPS(%v, %d) = %v, %v", level, threads, g, err)
			}
			t.Logf("%v, %d threads: %.1f GFLOP/s", level, threads, g)
		}
	})
	for _, l := range []tensor.ISA{tensor.AVX2, tensor.AVX512, tensor.NEON, tensor.ISA(99)} {
		if !slices.Contains(tensor.Available(), l) {
			if _, err := PeakGFLOPS(l, 1, 10*time.Millisecond); !errors.Is(err, tensor.ErrISAUnavailable) {
				t.Errorf("PeakGFLOPS(%v) on a CPU without it: err %v", l, err)
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
