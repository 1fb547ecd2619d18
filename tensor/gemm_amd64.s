//go:build !purego

// The float32 GEMM micro-kernels (kernelSet.gemmTile in isa.go; the blocking
// is gemm.go's). docs/kernels.md ("The float32 GEMM") compares the tiles of
// every level.
//   - gemmTileAVX2: the 6x16 broadcast micro-kernel of BLIS
//     (bli_sgemm_haswell_asm_6x16, flame/blis kernels/haswell/3): C rows in
//     vector lanes, one broadcast of A per row and two vectors of B per step.
//   - gemmTileAVX512: the same widened to the 32 zmm registers, as BLIS'
//     bli_sgemm_skx_asm_32x12_l2 (flame/blis kernels/skx/3) with the roles of
//     A and B swapped: a 12x32 tile, two vectors of B and one broadcast of A
//     per row and step, 24 accumulators, 2 B registers and 6 broadcast
//     registers: 24 FMAs for 2 vector loads and 12 broadcasts, the fewest
//     loads per FMA of the tiles that fit (a 14x32 tile and embedded
//     broadcasts reach the same rate where loads are not the limit).
// No kernel reads or writes outside the panels its contract names.

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
