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
//   - dotU8Rows10AVX2: the whole forward product of a row range for ten
//     classes (n = 10, k%8 = 0): the 2x5 tile of dotU8x2x5AVX2 twice per
//     pair of rows, the prefetch of the next pair and the alpha/beta epilogue,
//     so that Go makes one call per range instead of two per pair.
//   - gradU8x10BlkAVX2: the weight gradient of a run of 8-column chunks for
//     ten classes, merged into C (alpha/beta) by the kernel: 16 columns (two
//     accumulators per class) against five classes at a time, so each
//     VBROADCASTSS of the gradient feeds two FMAs; the rows in blocks, the
//     sums kept in a buffer between blocks, so that a pass touches the pages
//     of a few rows only (first-level TLB). gradU8x10OneAVX2 takes an odd
//     last chunk against all ten classes; gradU8x10MergeAVX2 (Go) calls both.
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

// tailMask8 is eight 32-bit zeros then eight all-ones: the 8 words from
// word kt (1 <= kt <= 7) keep lanes 8-kt .. 7.
DATA ·tailMask8<>+0(SB)/8, $0
DATA ·tailMask8<>+8(SB)/8, $0
DATA ·tailMask8<>+16(SB)/8, $0
DATA ·tailMask8<>+24(SB)/8, $0
DATA ·tailMask8<>+32(SB)/8, $-1
DATA ·tailMask8<>+40(SB)/8, $-1
DATA ·tailMask8<>+48(SB)/8, $-1
DATA ·tailMask8<>+56(SB)/8, $-1
GLOBL ·tailMask8<>(SB), RODATA|NOPTR, $64

// TAIL_STEP is the masked last step of dotU8Rows10AVX2 for one class:
// wt = w_j[k-8:k] (W row j at wr, CX = kt) with the lanes of the pixels
// already counted masked to +0 (Y15), then c0 += x_i * wt and c1 +=
// x_{i+1} * wt (pixels in Y10, Y11).
#define TAIL_STEP(wr, wt, c0, c1) \
	VANDPS      -32(wr)(CX*4), Y15, wt; \
	VFMADD231PS wt, Y10, c0;            \
	VFMADD231PS wt, Y11, c1

// func dotU8Rows10AVX2(x []uint8, index []int32, stride int, w []float32, wstride int, c []float32, cstride int, m, k int, alpha, beta float32, bias []float32)
// Requires: AVX2, FMA
// For i < m and j < 10: c[i*cstride+j] = alpha*s + beta*c[i*cstride+j],
// s = sum_{p<k} float32(x[index[i]*stride+p]) * w[j*wstride+p], then
// + bias[j] if bias is not nil (three roundings, in that order); c is not
// read when beta is +-0. k >= 8, m >= 1 (the caller checks). The loop
// takes the first k8 = k&^7 pixels eight at a time; when k8 < k, one more
// step takes the eight pixels that end at k with W masked (tailMask8) so
// that only the last k%8 count. The whole forward product of a row range in one call: the loop
// over row pairs, the prefetch of the next pair and the epilogue that
// dotU8T does in Go around dotU8x2x5AVX2.
// Each pair of rows (i, i+1; an odd last row is paired with itself) runs two
// passes, classes 0-4 then 5-9; a pass is the loop and the VHADDPS sums of
// dotU8x2x5AVX2 (same registers, same order, so for k%8 == 0 s is bitwise
// the same; a k%8 tail goes into the lanes before the sums) and
// merges its 2x5 results into c. With the last row paired with itself, row
// "i+1" is row i and its C pointer is row i's: both rows read the old C
// before either is stored, and both store the same values.
// Register map: R13 = i (starts at -2: the first trip only prefetches rows
// 0 and 1); SI, DI = &x_i[k8], &x_{i+1}[k8]; BX, DX = &c[i*cstride+j0],
// &c[(i+1)*cstride+j0] with j0 = 0 or 5; AX = byte offset of W row j0 in w
// (0 in the first pass, 5*wstride*4 in the second: never 0 since wstride >=
// k >= 8); R8..R12 = &w_{j0}[k8]..&w_{j0+4}[k8]; CX = p-k8 (negative) in
// the loop, then k%8, then the beta test; R14 = temporary; R15 = &tailMask8;
// Y0..Y4, Y5..Y9 = rows i, i+1 x classes j0..j0+4 (as in dotU8x2x5AVX2);
// Y10, Y11 = pixels, then alpha and beta broadcast; Y12..Y15 = W, then C
// (Y15 = the tail's mask).
TEXT ·dotU8Rows10AVX2(SB), NOSPLIT, $0-168
	MOVQ $-2, R13                // i = -2: prefetch rows 0, 1 first

