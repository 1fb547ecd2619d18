//go:build !purego

// NEON (Advanced SIMD) kernels for the float32 GEMM and the uint8 products of
// the trainer; kernelSet in isa.go gives each contract and kernels_generic.go
// the pure-Go reference. gemmTileNEON is a Goto/BLIS register micro-kernel
// (8x8 tile, A broadcast by lane with FMLA by element, as in XNNPACK's
// aarch64 neonfma GEMMs). dotU8x2x5NEON is a dot-product ("rd") 2x5 tile
// along k, gradU8x10x8NEON a 10-class x 8-pixel outer-product tile; both widen
// uint8 pixels u8 -> u16 -> u32 -> float32 in registers.
//
// Go's assembler lacks FMLA (by element), UCVTF (vector) and FADDP (vector),
// so they are written as WORD with the instruction in a comment in ARM syntax
// (destination first, unlike the Go syntax of the other lines). The
// encodings were checked against llvm-mc and llvm-objdump, and the tests run
// every one of them.

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

// func dotU8x2x5NEON(x0, x1 []uint8, w0, w1, w2, w3, w4 []float32, out *[10]float32)
// Requires: ASIMD
// out[r*5+j] = sum_{p<k} float32(x_r[p]) * w_j[p] for r < 2, j < 5, with
// k = len(x0) rounded down to a multiple of 8 (callers pass a multiple of 8;
// k = 0 gives zeros). Reads x0, x1, w0..w4 [:k], writes out.
// Register map: R0, R1 = &x0[p], &x1[p]; R2..R6 = &w0[p]..&w4[p];
// R7 = k-p-8 (the loop runs while >= 0); R8 = out;
// V0, V1 = float32(x0[p:p+4]), float32(x0[p+4:p+8]); V2, V3 = the same for x1;
// V4..V11 = w_j[p:p+8] (two vectors per row; w4 reuses V4, V5 once w0 is done);
// V12+10r+2j, V13+10r+2j = accumulators of out[r*5+j] for lanes p..p+3 and
// p+4..p+7 (20 independent accumulators).
// Loop: 8 pixels per iteration: 2 8-byte loads, u8 -> u16 -> u32 (UXTL)
// -> float32 (UCVTF), 10 W loads, 20 FMLAs. No tail: k is a multiple of 8.
// Epilogue: FADDP lanes of each pair of accumulators, then three FADDP
// trees give out[0:4], out[4:8] and out[8:10].
TEXT ·dotU8x2x5NEON(SB), NOSPLIT, $0-176
	MOVD x0_base+0(FP), R0
	MOVD x0_len+8(FP), R7
	MOVD x1_base+24(FP), R1
	MOVD w0_base+48(FP), R2
	MOVD w1_base+72(FP), R3
	MOVD w2_base+96(FP), R4
	MOVD w3_base+120(FP), R5
	MOVD w4_base+144(FP), R6
	MOVD out+168(FP), R8
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
	SUBS $8, R7, R7
	BLT  reduce          // k < 8: out is zero

loop8: // for R7 >= 0: pixels p..p+7
	FMOVD.P 8(R0), F0                 // V0.B8 = x0[p:p+8]
	FMOVD.P 8(R1), F2                 // V2.B8 = x1[p:p+8]
	VLD1.P  32(R2), [V4.S4, V5.S4]    // w0[p:p+8]
	VLD1.P  32(R3), [V6.S4, V7.S4]    // w1[p:p+8]
	VLD1.P  32(R4), [V8.S4, V9.S4]    // w2[p:p+8]
	VLD1.P  32(R5), [V10.S4, V11.S4]  // w3[p:p+8]
	VUXTL   V0.B8, V0.H8              // u8 -> u16
	VUXTL   V2.B8, V2.H8
	VUXTL2  V0.H8, V1.S4              // u16 -> u32, pixels 4-7
	VUXTL   V0.H4, V0.S4              // pixels 0-3
	VUXTL2  V2.H8, V3.S4
	VUXTL   V2.H4, V2.S4
	WORD $0x6e21d800 // UCVTF V0.4S, V0.4S
	WORD $0x6e21d821 // UCVTF V1.4S, V1.4S
	WORD $0x6e21d842 // UCVTF V2.4S, V2.4S
	WORD $0x6e21d863 // UCVTF V3.4S, V3.4S
	VFMLA   V4.S4, V0.S4, V12.S4      // out[0] += w0 * x0
	VFMLA   V5.S4, V1.S4, V13.S4
	VFMLA   V4.S4, V2.S4, V22.S4      // out[5] += w0 * x1
	VFMLA   V5.S4, V3.S4, V23.S4
	VLD1.P  32(R6), [V4.S4, V5.S4]    // w4[p:p+8]
	VFMLA   V6.S4, V0.S4, V14.S4      // out[1] += w1 * x0
	VFMLA   V7.S4, V1.S4, V15.S4
	VFMLA   V6.S4, V2.S4, V24.S4      // out[6] += w1 * x1
	VFMLA   V7.S4, V3.S4, V25.S4
	VFMLA   V8.S4, V0.S4, V16.S4      // out[2] += w2 * x0
	VFMLA   V9.S4, V1.S4, V17.S4
	VFMLA   V8.S4, V2.S4, V26.S4      // out[7] += w2 * x1
	VFMLA   V9.S4, V3.S4, V27.S4
	VFMLA   V10.S4, V0.S4, V18.S4     // out[3] += w3 * x0
	VFMLA   V11.S4, V1.S4, V19.S4
	VFMLA   V10.S4, V2.S4, V28.S4     // out[8] += w3 * x1
	VFMLA   V11.S4, V3.S4, V29.S4
	VFMLA   V4.S4, V0.S4, V20.S4      // out[4] += w4 * x0
	VFMLA   V5.S4, V1.S4, V21.S4
	VFMLA   V4.S4, V2.S4, V30.S4      // out[9] += w4 * x1
	VFMLA   V5.S4, V3.S4, V31.S4
	SUBS    $8, R7, R7
	BGE     loop8

