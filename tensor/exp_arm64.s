//go:build !purego

// NEON (Advanced SIMD) exp and exp-shift-sum. See kernelSet in isa.go for
// the contracts and exp_generic.go for the reference code.
//
// exp: the algorithm of exp32 (exp_generic.go), eight lanes (two vectors)
// per step. Cody-Waite range reduction, n = rint(x*log2(e)) and
// r = x - n*ln2Hi - n*ln2Lo; e**r = 1 + r + r*r*P(r) with the degree-5
// polynomial of Cephes' expf (S. L. Moshier, Cephes Math Library, expf.c).
// The result is scaled by 2**h and 2**(n-h), h = n>>1, as in XNNPACK's
// f32 exp rr2-p5 kernels, so that overflow gives +Inf, underflow 0 and
// subnormal results round once. x is first clamped to [-104, 88.75] with the
// NaN-propagating FMIN/FMAX, so NaN stays NaN, +Inf gives +Inf and -Inf 0.
// //
// Go's assembler lacks most floating-point vector instructions (golang/go#41092);
// they are written as WORD with the instruction in the comment, in ARM syntax
// (destination first). Each encoding was checked against llvm-mc and
// go tool objdump, and the tests run every one of them. docs/kernels.md
// ("The exp and its error") gives each level's error on all 2**32 inputs.

#include "textflag.h"

// Constants of exp, one float32 each (int32 for expC<>+48), broadcast by
// LOAD_EXP_CONSTS into V16-V28 in this order. Same values as the exp
// constants in exp_generic.go.
DATA expC<>+0(SB)/4, $0x42b18000  // V16 expHi = 88.75
DATA expC<>+4(SB)/4, $0xc2d00000  // V17 expLo = -104.0
DATA expC<>+8(SB)/4, $0x3fb8aa3b  // V18 expLog2e = 1.44269504088896341
DATA expC<>+12(SB)/4, $0x3f318000 // V19 expLn2Hi = 0.693359375
DATA expC<>+16(SB)/4, $0xb95e8083 // V20 expLn2Lo = -2.12194440e-4
DATA expC<>+20(SB)/4, $0x39506967 // V21 expP0 = 1.9875691500e-4
DATA expC<>+24(SB)/4, $0x3ab743ce // V22 expP1 = 1.3981999507e-3
DATA expC<>+28(SB)/4, $0x3c088908 // V23 expP2 = 8.3334519073e-3
DATA expC<>+32(SB)/4, $0x3d2aa9c1 // V24 expP3 = 4.1665795894e-2
DATA expC<>+36(SB)/4, $0x3e2aaaaa // V25 expP4 = 1.6666665459e-1
DATA expC<>+40(SB)/4, $0x3f000000 // V26 expP5 = 5.0000001201e-1 (0.5 in float32)
DATA expC<>+44(SB)/4, $0x3f800000 // V27 1.0
DATA expC<>+48(SB)/4, $127        // V28 int32 127, the float32 exponent bias
GLOBL expC<>(SB), RODATA|NOPTR, $52

// LOAD_EXP_CONSTS broadcasts the 13 constants of expC<> into V16-V28 (uses R4).
#define LOAD_EXP_CONSTS \
	MOVD    $expC<>(SB), R4;     \
	VLD1R.P 4(R4), [V16.S4];     \
	VLD1R.P 4(R4), [V17.S4];     \
	VLD1R.P 4(R4), [V18.S4];     \
	VLD1R.P 4(R4), [V19.S4];     \
	VLD1R.P 4(R4), [V20.S4];     \
	VLD1R.P 4(R4), [V21.S4];     \
	VLD1R.P 4(R4), [V22.S4];     \
	VLD1R.P 4(R4), [V23.S4];     \
	VLD1R.P 4(R4), [V24.S4];     \
	VLD1R.P 4(R4), [V25.S4];     \
	VLD1R.P 4(R4), [V26.S4];     \
	VLD1R.P 4(R4), [V27.S4];     \
	VLD1R.P 4(R4), [V28.S4]