pair: // rows i, i+1: prefetch rows i+2, i+3 (both at most m-1), then compute
	MOVQ    m+120(FP), R12
	DECQ    R12                  // R12 = m-1, the last row
	MOVQ    index_base+24(FP), R14 // R14 = &index[0]
	LEAQ    2(R13), R8           // R8 = i+2
	CMPQ    R8, R12
	CMOVQGT R12, R8              // R8 = min(i+2, m-1)
	LEAQ    3(R13), R9
	CMPQ    R9, R12
	CMOVQGT R12, R9              // R9 = min(i+3, m-1)
	MOVLQSX (R14)(R8*4), R8      // index[R8]
	MOVLQSX (R14)(R9*4), R9
	IMULQ   stride+48(FP), R8    // its offset in x
	IMULQ   stride+48(FP), R9
	ADDQ    x_base+0(FP), R8     // R8 = &x_{i+2}[0]
	ADDQ    x_base+0(FP), R9     // R9 = &x_{i+3}[0]
	MOVQ    k+128(FP), R10
	XORQ    AX, AX               // AX = byte offset of the line in the row

prefetch: // for AX < k: one cache line of each row into L2, as prefetchAVX2
	PREFETCHT2 (R8)(AX*1)
	PREFETCHT2 (R9)(AX*1)
	ADDQ       $64, AX
	CMPQ       AX, R10
	JLT        prefetch

	TESTQ R13, R13
	JS    next                   // i = -2: nothing to compute yet
	ANDQ  $-8, R10               // R10 = k8 = k&^7: the loop's pixels
	LEAQ  1(R13), R9             // R9 = i+1
	CMPQ  R9, R12
	CMOVQGT R12, R9              // R9 = min(i+1, m-1): i itself when i is the last row
	MOVLQSX (R14)(R13*4), SI     // index[i]
	MOVLQSX (R14)(R9*4), DI      // index[i+1]
	IMULQ   stride+48(FP), SI
	IMULQ   stride+48(FP), DI
	ADDQ    x_base+0(FP), SI     // &x_i[0]
	ADDQ    x_base+0(FP), DI     // &x_{i+1}[0]
	ADDQ    R10, SI              // &x_i[k8]
	ADDQ    R10, DI              // &x_{i+1}[k8]
	MOVQ    cstride+112(FP), BX
	MOVQ    BX, DX
	IMULQ   R13, BX              // i*cstride
	IMULQ   R9, DX               // (i+1)*cstride
	MOVQ    c_base+88(FP), R14
	LEAQ    (R14)(BX*4), BX      // BX = &c[i*cstride]
	LEAQ    (R14)(DX*4), DX      // DX = &c[(i+1)*cstride]
	XORQ    AX, AX               // first pass: classes 0-4

pass: // classes j0..j0+4 of rows i, i+1, with W row j0 at byte AX of w
	MOVQ   k+128(FP), CX
	ANDQ   $-8, CX               // CX = k8
	MOVQ   wstride+80(FP), R14
	SHLQ   $2, R14               // R14 = wstride in bytes
	MOVQ   w_base+56(FP), R8
	LEAQ   (R8)(CX*4), R8        // &w_0[k8]
	ADDQ   AX, R8                // R8 = &w_{j0}[k8]
	LEAQ   (R8)(R14*1), R9       // &w_{j0+1}[k8]
	LEAQ   (R9)(R14*1), R10
	LEAQ   (R10)(R14*1), R11
	LEAQ   (R11)(R14*1), R12     // &w_{j0+4}[k8]
	NEGQ   CX                    // CX = p-k8 with p = 0
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
	TESTQ  $8, CX
	JZ     pairs16               // k%16 = 0
	DOT_STEP(0, 0)               // pixels 0..7 alone
	ADDQ   $8, CX

pairs16: // the rest is a multiple of 16 pixels
	TESTQ CX, CX
	JZ    tail8

