// Package cpuinfo describes the processor (name, SIMD features, cache sizes)
// with github.com/klauspost/cpuid/v2, and tunes the cache blocking of package
// tensor to the detected caches (package internal/cachesize).
//
// It is kept out of package tensor so that programs that only run a model
// (see examples/classify) do not link cpuid/v2, which imports the flag
// package. Importing cpuinfo (the softmax-fast command does) sets the cache
// sizes when the program starts; without it tensor assumes 32 KiB of L1d and
// 512 KiB of L2 per core, which only changes the speed of large float32
// products, never a result.
package cpuinfo

import (
	"runtime"

	"github.com/klauspost/cpuid/v2"

	"github.com/softmax-fast/softmax-fast/internal/cachesize"
	"github.com/softmax-fast/softmax-fast/tensor"
)

// Info describes the processor and the ISA levels of package tensor.
type Info struct {
	Name            string       // brand string, "" if unknown
	Arch            string       // GOARCH
	PhysicalCores   int          // 0 if unknown
	LogicalCores    int          // runtime.NumCPU()
	L1D, L2, L3     int          // data cache sizes in bytes; 0 if unknown
	Features        []string     // SIMD-related feature flags found (cpuid/v2 names)
	ISAAvailable    []tensor.ISA // levels this process can run, best last
	ISASelected     tensor.ISA   // level in use
	CacheLineBytes  int          // 0 if unknown
	FrequencyHzBase int64        // nominal frequency, 0 if unknown
}

// Get returns what is known about the processor and the ISA levels.
func Get() Info {
	c := cpuid.CPU
	level, _ := tensor.CurrentISA()
	info := Info{
		Name:            c.BrandName,
		Arch:            runtime.GOARCH,
		PhysicalCores:   max(c.PhysicalCores, 0),
		LogicalCores:    runtime.NumCPU(),
		L1D:             max(c.Cache.L1D, 0),
		L2:              max(c.Cache.L2, 0),
		L3:              max(c.Cache.L3, 0),
		ISAAvailable:    tensor.Available(),
		ISASelected:     level,
		CacheLineBytes:  max(c.CacheLine, 0),
		FrequencyHzBase: max(c.Hz, 0),
	}
	for _, f := range []cpuid.FeatureID{cpuid.SSE2, cpuid.AVX, cpuid.AVX2, cpuid.FMA3, cpuid.F16C, cpuid.AVX512F, cpuid.AVX512BW, cpuid.AVX512DQ, cpuid.AVX512VL, cpuid.ASIMD, cpuid.FP, cpuid.SVE} {
		if c.Supports(f) {
			info.Features = append(info.Features, f.String())
		}
	}
	return info
}

func init() {
	cachesize.Set(cpuid.CPU.Cache.L1D, cpuid.CPU.Cache.L2)
}
