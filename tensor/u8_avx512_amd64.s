//go:build !purego

#include "textflag.h"

// AVX-512 kernels of the two uint8 products of a training step (the
// contracts of dotU8Rows10AVX2 and gradU8x10BlkAVX2 in gemm_amd64.s, for
// zmm registers and opmask tails). Both convert every pixel they load once
// (VPMOVZXBD + VCVTDQ2PS) and use it in ten FMAs, one per class: the
// conversion runs on the FMA/shuffle ports of Intel cores, so a tile that
// converted a pixel once per five classes would leave fewer slots for FMAs.
// No kernel reads or writes outside the slices its contract names: k and
// column tails are masked loads and stores (masked-off lanes do not fault).

// fwdPerm holds the VPERMT2PS indices of the horizontal sums of
// fwdU8Rows10AVX512 (16 int32 each): +0 the second level (lanes l and l+4
// of each half), +64 the fourth (lanes l and l+1), +128 and +192 the final
// places of rows i and i+1 (class j in lane j).
DATA ·fwdPerm<>+0(SB)/8, $0x0000000500000004
DATA ·fwdPerm<>+8(SB)/8, $0x0000000700000006
DATA ·fwdPerm<>+16(SB)/8, $0x0000001100000010
DATA ·fwdPerm<>+24(SB)/8, $0x0000001300000012
DATA ·fwdPerm<>+32(SB)/8, $0x0000000d0000000c
DATA ·fwdPerm<>+40(SB)/8, $0x0000000f0000000e
DATA ·fwdPerm<>+48(SB)/8, $0x0000001900000018
DATA ·fwdPerm<>+56(SB)/8, $0x0000001b0000001a
DATA ·fwdPerm<>+64(SB)/8, $0x0000001000000001
DATA ·fwdPerm<>+72(SB)/8, $0x0000001200000003
DATA ·fwdPerm<>+80(SB)/8, $0x0000001400000005
DATA ·fwdPerm<>+88(SB)/8, $0x0000001600000007
DATA ·fwdPerm<>+96(SB)/8, $0x0000001800000009
DATA ·fwdPerm<>+104(SB)/8, $0x0000001a0000000b
DATA ·fwdPerm<>+112(SB)/8, $0x0000001c0000000d
DATA ·fwdPerm<>+120(SB)/8, $0x0000001e0000000f
DATA ·fwdPerm<>+128(SB)/8, $0x0000000400000000
DATA ·fwdPerm<>+136(SB)/8, $0x0000000600000002
DATA ·fwdPerm<>+144(SB)/8, $0x0000000500000001
DATA ·fwdPerm<>+152(SB)/8, $0x0000000700000003
DATA ·fwdPerm<>+160(SB)/8, $0x0000001400000010
DATA ·fwdPerm<>+168(SB)/8, $0
DATA ·fwdPerm<>+176(SB)/8, $0
DATA ·fwdPerm<>+184(SB)/8, $0
DATA ·fwdPerm<>+192(SB)/8, $0x0000000c00000008
DATA ·fwdPerm<>+200(SB)/8, $0x0000000e0000000a
DATA ·fwdPerm<>+208(SB)/8, $0x0000000d00000009
DATA ·fwdPerm<>+216(SB)/8, $0x0000000f0000000b
DATA ·fwdPerm<>+224(SB)/8, $0x0000001c00000018
DATA ·fwdPerm<>+232(SB)/8, $0
DATA ·fwdPerm<>+240(SB)/8, $0
DATA ·fwdPerm<>+248(SB)/8, $0
GLOBL ·fwdPerm<>(SB), RODATA|NOPTR, $256

// FWD_PF is how many rows ahead of the pair being computed the forward
// kernel prefetches (even): rows i+4, i+5 while i, i+1 are computed. Two
// and six rows ahead measured the same with the data set in L3; four leaves
// twice the time of a pair for rows that come from DRAM.
#define FWD_PF 4

// FWD_W is one class of a 16-pixel step of fwdU8Rows10AVX512: W row j at
// (wr)(CX*4) into wt, then acc_i += x_i * wt and acc_i1 += x_{i+1} * wt
// (pixels in Z20, Z21).
#define FWD_W(wr, wt, acc0, acc1) \
	VMOVUPS     (wr)(CX*4), wt; \
	VFMADD231PS wt, Z20, acc0;  \
	VFMADD231PS wt, Z21, acc1