loop16: // for CX < 0: pixels p .. p+15
	DOT_STEP(0, 0)
	DOT_STEP(8, 32)
	ADDQ $16, CX
	JNZ  loop16

tail8: // the last kt = k%8 pixels, if any: the 8 pixels that end at k,
	// against W's 8 that end at k with the lanes of the 8-kt pixels the loop has
	// counted masked to +0 (so they add exactly nothing). Every load stays
	// inside the row and W's row.
	MOVQ        k+128(FP), CX
	ANDQ        $7, CX           // CX = kt
	JZ          reduce
	LEAQ        ·tailMask8<>(SB), R15
	VMOVDQU     (R15)(CX*4), Y15 // lane l: all ones if l >= 8-kt, else 0
	VPMOVZXBD   -8(SI)(CX*1), Y10 // x_i[k-8:k]
	VPMOVZXBD   -8(DI)(CX*1), Y11 // x_{i+1}[k-8:k]
	VCVTDQ2PS   Y10, Y10
	VCVTDQ2PS   Y11, Y11
	TAIL_STEP(R8, Y12, Y0, Y5)
	TAIL_STEP(R9, Y13, Y1, Y6)
	TAIL_STEP(R10, Y14, Y2, Y7)
	TAIL_STEP(R11, Y13, Y3, Y8)
	TAIL_STEP(R12, Y14, Y4, Y9)

reduce: // the sums of dotU8x2x5AVX2 (per accumulator: lanes paired, then
	// pairs of pairs, then the two 128-bit halves), in the layout of the
	// epilogue: Y1 = [row i classes j0..j0+3 | row i+1 the same],
	// X4 = [row i class j0+4, row i+1 class j0+4, (copies)].
	VHADDPS      Y1, Y0, Y0      // Y0 = lane pairs of classes j0, j0+1, row i
	VHADDPS      Y3, Y2, Y2      // classes j0+2, j0+3, row i
	VHADDPS      Y6, Y5, Y5      // classes j0, j0+1, row i+1
	VHADDPS      Y8, Y7, Y7      // classes j0+2, j0+3, row i+1
	VHADDPS      Y9, Y4, Y4      // class j0+4, rows i and i+1
	VHADDPS      Y2, Y0, Y0      // Y0 = row i classes j0..j0+3, per half
	VHADDPS      Y7, Y5, Y5      // Y5 = row i+1 classes j0..j0+3, per half
	VHADDPS      Y4, Y4, Y4      // Y4 = [row i, row i+1, copies] class j0+4, per half
	VPERM2F128   $0x20, Y5, Y0, Y1 // Y1 = [Y0 low half | Y5 low half]
	VPERM2F128   $0x31, Y5, Y0, Y2 // Y2 = [Y0 high half | Y5 high half]
	VADDPS       Y2, Y1, Y1      // Y1 = s of classes j0..j0+3, rows i | i+1
	VEXTRACTF128 $1, Y4, X3
	VADDPS       X3, X4, X4      // X4[0:2] = s of class j0+4, rows i, i+1

	// Epilogue: c = alpha*s, plus beta*c unless beta is +-0.
	VBROADCASTSS alpha+136(FP), Y10
	VMULPS       Y10, Y1, Y1     // alpha*s, classes j0..j0+3
	VMULPS       X10, X4, X4     // alpha*s, class j0+4
	MOVL         beta+140(FP), CX
	SHLL         $1, CX          // drop the sign bit: zero for +-0
	JZ           store
	VBROADCASTSS beta+140(FP), Y11
	VMOVUPS      (BX), X12       // c[i][j0:j0+4]
	VINSERTF128  $1, (DX), Y12, Y12 // Y12 = [c[i][j0:j0+4] | c[i+1][j0:j0+4]]
	VMOVSS       16(BX), X13     // c[i][j0+4]
	VINSERTPS    $0x10, 16(DX), X13, X13 // X13[1] = c[i+1][j0+4]
	VMULPS       Y11, Y12, Y12   // beta*c
	VMULPS       X11, X13, X13
	VADDPS       Y12, Y1, Y1     // alpha*s + beta*c
	VADDPS       X13, X4, X4

