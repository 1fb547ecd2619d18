//go:build !purego

package tensor

// The AVX2 loop of the peak probe (peak.go), in peak_amd64.s. It is listed
// even when the CPU lacks AVX2: PeakGFLOPS only runs the active level's loop.
var _ = registerPeak(peakLoop{isa: AVX2, run: fmaLoopAVX2, flop: 12 * 16})

// fmaLoopAVX2 runs n iterations of 12 independent VFMADD231PS on YMM
// registers (no memory access); nothing for n <= 0. Requires AVX2 and FMA.
//
//go:noescape
func fmaLoopAVX2(n int)