// FWD_WT is FWD_W for the k%16 tail: W's lanes past k masked to +0 (K1).
#define FWD_WT(wr, wt, acc0, acc1) \
	VMOVUPS.Z   (wr), K1, wt;  \
	VFMADD231PS wt, Z20, acc0; \
	VFMADD231PS wt, Z21, acc1

// FWD_L1 is the first level of the horizontal sums: a, b (rows i and i+1
// of one class) become a = [a_l + a_{l+8} | b_{l+8} + b_l] (l < 8).
#define FWD_L1(a, b) \
	VBLENDMPS  b, a, K2, Z22;  \
	VSHUFF32X4 $0x4E, b, a, b; \
	VADDPS     b, Z22, a

// FWD_L2 is the second level: c, d of the first become, in dst, per quarter
// [c row i, d row i, c row i+1, d row i+1], 4 lanes each: lanes l and l+4
// of each half of c and d summed (l < 4). t is a temporary.
#define FWD_L2(c, d, t, dst) \
	VBLENDMPS d, c, K3, t; \
	VPERMT2PS d, Z28, c;   \
	VADDPS    c, t, dst

// func fwdU8Rows10AVX512(x []uint8, index []int32, stride int, w []float32, wstride int, c []float32, cstride int, m, k int, alpha, beta float32, bias []float32)
// Requires: AVX512F
// For i < m and j < 10: c[i*cstride+j] = alpha*s + beta*c[i*cstride+j],
// s = sum_{p<k} float32(x[index[i]*stride+p]) * w[j*wstride+p], then
// + bias[j] if bias is not nil (three roundings, in that order); c is not
// read when beta is +-0. k >= 1, m >= 1.
// Tile: two rows (i, i+1; an odd last row is paired with itself and stored
// once) against all ten classes, 16 pixels per step: two conversions, ten W
// vectors each used by two FMAs. Lane l of an accumulator sums the pixels
// p = l (mod 16) in order; the last k%16 pixels go in one more step with
// the pixels and W loaded under the mask K1 (lanes past k are +0, nothing
// past k is read). The horizontal sums treat every accumulator alike
// (lanes l and l+8, then l+4, l+2, l+1, each a single rounded addition), so
// s depends on k and the row's own pixels only, not on the partner row,
// its position in the tile, m or the index.
// Prefetch (PREFETCHT2, into L2: W stays in L1): the rows FWD_PF and
// FWD_PF+1 ahead of the pair, one PREFETCHT2 per 16-pixel step of the loop,
// to each row in turn. (All of a pair's lines asked for at once, before the
// loop, measured slower: probably the misses to L3 held the line fill
// buffers that the loop's loads of the current rows from L2 need.) The
// first trips (i < 0) only prefetch rows 0..FWD_PF-1, all at once.
// Register map: R14 = i (starts at -FWD_PF), kept in i-8(SP) while the loop
// uses R14 as the prefetch address (pf-16(SP) = the XOR of the two rows'
// addresses, so XORQ switches R14 between them); SI, DI = &x_i[k16],
// &x_{i+1}[k16] (k16 = k&^15); AX, BX, R8, R9, R10, R11, R12, R13, R15, DX = &w_j[k16] for j = 0..9; CX = p-k16
// (negative) in the loop; Z0..Z9, Z10..Z19 = rows i, i+1 x classes 0..9;
// Z20, Z21 = pixels of rows i, i+1; Z22, Z23 = W; in the sums Z20..Z23 are
// temporaries and Z20, Z21 end as rows i, i+1 (class j in lane j);
// Z25 = bias (if any), Z26 = alpha, Z27 = beta, Z28..Z31 = fwdPerm; K1 =
// the k%16 tail, K2 = 0xff00, K3 = 0xf0f0, K4 = 0xcccc, K5 = 0xaaaa,
// K6 = 0x3ff (ten classes).
TEXT ·fwdU8Rows10AVX512(SB), NOSPLIT, $16-168
	MOVQ      k+128(FP), CX
	ANDQ      $15, CX
	MOVL      $1, AX
	SHLL      CX, AX
	DECL      AX
	KMOVW     AX, K1              // the k%16 tail (0: none)
	MOVL      $0xff00, AX
	KMOVW     AX, K2
	MOVL      $0xf0f0, AX
	KMOVW     AX, K3
	MOVL      $0xcccc, AX
	KMOVW     AX, K4
	MOVL      $0xaaaa, AX
	KMOVW     AX, K5
	MOVL      $0x3ff, AX
	KMOVW     AX, K6
	VMOVUPS   ·fwdPerm<>+0(SB), Z28
	VMOVUPS   ·fwdPerm<>+64(SB), Z29
	VMOVUPS   ·fwdPerm<>+128(SB), Z30
	VMOVUPS   ·fwdPerm<>+192(SB), Z31
	VBROADCASTSS alpha+136(FP), Z26
	VBROADCASTSS beta+140(FP), Z27
	MOVQ      bias_base+144(FP), AX
	TESTQ     AX, AX
	JZ        start
	VMOVUPS.Z (AX), K6, Z25       // bias[0:10]

