//go:build !purego

// The float32 products of data rows: the forward rows (fwdF32Rows10), the
// gradient blocks (gradF32x10) and one row against every class (dotF32Row),
// for AVX2 and AVX-512. Contracts: kernelSet in isa.go. The kernels' bodies
// are those of rows_amd64.h (which describes them), shared with the uint8
// rows of u8_amd64.s; this file defines how they read the rows: float32
// loads, offsets of x scaled by 4, and the elements already counted in an
// AVX2 tail step masked to +0 in x as in W (an Inf of x times a masked +0
// of W would add a NaN).

#include "textflag.h"

// The element macros of rows_amd64.h for float32 rows.
#define XSIZE 4
#define XRAW(mem, dst) VMOVUPS mem, dst
#define XCVT(r)
#define XRAWM(mem, m, dst) VANDPS mem, m, dst
#define XRAWZ(mem, k, dst) VMOVUPS.Z mem, k, dst
#define XRAWZX(mem, k, dst, t) VMOVUPS.Z mem, k, dst
#define XBYTES(r) SHLQ $2, r
#define XELEMS(r) SHRQ $2, r
#define XBASE(b, r) LEAQ (b)(r*4), r
#define XADD(i, r) LEAQ (r)(i*4), r
#define FWD_PF_SECOND \
	PREFETCHT2 (R14)(CX*4); \
	XORQ       pf-16(SP), R14

// fwdF32Rows10AVX2's prefetch: rows i+4 and i+5; the first trips (i < 0)
// ask for every line of those rows at once, then each pair only for the
// lines of their first and last elements and keeps their addresses at k8
// (pf0-8(SP), pf1-16(SP)) for the loops, which prefetch a line of r0 (the
// pass of classes 0-4) or r1 (5-9) a trip.
#define FWD2_PF 4
#define FWD2_PF_FIRST \
	TESTQ R13, R13; \
	JNS   pfloop
#define FWD2_PF_REST \
	JMP        next; \
pfloop: \
	PREFETCHT2 (R8); \
	PREFETCHT2 (R9); \
	PREFETCHT2 -4(R8)(R10*1); \
	PREFETCHT2 -4(R9)(R10*1); \
	MOVQ       k+128(FP), R10; \
	ANDQ       $-8, R10; \
	LEAQ       (R8)(R10*4), R8; \
	LEAQ       (R9)(R10*4), R9; \
	MOVQ       R8, pf0-8(SP); \
	MOVQ       R9, pf1-16(SP)
#define FWD2_XROWS \
	ADDQ R10, SI; \
	ADDQ R10, DI; \
	SHLQ $2, SI; \
	SHLQ $2, DI; \
	ADDQ x_base+0(FP), SI; \
	ADDQ x_base+0(FP), DI
#define FWD2_PF_PASS \
	MOVQ    pf0-8(SP), R15; \
	TESTQ   AX, AX; \
	CMOVQNE pf1-16(SP), R15
#define FWD2_PF_STEP PREFETCHT2 (R15)(CX*4)

#include "tail_amd64.h"  /* tailMask */
#include "rows_amd64.h"

// func dotF32RowAVX512(x []float32, w []float32, wstride int, alpha float32, bias []float32, z []float32)
TEXT ·dotF32RowAVX512(SB), NOSPLIT, $8-112
	DOT_ROW_AVX512

// func dotF32RowAVX2(x []float32, w []float32, wstride int, alpha float32, bias []float32, z []float32)
TEXT ·dotF32RowAVX2(SB), NOSPLIT, $8-112
	DOT_ROW_AVX2

// func fwdF32Rows10AVX2(x []float32, index []int32, stride int, w []float32, wstride int, c []float32, cstride int, m, k int, alpha, beta float32, bias []float32)
TEXT ·fwdF32Rows10AVX2(SB), NOSPLIT, $16-168
	FWD_ROWS10_AVX2

// func gradF32x10OneAVX2(x []float32, offs []int, gp []float32, c []float32, cstride int, alpha, beta float32, t []float32, mode int)
TEXT ·gradF32x10OneAVX2(SB), NOSPLIT, $0-144
	GRAD_ONE_AVX2

// func gradF32x10BlkAVX2(x []float32, offs []int, gp []float32, c []float32, cstride, nch int, alpha, beta float32, t []float32, mode int)
TEXT ·gradF32x10BlkAVX2(SB), NOSPLIT, $0-152
	GRAD_BLK_AVX2

// func fwdF32Rows10AVX512(x []float32, index []int32, stride int, w []float32, wstride int, c []float32, cstride int, m, k int, alpha, beta float32, bias []float32)
TEXT ·fwdF32Rows10AVX512(SB), NOSPLIT, $16-168
	FWD_ROWS10_AVX512

// func gradF32x10BlkAVX512(x []float32, offs []int, gp []float32, c []float32, cstride, nch int, alpha, beta float32, acc []float32, mode int)
TEXT ·gradF32x10BlkAVX512(SB), NOSPLIT, $0-152
	GRAD_BLK_AVX512
