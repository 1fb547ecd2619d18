//go:build !purego

// The NEON float32 GEMM micro-kernel (kernelSet.gemmTile in isa.go):
// gemmTileNEON is a Goto/BLIS register micro-kernel (8x8 tile, A broadcast
// by lane with FMLA by element, as in XNNPACK's aarch64 neonfma GEMMs;
// docs/kernels.md, "The float32 GEMM", compares the levels' tiles).
//
// Go's assembler lacks FMLA (by element), so it is written as WORD with the
// instruction in a comment in ARM syntax (destination first, unlike the Go
// syntax of the other lines). The encodings were checked against llvm-mc
// and llvm-objdump, and the tests run every one of them.

#include "textflag.h"

// func gemmTileNEON(k int, ap, bp, tile []float32)
// Requires: ASIMD
// tile[i*8+j] = sum_{p<k} ap[p*8+i] * bp[p*8+j] for i, j < 8; reads ap[:8k]
// and bp[:8k], writes tile[:64]. k <= 0 writes zeros.
// Register map: R0 = steps of k left, R1 = &ap[8p], R2 = &bp[8p], R3 = &tile;
// V0, V1 = A rows 0-3, 4-7 of step p; V2, V3 = the same for step p+1;
// V4, V5 = B columns 0-3, 4-7 of step p; V6, V7 = the same for step p+1;
// V16+2i, V17+2i = C row i, columns 0-3 and 4-7 (16 independent accumulators).
// Loop: two steps of k per iteration (32 FMLAs by element). An odd k runs
// its first step alone through the second half of the loop body, so nothing
// past ap[8k] or bp[8k] is read.
TEXT ·gemmTileNEON(SB), NOSPLIT, $0-80
	MOVD k+0(FP), R0
	MOVD ap_base+8(FP), R1
	MOVD bp_base+32(FP), R2
	MOVD tile_base+56(FP), R3
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
	CMP  $1, R0
	BLT  store           // k <= 0: the tile is zero
	TBZ  $0, R0, loop2   // k even: only whole pairs
	SUB  $1, R0          // k odd: step 0 alone, as the second step of a pair
	VLD1.P 32(R1), [V2.S4, V3.S4]
	VLD1.P 32(R2), [V6.S4, V7.S4]
	B    step1

loop2: // for R0 > 0 (R0 even): steps p and p+1
	SUB  $2, R0
	VLD1.P 64(R1), [V0.S4, V1.S4, V2.S4, V3.S4] // A[p], A[p+1]
	VLD1.P 64(R2), [V4.S4, V5.S4, V6.S4, V7.S4] // B[p], B[p+1]
	// C[i][:] += B[p][:] * A[p][i]
	WORD $0x4f801090 // FMLA V16.4S, V4.4S, V0.S[0]: C[0][0:4] += B[0:4] * A[0]
	WORD $0x4f8010b1 // FMLA V17.4S, V5.4S, V0.S[0]: C[0][4:8] += B[4:8] * A[0]
	WORD $0x4fa01092 // FMLA V18.4S, V4.4S, V0.S[1]: C[1][0:4] += B[0:4] * A[1]
	WORD $0x4fa010b3 // FMLA V19.4S, V5.4S, V0.S[1]: C[1][4:8] += B[4:8] * A[1]
	WORD $0x4f801894 // FMLA V20.4S, V4.4S, V0.S[2]: C[2][0:4] += B[0:4] * A[2]
	WORD $0x4f8018b5 // FMLA V21.4S, V5.4S, V0.S[2]: C[2][4:8] += B[4:8] * A[2]
	WORD $0x4fa01896 // FMLA V22.4S, V4.4S, V0.S[3]: C[3][0:4] += B[0:4] * A[3]
	WORD $0x4fa018b7 // FMLA V23.4S, V5.4S, V0.S[3]: C[3][4:8] += B[4:8] * A[3]
	WORD $0x4f811098 // FMLA V24.4S, V4.4S, V1.S[0]: C[4][0:4] += B[0:4] * A[4]
	WORD $0x4f8110b9 // FMLA V25.4S, V5.4S, V1.S[0]: C[4][4:8] += B[4:8] * A[4]
	WORD $0x4fa1109a // FMLA V26.4S, V4.4S, V1.S[1]: C[5][0:4] += B[0:4] * A[5]
	WORD $0x4fa110bb // FMLA V27.4S, V5.4S, V1.S[1]: C[5][4:8] += B[4:8] * A[5]
	WORD $0x4f81189c // FMLA V28.4S, V4.4S, V1.S[2]: C[6][0:4] += B[0:4] * A[6]
	WORD $0x4f8118bd // FMLA V29.4S, V5.4S, V1.S[2]: C[6][4:8] += B[4:8] * A[6]
	WORD $0x4fa1189e // FMLA V30.4S, V4.4S, V1.S[3]: C[7][0:4] += B[0:4] * A[7]
	WORD $0x4fa118bf // FMLA V31.4S, V5.4S, V1.S[3]: C[7][4:8] += B[4:8] * A[7]