start:
	MOVQ $-FWD_PF, R14

pair: // rows i, i+1; before the first pair (i < 0), prefetch rows
	// i+FWD_PF, i+FWD_PF+1 here, at once (those < m); from the first pair on,
	// the loop prefetches them
	MOVQ    m+120(FP), R12
	MOVQ    index_base+24(FP), R13
	MOVQ    x_base+0(FP), R11
	MOVQ    stride+48(FP), R10
	MOVQ    k+128(FP), R9
	TESTQ   R14, R14
	JNS     pfdone
	LEAQ    FWD_PF(R14), R8      // R8 = the row to prefetch
	LEAQ    FWD_PF+2(R14), DX
	CMPQ    DX, R12
	CMOVQGT R12, DX              // DX = min(i+FWD_PF+2, m)

pfrow:
	CMPQ    R8, DX
	JGE     pfdone
	MOVLQSX (R13)(R8*4), AX
	IMULQ   R10, AX
	ADDQ    R11, AX              // &x_r[0]
	LEAQ    (AX)(R9*1), BX       // &x_r[k]
	ANDQ    $-64, AX             // its first cache line

pfline:
	PREFETCHT2 (AX)
	ADDQ       $64, AX
	CMPQ       AX, BX
	JLT        pfline
	INCQ       R8
	JMP        pfrow