reduce: // V12+2t = FADDP(V12+2t, V13+2t): 4 partial sums of out[t]
	WORD $0x6e2dd58c // FADDP V12.4S, V12.4S, V13.4S: out[0] = sum of V12
	WORD $0x6e2fd5ce // FADDP V14.4S, V14.4S, V15.4S: out[1] = sum of V14
	WORD $0x6e31d610 // FADDP V16.4S, V16.4S, V17.4S: out[2] = sum of V16
	WORD $0x6e33d652 // FADDP V18.4S, V18.4S, V19.4S: out[3] = sum of V18
	WORD $0x6e35d694 // FADDP V20.4S, V20.4S, V21.4S: out[4] = sum of V20
	WORD $0x6e37d6d6 // FADDP V22.4S, V22.4S, V23.4S: out[5] = sum of V22
	WORD $0x6e39d718 // FADDP V24.4S, V24.4S, V25.4S: out[6] = sum of V24
	WORD $0x6e3bd75a // FADDP V26.4S, V26.4S, V27.4S: out[7] = sum of V26
	WORD $0x6e3dd79c // FADDP V28.4S, V28.4S, V29.4S: out[8] = sum of V28
	WORD $0x6e3fd7de // FADDP V30.4S, V30.4S, V31.4S: out[9] = sum of V30
	WORD $0x6e2ed580 // FADDP V0.4S, V12.4S, V14.4S
	WORD $0x6e32d601 // FADDP V1.4S, V16.4S, V18.4S
	WORD $0x6e21d400 // FADDP V0.4S, V0.4S, V1.4S: V0 = out[0:4]
	WORD $0x6e36d682 // FADDP V2.4S, V20.4S, V22.4S
	WORD $0x6e3ad703 // FADDP V3.4S, V24.4S, V26.4S
	WORD $0x6e23d442 // FADDP V2.4S, V2.4S, V3.4S: V2 = out[4:8]
	WORD $0x6e3ed784 // FADDP V4.4S, V28.4S, V30.4S
	WORD $0x6e24d484 // FADDP V4.4S, V4.4S, V4.4S: V4.S[0:2] = out[8:10]
	FMOVQ F0, (R8)    // out[0:4]
	FMOVQ F2, 16(R8)  // out[4:8]
	FMOVD F4, 32(R8)  // out[8:10]
	RET

