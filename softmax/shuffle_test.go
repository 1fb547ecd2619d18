package softmax

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestShuffleSameAsRand checks that shuffle gives rand.Shuffle's
// permutation and leaves the source in the same state, so that training
// sees the minibatches it saw with rand.Shuffle.
func TestShuffleSameAsRand(t *testing.T) {
	for _, seed := range []uint64{0, 1, 42} {
		for _, n := range []int{0, 1, 2, 3, 4, 5, 8, 9, 63, 64, 65, 1000, 60000} {
			want := make([]int32, n)
			for i := range want {
				want[i] = int32(i)
			}
			got := slices.Clone(want)
			r := rand.New(rand.NewPCG(seed, shuffleStream))
			for range 2 { // two epochs: the second starts from the first's order
				r.Shuffle(n, func(i, j int) { want[i], want[j] = want[j], want[i] })
			}
			src := rand.NewPCG(seed, shuffleStream)
			for range 2 {
				shuffle(src, got)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("seed %d, n %d: shuffle gave %v, rand.Shuffle %v", seed, n, got[:min(n, 10)], want[:min(n, 10)])
			}
			if a, b := src.Uint64(), r.Uint64(); a != b {
				t.Fatalf("seed %d, n %d: the source is at %#x after shuffle, %#x after rand.Shuffle", seed, n, a, b)
			}
		}
	}
}

// TestUint64nSameAsRand checks uint64n against Rand.Uint64N on bounds that
// take every branch: powers of two, small bounds, and bounds near 2^64
// where the rejection loop runs often.
func TestUint64nSameAsRand(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	src := rand.NewPCG(3, 4)
	for _, n := range []uint64{1, 2, 3, 7, 1 << 20, 60000, 1<<63 + 1, 1<<64 - 1, 3 << 62} {
		for i := range 2000 {
			if a, b := uint64n(src, n), r.Uint64N(n); a != b {
				t.Fatalf("n %d, draw %d: uint64n %d, Uint64N %d", n, i, a, b)
			}
		}
	}
}