store: // plus the bias, if any; row i+1 after row i: equal values when they are the same row
	MOVQ         bias_base+144(FP), R8 // R8 is free until the next pass sets it
	TESTQ        R8, R8
	JZ           nobias
	TESTQ        AX, AX
	JZ           bias0
	ADDQ         $20, R8         // &bias[5] in the second pass
bias0:
	VBROADCASTF128 (R8), Y12     // [bias[j0:j0+4] | bias[j0:j0+4]]
	VADDPS       Y12, Y1, Y1
	VBROADCASTSS 16(R8), X13     // bias[j0+4] (rows i and i+1: lanes 0, 1)
	VADDPS       X13, X4, X4

nobias:
	VMOVUPS      X1, (BX)        // c[i][j0:j0+4]
	VMOVSS       X4, 16(BX)      // c[i][j0+4]
	VEXTRACTF128 $1, Y1, (DX)    // c[i+1][j0:j0+4]
	VEXTRACTPS   $1, X4, 16(DX)  // c[i+1][j0+4]
	TESTQ        AX, AX
	JNZ          next            // the second pass is done
	LEAQ         (R14)(R14*4), AX // AX = 5*wstride*4: W row 5
	ADDQ         $20, BX         // &c[i][5]
	ADDQ         $20, DX         // &c[i+1][5]
	JMP          pass

next:
	ADDQ $2, R13                 // i += 2
	CMPQ R13, m+120(FP)
	JLT  pair
	VZEROUPPER
	RET

// MERGE_ROW stores the row of c at BX as acc + beta*c (acc holds alpha*T,
// Y11 beta), then moves BX to the next class row.
#define MERGE_ROW(acc) \
	VMULPS  (BX), Y11, Y12; \
	VADDPS  Y12, acc, acc;  \
	VMOVUPS acc, (BX);      \
	ADDQ    R11, BX

// STORE_ROW stores acc (alpha*T) in the row of c at BX, then moves BX to the
// next class row.
#define STORE_ROW(acc) \
	VMOVUPS acc, (BX); \
	ADDQ    R11, BX

// MERGE_ROW2 is MERGE_ROW for 16 columns: a, b hold alpha*T of the two
// chunks.
#define MERGE_ROW2(a, b) \
	VMULPS  (BX), Y11, Y12;   \
	VADDPS  Y12, a, a;        \
	VMOVUPS a, (BX);          \
	VMULPS  32(BX), Y11, Y12; \
	VADDPS  Y12, b, b;        \
	VMOVUPS b, 32(BX);        \
	ADDQ    R11, BX

// STORE_ROW2 is STORE_ROW for 16 columns.
#define STORE_ROW2(a, b) \
	VMOVUPS a, (BX);   \
	VMOVUPS b, 32(BX); \
	ADDQ    R11, BX

// GRAD16_ROW is one row of the two-chunk loop of gradU8x10MergeAVX2:
// T[h+c][0:8] += pa * gp[off/4 + c] and T[h+c][8:16] += pb * gp[off/4 + c]
// for c < 5, with pa, pb the converted pixels of the two chunks, gp at DX
// (already at class h) and the accumulators Y0..Y4 (first chunk), Y5..Y9
// (second chunk). Each broadcast serves two FMAs.
#define GRAD16_ROW(off, pa, pb) \
	VBROADCASTSS off(DX), Y12;     \
	VFMADD231PS  Y12, pa, Y0;      \
	VFMADD231PS  Y12, pb, Y5;      \
	VBROADCASTSS off+4(DX), Y15;   \
	VFMADD231PS  Y15, pa, Y1;      \
	VFMADD231PS  Y15, pb, Y6;      \
	VBROADCASTSS off+8(DX), Y12;   \
	VFMADD231PS  Y12, pa, Y2;      \
	VFMADD231PS  Y12, pb, Y7;      \
	VBROADCASTSS off+12(DX), Y15;  \
	VFMADD231PS  Y15, pa, Y3;      \
	VFMADD231PS  Y15, pb, Y8;      \
	VBROADCASTSS off+16(DX), Y12;  \
	VFMADD231PS  Y12, pa, Y4;      \
	VFMADD231PS  Y12, pb, Y9

