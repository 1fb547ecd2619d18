//go:build !purego

// AVX2+FMA register-blocked kernels for the float32 GEMM and the uint8
// forward/backward products of the trainer (see kernelSet in isa.go and the
// pure-Go reference versions in kernels_generic.go). Designs:
// /work/shared/notes/kernels.md, sections 1.2, 1.3 and "Recommended kernel
// designs".
//   - gemmTileAVX2: the 6x16 broadcast micro-kernel of BLIS
//     (bli_sgemm_haswell_asm_6x16, flame/blis kernels/haswell/3): C rows in
//     vector lanes, one broadcast of A per row and two vectors of B per step.
//   - dotU8x2x5AVX2: a "rd" (dot-product) 2x5 tile as in BLIS'
//     bli_gemmsup_rd_haswell_asm: 8 consecutive k in the lanes, pixels
//     widened in registers (VPMOVZXBD + VCVTDQ2PS), horizontal sums at the end.
//   - gradU8x10x8AVX2: pixels in the lanes, one accumulator per class, one
//     VBROADCASTSS of the gradient per class and row.
// No kernel reads or writes outside the slices its contract names. All loads
// and stores are unaligned (VMOVUPS): Zen3 and Haswell-class cores only pay for
// loads that cross a cache line, so callers should start float32 rows and
// panels on 32-byte boundaries (the forward product measured ~12% slower with
// W 4 bytes off a 64-byte boundary).

#include "textflag.h"

// GEMM_STEP is one step p of gemmTileAVX2: C[i][0:16] += A[p][i] * B[p][0:16]
// for i < 6, with A[p] at ao(AX) and B[p] at bo(BX).
#define GEMM_STEP(ao, bo) \
	VMOVUPS      bo(BX), Y0;       \
	VMOVUPS      bo+32(BX), Y1;    \
	VBROADCASTSS ao(AX), Y2;       \
	VBROADCASTSS ao+4(AX), Y3;     \
	VFMADD231PS  Y0, Y2, Y4;       \
	VFMADD231PS  Y1, Y2, Y5;       \
	VFMADD231PS  Y0, Y3, Y6;       \
	VFMADD231PS  Y1, Y3, Y7;       \
	VBROADCASTSS ao+8(AX), Y2;     \
	VBROADCASTSS ao+12(AX), Y3;    \
	VFMADD231PS  Y0, Y2, Y8;       \
	VFMADD231PS  Y1, Y2, Y9;       \
	VFMADD231PS  Y0, Y3, Y10;      \
	VFMADD231PS  Y1, Y3, Y11;      \
	VBROADCASTSS ao+16(AX), Y2;    \
	VBROADCASTSS ao+20(AX), Y3;    \
	VFMADD231PS  Y0, Y2, Y12;      \
	VFMADD231PS  Y1, Y2, Y13;      \
	VFMADD231PS  Y0, Y3, Y14;      \
	VFMADD231PS  Y1, Y3, Y15

// func gemmTileAVX2(k int, ap, bp, tile []float32)
// Requires: AVX2, FMA
// tile[i*16+j] = sum_{p<k} ap[p*6+i] * bp[p*16+j] for i < 6, j < 16; reads
// ap[:6k] and bp[:16k], writes tile[:96]. k <= 0 writes zeros.
// Register map: AX = &ap[6p], BX = &bp[16p], DX = &tile, R8 = groups of four
// steps left, CX = single steps left (k%4);
// Y0, Y1 = B[p][0:8], B[p][8:16]; Y2, Y3 = broadcasts of A[p][i], A[p][i+1];
// Y4+2i, Y5+2i = C row i, columns 0-7 and 8-15 (12 independent accumulators).
// Loop: four steps of k per iteration (48 FMAs), then k%4 single steps, so
// nothing past ap[6k] or bp[16k] is read.
TEXT ·gemmTileAVX2(SB), NOSPLIT, $0-80
	MOVQ   k+0(FP), CX
	MOVQ   ap_base+8(FP), AX
	MOVQ   bp_base+32(FP), BX
	MOVQ   tile_base+56(FP), DX
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	VXORPS Y12, Y12, Y12
	VXORPS Y13, Y13, Y13
	VXORPS Y14, Y14, Y14
	VXORPS Y15, Y15, Y15
	CMPQ   CX, $1
	JLT    store          // k <= 0: the tile is zero
	MOVQ   CX, R8
	SHRQ   $2, R8         // R8 = k / 4
	ANDQ   $3, CX         // CX = k % 4
	TESTQ  R8, R8
	JZ     tail

