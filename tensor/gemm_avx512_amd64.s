//go:build !purego

// AVX-512 register-blocked GEMM micro-kernel and the AVX-512 peak probe.
//   - gemmTileAVX512: the broadcast micro-kernel of gemmTileAVX2 (BLIS'
//     bli_sgemm_haswell_asm_6x16) widened to the 32 zmm registers, as BLIS'
//     bli_sgemm_skx_asm_32x12_l2 (flame/blis kernels/skx/3) does with the
//     roles of A and B swapped: a 12x32 tile, C rows in the lanes, two
//     vectors of B and one broadcast of A per row and step, so 24
//     accumulators, 2 B registers and 6 broadcast registers. Each step does
//     24 FMAs for 2 vector loads and 12 broadcast loads. A 14x32 tile (28
//     accumulators) and embedded broadcasts (VFMADD231PS.BCST, one load per
//     FMA) ran no faster on an Intel core: all of them reach the FMA peak in
//     L1 and L2. This one has the fewest loads per FMA, which leaves room on
//     cores with fewer load ports.
//   - fmaLoopAVX512: the peak probe, 16 independent zmm FMA chains.

#include "textflag.h"

// GEMM_STEP16 is one step p of gemmTileAVX512: C[i][0:32] += A[p][i] *
// B[p][0:32] for i < 12, with A[p] at ao(AX) and B[p] at bo(BX). The
// broadcasts of A rotate over Z2-Z7, so that six are in flight at a time.
#define GEMM_STEP16(ao, bo) \
	VMOVUPS      bo(BX), Z0;           \
	VMOVUPS      bo+64(BX), Z1;        \
	VBROADCASTSS ao+0(AX), Z2;         \
	VFMADD231PS  Z0, Z2, Z8;           \
	VFMADD231PS  Z1, Z2, Z9;           \
	VBROADCASTSS ao+4(AX), Z3;         \
	VFMADD231PS  Z0, Z3, Z10;          \
	VFMADD231PS  Z1, Z3, Z11;          \
	VBROADCASTSS ao+8(AX), Z4;         \
	VFMADD231PS  Z0, Z4, Z12;          \
	VFMADD231PS  Z1, Z4, Z13;          \
	VBROADCASTSS ao+12(AX), Z5;        \
	VFMADD231PS  Z0, Z5, Z14;          \
	VFMADD231PS  Z1, Z5, Z15;          \
	VBROADCASTSS ao+16(AX), Z6;        \
	VFMADD231PS  Z0, Z6, Z16;          \
	VFMADD231PS  Z1, Z6, Z17;          \
	VBROADCASTSS ao+20(AX), Z7;        \
	VFMADD231PS  Z0, Z7, Z18;          \
	VFMADD231PS  Z1, Z7, Z19;          \
	VBROADCASTSS ao+24(AX), Z2;        \
	VFMADD231PS  Z0, Z2, Z20;          \
	VFMADD231PS  Z1, Z2, Z21;          \
	VBROADCASTSS ao+28(AX), Z3;        \
	VFMADD231PS  Z0, Z3, Z22;          \
	VFMADD231PS  Z1, Z3, Z23;          \
	VBROADCASTSS ao+32(AX), Z4;        \
	VFMADD231PS  Z0, Z4, Z24;          \
	VFMADD231PS  Z1, Z4, Z25;          \
	VBROADCASTSS ao+36(AX), Z5;        \
	VFMADD231PS  Z0, Z5, Z26;          \
	VFMADD231PS  Z1, Z5, Z27;          \
	VBROADCASTSS ao+40(AX), Z6;        \
	VFMADD231PS  Z0, Z6, Z28;          \
	VFMADD231PS  Z1, Z6, Z29;          \
	VBROADCASTSS ao+44(AX), Z7;        \
	VFMADD231PS  Z0, Z7, Z30;          \
	VFMADD231PS  Z1, Z7, Z31

// func gemmTileAVX512(k int, ap, bp, tile []float32)
// Requires: AVX512F
// tile[i*32+j] = sum_{p<k} ap[p*12+i] * bp[p*32+j] for i < 12, j < 32; reads
// ap[:12k] and bp[:32k], writes tile[:384]. k <= 0 writes zeros.
// Register map: AX = &ap[12p], BX = &bp[32p], DX = &tile, R8 = groups of four
// steps left, CX = single steps left (k%4);
// Z0, Z1 = B[p][0:16], B[p][16:32]; Z2-Z7 = broadcasts of A[p][i];
// Z8+2i, Z9+2i = C row i, columns 0-15 and 16-31 (24 independent
// accumulators).
// Loop: four steps of k per iteration (96 FMAs), then k%4 single steps, so
// nothing past ap[12k] or bp[32k] is read (no masks needed: every load is a
// whole step of a panel).
TEXT ·gemmTileAVX512(SB), NOSPLIT, $0-80
	MOVQ   k+0(FP), CX
	MOVQ   ap_base+8(FP), AX
	MOVQ   bp_base+32(FP), BX
	MOVQ   tile_base+56(FP), DX
	VXORPS Z8, Z8, Z8
	VXORPS Z9, Z9, Z9
	VXORPS Z10, Z10, Z10
	VXORPS Z11, Z11, Z11
	VXORPS Z12, Z12, Z12
	VXORPS Z13, Z13, Z13
	VXORPS Z14, Z14, Z14
	VXORPS Z15, Z15, Z15
	VXORPS Z16, Z16, Z16
	VXORPS Z17, Z17, Z17
	VXORPS Z18, Z18, Z18
	VXORPS Z19, Z19, Z19
	VXORPS Z20, Z20, Z20
	VXORPS Z21, Z21, Z21
	VXORPS Z22, Z22, Z22
	VXORPS Z23, Z23, Z23
	VXORPS Z24, Z24, Z24
	VXORPS Z25, Z25, Z25
	VXORPS Z26, Z26, Z26
	VXORPS Z27, Z27, Z27
	VXORPS Z28, Z28, Z28
	VXORPS Z29, Z29, Z29
	VXORPS Z30, Z30, Z30
	VXORPS Z31, Z31, Z31
	CMPQ   CX, $1
	JLT    store          // k <= 0: the tile is zero
	MOVQ   CX, R8
	SHRQ   $2, R8         // R8 = k / 4
	ANDQ   $3, CX         // CX = k % 4
	TESTQ  R8, R8
	JZ     tail

