package softmax

import (
	"math/bits"
	"math/rand/v2"
)

// shuffle permutes p exactly as rand.New(src).Shuffle(len(p), swap) does
// (Fisher-Yates from the last element down, the same numbers drawn from
// src), without its two indirect calls per element (the source behind an
// interface, the swap function), which would be a visible part of an
// epoch's time.
func shuffle(src *rand.PCG, p []int32) {
	for i := len(p) - 1; i > 0; i-- {
		j := uint64n(src, uint64(i+1))
		p[i], p[j] = p[j], p[i]
	}
}

// uint64n returns a uniform number in [0, n) (n > 0) drawn from src as
// math/rand/v2's Rand.Uint64N draws it: a mask for a power of two, else
// Lemire's multiply-and-reject.
func uint64n(src *rand.PCG, n uint64) uint64 {
	if n&(n-1) == 0 {
		return src.Uint64() & (n - 1)
	}
	hi, lo := bits.Mul64(src.Uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(src.Uint64(), n)
		}
	}
	return hi
}