// func gradU8x10OneAVX2(x []uint8, offs []int, gp []float32, c []float32, cstride int, alpha, beta float32)
// Requires: AVX2, FMA
// One chunk of 8 columns against all ten classes, merged into C: for
// r < 10, j < 8: c[r*cstride+j] = alpha*T[r][j] + beta*c[r*cstride+j] (c not
// read when beta is +-0), with T[r][j] = sum_{i<m} gp[i*10+r] *
// float32(x[offs[i]+j]), m = len(offs), summed as gradU8x10x8AVX2 sums its
// tile (bitwise the same), then rounded as mergeRow8 rounds. The odd last
// chunk of gradU8x10MergeAVX2 (gemm_amd64.go), whose pairs of chunks go to
// gradU8x10BlkAVX2.
// Register map: SI = &x[0], R8 = &offs[m], R13 = m, DI = &c[0], R11 =
// cstride in bytes, R14 = beta test (0 for beta = +-0), BX = &c[r*cstride]
// of the next class row to merge; CX = i-m, DX = &gp[10i], R9, R10 =
// offs[i], offs[i+1]; Y10, Y11 = pixels of rows i and i+1; Y12..Y15 =
// broadcasts; Yr = T[r][0:8]; in the merge: Y10, Y11 = alpha, beta
// broadcast, Y12 = c.
TEXT ·gradU8x10OneAVX2(SB), NOSPLIT, $0-112
	MOVQ x_base+0(FP), SI
	MOVQ offs_base+24(FP), R8
	MOVQ offs_len+32(FP), R13
	LEAQ (R8)(R13*8), R8        // &offs[m]
	MOVQ c_base+72(FP), DI
	MOVQ cstride+96(FP), R11
	SHLQ $2, R11                // cstride in bytes
	MOVL beta+108(FP), R14
	SHLL $1, R14                // drop the sign bit: zero for beta = +-0

	MOVQ   gp_base+48(FP), DX
	MOVQ   R13, CX
	NEGQ   CX                   // CX = i-m with i = 0
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
	TESTQ  $1, CX
	JZ     rows2                // m even
	MOVQ   (R8)(CX*8), R9       // offs[0]
	VPMOVZXBD (SI)(R9*1), Y10   // x[offs[0]:][0:8] as int32
	VCVTDQ2PS Y10, Y10
	GRAD_ROW(0, Y10)            // row 0 alone
	ADDQ   $40, DX              // gp += 10
	INCQ   CX

rows2: // the rest is an even number of rows
	TESTQ CX, CX
	JZ    merge

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

merge: // c rows r = 0..9, columns 0..7: alpha*T + beta*c
	VBROADCASTSS alpha+104(FP), Y10
	VMULPS Y10, Y0, Y0          // alpha*T[0]
	VMULPS Y10, Y1, Y1
	VMULPS Y10, Y2, Y2
	VMULPS Y10, Y3, Y3
	VMULPS Y10, Y4, Y4
	VMULPS Y10, Y5, Y5
	VMULPS Y10, Y6, Y6
	VMULPS Y10, Y7, Y7
	VMULPS Y10, Y8, Y8
	VMULPS Y10, Y9, Y9          // alpha*T[9]
	MOVQ   DI, BX               // &c[0]
	TESTL  R14, R14
	JZ     store0               // beta = +-0: c is not read
	VBROADCASTSS beta+108(FP), Y11
	MERGE_ROW(Y0)               // class 0
	MERGE_ROW(Y1)
	MERGE_ROW(Y2)
	MERGE_ROW(Y3)
	MERGE_ROW(Y4)
	MERGE_ROW(Y5)
	MERGE_ROW(Y6)
	MERGE_ROW(Y7)
	MERGE_ROW(Y8)
	MERGE_ROW(Y9)               // class 9
	JMP    done

store0:
	STORE_ROW(Y0)               // class 0
	STORE_ROW(Y1)
	STORE_ROW(Y2)
	STORE_ROW(Y3)
	STORE_ROW(Y4)
	STORE_ROW(Y5)
	STORE_ROW(Y6)
	STORE_ROW(Y7)
	STORE_ROW(Y8)
	STORE_ROW(Y9)               // class 9

done:
	VZEROUPPER
	RET

