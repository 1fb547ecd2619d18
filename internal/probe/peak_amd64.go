//go:build !purego

package probe

import "github.com/softmax-fast/softmax-fast/tensor"

// The loops of the peak probe (peak.go), in peak_amd64.s. They are listed
// even when the CPU lacks the level: PeakGFLOPS only runs the loops of the
// levels this process can run.
var (
	_ = registerPeak(peakLoop{isa: tensor.AVX2, run: fmaLoopAVX2, flop: 12 * 16})
	_ = registerPeak(peakLoop{isa: tensor.AVX512, run: fmaLoopAVX512, flop: 16 * 32})
)

// fmaLoopAVX2 runs n iterations of 12 independent VFMADD231PS on YMM
// registers (no memory access); nothing for n <= 0. Requires AVX2 and FMA.
//
//go:noescape
func fmaLoopAVX2(n int)

// fmaLoopAVX512 runs n iterations of 16 independent VFMADD231PS on ZMM
// registers (no memory access); nothing for n <= 0. Requires AVX512F.
//
//go:noescape
func fmaLoopAVX512(n int)