// EXP8 replaces the eight lanes of V0 and V1 by their exp, with the
// constants in V16-V28 (LOAD_EXP_CONSTS). Temporaries: V2-V5 for V0, V6-V9
// for V1. The two chains are interleaved. Step by step (V0; V1 alike):
//   x  = max(min(x, hi), lo)      NaN-propagating FMIN/FMAX
//   t  = rint(x*log2e)            FMUL, FRINTN (ties to even), as exp32
//   r  = x - t*ln2Hi - t*ln2Lo    two fused FMLS (t*ln2Hi is exact)
//   n  = int32(t)                 FCVTZS (t is integral; NaN gives 0)
//   p  = Horner P0..P5 at r       VFMLA into a copy of the next coefficient
//   e  = (r + p*(r*r)) + 1        FMUL, fused FMLA, FADD
//   h  = n>>1, s1 = (h+127)<<23 = 2**h, s2 = (n-h+127)<<23
//                                 The shift by 23 keeps only the low 9 bits
//                                 of h+127 and n-h+127, so the logical VUSHR
//                                 does for the arithmetic n>>1 (they differ
//                                 only in bit 31) with the same results.
//   e  = (e*s1)*s2                e*s1 is exact; the last product rounds once
#define EXP8 \
	WORD  $0x4eb0f400;               /* FMIN   V0.4S, V0.4S, V16.4S */ \
	WORD  $0x4eb0f421;               /* FMIN   V1.4S, V1.4S, V16.4S */ \
	WORD  $0x4e31f400;               /* FMAX   V0.4S, V0.4S, V17.4S */ \
	WORD  $0x4e31f421;               /* FMAX   V1.4S, V1.4S, V17.4S */ \
	WORD  $0x6e32dc02;               /* FMUL   V2.4S, V0.4S, V18.4S */ \
	WORD  $0x6e32dc26;               /* FMUL   V6.4S, V1.4S, V18.4S */ \
	WORD  $0x4e218842;               /* FRINTN V2.4S, V2.4S */ \
	WORD  $0x4e2188c6;               /* FRINTN V6.4S, V6.4S */ \
	VFMLS V2.S4, V19.S4, V0.S4;      /* r = x - t*ln2Hi */ \
	VFMLS V6.S4, V19.S4, V1.S4;      \
	WORD  $0x4ea1b843;               /* FCVTZS V3.4S, V2.4S */ \
	WORD  $0x4ea1b8c7;               /* FCVTZS V7.4S, V6.4S */ \
	VFMLS V2.S4, V20.S4, V0.S4;      /* r -= t*ln2Lo */ \
	VFMLS V6.S4, V20.S4, V1.S4;      \
	VMOV  V22.B16, V4.B16;           /* p = P1 + P0*r */ \
	VMOV  V22.B16, V8.B16;           \
	VFMLA V21.S4, V0.S4, V4.S4;      \
	VFMLA V21.S4, V1.S4, V8.S4;      \
	VMOV  V23.B16, V5.B16;           /* p = P2 + p*r */ \
	VMOV  V23.B16, V9.B16;           \
	VFMLA V4.S4, V0.S4, V5.S4;       \
	VFMLA V8.S4, V1.S4, V9.S4;       \
	VMOV  V24.B16, V4.B16;           /* p = P3 + p*r */ \
	VMOV  V24.B16, V8.B16;           \
	VFMLA V5.S4, V0.S4, V4.S4;       \
	VFMLA V9.S4, V1.S4, V8.S4;       \
	VMOV  V25.B16, V5.B16;           /* p = P4 + p*r */ \
	VMOV  V25.B16, V9.B16;           \
	VFMLA V4.S4, V0.S4, V5.S4;       \
	VFMLA V8.S4, V1.S4, V9.S4;       \
	VMOV  V26.B16, V4.B16;           /* p = P5 + p*r */ \
	VMOV  V26.B16, V8.B16;           \
	VFMLA V5.S4, V0.S4, V4.S4;       \
	VFMLA V9.S4, V1.S4, V8.S4;       \
	WORD  $0x6e20dc05;               /* FMUL   V5.4S, V0.4S, V0.4S */ \
	WORD  $0x6e21dc29;               /* FMUL   V9.4S, V1.4S, V1.4S */ \
	VFMLA V4.S4, V5.S4, V0.S4;       /* r += p*(r*r) */ \
	VFMLA V8.S4, V9.S4, V1.S4;       \
	WORD  $0x4e3bd400;               /* FADD   V0.4S, V0.4S, V27.4S */ \
	WORD  $0x4e3bd421;               /* FADD   V1.4S, V1.4S, V27.4S */ \
	VUSHR $1, V3.S4, V4.S4;          /* h = n>>1 (see above) */ \
	VUSHR $1, V7.S4, V8.S4;          \
	VSUB  V4.S4, V3.S4, V3.S4;       /* n - h */ \
	VSUB  V8.S4, V7.S4, V7.S4;       \
	VADD  V28.S4, V4.S4, V4.S4;      /* + 127 */ \
	VADD  V28.S4, V8.S4, V8.S4;      \
	VADD  V28.S4, V3.S4, V3.S4;      \
	VADD  V28.S4, V7.S4, V7.S4;      \
	VSHL  $23, V4.S4, V4.S4;         /* s1 = 2**h */ \
	VSHL  $23, V8.S4, V8.S4;         \
	VSHL  $23, V3.S4, V3.S4;         /* s2 = 2**(n-h) */ \
	VSHL  $23, V7.S4, V7.S4;         \
	WORD  $0x6e24dc00;               /* FMUL   V0.4S, V0.4S, V4.4S */ \
	WORD  $0x6e28dc21;               /* FMUL   V1.4S, V1.4S, V8.4S */ \
	WORD  $0x6e23dc00;               /* FMUL   V0.4S, V0.4S, V3.4S */ \
	WORD  $0x6e27dc21                /* FMUL   V1.4S, V1.4S, V7.4S */