pfdone:
	TESTQ   R14, R14
	JS      next                 // i < 0: nothing to compute yet
	MOVQ    R14, i-8(SP)
	LEAQ    1(R14), AX
	DECQ    R12                  // m-1
	CMPQ    AX, R12
	CMOVQGT R12, AX              // min(i+1, m-1): i itself for an odd last row
	MOVLQSX (R13)(R14*4), SI
	MOVLQSX (R13)(AX*4), DI
	IMULQ   R10, SI
	IMULQ   R10, DI
	ADDQ    R11, SI              // &x_i[0]
	ADDQ    R11, DI              // &x_{i+1}[0]
	MOVQ    R9, CX
	ANDQ    $-16, CX             // k16
	ADDQ    CX, SI
	ADDQ    CX, DI
	// The rows to prefetch: r0 = i+FWD_PF, r1 = r0+1 (both at most m-1).
	// The loop prefetches r0 and r1 in turn, at byte p of the row at
	// pixel step p (CX = p-k16): each line twice, no line past the row's
	// k16 pixels; the line of the row's last pixel is asked for here.
	LEAQ    FWD_PF(R14), R8
	LEAQ    FWD_PF+1(R14), DX
	CMPQ    R8, R12
	CMOVQGT R12, R8
	CMPQ    DX, R12
	CMOVQGT R12, DX
	MOVLQSX (R13)(R8*4), R8
	MOVLQSX (R13)(DX*4), DX
	IMULQ   R10, R8
	IMULQ   R10, DX
	ADDQ    R11, R8              // &x_r0[0]
	ADDQ    R11, DX              // &x_r1[0]
	PREFETCHT2 -1(R8)(R9*1)      // x_r0[k-1]
	PREFETCHT2 -1(DX)(R9*1)      // x_r1[k-1]
	ADDQ    CX, R8               // &x_r0[k16]
	ADDQ    CX, DX               // &x_r1[k16]
	XORQ    R8, DX
	MOVQ    DX, pf-16(SP)        // R14 ^ pf-16(SP) switches between the rows
	MOVQ    R8, R14
	MOVQ    wstride+80(FP), DX
	SHLQ    $2, DX               // wstride in bytes
	MOVQ    w_base+56(FP), AX
	LEAQ    (AX)(CX*4), AX       // &w_0[k16]
	LEAQ    (AX)(DX*1), BX
	LEAQ    (BX)(DX*1), R8
	LEAQ    (R8)(DX*1), R9
	LEAQ    (R9)(DX*1), R10
	LEAQ    (R10)(DX*1), R11
	LEAQ    (R11)(DX*1), R12
	LEAQ    (R12)(DX*1), R13
	LEAQ    (R13)(DX*1), R15
	LEAQ    (R15)(DX*1), DX      // &w_9[k16]
	NEGQ    CX
	VPXORD  Z0, Z0, Z0
	VPXORD  Z1, Z1, Z1
	VPXORD  Z2, Z2, Z2
	VPXORD  Z3, Z3, Z3
	VPXORD  Z4, Z4, Z4
	VPXORD  Z5, Z5, Z5
	VPXORD  Z6, Z6, Z6
	VPXORD  Z7, Z7, Z7
	VPXORD  Z8, Z8, Z8
	VPXORD  Z9, Z9, Z9
	VPXORD  Z10, Z10, Z10
	VPXORD  Z11, Z11, Z11
	VPXORD  Z12, Z12, Z12
	VPXORD  Z13, Z13, Z13
	VPXORD  Z14, Z14, Z14
	VPXORD  Z15, Z15, Z15
	VPXORD  Z16, Z16, Z16
	VPXORD  Z17, Z17, Z17
	VPXORD  Z18, Z18, Z18
	VPXORD  Z19, Z19, Z19
	TESTQ   CX, CX
	JZ      tail

loop: // for CX < 0: pixels p .. p+15
	VPMOVZXBD (SI)(CX*1), Z20
	VPMOVZXBD (DI)(CX*1), Z21
	VCVTDQ2PS Z20, Z20
	VCVTDQ2PS Z21, Z21
	PREFETCHT2 (R14)(CX*1)       // byte p of row r0 or r1, in turn
	XORQ      pf-16(SP), R14
	FWD_W(AX, Z22, Z0, Z10)
	FWD_W(BX, Z23, Z1, Z11)
	FWD_W(R8, Z22, Z2, Z12)
	FWD_W(R9, Z23, Z3, Z13)
	FWD_W(R10, Z22, Z4, Z14)
	FWD_W(R11, Z23, Z5, Z15)
	FWD_W(R12, Z22, Z6, Z16)
	FWD_W(R13, Z23, Z7, Z17)
	FWD_W(R15, Z22, Z8, Z18)
	FWD_W(DX, Z23, Z9, Z19)
	ADDQ $16, CX
	JNZ  loop

tail: // the last k%16 pixels, if any, under K1
	KORTESTW    K1, K1
	JZ          reduce
	VPMOVZXBD.Z (SI), K1, Z20
	VPMOVZXBD.Z (DI), K1, Z21
	VCVTDQ2PS   Z20, Z20
	VCVTDQ2PS   Z21, Z21
	FWD_WT(AX, Z22, Z0, Z10)
	FWD_WT(BX, Z23, Z1, Z11)
	FWD_WT(R8, Z22, Z2, Z12)
	FWD_WT(R9, Z23, Z3, Z13)
	FWD_WT(R10, Z22, Z4, Z14)
	FWD_WT(R11, Z23, Z5, Z15)
	FWD_WT(R12, Z22, Z6, Z16)
	FWD_WT(R13, Z23, Z7, Z17)
	FWD_WT(R15, Z22, Z8, Z18)
	FWD_WT(DX, Z23, Z9, Z19)

