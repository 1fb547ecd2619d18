//go:build !purego

package tensor

import "golang.org/x/sys/cpu"

// hasAVX512 reports whether this CPU and OS run the AVX-512 kernels: the
// F, BW, DQ and VL subsets (x/sys/cpu reports them only when the OS saves
// the opmask and ZMM state).
var hasAVX512 = cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512DQ && cpu.X86.HasAVX512VL && cpu.X86.HasPOPCNT

// softmaxXent10AVX512 is kernelSet.softmaxXent10 in AVX-512: the fused
// softmax cross-entropy of len(labels) rows of 10 logits, in place, 16 rows
// at a time in class-major form (see xent_avx512_amd64.s). Each row gets
// bitwise the results softmaxXent10AVX2 gives it. len(z) >= 10n,
// len(s), len(shift) >= n, len(cs) is 0 or >= 10 (not checked).
// Requires hasAVX512.
//
//go:noescape
func softmaxXent10AVX512(z []float32, labels []uint8, scale float32, s []float32, shift []float64, cs []float64) (correct int)

// expXentAVX512 sets dst[i] = e**src[i] for i < len(src) with the exp of
// softmaxXent10AVX512 (len(dst) >= len(src)), for the tests that compare it
// with expAVX2. Requires hasAVX512.
//
//go:noescape
func expXentAVX512(dst, src []float32)
