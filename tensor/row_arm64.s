//go:build !purego

// One image against all classes (Predict) in NEON: dotU8RowNEON, the
// contract "dotU8Row" (row_arm64.go), with the design of dotU8RowAVX2
// (row_amd64.s): a dot product along k with the classes in groups of 10,
// 8 pixels per step widened u8 -> u16 -> u32 (UXTL) -> float32 (UCVTF) and
// used by the 20 FMLAs of the 10 classes (two accumulators of 4 lanes per
// class), W rows clamped to the last real row in the last group, the last
// k%8 pixels in one more step over the 8 that end at k with W's lanes of
// the pixels already counted masked to +0.
//
// Go's assembler lacks UCVTF (vector), FADDP, FMUL and FADD (vector): they
// are WORD with the instruction in a comment in ARM syntax (destination
// first). The encodings follow those of gemm_arm64.s and vec_arm64.s (the
// same instructions on other registers); the tests run every one of them.

#include "textflag.h"

// ROWPTRN sets r = &w[min(j0+i, n-1)*wstride] with j0 in R13, n-1 in R14,
// 4*wstride in R15 and &w[0] in R16.
#define ROWPTRN(i, r) \
	ADD  $i, R13, r; \
	CMP  R14, r; \
	CSEL GT, R14, r, r; \
	MUL  R15, r, r; \
	ADD  R16, r, r

// ROWSTEP loads 8 floats of W row r (post-incremented) into wl, wh and adds
// them times the pixels V0, V1 to the accumulators al, ah.
#define ROWSTEP(r, wl, wh, al, ah) \
	VLD1.P 32(r), [wl.S4, wh.S4]; \
	VFMLA  wl.S4, V0.S4, al.S4; \
	VFMLA  wh.S4, V1.S4, ah.S4

// ROWTAILN adds the pixels V0, V1 times W row r (8 floats at r) with the
// lanes masked by V2, V3 (+0 for the pixels already counted) to al, ah.
#define ROWTAILN(r, wl, wh, al, ah) \
	VLD1  (r), [wl.S4, wh.S4]; \
	VAND  V2.B16, wl.B16, wl.B16; \
	VAND  V3.B16, wh.B16, wh.B16; \
	VFMLA wl.S4, V0.S4, al.S4; \
	VFMLA wh.S4, V1.S4, ah.S4

// func dotU8RowNEON(x []uint8, w []float32, wstride int, alpha float32, bias []float32, z []float32)
// Requires: ASIMD
// z[j] = float32(alpha*s_j) + bias[j] for j < n = len(z) (two roundings),
// s_j = sum_{p<k} float32(x[p]) * w[j*wstride+p], k = len(x) >= 8 (the
// caller handles k < 8), n >= 1, len(bias) >= n, w[:(n-1)*wstride+k] in
// bounds (not checked). Every cache line of x is prefetched at entry.
// Per group: s_j in the lanes of V(12+2j) (pixels 8q..8q+3) and V(13+2j)
// (8q+4..8q+7), summed by FADDP trees into [s0..s3], [s4..s7], [s8, s9];
// a group of 10 real classes loads bias and stores z as vectors, a last
// partial group goes through a buffer on the stack, one class at a time.
// Register map: R0-R9 = W rows j0..j0+9 (clamped, post-incremented),
// R10 = &x[p], R11 = k-p-8 (the loop runs while >= 0), R12 = k%8, then the
// group's classes, R13 = j0, R14 = n-1, R15 = 4*wstride, R16 = &w[0],
// R17, R19-R21 = scratch; V0, V1 = 8 pixels as float32, V2-V11 = W (V2, V3
// the tail's mask), V12-V31 = the accumulators.
// Stack: buf = the group's 10 sums, j0.
TEXT ·dotU8RowNEON(SB), NOSPLIT, $48-112
	MOVD $0, R13
	MOVD R13, j0-48(SP)

rowGroup: // classes j0 .. min(j0+10, n)-1
	MOVD z_len+96(FP), R14
	SUB  $1, R14, R14
	MOVD wstride+48(FP), R15
	LSL  $2, R15, R15
	MOVD w_base+24(FP), R16
	ROWPTRN(0, R0)
	ROWPTRN(1, R1)
	ROWPTRN(2, R2)
	ROWPTRN(3, R3)
	ROWPTRN(4, R4)
	ROWPTRN(5, R5)
	ROWPTRN(6, R6)
	ROWPTRN(7, R7)
	ROWPTRN(8, R8)
	ROWPTRN(9, R9)
	MOVD x_base+0(FP), R10
	MOVD x_len+8(FP), R11
	CBNZ R13, rowZero
	ADD  R10, R11, R17           // end of x
	MOVD R10, R19