reduce: // 20 accumulators to 20 sums, all reduced together
	FWD_L1(Z0, Z10)              // L_j = [row i | row i+1] class j, 8 lanes each
	FWD_L1(Z1, Z11)
	FWD_L1(Z2, Z12)
	FWD_L1(Z3, Z13)
	FWD_L1(Z4, Z14)
	FWD_L1(Z5, Z15)
	FWD_L1(Z6, Z16)
	FWD_L1(Z7, Z17)
	FWD_L1(Z8, Z18)
	FWD_L1(Z9, Z19)
	// M_q = per quarter [i class 2q, i class 2q+1, i+1 class 2q, i+1 class 2q+1], 4 lanes each
	FWD_L2(Z0, Z1, Z22, Z10)
	FWD_L2(Z2, Z3, Z23, Z11)
	FWD_L2(Z4, Z5, Z22, Z12)
	FWD_L2(Z6, Z7, Z23, Z13)
	FWD_L2(Z8, Z9, Z22, Z14)
	// third level, in each quarter: lanes l and l+2 (two lanes per sum)
	VBLENDMPS Z11, Z10, K4, Z22
	VSHUFPS   $0x4e, Z11, Z10, Z23
	VADDPS    Z23, Z22, Z15          // from M_0, M_1
	VBLENDMPS Z13, Z12, K4, Z22
	VSHUFPS   $0x4e, Z13, Z12, Z23
	VADDPS    Z23, Z22, Z16          // from M_2, M_3
	VSHUFPS   $0x4e, Z14, Z14, Z23
	VADDPS    Z23, Z14, Z17          // M_4 with itself
	// fourth level: lanes l and l+1
	VBLENDMPS Z16, Z15, K5, Z22
	VPERMT2PS Z16, Z29, Z15
	VADDPS    Z15, Z22, Z18          // 16 sums: classes 0-7 of both rows
	VPERMILPS $0xb1, Z17, Z23
	VADDPS    Z23, Z17, Z19          // classes 8, 9 of both rows (twice)
	VMOVAPS   Z18, Z20
	VPERMT2PS Z19, Z30, Z20          // row i, class j in lane j
	VPERMT2PS Z19, Z31, Z18
	VMOVAPS   Z18, Z21               // row i+1

	// Epilogue: c = alpha*s, plus beta*c unless beta is +-0, plus the bias;
	// row i+1 only if it is a row of its own (i+1 < m).
	MOVQ   i-8(SP), R14
	MOVQ   c_base+88(FP), BX
	MOVQ   cstride+112(FP), DX
	SHLQ   $2, DX
	MOVQ   DX, AX
	IMULQ  R14, AX
	ADDQ   AX, BX                 // &c[i*cstride]
	ADDQ   BX, DX                 // &c[(i+1)*cstride] (if i+1 < m)
	LEAQ   1(R14), CX             // i+1
	VMULPS Z26, Z20, Z20          // alpha*s
	VMULPS Z26, Z21, Z21
	MOVL   beta+140(FP), AX
	SHLL   $1, AX                 // drop the sign bit: zero for +-0
	JZ     nobeta
	VMULPS.Z (BX), Z27, K6, Z22   // beta*c, row i
	VADDPS   Z22, Z20, Z20
	CMPQ     CX, m+120(FP)
	JGE      nobeta
	VMULPS.Z (DX), Z27, K6, Z23   // row i+1
	VADDPS   Z23, Z21, Z21

nobeta:
	MOVQ    bias_base+144(FP), AX
	TESTQ   AX, AX
	JZ      store
	VADDPS  Z25, Z20, Z20
	VADDPS  Z25, Z21, Z21

store:
	VMOVUPS Z20, K6, (BX)
	CMPQ    CX, m+120(FP)
	JGE     next
	VMOVUPS Z21, K6, (DX)

next:
	ADDQ $2, R14
	CMPQ R14, m+120(FP)
	JLT  pair
	VZEROUPPER
	RET