loop4: // for R8 > 0: steps p .. p+3
	GEMM_STEP(0, 0)
	GEMM_STEP(24, 64)
	GEMM_STEP(48, 128)
	GEMM_STEP(72, 192)
	ADDQ $96, AX          // ap += 4*6
	ADDQ $256, BX         // bp += 4*16
	DECQ R8
	JNZ  loop4

tail:
	TESTQ CX, CX
	JZ    store

loop1: // for CX > 0: step p alone (the last k%4 steps)
	GEMM_STEP(0, 0)
	ADDQ $24, AX          // ap += 6
	ADDQ $64, BX          // bp += 16
	DECQ CX
	JNZ  loop1

store:
	VMOVUPS Y4, (DX)      // tile row 0
	VMOVUPS Y5, 32(DX)
	VMOVUPS Y6, 64(DX)    // row 1
	VMOVUPS Y7, 96(DX)
	VMOVUPS Y8, 128(DX)   // row 2
	VMOVUPS Y9, 160(DX)
	VMOVUPS Y10, 192(DX)  // row 3
	VMOVUPS Y11, 224(DX)
	VMOVUPS Y12, 256(DX)  // row 4
	VMOVUPS Y13, 288(DX)
	VMOVUPS Y14, 320(DX)  // row 5
	VMOVUPS Y15, 352(DX)
	VZEROUPPER
	RET

// DOT_STEP is 8 pixels of dotU8x2x5AVX2: out[r*5+j] lanes += x_r[p:p+8] *
// w_j[p:p+8], with p = CX + xo (pixels) and byte offset 4*CX + wo in w.
#define DOT_STEP(xo, wo) \
	VPMOVZXBD   xo(SI)(CX*1), Y10;   \
	VPMOVZXBD   xo(DI)(CX*1), Y11;   \
	VCVTDQ2PS   Y10, Y10;            \
	VCVTDQ2PS   Y11, Y11;            \
	VMOVUPS     wo(R8)(CX*4), Y12;   \
	VFMADD231PS Y12, Y10, Y0;        \
	VFMADD231PS Y12, Y11, Y5;        \
	VMOVUPS     wo(R9)(CX*4), Y13;   \
	VFMADD231PS Y13, Y10, Y1;        \
	VFMADD231PS Y13, Y11, Y6;        \
	VMOVUPS     wo(R10)(CX*4), Y14;  \
	VFMADD231PS Y14, Y10, Y2;        \
	VFMADD231PS Y14, Y11, Y7;        \
	VMOVUPS     wo(R11)(CX*4), Y15;  \
	VFMADD231PS Y15, Y10, Y3;        \
	VFMADD231PS Y15, Y11, Y8;        \
	VMOVUPS     wo(R12)(CX*4), Y12;  \
	VFMADD231PS Y12, Y10, Y4;        \
	VFMADD231PS Y12, Y11, Y9