// T_ADDR sets R9 = &t[80*(2p+h)], the saved sums of pair p = (nch-R12)/2
// and half h = AX/20 in gradU8x10BlkAVX2 (n: its nch argument, t: the base
// of its t), using R10.
#define T_ADDR(n, t) \
	MOVQ  n, R9;   \
	SUBQ  R12, R9; \
	IMULQ $320, R9; \
	MOVQ  AX, R10; \
	SHLQ  $4, R10; \
	ADDQ  R10, R9; \
	ADDQ  t, R9

// func gradU8x10BlkAVX2(x []uint8, offs []int, gp []float32, c []float32, cstride, nch int, alpha, beta float32, t []float32, mode int)
// Requires: AVX2, FMA
// The weight gradient of nch 8-column chunks (nch even, >= 2) for ten
// classes, over one block of rows: with T[r][p] = sum over the rows i = 0,
// 1, ..., m-1 of the block (m = len(offs), gp its rows of the gradient) of
// gp[i*10+r] * float32(x[offs[i]+p]), added to the sums of the earlier
// blocks. Chunks go by pairs p = q/2 (16 columns, two accumulators per
// class) in two halves h of five classes (5h..5h+4), so that each
// VBROADCASTSS of gp feeds two FMAs. A half's ten accumulators start from
// t[80*(2p+h):][:80] if mode&1 (the earlier blocks' sums) or from zero, and
// end in t[80*(2p+h):] again, or, if mode&2 (the last block), merged into
// C: c[r*cstride+8q+j] = alpha*T + beta*c (two roundings, c not read when
// beta is +-0). Each element takes one FMA per row in row order, the
// accumulators only stored and loaded between blocks, so the blocks of a
// set of rows run in order give bitwise one block of all of them (and the
// tiles of gradU8x10x8AVX2, merged as mergeRow8 merges them), while each
// block's rows span few pages (the rows of a minibatch come from random
// pages: 256 of them in one pass miss the first-level TLB at every row).
// With mode = 2 (one block) t is neither read nor written.
// Register map: SI = &x[8q], R8 = &offs[m], R13 = m, R12 = chunks left,
// DI = &c[8q], R11 = cstride in bytes, R14 = beta test (0 for beta = +-0),
// BX = &c[r*cstride+8q] of the next class row to merge; AX = byte offset of
// class h in a row of gp (0 or 20), CX = i-m, DX = &gp[10i+h], R9, R10 =
// offs[i], offs[i+1] (between the halves: the address in t); Y10, Y11 and
// Y13, Y14 = pixels 8q..8q+15 of rows i and i+1; Y12, Y15 = broadcasts;
// Y0..Y4 = T[h..h+4][8q:8q+8], Y5..Y9 = T[h..h+4][8q+8:8q+16]; in the
// merge: Y10, Y11 = alpha, beta broadcast, Y12 = c.
TEXT ·gradU8x10BlkAVX2(SB), NOSPLIT, $0-152
	MOVQ x_base+0(FP), SI
	MOVQ offs_base+24(FP), R8
	MOVQ offs_len+32(FP), R13
	LEAQ (R8)(R13*8), R8        // &offs[m]
	MOVQ c_base+72(FP), DI
	MOVQ cstride+96(FP), R11
	SHLQ $2, R11                // cstride in bytes
	MOVQ nch+104(FP), R12
	MOVL beta+116(FP), R14
	SHLL $1, R14                // drop the sign bit: zero for beta = +-0

bpair: // columns 8q .. 8q+15
	MOVQ DI, BX                 // class row 0
	XORQ AX, AX                 // h = 0: classes 0-4

bhalf: // classes h .. h+4 of columns 8q .. 8q+15
	MOVQ  mode+144(FP), R10
	TESTQ $1, R10
	JZ    bzero
	T_ADDR(nch+104(FP), t_base+120(FP))
	VMOVUPS (R9), Y0
	VMOVUPS 32(R9), Y1
	VMOVUPS 64(R9), Y2
	VMOVUPS 96(R9), Y3
	VMOVUPS 128(R9), Y4
	VMOVUPS 160(R9), Y5
	VMOVUPS 192(R9), Y6
	VMOVUPS 224(R9), Y7
	VMOVUPS 256(R9), Y8
	VMOVUPS 288(R9), Y9
	JMP     brows

bzero:
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