// GRAD_ROW is one row of gradU8x10BlkAVX512: T[r][0:16] += pa * gp[off/4+r]
// and T[r][16:32] += pb * gp[off/4+r] for r < 10 (gp at DX), gp[off/4+r]
// broadcast from memory by each FMA (embedded broadcast: two loads of the
// same float instead of a VBROADCASTSS and two register FMAs: a third fewer
// instructions, and measured faster).
#define GRAD_ROW(off, pa, pb) \
	VFMADD231PS.BCST off(DX), pa, Z0; \
	VFMADD231PS.BCST off(DX), pb, Z10; \
	VFMADD231PS.BCST off+4(DX), pa, Z1; \
	VFMADD231PS.BCST off+4(DX), pb, Z11; \
	VFMADD231PS.BCST off+8(DX), pa, Z2; \
	VFMADD231PS.BCST off+8(DX), pb, Z12; \
	VFMADD231PS.BCST off+12(DX), pa, Z3; \
	VFMADD231PS.BCST off+12(DX), pb, Z13; \
	VFMADD231PS.BCST off+16(DX), pa, Z4; \
	VFMADD231PS.BCST off+16(DX), pb, Z14; \
	VFMADD231PS.BCST off+20(DX), pa, Z5; \
	VFMADD231PS.BCST off+20(DX), pb, Z15; \
	VFMADD231PS.BCST off+24(DX), pa, Z6; \
	VFMADD231PS.BCST off+24(DX), pb, Z16; \
	VFMADD231PS.BCST off+28(DX), pa, Z7; \
	VFMADD231PS.BCST off+28(DX), pb, Z17; \
	VFMADD231PS.BCST off+32(DX), pa, Z8; \
	VFMADD231PS.BCST off+32(DX), pb, Z18; \
	VFMADD231PS.BCST off+36(DX), pa, Z9; \
	VFMADD231PS.BCST off+36(DX), pb, Z19

// GRAD_PIX loads the tile's 32 pixels of the row at offset o of x (SI =
// the tile's first column) as float32: columns 0-15 in pa (K1), 16-31 in pb
// (K2); masked-off columns are +0 and not read.
#define GRAD_PIX(o, pa, pb) \
	VPMOVZXBD.Z (SI)(o*1), K1, pa;   \
	VPMOVZXBD.Z 16(SI)(o*1), K2, pb; \
	VCVTDQ2PS   pa, pa;              \
	VCVTDQ2PS   pb, pb

// GRAD_LOAD loads class r's sums from the acc tile at BX (a, b: columns
// 0-15, 16-31) and moves BX to the next class.
#define GRAD_LOAD(a, b) \
	VMOVUPS.Z (BX), K1, a;   \
	VMOVUPS.Z 64(BX), K2, b; \
	ADDQ      R14, BX

// GRAD_SAVE stores class r's sums to the acc tile at BX and moves BX on.
#define GRAD_SAVE(a, b) \
	VMOVUPS a, K1, (BX);   \
	VMOVUPS b, K2, 64(BX); \
	ADDQ    R14, BX

// GRAD_MERGE stores alpha*T + beta*c into class r's row of c at BX (a, b:
// alpha*T of columns 0-15, 16-31) and moves BX to the next class row.
#define GRAD_MERGE(a, b) \
	VMULPS.Z (BX), Z27, K1, Z22;   \
	VADDPS   Z22, a, a;            \
	VMULPS.Z 64(BX), Z27, K2, Z23; \
	VADDPS   Z23, b, b;            \
	VMOVUPS  a, K1, (BX);          \
	VMOVUPS  b, K2, 64(BX);        \
	ADDQ     R11, BX

// GRAD_STORE stores alpha*T into class r's row of c at BX (beta +-0: c is
// not read) and moves BX on.
#define GRAD_STORE(a, b) \
	VMOVUPS a, K1, (BX);   \
	VMOVUPS b, K2, 64(BX); \
	ADDQ    R11, BX