// func gradU8x10x8NEON(x []uint8, offs []int, gp []float32, tile *[80]float32)
// Requires: ASIMD
// tile[c*8+j] = sum_{i<m} gp[i*10+c] * float32(x[offs[i]+j]) for c < 10,
// j < 8, m = len(offs) (m <= 0 gives zeros). Reads x[offs[i]:offs[i]+8],
// offs[:m], gp[:10m]; writes tile.
// Register map: R0 = &x[0], R1 = &offs[i], R2 = &gp[10i], R3 = rows left,
// R4 = tile, R5, R6 = offs[i], offs[i+1];
// V0..V4 = gp[10i:10i+20] (g of row i in lanes 0-9, of row i+1 in lanes 10-19);
// V5, V6 = float32(x[offs[i]:][0:4]), [4:8]; V7, V8 = the same for row i+1;
// V12+2c, V13+2c = tile[c*8:c*8+4], tile[c*8+4:c*8+8] (20 accumulators).
// Loop: two rows per iteration, each 8 bytes widened u8 -> u16 -> u32 (UXTL)
// -> float32 (UCVTF) and 20 FMLAs by element of g. An odd m runs row 0
// alone through the second half of the loop body (its gp loaded into lanes
// 2-11 of V2..V4), so nothing past gp[10m] or offs[m] is read.
TEXT ·gradU8x10x8NEON(SB), NOSPLIT, $0-80
	MOVD x_base+0(FP), R0
	MOVD offs_base+24(FP), R1
	MOVD offs_len+32(FP), R3
	MOVD gp_base+48(FP), R2
	MOVD tile+72(FP), R4
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
	CMP  $1, R3
	BLT  store           // m <= 0: the tile is zero
	TBZ  $0, R3, loop2   // m even: only whole pairs
	SUB  $1, R3          // m odd: row 0 alone, as the second row of a pair
	MOVD.P 8(R1), R6
	FMOVD  (R0)(R6), F7                // V7.B8 = x[offs[0]:offs[0]+8]
	VLD1.P 8(R2), V2.D[1]              // gp[0:2] -> V2.S[2:4]
	VLD1.P 32(R2), [V3.S4, V4.S4]      // gp[2:10]
	B    row1

loop2: // for R3 > 0 (R3 even): rows i and i+1
	SUB    $2, R3
	LDP.P  16(R1), (R5, R6)            // offs[i], offs[i+1]
	FMOVD  (R0)(R5), F5                // V5.B8 = x[offs[i]:offs[i]+8]
	FMOVD  (R0)(R6), F7                // V7.B8 = x[offs[i+1]:offs[i+1]+8]
	VLD1.P 64(R2), [V0.S4, V1.S4, V2.S4, V3.S4] // gp[10i:10i+16]
	VLD1.P 16(R2), [V4.S4]             // gp[10i+16:10i+20]
	VUXTL  V5.B8, V5.H8                // u8 -> u16
	VUXTL2 V5.H8, V6.S4                // u16 -> u32, pixels 4-7
	VUXTL  V5.H4, V5.S4                // pixels 0-3
	WORD $0x6e21d8a5 // UCVTF V5.4S, V5.4S
	WORD $0x6e21d8c6 // UCVTF V6.4S, V6.4S
	// T[c][:] += X[i][:] * gp[10i+c]
	WORD $0x4f8010ac // FMLA V12.4S, V5.4S, V0.S[0]: T[0][0:4] += X[0:4] * g[0]
	WORD $0x4f8010cd // FMLA V13.4S, V6.4S, V0.S[0]: T[0][4:8] += X[4:8] * g[0]
	WORD $0x4fa010ae // FMLA V14.4S, V5.4S, V0.S[1]: T[1][0:4] += X[0:4] * g[1]
	WORD $0x4fa010cf // FMLA V15.4S, V6.4S, V0.S[1]: T[1][4:8] += X[4:8] * g[1]
	WORD $0x4f8018b0 // FMLA V16.4S, V5.4S, V0.S[2]: T[2][0:4] += X[0:4] * g[2]
	WORD $0x4f8018d1 // FMLA V17.4S, V6.4S, V0.S[2]: T[2][4:8] += X[4:8] * g[2]
	WORD $0x4fa018b2 // FMLA V18.4S, V5.4S, V0.S[3]: T[3][0:4] += X[0:4] * g[3]
	WORD $0x4fa018d3 // FMLA V19.4S, V6.4S, V0.S[3]: T[3][4:8] += X[4:8] * g[3]
	WORD $0x4f8110b4 // FMLA V20.4S, V5.4S, V1.S[0]: T[4][0:4] += X[0:4] * g[4]
	WORD $0x4f8110d5 // FMLA V21.4S, V6.4S, V1.S[0]: T[4][4:8] += X[4:8] * g[4]
	WORD $0x4fa110b6 // FMLA V22.4S, V5.4S, V1.S[1]: T[5][0:4] += X[0:4] * g[5]
	WORD $0x4fa110d7 // FMLA V23.4S, V6.4S, V1.S[1]: T[5][4:8] += X[4:8] * g[5]
	WORD $0x4f8118b8 // FMLA V24.4S, V5.4S, V1.S[2]: T[6][0:4] += X[0:4] * g[6]
	WORD $0x4f8118d9 // FMLA V25.4S, V6.4S, V1.S[2]: T[6][4:8] += X[4:8] * g[6]
	WORD $0x4fa118ba // FMLA V26.4S, V5.4S, V1.S[3]: T[7][0:4] += X[0:4] * g[7]
	WORD $0x4fa118db // FMLA V27.4S, V6.4S, V1.S[3]: T[7][4:8] += X[4:8] * g[7]
	WORD $0x4f8210bc // FMLA V28.4S, V5.4S, V2.S[0]: T[8][0:4] += X[0:4] * g[8]
	WORD $0x4f8210dd // FMLA V29.4S, V6.4S, V2.S[0]: T[8][4:8] += X[4:8] * g[8]
	WORD $0x4fa210be // FMLA V30.4S, V5.4S, V2.S[1]: T[9][0:4] += X[0:4] * g[9]
	WORD $0x4fa210df // FMLA V31.4S, V6.4S, V2.S[1]: T[9][4:8] += X[4:8] * g[9]