rowPrefetch: // the first group: every cache line of x (k >= 8)
	PRFM (R19), PLDL1KEEP
	ADD  $64, R19, R19
	CMP  R17, R19
	BLO  rowPrefetch

rowZero:
	VEOR V12.B16, V12.B16, V12.B16
	VEOR V13.B16, V13.B16, V13.B16
	VEOR V14.B16, V14.B16, V14.B16
	VEOR V15.B16, V15.B16, V15.B16
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16
	VEOR V20.B16, V20.B16, V20.B16
	VEOR V21.B16, V21.B16, V21.B16
	VEOR V22.B16, V22.B16, V22.B16
	VEOR V23.B16, V23.B16, V23.B16
	VEOR V24.B16, V24.B16, V24.B16
	VEOR V25.B16, V25.B16, V25.B16
	VEOR V26.B16, V26.B16, V26.B16
	VEOR V27.B16, V27.B16, V27.B16
	VEOR V28.B16, V28.B16, V28.B16
	VEOR V29.B16, V29.B16, V29.B16
	VEOR V30.B16, V30.B16, V30.B16
	VEOR V31.B16, V31.B16, V31.B16
	SUB  $8, R11, R11            // k >= 8: at least one step

rowLoop: // for R11 >= 0: pixels p..p+7
	FMOVD.P 8(R10), F0           // V0.B8 = x[p:p+8]
	VUXTL   V0.B8, V0.H8         // u8 -> u16
	VUXTL2  V0.H8, V1.S4         // u16 -> u32, pixels 4-7
	VUXTL   V0.H4, V0.S4         // pixels 0-3
	WORD $0x6e21d800 // UCVTF V0.4S, V0.4S
	WORD $0x6e21d821 // UCVTF V1.4S, V1.4S
	ROWSTEP(R0, V2, V3, V12, V13)
	ROWSTEP(R1, V4, V5, V14, V15)
	ROWSTEP(R2, V6, V7, V16, V17)
	ROWSTEP(R3, V8, V9, V18, V19)
	ROWSTEP(R4, V10, V11, V20, V21)
	ROWSTEP(R5, V2, V3, V22, V23)
	ROWSTEP(R6, V4, V5, V24, V25)
	ROWSTEP(R7, V6, V7, V26, V27)
	ROWSTEP(R8, V8, V9, V28, V29)
	ROWSTEP(R9, V10, V11, V30, V31)
	SUBS $8, R11, R11
	BGE  rowLoop

	ADD  $8, R11, R12            // k%8
	CBZ  R12, rowReduce
	MOVD $8, R17
	SUB  R12, R17, R17           // 8 - k%8: the pixels to step back
	SUB  R17, R10, R10           // &x[k-8]
	LSL  $2, R17, R17
	SUB  R17, R0, R0
	SUB  R17, R1, R1
	SUB  R17, R2, R2
	SUB  R17, R3, R3
	SUB  R17, R4, R4
	SUB  R17, R5, R5
	SUB  R17, R6, R6
	SUB  R17, R7, R7
	SUB  R17, R8, R8
	SUB  R17, R9, R9
	FMOVD   (R10), F0            // x[k-8:k]
	VUXTL   V0.B8, V0.H8
	VUXTL2  V0.H8, V1.S4
	VUXTL   V0.H4, V0.S4
	WORD $0x6e21d800 // UCVTF V0.4S, V0.4S
	WORD $0x6e21d821 // UCVTF V1.4S, V1.4S
	MOVD $rowTailN<>(SB), R19
	ADD  R12<<2, R19, R19
	VLD1 (R19), [V2.S4, V3.S4]   // lane l: all ones if l >= 8 - k%8
	ROWTAILN(R0, V4, V5, V12, V13)
	ROWTAILN(R1, V6, V7, V14, V15)
	ROWTAILN(R2, V8, V9, V16, V17)
	ROWTAILN(R3, V10, V11, V18, V19)
	ROWTAILN(R4, V4, V5, V20, V21)
	ROWTAILN(R5, V6, V7, V22, V23)
	ROWTAILN(R6, V8, V9, V24, V25)
	ROWTAILN(R7, V10, V11, V26, V27)
	ROWTAILN(R8, V4, V5, V28, V29)
	ROWTAILN(R9, V6, V7, V30, V31)

