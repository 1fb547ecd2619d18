package tensor

import (
	"sync/atomic"
)

// The cache sizes that block the float32 GEMM. Package tensor/cpuinfo sets
// them from the CPU when it is imported; the defaults fit the machines this
// was tuned on (AMD Zen3: 32 KiB L1d, 512 KiB L2 per core).
var cacheL1, cacheL2 atomic.Int64

const (
	defaultL1D = 32 << 10
	defaultL2  = 512 << 10
)

// SetCacheSizes sets the per-core L1 data and L2 cache sizes, in bytes, that
// the blocking of MatMul assumes. Sizes out of a plausible range (8 KiB to
// 1 MiB of L1d, 64 KiB to 64 MiB of L2) select the defaults. It changes the
// speed of large products, never their result. Safe for concurrent use.
func SetCacheSizes(l1d, l2 int) {
	if l1d < 8<<10 || l1d > 1<<20 {
		l1d = defaultL1D
	}
	if l2 < 64<<10 || l2 > 64<<20 {
		l2 = defaultL2
	}
	cacheL1.Store(int64(l1d))
	cacheL2.Store(int64(l2))
}

// CacheSizes returns the L1d and L2 sizes that the blocking assumes.
func CacheSizes() (l1d, l2 int) {
	l1, l2c := int(cacheL1.Load()), int(cacheL2.Load())
	if l1 == 0 || l2c == 0 {
		return defaultL1D, defaultL2
	}
	return l1, l2c
}

// blocking holds the GEMM cache-block sizes.
type blocking struct{ kc, mc, nc int }

// gemmBlocking returns block sizes for a micro-kernel of mr x nr: the kc x nr
// panel of B and the mr x kc panel of A take about 70 % of L1, the mc x kc
// block of A about half of L2.
func gemmBlocking(mr, nr int) blocking {
	l1, l2 := CacheSizes()
	kc := l1 * 7 / 10 / (4 * (mr + nr))
	kc = max(16, kc/8*8)
	mc := l2 / 2 / (4 * kc)
	mc = max(mr, mc/mr*mr)
	nc := max(nr, 4096/nr*nr)
	return blocking{kc: kc, mc: mc, nc: nc}
}
