//go:build !purego

// NEON (Advanced SIMD) max, dot, axpy and scale. See kernelSet in isa.go for
// the contracts and vec_generic.go for the reference code. Go's assembler
// lacks most floating-point vector instructions (golang/go#41092); they are
// written as WORD with the instruction in the comment, in ARM syntax
// (destination first), and the tests run every one of them. docs/kernels.md
// ("Go's assembler on arm64") lists those instructions.

#include "textflag.h"

// func maxNEON(x []float32) float32
// Requires: ASIMD
// Register map: R0 = &x[i], R2 = elements left; V0, V1 = running maxima
// (started at x[0] in every lane), V2, V3 = loaded elements.
// FMAX, FMAXV and FMAXS return NaN if either operand is NaN (FMAXNM would not).
// Tail: after the 8-wide loop one 4-wide step, then the last len%4 elements
// one at a time with scalar FMAXS; nothing past len is read.
TEXT ·maxNEON(SB), NOSPLIT, $0-28
	MOVD  x_base+0(FP), R0
	MOVD  x_len+8(FP), R2
	VLD1R (R0), [V0.S4]
	VMOV  V0.B16, V1.B16

maxLoop8: // while R2 >= 8
	CMP    $8, R2
	BLT    maxStep4
	VLD1.P 32(R0), [V2.S4, V3.S4]
	WORD   $0x4e22f400 // FMAX V0.4S, V0.4S, V2.4S
	WORD   $0x4e23f421 // FMAX V1.4S, V1.4S, V3.4S
	SUB    $8, R2
	B      maxLoop8

maxStep4: // if R2 >= 4
	TBZ    $2, R2, maxReduce
	VLD1.P 16(R0), [V2.S4]
	WORD   $0x4e22f400 // FMAX V0.4S, V0.4S, V2.4S

maxReduce:
	WORD $0x4e21f400 // FMAX V0.4S, V0.4S, V1.4S
	WORD $0x6e30f800 // FMAXV S0, V0.4S
	ANDS $3, R2

maxTail: // while R2 > 0
	BEQ     maxDone
	FMOVS.P 4(R0), F2
	FMAXS   F2, F0, F0
	SUBS    $1, R2
	B       maxTail

maxDone:
	FMOVS F0, ret+24(FP)
	RET

// func dotNEON(x, y []float32) float32
// Requires: ASIMD
// Register map: R0 = &x[i], R1 = &y[i], R2 = elements left;
// V0-V3 = four accumulators, V4-V7 = x, V16-V19 = y.
// Tail: after the 16-wide loop a 4-wide loop into V0, then the lanes are
// summed ((V0+V1)+(V2+V3), two pairwise adds) and the last len%4 products
// are added one at a time with scalar FMADDS; nothing past len is read.
TEXT ·dotNEON(SB), NOSPLIT, $0-52
	MOVD x_base+0(FP), R0
	MOVD x_len+8(FP), R2
	MOVD y_base+24(FP), R1
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16
	VEOR V2.B16, V2.B16, V2.B16
	VEOR V3.B16, V3.B16, V3.B16

dotLoop16: // while R2 >= 16
	CMP    $16, R2
	BLT    dotLoop4
	VLD1.P 64(R0), [V4.S4, V5.S4, V6.S4, V7.S4]
	VLD1.P 64(R1), [V16.S4, V17.S4, V18.S4, V19.S4]
	VFMLA  V4.S4, V16.S4, V0.S4
	VFMLA  V5.S4, V17.S4, V1.S4
	VFMLA  V6.S4, V18.S4, V2.S4
	VFMLA  V7.S4, V19.S4, V3.S4
	SUB    $16, R2
	B      dotLoop16

dotLoop4: // while R2 >= 4
	CMP    $4, R2
	BLT    dotReduce
	VLD1.P 16(R0), [V4.S4]
	VLD1.P 16(R1), [V16.S4]
	VFMLA  V4.S4, V16.S4, V0.S4
	SUB    $4, R2
	B      dotLoop4

