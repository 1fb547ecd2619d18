package probe

import (
	"math"
	"runtime"
	"testing"
	"time"
)

// TestHandoffNanos checks that the probe returns a positive finite round
// trip with two CPUs and 0 with one (no timing assertions: the figure is
// the machine's).
func TestHandoffNanos(t *testing.T) {
	if runtime.NumCPU() < 2 || runtime.GOMAXPROCS(0) < 2 {
		if got := HandoffNanos(time.Millisecond); got != 0 {
			t.Fatalf("HandoffNanos on one CPU (or GOMAXPROCS=1) = %v, want 0", got)
		}
		t.Skip("one CPU or GOMAXPROCS=1: only the 0 case can be checked")
	}
	ns := HandoffNanos(5 * time.Millisecond)
	if !(ns > 0) || math.IsInf(ns, 0) {
		t.Fatalf("HandoffNanos = %v", ns)
	}
	t.Logf("round trip %.0f ns", ns)
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	if got := HandoffNanos(time.Millisecond); got != 0 {
		t.Fatalf("HandoffNanos with GOMAXPROCS=1 = %v, want 0", got)
	}
}
