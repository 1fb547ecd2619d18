//go:build !purego

package probe

import "github.com/softmax-fast/softmax-fast/tensor"

// The NEON loop of the peak probe (peak.go), in peak_arm64.s.
var _ = registerPeak(peakLoop{isa: tensor.NEON, run: fmaLoopNEON, flop: 24 * 8})

// fmaLoopNEON runs n iterations of 24 independent VFMLA .4S (no memory
// access); nothing for n <= 0.
//
//go:noescape
func fmaLoopNEON(n int)
