package cachesize

import "testing"

// TestSet checks that sizes in range are kept and out-of-range ones select
// the defaults, each size on its own.
func TestSet(t *testing.T) {
	defer Set(0, 0)
	for _, c := range []struct{ l1, l2, want1, want2 int }{
		{0, 0, DefaultL1D, DefaultL2},
		{48 << 10, 2 << 20, 48 << 10, 2 << 20},
		{4 << 10, 2 << 20, DefaultL1D, 2 << 20},
		{48 << 10, 128 << 20, 48 << 10, DefaultL2},
		{-1, -1, DefaultL1D, DefaultL2},
	} {
		Set(c.l1, c.l2)
		if g1, g2 := Get(); g1 != c.want1 || g2 != c.want2 {
			t.Errorf("Set(%d, %d): Get() = %d, %d, want %d, %d", c.l1, c.l2, g1, g2, c.want1, c.want2)
		}
	}
}
