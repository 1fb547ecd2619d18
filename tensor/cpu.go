package tensor

import (
	"runtime"
	"sync"

	"github.com/klauspost/cpuid/v2"
)

// CPUInfo describes the processor, for block sizes and run reports.
type CPUInfo struct {
	Name            string   // brand string, "" if unknown
	Arch            string   // GOARCH
	PhysicalCores   int      // 0 if unknown
	LogicalCores    int      // runtime.NumCPU()
	L1D, L2, L3     int      // data cache sizes in bytes; 0 if unknown
	Features        []string // SIMD-related feature flags found (cpuid/v2 names)
	ISAAvailable    []ISA    // levels this process can run, best last
	ISASelected     ISA      // level in use
	CacheLineBytes  int      // 0 if unknown
	FrequencyHzBase int64    // nominal frequency, 0 if unknown
}

// CPU returns what is known about the processor and the ISA levels.
func CPU() CPUInfo {
	c := cpuid.CPU
	info := CPUInfo{
		Name:            c.BrandName,
		Arch:            runtime.GOARCH,
		PhysicalCores:   max(c.PhysicalCores, 0),
		LogicalCores:    runtime.NumCPU(),
		L1D:             max(c.Cache.L1D, 0),
		L2:              max(c.Cache.L2, 0),
		L3:              max(c.Cache.L3, 0),
		ISAAvailable:    Available(),
		ISASelected:     active.isa,
		CacheLineBytes:  max(c.CacheLine, 0),
		FrequencyHzBase: max(c.Hz, 0),
	}
	for _, f := range []cpuid.FeatureID{cpuid.SSE2, cpuid.AVX, cpuid.AVX2, cpuid.FMA3, cpuid.F16C, cpuid.AVX512F, cpuid.ASIMD, cpuid.FP, cpuid.SVE} {
		if c.Supports(f) {
			info.Features = append(info.Features, f.String())
		}
	}
	return info
}

// blocking holds the GEMM cache-block sizes, derived once from the caches.
type blocking struct{ kc, mc, nc int }

var (
	blockOnce  sync.Once
	blockCache struct{ l1, l2 int }
)

func cacheSizes() (l1, l2 int) {
	blockOnce.Do(func() {
		l1, l2 := cpuid.CPU.Cache.L1D, cpuid.CPU.Cache.L2
		if l1 < 8<<10 || l1 > 1<<20 {
			l1 = 32 << 10
		}
		if l2 < 64<<10 || l2 > 64<<20 {
			l2 = 512 << 10
		}
		blockCache.l1, blockCache.l2 = l1, l2
	})
	return blockCache.l1, blockCache.l2
}

// gemmBlocking returns block sizes for a micro-kernel of mr x nr: the kc x nr
// panel of B and the mr x kc panel of A take about 70 % of L1, the mc x kc
// block of A about half of L2.
func gemmBlocking(mr, nr int) blocking {
	l1, l2 := cacheSizes()
	kc := l1 * 7 / 10 / (4 * (mr + nr))
	kc = max(16, kc/8*8)
	mc := l2 / 2 / (4 * kc)
	mc = max(mr, mc/mr*mr)
	nc := max(nr, 4096/nr*nr)
	return blocking{kc: kc, mc: mc, nc: nc}
}
