//go:build !purego

// The uint8 products: the forward rows (fwdU8Rows10), the gradient blocks
// (gradU8x10) and one image against every class (dotU8Row), for AVX2 and
// AVX-512, and the prefetch of rows. Contracts: kernelSet in isa.go. The
// kernels' bodies are those of rows_amd64.h (which describes them), shared
// with the float32 rows of f32_amd64.s; this file defines how they read
// the rows: pixels zero-extended to int32 and converted to float32 in
// registers (VPMOVZXBD + VCVTDQ2PS) once per load, offsets of x in bytes.

#include "textflag.h"

// The element macros of rows_amd64.h for uint8 rows.
#define XSIZE 1
#define XRAW(mem, dst) VPMOVZXBD mem, dst
#define XCVT(r) VCVTDQ2PS r, r
// XRAWM loads the tail's pixels whole: W's lanes of the pixels already
// counted are +0, and a pixel is finite.
#define XRAWM(mem, m, dst) VPMOVZXBD mem, dst
#define XRAWZ(mem, k, dst) VPMOVZXBD.Z mem, k, dst
#define XRAWZX(mem, k, dst, t) \
	VMOVDQU8.Z mem, k, t; \
	VPMOVZXBD  t, dst
#define XBYTES(r)
#define XELEMS(r)
#define XBASE(b, r) ADDQ b, r
#define XADD(i, r) ADDQ i, r
#define FWD_PF_SECOND

// fwdU8Rows10AVX2's prefetch: at the start of each pair of rows, every
// cache line of the next pair (rows i+2 and i+3).
#define FWD2_PF 2
#define FWD2_PF_FIRST
#define FWD2_PF_REST \
	TESTQ R13, R13; \
	JS    next; \
	ANDQ  $-8, R10
#define FWD2_XROWS \
	ADDQ x_base+0(FP), SI; \
	ADDQ x_base+0(FP), DI; \
	ADDQ R10, SI; \
	ADDQ R10, DI
#define FWD2_PF_PASS
#define FWD2_PF_STEP

#include "tail_amd64.h"  /* tailMask */
#include "rows_amd64.h"

// func dotU8RowAVX512(x []uint8, w []float32, wstride int, alpha float32, bias []float32, z []float32)
TEXT ·dotU8RowAVX512(SB), NOSPLIT, $8-112
	DOT_ROW_AVX512

// func dotU8RowAVX2(x []uint8, w []float32, wstride int, alpha float32, bias []float32, z []float32)
TEXT ·dotU8RowAVX2(SB), NOSPLIT, $8-112
	DOT_ROW_AVX2

// func fwdU8Rows10AVX2(x []uint8, index []int32, stride int, w []float32, wstride int, c []float32, cstride int, m, k int, alpha, beta float32, bias []float32)
TEXT ·fwdU8Rows10AVX2(SB), NOSPLIT, $0-168
	FWD_ROWS10_AVX2

// func gradU8x10OneAVX2(x []uint8, offs []int, gp []float32, c []float32, cstride int, alpha, beta float32, t []float32, mode int)
TEXT ·gradU8x10OneAVX2(SB), NOSPLIT, $0-144
	GRAD_ONE_AVX2

// func gradU8x10BlkAVX2(x []uint8, offs []int, gp []float32, c []float32, cstride, nch int, alpha, beta float32, t []float32, mode int)
TEXT ·gradU8x10BlkAVX2(SB), NOSPLIT, $0-152
	GRAD_BLK_AVX2

// func fwdU8Rows10AVX512(x []uint8, index []int32, stride int, w []float32, wstride int, c []float32, cstride int, m, k int, alpha, beta float32, bias []float32)
TEXT ·fwdU8Rows10AVX512(SB), NOSPLIT, $16-168
	FWD_ROWS10_AVX512

// func gradU8x10BlkAVX512(x []uint8, offs []int, gp []float32, c []float32, cstride, nch int, alpha, beta float32, acc []float32, mode int)
TEXT ·gradU8x10BlkAVX512(SB), NOSPLIT, $0-152
	GRAD_BLK_AVX512

// func prefetchAVX2(p []uint8)
// Requires: SSE (PREFETCHT2)
// Asks for every cache line of p to be brought into L2 (PREFETCHT2: into L2
// and not L1, where the weights of the forward product live). A hint: it
// never faults, and touches no register state the caller sees.
// Register map: SI = &p[0], CX = len(p), AX = offset of the line.
TEXT ·prefetchAVX2(SB), NOSPLIT, $0-24
	MOVQ p_base+0(FP), SI
	MOVQ p_len+8(FP), CX
	XORQ AX, AX
	TESTQ CX, CX
	JZ   done

loop: // for AX < len(p): one line
	PREFETCHT2 (SI)(AX*1)
	ADDQ       $64, AX
	CMPQ       AX, CX
	JLT        loop

done:
	RET