// func expNEON(dst, src []float32)
// Requires: ASIMD
// Register map: R0 = &src[i], R1 = &dst[i], R2 = elements left, R4 = &expC<>;
// V0, V1 = 8 elements, V2-V9 temporaries, V16-V28 constants (EXP8).
// Tail: the last len%8 elements are loaded lane by lane into V0 (4), V1.D[0]
// (2) and V1.S[2] (1), go through the same EXP8, and are stored the same way;
// nothing past len is read or written. The unused lanes hold stale values
// whose results are dropped.
TEXT ·expNEON(SB), NOSPLIT, $0-48
	MOVD dst_base+0(FP), R1
	MOVD src_base+24(FP), R0
	MOVD src_len+32(FP), R2
	CBZ  R2, expDone
	LOAD_EXP_CONSTS

expLoop: // for R2 > 0
	CMP    $8, R2
	BLT    expGather
	VLD1.P 32(R0), [V0.S4, V1.S4]

expCompute:
	EXP8
	CMP    $8, R2
	BLT    expScatter
	VST1.P [V0.S4, V1.S4], 32(R1)
	SUBS   $8, R2
	BNE    expLoop

expDone:
	RET

expGather: // 0 < R2 < 8
	TBZ    $2, R2, expGather2
	VLD1.P 16(R0), [V0.S4]

expGather2:
	TBZ    $1, R2, expGather1
	VLD1.P 8(R0), V1.D[0]

expGather1:
	TBZ    $0, R2, expCompute
	VLD1.P 4(R0), V1.S[2]
	B      expCompute

expScatter: // 0 < R2 < 8, same lanes as expGather
	TBZ    $2, R2, expScatter2
	VST1.P [V0.S4], 16(R1)

expScatter2:
	TBZ    $1, R2, expScatter1
	VST1.P V1.D[0], 8(R1)

expScatter1:
	TBZ    $0, R2, expScatterDone
	VST1.P V1.S[2], 4(R1)

expScatterDone:
	RET

// func expShiftSumNEON(dst, src []float32, shift float32) float32
// Requires: ASIMD
// Register map: R0 = &src[i], R1 = &dst[i], R2 = elements left, R4 = &expC<>;
// V0, V1 = 8 elements, V2-V9 temporaries, V10 = tail lanes to sum,
// V16-V28 constants (EXP8), V29 = shift broadcast, V30, V31 = sums.
// Tail: as in expNEON (lanes V0, V1.D[0], V1.S[2]); only the loaded lanes
// are added to the sum (V1's through V10, zeroed first). Nothing past len is
// read or written.
// Sum order: lane-wise in V30 (V0) and V31 (V1), then (V30+V31) reduced by
// two pairwise adds.
TEXT ·expShiftSumNEON(SB), NOSPLIT, $0-60
	MOVD  dst_base+0(FP), R1
	MOVD  src_base+24(FP), R0
	MOVD  src_len+32(FP), R2
	FMOVS shift+48(FP), F29
	VDUP  V29.S[0], V29.S4
	VEOR  V30.B16, V30.B16, V30.B16
	VEOR  V31.B16, V31.B16, V31.B16
	CBZ   R2, essDone
	LOAD_EXP_CONSTS

essLoop: // for R2 > 0
	CMP    $8, R2
	BLT    essGather
	VLD1.P 32(R0), [V0.S4, V1.S4]

essCompute:
	WORD   $0x4ebdd400 // FSUB V0.4S, V0.4S, V29.4S
	WORD   $0x4ebdd421 // FSUB V1.4S, V1.4S, V29.4S
	EXP8
	CMP    $8, R2
	BLT    essScatter
	VST1.P [V0.S4, V1.S4], 32(R1)
	WORD   $0x4e20d7de // FADD V30.4S, V30.4S, V0.4S
	WORD   $0x4e21d7ff // FADD V31.4S, V31.4S, V1.4S
	SUBS   $8, R2
	BNE    essLoop
	B      essDone

essGather: // 0 < R2 < 8
	TBZ    $2, R2, essGather2
	VLD1.P 16(R0), [V0.S4]

essGather2:
	TBZ    $1, R2, essGather1
	VLD1.P 8(R0), V1.D[0]

essGather1:
	TBZ    $0, R2, essCompute
	VLD1.P 4(R0), V1.S[2]
	B      essCompute

essScatter: // 0 < R2 < 8, same lanes as essGather
	VEOR   V10.B16, V10.B16, V10.B16
	TBZ    $2, R2, essScatter2
	VST1.P [V0.S4], 16(R1)
	WORD   $0x4e20d7de // FADD V30.4S, V30.4S, V0.4S

essScatter2:
	TBZ    $1, R2, essScatter1
	VST1.P V1.D[0], 8(R1)
	VMOV   V1.D[0], V10.D[0]

essScatter1:
	TBZ    $0, R2, essScatterDone
	VST1.P V1.S[2], 4(R1)
	VMOV   V1.S[2], V10.S[2]

essScatterDone:
	WORD $0x4e2ad7ff // FADD V31.4S, V31.4S, V10.4S

essDone:
	WORD  $0x4e3fd7de // FADD V30.4S, V30.4S, V31.4S
	WORD  $0x6e3ed7de // FADDP V30.4S, V30.4S, V30.4S
	WORD  $0x6e3ed7de // FADDP V30.4S, V30.4S, V30.4S
	FMOVS F30, ret+56(FP)
	RET