// func gradU8x10BlkAVX512(x []uint8, offs []int, gp []float32, c []float32, cstride, nch int, alpha, beta float32, acc []float32, mode int)
// Requires: AVX512F, AVX512BW (KMOVD, KSHIFTRD)
// The weight gradient of nch >= 1 chunks of 8 columns for ten classes over
// one block of m = len(offs) >= 1 rows: T[r][p] = sum over the rows
// i = 0, 1, ..., m-1 of gp[i*10+r] * float32(x[offs[i]+p]), one FMA per row
// in row order, starting from the earlier blocks' sums in acc (mode&1) or
// from +0; then, if mode&2 (the last block), c[r*cstride+p] = alpha*T +
// beta*c[r*cstride+p] (two roundings; c not read when beta is +-0),
// otherwise T goes back to acc. With mode = 2, acc is not touched.
// Tile: 32 columns (4 chunks) x 10 classes, two accumulators per class;
// per row two conversions of 16 pixels and twenty FMAs, gp[i*10+r]
// broadcast from memory (each of ten values in two FMAs). The last nch%4 chunks are a tile of 8, 16 or 24
// columns under the masks K1 (columns 0-15) and K2 (16-31): masked-off
// pixels, sums and elements of c are neither read nor written.
// acc layout: tile t (columns 32t..32t+31) at acc[320t:], class r's
// columns at acc[320t + r*w:][:w] with w the tile's width (32, or 8*nch%4
// for the last), so the sums use acc[:80*nch] exactly.
// Register map: SI = &x[32t], DI = &c[32t], R8 = &offs[m], R13 = m,
// R12 = chunks left, R11 = cstride in bytes, R15 = &acc[320t], R14 = w in
// bytes, BX = the class row of acc or c being loaded or stored; CX = i-m
// (negative), DX = &gp[10i], R9, R10 = offs[i], offs[i+1]; Z0..Z9 =
// T[r][32t:32t+16], Z10..Z19 = T[r][32t+16:32t+32]; Z20, Z21 and Z24, Z25 =
// pixels of rows i and i+1; Z22, Z23 = beta*c in the merge;
// Z26 = alpha, Z27 = beta.
TEXT ·gradU8x10BlkAVX512(SB), NOSPLIT, $0-152
	MOVQ x_base+0(FP), SI
	MOVQ offs_base+24(FP), R8
	MOVQ offs_len+32(FP), R13
	LEAQ (R8)(R13*8), R8         // &offs[m]
	MOVQ c_base+72(FP), DI
	MOVQ cstride+96(FP), R11
	SHLQ $2, R11                 // cstride in bytes
	MOVQ nch+104(FP), R12
	MOVQ acc_base+120(FP), R15
	VBROADCASTSS alpha+112(FP), Z26
	VBROADCASTSS beta+116(FP), Z27

gtile: // columns 32t .. 32t+w-1, w = 8*min(4, chunks left)
	MOVL    $4, CX
	CMPQ    R12, CX
	CMOVQLT R12, CX
	SHLQ    $3, CX               // w
	LEAQ    (CX*4), R14          // w in bytes: a class of the acc tile
	MOVL    $1, AX
	SHLQ    CX, AX
	DECQ    AX                   // w ones
	KMOVD   AX, K1               // columns 0-15
	KSHIFTRD $16, K1, K2          // columns 16-31
	MOVQ    mode+144(FP), AX
	TESTQ   $1, AX
	JZ      gzero
	MOVQ    R15, BX
	GRAD_LOAD(Z0, Z10)           // class 0
	GRAD_LOAD(Z1, Z11)
	GRAD_LOAD(Z2, Z12)
	GRAD_LOAD(Z3, Z13)
	GRAD_LOAD(Z4, Z14)
	GRAD_LOAD(Z5, Z15)
	GRAD_LOAD(Z6, Z16)
	GRAD_LOAD(Z7, Z17)
	GRAD_LOAD(Z8, Z18)
	GRAD_LOAD(Z9, Z19)           // class 9
	JMP     grows

gzero:
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	VPXORD Z12, Z12, Z12
	VPXORD Z13, Z13, Z13
	VPXORD Z14, Z14, Z14
	VPXORD Z15, Z15, Z15
	VPXORD Z16, Z16, Z16
	VPXORD Z17, Z17, Z17
	VPXORD Z18, Z18, Z18
	VPXORD Z19, Z19, Z19

