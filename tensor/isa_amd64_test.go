//go:build !purego

package tensor

import (
	"testing"

	"golang.org/x/sys/cpu"
)

// archLevels are the levels of this GOARCH's assembly.
var archLevels = []ISA{AVX2, AVX512}

// unavailable says why level l cannot run here.
func unavailable(l ISA) string {
	switch l {
	case AVX2:
		return "this CPU (or OS) lacks AVX2, FMA or the YMM state"
	case AVX512:
		if !cpu.X86.HasAVX512F {
			return "this CPU (or OS) lacks AVX-512 F or the opmask/ZMM state"
		}
		return "this CPU lacks one of AVX-512 BW, DQ, VL"
	}
	return "unknown level"
}

// needAVX512 skips a test of the AVX-512 kernels, saying why, on a CPU or
// OS without them.
func needAVX512(t testing.TB) {
	t.Helper()
	if !hasAVX512 {
		t.Skip("the avx512 level is not tested: " + unavailable(AVX512))
	}
}