rowReduce: // FADDP trees: [s0..s3] in V0, [s4..s7] in V1, [s8 s9 s8 s9] in V2
	WORD $0x6e2dd58c // FADDP V12.4S, V12.4S, V13.4S: 4 partial sums of s0
	WORD $0x6e2fd5ce // FADDP V14.4S, V14.4S, V15.4S: 4 partial sums of s1
	WORD $0x6e31d610 // FADDP V16.4S, V16.4S, V17.4S: 4 partial sums of s2
	WORD $0x6e33d652 // FADDP V18.4S, V18.4S, V19.4S: 4 partial sums of s3
	WORD $0x6e35d694 // FADDP V20.4S, V20.4S, V21.4S: 4 partial sums of s4
	WORD $0x6e37d6d6 // FADDP V22.4S, V22.4S, V23.4S: 4 partial sums of s5
	WORD $0x6e39d718 // FADDP V24.4S, V24.4S, V25.4S: 4 partial sums of s6
	WORD $0x6e3bd75a // FADDP V26.4S, V26.4S, V27.4S: 4 partial sums of s7
	WORD $0x6e3dd79c // FADDP V28.4S, V28.4S, V29.4S: 4 partial sums of s8
	WORD $0x6e3fd7de // FADDP V30.4S, V30.4S, V31.4S: 4 partial sums of s9
	WORD $0x6e2ed580 // FADDP V0.4S, V12.4S, V14.4S
	WORD $0x6e32d601 // FADDP V1.4S, V16.4S, V18.4S
	WORD $0x6e21d400 // FADDP V0.4S, V0.4S, V1.4S: s0..s3
	WORD $0x6e36d681 // FADDP V1.4S, V20.4S, V22.4S
	WORD $0x6e3ad702 // FADDP V2.4S, V24.4S, V26.4S
	WORD $0x6e22d421 // FADDP V1.4S, V1.4S, V2.4S: s4..s7
	WORD $0x6e3ed782 // FADDP V2.4S, V28.4S, V30.4S
	WORD $0x6e22d442 // FADDP V2.4S, V2.4S, V2.4S: s8, s9
	FMOVS alpha+56(FP), F3
	VDUP  V3.S[0], V3.S4
	WORD $0x6e23dc00 // FMUL V0.4S, V0.4S, V3.4S: alpha*s
	WORD $0x6e23dc21 // FMUL V1.4S, V1.4S, V3.4S: alpha*s
	WORD $0x6e23dc42 // FMUL V2.4S, V2.4S, V3.4S: alpha*s
	MOVD z_len+96(FP), R12
	SUB  R13, R12, R12           // classes left
	MOVD bias_base+64(FP), R19
	ADD  R13<<2, R19, R19        // &bias[j0]
	MOVD z_base+88(FP), R20
	ADD  R13<<2, R20, R20        // &z[j0]
	ADD  $10, R13, R13
	MOVD R13, j0-48(SP)
	CMP  $10, R12
	BLT  rowPart
	VLD1 (R19), [V4.S4, V5.S4]   // bias[j0:j0+8]
	FMOVD 32(R19), F6            // bias[j0+8:j0+10]
	WORD $0x4e24d400 // FADD V0.4S, V0.4S, V4.4S: + bias
	WORD $0x4e25d421 // FADD V1.4S, V1.4S, V5.4S
	WORD $0x4e26d442 // FADD V2.4S, V2.4S, V6.4S
	VST1  [V0.S4, V1.S4], (R20)
	FMOVD F2, 32(R20)
	MOVD  z_len+96(FP), R14
	CMP   R14, R13
	BLT   rowGroup
	RET

rowPart: // the last group: R12 < 10 classes, one at a time through buf
	MOVD  $buf-40(SP), R21
	VST1  [V0.S4, V1.S4], (R21)
	FMOVD F2, 32(R21)

rowPartLoop: // for R12 > 0: z = alpha*s + bias
	FMOVS.P 4(R21), F16
	FMOVS.P 4(R19), F17
	FADDS   F17, F16, F16
	FMOVS.P F16, 4(R20)
	SUBS    $1, R12, R12
	BNE     rowPartLoop
	RET

// rowTailN: eight 32-bit zeros then eight all-ones; the 8 words from word
// kt keep lanes 8-kt .. 7.
DATA rowTailN<>+0(SB)/8, $0
DATA rowTailN<>+8(SB)/8, $0
DATA rowTailN<>+16(SB)/8, $0
DATA rowTailN<>+24(SB)/8, $0
DATA rowTailN<>+32(SB)/8, $-1
DATA rowTailN<>+40(SB)/8, $-1
DATA rowTailN<>+48(SB)/8, $-1
DATA rowTailN<>+56(SB)/8, $-1
GLOBL rowTailN<>(SB), RODATA|NOPTR, $64