row1: // T[c][:] += X[i+1][:] * gp[10(i+1)+c]
	VUXTL  V7.B8, V7.H8
	VUXTL2 V7.H8, V8.S4
	VUXTL  V7.H4, V7.S4
	WORD $0x6e21d8e7 // UCVTF V7.4S, V7.4S
	WORD $0x6e21d908 // UCVTF V8.4S, V8.4S
	WORD $0x4f8218ec // FMLA V12.4S, V7.4S, V2.S[2]: T[0][0:4] += X[0:4] * g[0]
	WORD $0x4f82190d // FMLA V13.4S, V8.4S, V2.S[2]: T[0][4:8] += X[4:8] * g[0]
	WORD $0x4fa218ee // FMLA V14.4S, V7.4S, V2.S[3]: T[1][0:4] += X[0:4] * g[1]
	WORD $0x4fa2190f // FMLA V15.4S, V8.4S, V2.S[3]: T[1][4:8] += X[4:8] * g[1]
	WORD $0x4f8310f0 // FMLA V16.4S, V7.4S, V3.S[0]: T[2][0:4] += X[0:4] * g[2]
	WORD $0x4f831111 // FMLA V17.4S, V8.4S, V3.S[0]: T[2][4:8] += X[4:8] * g[2]
	WORD $0x4fa310f2 // FMLA V18.4S, V7.4S, V3.S[1]: T[3][0:4] += X[0:4] * g[3]
	WORD $0x4fa31113 // FMLA V19.4S, V8.4S, V3.S[1]: T[3][4:8] += X[4:8] * g[3]
	WORD $0x4f8318f4 // FMLA V20.4S, V7.4S, V3.S[2]: T[4][0:4] += X[0:4] * g[4]
	WORD $0x4f831915 // FMLA V21.4S, V8.4S, V3.S[2]: T[4][4:8] += X[4:8] * g[4]
	WORD $0x4fa318f6 // FMLA V22.4S, V7.4S, V3.S[3]: T[5][0:4] += X[0:4] * g[5]
	WORD $0x4fa31917 // FMLA V23.4S, V8.4S, V3.S[3]: T[5][4:8] += X[4:8] * g[5]
	WORD $0x4f8410f8 // FMLA V24.4S, V7.4S, V4.S[0]: T[6][0:4] += X[0:4] * g[6]
	WORD $0x4f841119 // FMLA V25.4S, V8.4S, V4.S[0]: T[6][4:8] += X[4:8] * g[6]
	WORD $0x4fa410fa // FMLA V26.4S, V7.4S, V4.S[1]: T[7][0:4] += X[0:4] * g[7]
	WORD $0x4fa4111b // FMLA V27.4S, V8.4S, V4.S[1]: T[7][4:8] += X[4:8] * g[7]
	WORD $0x4f8418fc // FMLA V28.4S, V7.4S, V4.S[2]: T[8][0:4] += X[0:4] * g[8]
	WORD $0x4f84191d // FMLA V29.4S, V8.4S, V4.S[2]: T[8][4:8] += X[4:8] * g[8]
	WORD $0x4fa418fe // FMLA V30.4S, V7.4S, V4.S[3]: T[9][0:4] += X[0:4] * g[9]
	WORD $0x4fa4191f // FMLA V31.4S, V8.4S, V4.S[3]: T[9][4:8] += X[4:8] * g[9]
	CBNZ R3, loop2

store:
	VST1.P [V12.S4, V13.S4, V14.S4, V15.S4], 64(R4) // classes 0, 1
	VST1.P [V16.S4, V17.S4, V18.S4, V19.S4], 64(R4) // 2, 3
	VST1.P [V20.S4, V21.S4, V22.S4, V23.S4], 64(R4) // 4, 5
	VST1.P [V24.S4, V25.S4, V26.S4, V27.S4], 64(R4) // 6, 7
	VST1   [V28.S4, V29.S4, V30.S4, V31.S4], (R4)   // 8, 9
	RET