dotReduce:
	WORD $0x4e21d400 // FADD V0.4S, V0.4S, V1.4S
	WORD $0x4e23d442 // FADD V2.4S, V2.4S, V3.4S
	WORD $0x4e22d400 // FADD V0.4S, V0.4S, V2.4S
	WORD $0x6e20d400 // FADDP V0.4S, V0.4S, V0.4S
	WORD $0x6e20d400 // FADDP V0.4S, V0.4S, V0.4S

dotTail: // while R2 > 0
	CBZ     R2, dotDone
	FMOVS.P 4(R0), F4
	FMOVS.P 4(R1), F16
	FMADDS  F16, F0, F4, F0
	SUB     $1, R2
	B       dotTail

dotDone:
	FMOVS F0, ret+48(FP)
	RET

// func axpyNEON(a float32, x, y []float32)
// Requires: ASIMD
// Register map: R0 = &x[i], R1 = &y[i], R2 = elements left; V0 = a broadcast,
// V2, V3 = x, V4, V5 = y. y += a*x is one fused multiply-add per element.
// Tail: after the 8-wide loop one 4-wide step, then the last len%4 elements
// one at a time with scalar FMADDS; nothing past len is read or written.
TEXT ·axpyNEON(SB), NOSPLIT, $0-56
	FMOVS a+0(FP), F0
	MOVD  x_base+8(FP), R0
	MOVD  x_len+16(FP), R2
	MOVD  y_base+32(FP), R1
	VDUP  V0.S[0], V0.S4

axpyLoop8: // while R2 >= 8
	CMP    $8, R2
	BLT    axpyStep4
	VLD1.P 32(R0), [V2.S4, V3.S4]
	VLD1   (R1), [V4.S4, V5.S4]
	VFMLA  V0.S4, V2.S4, V4.S4
	VFMLA  V0.S4, V3.S4, V5.S4
	VST1.P [V4.S4, V5.S4], 32(R1)
	SUB    $8, R2
	B      axpyLoop8

axpyStep4: // if R2 >= 4
	TBZ    $2, R2, axpyTail
	VLD1.P 16(R0), [V2.S4]
	VLD1   (R1), [V4.S4]
	VFMLA  V0.S4, V2.S4, V4.S4
	VST1.P [V4.S4], 16(R1)

axpyTail:
	ANDS $3, R2

axpyTailLoop: // while R2 > 0
	BEQ     axpyDone
	FMOVS.P 4(R0), F2
	FMOVS   (R1), F4
	FMADDS  F0, F4, F2, F4
	FMOVS.P F4, 4(R1)
	SUBS    $1, R2
	B       axpyTailLoop

axpyDone:
	RET

// func scaleNEON(a float32, x []float32)
// Requires: ASIMD
// Register map: R0 = &x[i], R2 = elements left; V0 = a broadcast, V2, V3 = x.
// Tail: after the 8-wide loop one 4-wide step, then the last len%4 elements
// one at a time with scalar FMULS; nothing past len is read or written.
TEXT ·scaleNEON(SB), NOSPLIT, $0-32
	FMOVS a+0(FP), F0
	MOVD  x_base+8(FP), R0
	MOVD  x_len+16(FP), R2
	VDUP  V0.S[0], V0.S4

scaleLoop8: // while R2 >= 8
	CMP    $8, R2
	BLT    scaleStep4
	VLD1   (R0), [V2.S4, V3.S4]
	WORD   $0x6e20dc42 // FMUL V2.4S, V2.4S, V0.4S
	WORD   $0x6e20dc63 // FMUL V3.4S, V3.4S, V0.4S
	VST1.P [V2.S4, V3.S4], 32(R0)
	SUB    $8, R2
	B      scaleLoop8

scaleStep4: // if R2 >= 4
	TBZ    $2, R2, scaleTail
	VLD1   (R0), [V2.S4]
	WORD   $0x6e20dc42 // FMUL V2.4S, V2.4S, V0.4S
	VST1.P [V2.S4], 16(R0)

scaleTail:
	ANDS $3, R2

scaleTailLoop: // while R2 > 0
	BEQ     scaleDone
	FMOVS   (R0), F2
	FMULS   F0, F2, F2
	FMOVS.P F2, 4(R0)
	SUBS    $1, R2
	B       scaleTailLoop

scaleDone:
	RET