step1: // C[i][:] += B[p+1][:] * A[p+1][i]
	WORD $0x4f8210d0 // FMLA V16.4S, V6.4S, V2.S[0]: C[0][0:4] += B[0:4] * A[0]
	WORD $0x4f8210f1 // FMLA V17.4S, V7.4S, V2.S[0]: C[0][4:8] += B[4:8] * A[0]
	WORD $0x4fa210d2 // FMLA V18.4S, V6.4S, V2.S[1]: C[1][0:4] += B[0:4] * A[1]
	WORD $0x4fa210f3 // FMLA V19.4S, V7.4S, V2.S[1]: C[1][4:8] += B[4:8] * A[1]
	WORD $0x4f8218d4 // FMLA V20.4S, V6.4S, V2.S[2]: C[2][0:4] += B[0:4] * A[2]
	WORD $0x4f8218f5 // FMLA V21.4S, V7.4S, V2.S[2]: C[2][4:8] += B[4:8] * A[2]
	WORD $0x4fa218d6 // FMLA V22.4S, V6.4S, V2.S[3]: C[3][0:4] += B[0:4] * A[3]
	WORD $0x4fa218f7 // FMLA V23.4S, V7.4S, V2.S[3]: C[3][4:8] += B[4:8] * A[3]
	WORD $0x4f8310d8 // FMLA V24.4S, V6.4S, V3.S[0]: C[4][0:4] += B[0:4] * A[4]
	WORD $0x4f8310f9 // FMLA V25.4S, V7.4S, V3.S[0]: C[4][4:8] += B[4:8] * A[4]
	WORD $0x4fa310da // FMLA V26.4S, V6.4S, V3.S[1]: C[5][0:4] += B[0:4] * A[5]
	WORD $0x4fa310fb // FMLA V27.4S, V7.4S, V3.S[1]: C[5][4:8] += B[4:8] * A[5]
	WORD $0x4f8318dc // FMLA V28.4S, V6.4S, V3.S[2]: C[6][0:4] += B[0:4] * A[6]
	WORD $0x4f8318fd // FMLA V29.4S, V7.4S, V3.S[2]: C[6][4:8] += B[4:8] * A[6]
	WORD $0x4fa318de // FMLA V30.4S, V6.4S, V3.S[3]: C[7][0:4] += B[0:4] * A[7]
	WORD $0x4fa318ff // FMLA V31.4S, V7.4S, V3.S[3]: C[7][4:8] += B[4:8] * A[7]
	CBNZ R0, loop2

store:
	VST1.P [V16.S4, V17.S4, V18.S4, V19.S4], 64(R3) // tile rows 0, 1
	VST1.P [V20.S4, V21.S4, V22.S4, V23.S4], 64(R3) // rows 2, 3
	VST1.P [V24.S4, V25.S4, V26.S4, V27.S4], 64(R3) // rows 4, 5
	VST1   [V28.S4, V29.S4, V30.S4, V31.S4], (R3)   // rows 6, 7
	RET
