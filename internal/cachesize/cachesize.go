// Package cachesize holds the per-core cache sizes that package tensor
// blocks its float32 GEMM for. Package internal/cpuinfo sets them from the
// CPU when a program imports it (the softmax-fast command does); the
// package that only runs a model need not, since the sizes change the
// speed of large products, never their result.
package cachesize

import "sync/atomic"

// The defaults fit the machines the blocking was first tuned on (32 KiB L1d,
// 512 KiB L2 per core); they are used until Set is called.
const (
	DefaultL1D = 32 << 10
	DefaultL2  = 512 << 10
)

var l1, l2 atomic.Int64

// Set sets the per-core L1 data and L2 cache sizes, in bytes. A size out of a
// plausible range (8 KiB to 1 MiB of L1d, 64 KiB to 64 MiB of L2; 0 for
// unknown) selects its default. Safe for concurrent use.
func Set(l1d, l2c int) {
	if l1d < 8<<10 || l1d > 1<<20 {
		l1d = DefaultL1D
	}
	if l2c < 64<<10 || l2c > 64<<20 {
		l2c = DefaultL2
	}
	l1.Store(int64(l1d))
	l2.Store(int64(l2c))
}

// Get returns the L1d and L2 sizes in bytes: those of the last Set, else the
// defaults.
func Get() (l1d, l2c int) {
	a, b := int(l1.Load()), int(l2.Load())
	if a == 0 || b == 0 {
		return DefaultL1D, DefaultL2
	}
	return a, b
}