// func dotU8x2x5AVX2(x0, x1 []uint8, w0, w1, w2, w3, w4 []float32, out *[10]float32)
// Requires: AVX2, FMA
// out[r*5+j] = sum_{p<k} float32(x_r[p]) * w_j[p] for r < 2, j < 5, with
// k = len(x0) rounded down to a multiple of 8 (callers pass a multiple of 8;
// k = 0 gives zeros). Reads x0, x1, w0..w4 [:k], writes out[:10]. Any of the
// inputs may alias each other.
// Register map: SI, DI = &x0[k], &x1[k]; R8..R12 = &w0[k]..&w4[k];
// CX = p-k (negative; the loop runs while it is not 0); DX = out;
// Y10, Y11 = float32(x0[p:p+8]), float32(x1[p:p+8]); Y12..Y15 = w_j[p:p+8]
// (each loaded once, used for both rows);
// Y(5r+j) = lanes of out[r*5+j] (10 independent accumulators).
// Loop: 16 pixels per iteration (20 FMAs); when k%16 = 8 the first 8 pixels
// run alone before the loop. No tail: k is a multiple of 8.
// Epilogue: a VHADDPS tree reduces Y0..Y7 to out[0:8] in one YMM, and Y8, Y9
// to out[8:10].
TEXT ·dotU8x2x5AVX2(SB), NOSPLIT, $0-176
	MOVQ   x0_base+0(FP), SI
	MOVQ   x0_len+8(FP), CX
	MOVQ   x1_base+24(FP), DI
	MOVQ   w0_base+48(FP), R8
	MOVQ   w1_base+72(FP), R9
	MOVQ   w2_base+96(FP), R10
	MOVQ   w3_base+120(FP), R11
	MOVQ   w4_base+144(FP), R12
	MOVQ   out+168(FP), DX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	ANDQ   $-8, CX              // k = len(x0) &^ 7
	ADDQ   CX, SI               // &x0[k]
	ADDQ   CX, DI               // &x1[k]
	LEAQ   (R8)(CX*4), R8       // &w0[k]
	LEAQ   (R9)(CX*4), R9
	LEAQ   (R10)(CX*4), R10
	LEAQ   (R11)(CX*4), R11
	LEAQ   (R12)(CX*4), R12     // &w4[k]
	NEGQ   CX                   // CX = p-k with p = 0
	TESTQ  $8, CX
	JZ     pairs                // k%16 = 0
	DOT_STEP(0, 0)              // pixels 0..7 alone
	ADDQ   $8, CX

pairs: // the rest is a multiple of 16 pixels
	TESTQ CX, CX
	JZ    reduce

loop16: // for CX < 0: pixels p .. p+15
	DOT_STEP(0, 0)
	DOT_STEP(8, 32)
	ADDQ $16, CX
	JNZ  loop16

reduce: // out[t] = sum of the 8 lanes of Yt
	// VHADDPS B, A, D: D = [A0+A1, A2+A3, B0+B1, B2+B3] in each 128-bit half.
	VHADDPS    Y1, Y0, Y0       // Y0 = partial sums of out[0], out[1]
	VHADDPS    Y3, Y2, Y2       // out[2], out[3]
	VHADDPS    Y5, Y4, Y4       // out[4], out[5]
	VHADDPS    Y7, Y6, Y6       // out[6], out[7]
	VHADDPS    Y9, Y8, Y8       // out[8], out[9]
	VHADDPS    Y2, Y0, Y0       // Y0 = [out[0:4] of lanes 0-3 | out[0:4] of lanes 4-7]
	VHADDPS    Y6, Y4, Y4       // Y4 = the same for out[4:8]
	VHADDPS    Y8, Y8, Y8       // Y8 = [out[8], out[9], out[8], out[9] | the same, lanes 4-7]
	VPERM2F128 $0x20, Y4, Y0, Y1 // Y1 = [Y0 low half | Y4 low half]
	VPERM2F128 $0x31, Y4, Y0, Y3 // Y3 = [Y0 high half | Y4 high half]
	VADDPS     Y3, Y1, Y1       // Y1 = out[0:8]
	VEXTRACTF128 $1, Y8, X9
	VADDPS     X9, X8, X8       // X8[0:2] = out[8:10]
	VMOVUPS    Y1, (DX)         // out[0:8]
	VMOVQ      X8, 32(DX)       // out[8:10]
	VZEROUPPER
	RET