loop4: // for R8 > 0: steps p .. p+3
	GEMM_STEP16(0, 0)
	GEMM_STEP16(48, 128)
	GEMM_STEP16(96, 256)
	GEMM_STEP16(144, 384)
	ADDQ $192, AX         // ap += 4*12
	ADDQ $512, BX         // bp += 4*32
	DECQ R8
	JNZ  loop4

tail:
	TESTQ CX, CX
	JZ    store

loop1: // for CX > 0: step p alone (the last k%4 steps)
	GEMM_STEP16(0, 0)
	ADDQ $48, AX          // ap += 12
	ADDQ $128, BX         // bp += 32
	DECQ CX
	JNZ  loop1

store:
	VMOVUPS Z8, 0(DX)          // tile row 0
	VMOVUPS Z9, 64(DX)
	VMOVUPS Z10, 128(DX)       // tile row 1
	VMOVUPS Z11, 192(DX)
	VMOVUPS Z12, 256(DX)       // tile row 2
	VMOVUPS Z13, 320(DX)
	VMOVUPS Z14, 384(DX)       // tile row 3
	VMOVUPS Z15, 448(DX)
	VMOVUPS Z16, 512(DX)       // tile row 4
	VMOVUPS Z17, 576(DX)
	VMOVUPS Z18, 640(DX)       // tile row 5
	VMOVUPS Z19, 704(DX)
	VMOVUPS Z20, 768(DX)       // tile row 6
	VMOVUPS Z21, 832(DX)
	VMOVUPS Z22, 896(DX)       // tile row 7
	VMOVUPS Z23, 960(DX)
	VMOVUPS Z24, 1024(DX)      // tile row 8
	VMOVUPS Z25, 1088(DX)
	VMOVUPS Z26, 1152(DX)      // tile row 9
	VMOVUPS Z27, 1216(DX)
	VMOVUPS Z28, 1280(DX)      // tile row 10
	VMOVUPS Z29, 1344(DX)
	VMOVUPS Z30, 1408(DX)      // tile row 11
	VMOVUPS Z31, 1472(DX)
	VZEROUPPER
	RET

#define FMA16 \
	VFMADD231PS Z16, Z17, Z0  \
	VFMADD231PS Z16, Z17, Z1  \
	VFMADD231PS Z16, Z17, Z2  \
	VFMADD231PS Z16, Z17, Z3  \
	VFMADD231PS Z16, Z17, Z4  \
	VFMADD231PS Z16, Z17, Z5  \
	VFMADD231PS Z16, Z17, Z6  \
	VFMADD231PS Z16, Z17, Z7  \
	VFMADD231PS Z16, Z17, Z8  \
	VFMADD231PS Z16, Z17, Z9  \
	VFMADD231PS Z16, Z17, Z10 \
	VFMADD231PS Z16, Z17, Z11 \
	VFMADD231PS Z16, Z17, Z12 \
	VFMADD231PS Z16, Z17, Z13 \
	VFMADD231PS Z16, Z17, Z14 \
	VFMADD231PS Z16, Z17, Z15

// func fmaLoopAVX512(n int)
// Requires: AVX512F
// Register map: CX = iterations left, Z0-Z15 = the 16 accumulators,
// Z16, Z17 = the factors. All start at zero (0*0 + 0 stays 0: no
// subnormals, and the FMA latency does not depend on the values).
// Tail: none; n <= 0 runs nothing.
TEXT ·fmaLoopAVX512(SB), NOSPLIT, $0-8
	MOVQ   n+0(FP), CX
	TESTQ  CX, CX
	JLE    done
	VXORPS Z0, Z0, Z0
	VXORPS Z1, Z1, Z1
	VXORPS Z2, Z2, Z2
	VXORPS Z3, Z3, Z3
	VXORPS Z4, Z4, Z4
	VXORPS Z5, Z5, Z5
	VXORPS Z6, Z6, Z6
	VXORPS Z7, Z7, Z7
	VXORPS Z8, Z8, Z8
	VXORPS Z9, Z9, Z9
	VXORPS Z10, Z10, Z10
	VXORPS Z11, Z11, Z11
	VXORPS Z12, Z12, Z12
	VXORPS Z13, Z13, Z13
	VXORPS Z14, Z14, Z14
	VXORPS Z15, Z15, Z15
	VXORPS Z16, Z16, Z16
	VXORPS Z17, Z17, Z17

loop: // for ; CX > 0; CX--
	FMA16
	DECQ CX
	JNZ  loop
	VZEROUPPER

done:
	RET