grows:
	MOVQ  gp_base+48(FP), DX
	MOVQ  R13, CX
	NEGQ  CX                     // CX = i-m with i = 0
	TESTQ $1, CX
	JZ    geven                  // m even
	MOVQ  (R8)(CX*8), R9         // offs[0]
	GRAD_PIX(R9, Z20, Z21)
	GRAD_ROW(0, Z20, Z21)        // row 0 alone
	ADDQ  $40, DX                // gp += 10
	INCQ  CX

geven: // the rest is an even number of rows
	TESTQ CX, CX
	JZ    gend

gloop: // for CX < 0: rows i and i+1
	MOVQ (R8)(CX*8), R9          // offs[i]
	MOVQ 8(R8)(CX*8), R10        // offs[i+1]
	GRAD_PIX(R9, Z20, Z21)
	GRAD_PIX(R10, Z24, Z25)
	GRAD_ROW(0, Z20, Z21)        // row i
	GRAD_ROW(40, Z24, Z25)       // row i+1
	ADDQ $80, DX                 // gp += 20
	ADDQ $2, CX
	JNZ  gloop

gend: // keep the sums for the next block, or merge them into c
	MOVQ  mode+144(FP), AX
	TESTQ $2, AX
	JNZ   gfinal
	MOVQ  R15, BX
	GRAD_SAVE(Z0, Z10)           // class 0
	GRAD_SAVE(Z1, Z11)
	GRAD_SAVE(Z2, Z12)
	GRAD_SAVE(Z3, Z13)
	GRAD_SAVE(Z4, Z14)
	GRAD_SAVE(Z5, Z15)
	GRAD_SAVE(Z6, Z16)
	GRAD_SAVE(Z7, Z17)
	GRAD_SAVE(Z8, Z18)
	GRAD_SAVE(Z9, Z19)           // class 9
	JMP   gnext

gfinal: // c rows 0..9, the tile's columns: alpha*T + beta*c
	VMULPS Z26, Z0, Z0
	VMULPS Z26, Z1, Z1
	VMULPS Z26, Z2, Z2
	VMULPS Z26, Z3, Z3
	VMULPS Z26, Z4, Z4
	VMULPS Z26, Z5, Z5
	VMULPS Z26, Z6, Z6
	VMULPS Z26, Z7, Z7
	VMULPS Z26, Z8, Z8
	VMULPS Z26, Z9, Z9
	VMULPS Z26, Z10, Z10
	VMULPS Z26, Z11, Z11
	VMULPS Z26, Z12, Z12
	VMULPS Z26, Z13, Z13
	VMULPS Z26, Z14, Z14
	VMULPS Z26, Z15, Z15
	VMULPS Z26, Z16, Z16
	VMULPS Z26, Z17, Z17
	VMULPS Z26, Z18, Z18
	VMULPS Z26, Z19, Z19
	MOVQ   DI, BX
	MOVL   beta+116(FP), AX
	SHLL   $1, AX                // drop the sign bit: zero for beta = +-0
	JZ     gstore
	GRAD_MERGE(Z0, Z10)          // class 0
	GRAD_MERGE(Z1, Z11)
	GRAD_MERGE(Z2, Z12)
	GRAD_MERGE(Z3, Z13)
	GRAD_MERGE(Z4, Z14)
	GRAD_MERGE(Z5, Z15)
	GRAD_MERGE(Z6, Z16)
	GRAD_MERGE(Z7, Z17)
	GRAD_MERGE(Z8, Z18)
	GRAD_MERGE(Z9, Z19)          // class 9
	JMP    gnext

gstore:
	GRAD_STORE(Z0, Z10)          // class 0
	GRAD_STORE(Z1, Z11)
	GRAD_STORE(Z2, Z12)
	GRAD_STORE(Z3, Z13)
	GRAD_STORE(Z4, Z14)
	GRAD_STORE(Z5, Z15)
	GRAD_STORE(Z6, Z16)
	GRAD_STORE(Z7, Z17)
	GRAD_STORE(Z8, Z18)
	GRAD_STORE(Z9, Z19)          // class 9

gnext:
	ADDQ $32, SI                 // the next 32 columns of every row
	ADDQ $128, DI
	ADDQ $1280, R15              // the next acc tile
	SUBQ $4, R12
	JG   gtile
	VZEROUPPER
	RET