brows:
	MOVQ  gp_base+48(FP), DX
	ADDQ  AX, DX                // &gp[h]
	MOVQ  R13, CX
	NEGQ  CX                    // CX = i-m with i = 0
	TESTQ $1, CX
	JZ    beven                 // m even
	MOVQ   (R8)(CX*8), R9       // offs[0]
	VPMOVZXBD (SI)(R9*1), Y10   // x[offs[0]+8q:][0:8] as int32
	VPMOVZXBD 8(SI)(R9*1), Y11  // x[offs[0]+8q+8:][0:8]
	VCVTDQ2PS Y10, Y10
	VCVTDQ2PS Y11, Y11
	GRAD16_ROW(0, Y10, Y11)     // row 0 alone
	ADDQ   $40, DX              // gp += 10
	INCQ   CX

beven: // the rest is an even number of rows
	TESTQ CX, CX
	JZ    bend

bloop: // for CX < 0: rows i and i+1
	MOVQ      (R8)(CX*8), R9    // offs[i]
	MOVQ      8(R8)(CX*8), R10  // offs[i+1]
	VPMOVZXBD (SI)(R9*1), Y10
	VPMOVZXBD 8(SI)(R9*1), Y11
	VPMOVZXBD (SI)(R10*1), Y13
	VPMOVZXBD 8(SI)(R10*1), Y14
	VCVTDQ2PS Y10, Y10
	VCVTDQ2PS Y11, Y11
	VCVTDQ2PS Y13, Y13
	VCVTDQ2PS Y14, Y14
	GRAD16_ROW(0, Y10, Y11)     // row i
	GRAD16_ROW(40, Y13, Y14)    // row i+1
	ADDQ $80, DX                // gp += 20
	ADDQ $2, CX
	JNZ  bloop

bend: // save the sums for the next block, or merge them into c
	MOVQ  mode+144(FP), R10
	TESTQ $2, R10
	JNZ   bfinal
	T_ADDR(nch+104(FP), t_base+120(FP))
	VMOVUPS Y0, (R9)
	VMOVUPS Y1, 32(R9)
	VMOVUPS Y2, 64(R9)
	VMOVUPS Y3, 96(R9)
	VMOVUPS Y4, 128(R9)
	VMOVUPS Y5, 160(R9)
	VMOVUPS Y6, 192(R9)
	VMOVUPS Y7, 224(R9)
	VMOVUPS Y8, 256(R9)
	VMOVUPS Y9, 288(R9)
	JMP     bhalfdone

bfinal: // c rows h..h+4, columns 8q..8q+15: alpha*T + beta*c
	VBROADCASTSS alpha+112(FP), Y10
	VMULPS Y10, Y0, Y0          // alpha*T[h][8q:8q+8]
	VMULPS Y10, Y1, Y1
	VMULPS Y10, Y2, Y2
	VMULPS Y10, Y3, Y3
	VMULPS Y10, Y4, Y4
	VMULPS Y10, Y5, Y5          // alpha*T[h][8q+8:8q+16]
	VMULPS Y10, Y6, Y6
	VMULPS Y10, Y7, Y7
	VMULPS Y10, Y8, Y8
	VMULPS Y10, Y9, Y9
	TESTL  R14, R14
	JZ     bstore               // beta = +-0: c is not read
	VBROADCASTSS beta+116(FP), Y11
	MERGE_ROW2(Y0, Y5)          // class h
	MERGE_ROW2(Y1, Y6)
	MERGE_ROW2(Y2, Y7)
	MERGE_ROW2(Y3, Y8)
	MERGE_ROW2(Y4, Y9)          // class h+4
	JMP    bhalfdone

bstore:
	STORE_ROW2(Y0, Y5)          // class h
	STORE_ROW2(Y1, Y6)
	STORE_ROW2(Y2, Y7)
	STORE_ROW2(Y3, Y8)
	STORE_ROW2(Y4, Y9)          // class h+4

bhalfdone: // (with mode&2, BX is now at class row h+5)
	TESTQ AX, AX
	JNZ   bpairdone             // both halves done
	MOVQ  $20, AX               // h = 5: classes 5-9
	JMP   bhalf

bpairdone:
	ADDQ $16, SI                // x += 16: the next columns of every row
	ADDQ $64, DI                // &c[8(q+2)]
	SUBQ $2, R12
	JNZ  bpair                  // nch is even
	VZEROUPPER
	RET