// GRAD_ROW is one row of gradU8x10x8AVX2: T[c][0:8] += X[0:8] * gp[off/4 + c]
// for c < 10, with X the converted pixels in register px and gp at DX.
#define GRAD_ROW(off, px) \
	VBROADCASTSS off(DX), Y12;     \
	VFMADD231PS  Y12, px, Y0;      \
	VBROADCASTSS off+4(DX), Y13;   \
	VFMADD231PS  Y13, px, Y1;      \
	VBROADCASTSS off+8(DX), Y14;   \
	VFMADD231PS  Y14, px, Y2;      \
	VBROADCASTSS off+12(DX), Y15;  \
	VFMADD231PS  Y15, px, Y3;      \
	VBROADCASTSS off+16(DX), Y12;  \
	VFMADD231PS  Y12, px, Y4;      \
	VBROADCASTSS off+20(DX), Y13;  \
	VFMADD231PS  Y13, px, Y5;      \
	VBROADCASTSS off+24(DX), Y14;  \
	VFMADD231PS  Y14, px, Y6;      \
	VBROADCASTSS off+28(DX), Y15;  \
	VFMADD231PS  Y15, px, Y7;      \
	VBROADCASTSS off+32(DX), Y12;  \
	VFMADD231PS  Y12, px, Y8;      \
	VBROADCASTSS off+36(DX), Y13;  \
	VFMADD231PS  Y13, px, Y9

// func gradU8x10x8AVX2(x []uint8, offs []int, gp []float32, tile *[80]float32)
// Requires: AVX2, FMA
// tile[c*8+j] = sum_{i<m} gp[i*10+c] * float32(x[offs[i]+j]) for c < 10,
// j < 8, m = len(offs) (m = 0 gives zeros). Reads x[offs[i]:offs[i]+8],
// offs[:m], gp[:10m]; writes tile[:80]. Rows are summed in the order
// i = 0, 1, ..., m-1 for every element, as in the generic version.
// Register map: SI = &x[0], R8 = &offs[m], CX = i-m (negative; the loop runs
// while it is not 0), DX = &gp[10i], DI = tile; R9, R10 = offs[i], offs[i+1];
// Y10, Y11 = float32(x[offs[i]:][0:8]), float32(x[offs[i+1]:][0:8]);
// Y12..Y15 = broadcasts of gp[10i+c]; Yc = tile[c*8:c*8+8] (10 accumulators).
// Loop: two rows per iteration (20 FMAs); an odd m runs row 0 alone before
// the loop, so nothing past offs[m] or gp[10m] is read.
TEXT ·gradU8x10x8AVX2(SB), NOSPLIT, $0-80
	MOVQ   x_base+0(FP), SI
	MOVQ   offs_base+24(FP), R8
	MOVQ   offs_len+32(FP), CX
	MOVQ   gp_base+48(FP), DX
	MOVQ   tile+72(FP), DI
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	LEAQ   (R8)(CX*8), R8       // &offs[m]
	NEGQ   CX                   // CX = i-m with i = 0
	TESTQ  $1, CX
	JZ     pairs                // m even
	MOVQ   (R8)(CX*8), R9       // offs[0]
	VPMOVZXBD (SI)(R9*1), Y10   // x[offs[0]:][0:8] as int32
	VCVTDQ2PS Y10, Y10
	GRAD_ROW(0, Y10)            // row 0 alone
	ADDQ   $40, DX              // gp += 10
	INCQ   CX

pairs: // the rest is an even number of rows
	TESTQ CX, CX
	JZ    store

loop2: // for CX < 0: rows i and i+1
	MOVQ      (R8)(CX*8), R9    // offs[i]
	MOVQ      8(R8)(CX*8), R10  // offs[i+1]
	VPMOVZXBD (SI)(R9*1), Y10
	VPMOVZXBD (SI)(R10*1), Y11
	VCVTDQ2PS Y10, Y10
	VCVTDQ2PS Y11, Y11
	GRAD_ROW(0, Y10)            // row i
	GRAD_ROW(40, Y11)           // row i+1
	ADDQ $80, DX                // gp += 20
	ADDQ $2, CX
	JNZ  loop2

store:
	VMOVUPS Y0, (DI)            // tile[0:8], class 0
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	VMOVUPS Y4, 128(DI)
	VMOVUPS Y5, 160(DI)
	VMOVUPS Y6, 192(DI)
	VMOVUPS Y7, 224(DI)
	VMOVUPS Y8, 256(DI)
	VMOVUPS Y9, 288(DI)         // tile[72:80], class 9
	VZEROUPPER
	RET
