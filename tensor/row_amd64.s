//go:build !purego

// One image against all classes (Predict): dotU8RowAVX512 and dotU8RowAVX2,
// the contract "dotU8Row" (row_amd64.go):
//   z[j] = float32(alpha*s_j) + bias[j] for j < n = len(z),
//   s_j  = sum_{p<k} float32(x[p]) * w[j*wstride+p], k = len(x).
// Design: a dot product along k ("rd", as dotU8x2x5AVX2) with the classes in
// groups of 10: one accumulator per class, the pixels of x widened in
// registers (VPMOVZXBD + VCVTDQ2PS) once per step and used by the 10 FMAs
// (W rows as memory operands), so x is read once per group. A group's
// rows are W rows j0..j0+9 clamped to the last real row (n-1), so a last
// group of n%10 classes reads only real rows; only its real classes are
// stored. The sums are a fixed tree of the lanes that depends only on k.
// Row pointers: one per class, indexed by the pixel count DI (x at DI,
// W at 4*DI), so the loop advances one register. Every cache line of x is
// prefetched at entry, so that the misses of an image not in cache overlap
// (measured: a tenth less time on images in random order; no change on
// images in cache or in sequence). A second set of 10 accumulators (32
// pixels per step) measured no faster.

#include "textflag.h"

// ROWPTR sets r = &w[min(j0+i, n-1)*wstride] with j0 in CX, n-1 in SI and
// 4*wstride in DI.
#define ROWPTR(i, r) \
	LEAQ    i(CX), r; \
	CMPQ    r, SI; \
	CMOVQGT SI, r; \
	IMULQ   DI, r; \
	ADDQ    w_base+24(FP), r

// ROWPTRS sets the 10 row pointers AX, BX, DX, R8-R14 of the group at
// j0 = 0(SP).
#define ROWPTRS \
	MOVQ z_len+96(FP), SI; \
	DECQ SI; \
	MOVQ wstride+48(FP), DI; \
	SHLQ $2, DI; \
	MOVQ 0(SP), CX; \
	ROWPTR(0, AX); \
	ROWPTR(1, BX); \
	ROWPTR(2, DX); \
	ROWPTR(3, R8); \
	ROWPTR(4, R9); \
	ROWPTR(5, R10); \
	ROWPTR(6, R11); \
	ROWPTR(7, R12); \
	ROWPTR(8, R13); \
	ROWPTR(9, R14)

// ROWFMA512 is one step of 16 pixels (converted in Z10) against the 10 rows
// at DI.
#define ROWFMA512 \
	VFMADD231PS (AX)(DI*4), Z10, Z0; \
	VFMADD231PS (BX)(DI*4), Z10, Z1; \
	VFMADD231PS (DX)(DI*4), Z10, Z2; \
	VFMADD231PS (R8)(DI*4), Z10, Z3; \
	VFMADD231PS (R9)(DI*4), Z10, Z4; \
	VFMADD231PS (R10)(DI*4), Z10, Z5; \
	VFMADD231PS (R11)(DI*4), Z10, Z6; \
	VFMADD231PS (R12)(DI*4), Z10, Z7; \
	VFMADD231PS (R13)(DI*4), Z10, Z8; \
	VFMADD231PS (R14)(DI*4), Z10, Z9

// ROWFMA512K is ROWFMA512 under the opmask K1 (lanes past K1 unchanged,
// their W not read).
#define ROWFMA512K \
	VFMADD231PS (AX)(DI*4), Z10, K1, Z0; \
	VFMADD231PS (BX)(DI*4), Z10, K1, Z1; \
	VFMADD231PS (DX)(DI*4), Z10, K1, Z2; \
	VFMADD231PS (R8)(DI*4), Z10, K1, Z3; \
	VFMADD231PS (R9)(DI*4), Z10, K1, Z4; \
	VFMADD231PS (R10)(DI*4), Z10, K1, Z5; \
	VFMADD231PS (R11)(DI*4), Z10, K1, Z6; \
	VFMADD231PS (R12)(DI*4), Z10, K1, Z7; \
	VFMADD231PS (R13)(DI*4), Z10, K1, Z8; \
	VFMADD231PS (R14)(DI*4), Z10, K1, Z9

// func dotU8RowAVX512(x []uint8, w []float32, wstride int, alpha float32, bias []float32, z []float32)
// Requires: AVX512F, AVX512BW
// z[j] = float32(alpha*s_j) + bias[j] for j < n = len(z) (two roundings),
// s_j = sum_{p<k} float32(x[p]) * w[j*wstride+p], k = len(x) >= 1, n >= 1,
// len(bias) >= n, w[:(n-1)*wstride+k] in bounds (not checked).
// Per group of 10 classes j0..j0+9: 16 pixels per step, s_j in the 16
// lanes of Z_j (lane l: the pixels p = l mod 16, in order); the k%16 last
// pixels in one more step with a zeroing masked load of x and masked FMAs
// (W's lanes past k are neither read nor added). Then the lanes are summed
// by a tree (halves, then quarters, then pairs of lanes), 10 classes at
// once, and the 10 sums permuted into order; z and bias are accessed under
// the mask of the group's real classes.
// Register map: AX, BX, DX, R8-R14 = W rows j0..j0+9 (clamped), SI = &x[0],
// DI = p, CX = k&^15, R15 = scratch; Z0-Z9 = the classes' lane sums,
// Z10 = 16 pixels as float32, Z10-Z19 = the tree; K1 = the pixel tail,
// K2 = the group's real classes. Stack: 0 = j0.
TEXT ·dotU8RowAVX512(SB), NOSPLIT, $8-112
	MOVQ $0, 0(SP)

row512Group: // classes j0 .. min(j0+10, n)-1
	ROWPTRS
	MOVQ   x_base+0(FP), SI
	MOVQ   x_len+8(FP), CX
	CMPQ   0(SP), $0
	JNE    row512Zero
	XORQ   DI, DI

row512Prefetch: // the first group: ask for every cache line of x at once
	// (k >= 1), so that the misses of an image not in cache overlap
	PREFETCHT0 (SI)(DI*1)
	ADDQ       $64, DI
	CMPQ       DI, CX
	JB         row512Prefetch

row512Zero:
	ANDQ   $-16, CX
	XORQ   DI, DI
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
	TESTQ  CX, CX
	JZ     row512Tail

row512Loop: // for DI < k&^15: pixels DI..DI+15
	VPMOVZXBD (SI)(DI*1), Z10
	VCVTDQ2PS Z10, Z10
	ROWFMA512
	ADDQ      $16, DI
	CMPQ      DI, CX
	JB        row512Loop

row512Tail: // the last k%16 pixels, if any
	MOVQ       x_len+8(FP), CX
	ANDQ       $15, CX
	JZ         row512Reduce
	LEAQ       rowMask16<>(SB), R15
	KMOVW      (R15)(CX*2), K1       // lanes < k%16
	VMOVDQU8.Z (SI)(DI*1), K1, X10
	VPMOVZXBD  X10, Z10
	VCVTDQ2PS  Z10, Z10
	ROWFMA512K

row512Reduce: // the tree: 8 lanes (halves), 4 (quarters), then pairs
	VSHUFF32X4 $0x44, Z1, Z0, Z10    // [c0 lo | c1 lo]
	VSHUFF32X4 $0xEE, Z1, Z0, Z11    // [c0 hi | c1 hi]
	VADDPS     Z11, Z10, Z10         // T0 = [c0 | c1], 8 lanes each
	VSHUFF32X4 $0x44, Z3, Z2, Z12
	VSHUFF32X4 $0xEE, Z3, Z2, Z13
	VADDPS     Z13, Z12, Z12         // T1 = [c2 | c3]
	VSHUFF32X4 $0x44, Z5, Z4, Z14
	VSHUFF32X4 $0xEE, Z5, Z4, Z15
	VADDPS     Z15, Z14, Z14         // T2 = [c4 | c5]
	VSHUFF32X4 $0x44, Z7, Z6, Z16
	VSHUFF32X4 $0xEE, Z7, Z6, Z17
	VADDPS     Z17, Z16, Z16         // T3 = [c6 | c7]
	VSHUFF32X4 $0x44, Z9, Z8, Z18
	VSHUFF32X4 $0xEE, Z9, Z8, Z19
	VADDPS     Z19, Z18, Z18         // T4 = [c8 | c9]
	VSHUFF32X4 $0x88, Z12, Z10, Z0
	VSHUFF32X4 $0xDD, Z12, Z10, Z1
	VADDPS     Z1, Z0, Z0            // U: quarter q = class q, 4 lanes
	VSHUFF32X4 $0x88, Z16, Z14, Z2
	VSHUFF32X4 $0xDD, Z16, Z14, Z3
	VADDPS     Z3, Z2, Z2            // V: quarter q = class 4+q
	VSHUFF32X4 $0x88, Z18, Z18, Z4
	VSHUFF32X4 $0xDD, Z18, Z18, Z5
	VADDPS     Z5, Z4, Z4            // X: quarters = classes 8, 9, 8, 9
	VSHUFPS    $0x88, Z2, Z0, Z5
	VSHUFPS    $0xDD, Z2, Z0, Z6
	VADDPS     Z6, Z5, Z5            // per quarter: U pairs, V pairs
	VSHUFPS    $0x88, Z4, Z4, Z6
	VSHUFPS    $0xDD, Z4, Z4, Z7
	VADDPS     Z7, Z6, Z6            // X pairs
	VSHUFPS    $0x88, Z6, Z5, Z7
	VSHUFPS    $0xDD, Z6, Z5, Z8
	VADDPS     Z8, Z7, Z7            // quarter q: [c_q, c_4+q, c_8+(q&1), -]
	VMOVDQU32  rowPerm512<>(SB), Z11
	VPERMPS    Z7, Z11, Z7           // lanes 0-9: s_0 .. s_9
	VBROADCASTSS alpha+56(FP), Z12
	VMULPS     Z12, Z7, Z7           // alpha*s
	MOVQ       z_len+96(FP), CX
	MOVQ       0(SP), R15
	SUBQ       R15, CX               // classes left
	MOVQ       $10, AX
	CMPQ       CX, AX
	CMOVQGT    AX, CX                // the group's real classes
	LEAQ       rowMask16<>(SB), AX
	KMOVW      (AX)(CX*2), K2
	MOVQ       bias_base+64(FP), AX
	VMOVUPS.Z  (AX)(R15*4), K2, Z12
	VADDPS     Z12, Z7, Z7           // + bias
	MOVQ       z_base+88(FP), AX
	VMOVUPS    Z7, K2, (AX)(R15*4)
	ADDQ       $10, R15
	MOVQ       R15, 0(SP)
	CMPQ       R15, z_len+96(FP)
	JLT        row512Group
	VZEROUPPER
	RET

// ROWFMA256 is one step of 8 pixels (converted in Y10) against the 10 rows
// at DI.
#define ROWFMA256 \
	VFMADD231PS (AX)(DI*4), Y10, Y0; \
	VFMADD231PS (BX)(DI*4), Y10, Y1; \
	VFMADD231PS (DX)(DI*4), Y10, Y2; \
	VFMADD231PS (R8)(DI*4), Y10, Y3; \
	VFMADD231PS (R9)(DI*4), Y10, Y4; \
	VFMADD231PS (R10)(DI*4), Y10, Y5; \
	VFMADD231PS (R11)(DI*4), Y10, Y6; \
	VFMADD231PS (R12)(DI*4), Y10, Y7; \
	VFMADD231PS (R13)(DI*4), Y10, Y8; \
	VFMADD231PS (R14)(DI*4), Y10, Y9

// ROWTAIL256 adds the pixels in Y10 times W row r at DI, with W's lanes
// masked by Y15 (the pixels already counted add +0), to acc.
#define ROWTAIL256(r, acc) \
	VANDPS      (r)(DI*4), Y15, Y11; \
	VFMADD231PS Y11, Y10, acc

// func dotU8RowAVX2(x []uint8, w []float32, wstride int, alpha float32, bias []float32, z []float32)
// Requires: AVX2, FMA
// As dotU8RowAVX512 with k = len(x) >= 8 (the caller handles k < 8).
// 8 pixels per step; the last k%8 pixels in one more step over the 8 that
// end at k, with W's lanes of the pixels already counted masked to +0 (as
// dotU8Rows10AVX2's tail), so every load stays in x and in the W rows.
// The lanes are summed by a tree (halves, then two VHADDPS), and the 8 first
// sums permuted into order; a group of 10 real classes stores 8 + 2
// values, a last partial group stores its classes under VMASKMOVPS (and
// one VMOVSS for a ninth class).
// Register map: AX, BX, DX, R8-R14 = W rows j0..j0+9 (clamped), SI = &x[0],
// DI = p, CX = k&^7, R15 = scratch; Y0-Y9 = the classes' lane sums,
// Y10 = 8 pixels as float32, Y11 = masked W, Y15 = the tail mask,
// Y10-Y15 and Y0-Y5 = the tree. Stack: 0 = j0.
TEXT ·dotU8RowAVX2(SB), NOSPLIT, $8-112
	MOVQ $0, 0(SP)

row256Group: // classes j0 .. min(j0+10, n)-1
	ROWPTRS
	MOVQ   x_base+0(FP), SI
	MOVQ   x_len+8(FP), CX
	CMPQ   0(SP), $0
	JNE    row256Zero
	XORQ   DI, DI

row256Prefetch: // the first group: ask for every cache line of x at once
	// (k >= 8), so that the misses of an image not in cache overlap
	PREFETCHT0 (SI)(DI*1)
	ADDQ       $64, DI
	CMPQ       DI, CX
	JB         row256Prefetch

row256Zero:
	ANDQ   $-8, CX
	XORQ   DI, DI
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

row256Loop: // for DI < k&^7 (k >= 8: at least once): pixels DI..DI+7
	VPMOVZXBD (SI)(DI*1), Y10
	VCVTDQ2PS Y10, Y10
	ROWFMA256
	ADDQ      $8, DI
	CMPQ      DI, CX
	JB        row256Loop

	// the last k%8 pixels, if any: the 8 that end at k, W masked
	MOVQ      x_len+8(FP), CX
	ANDQ      $7, CX                 // kt
	JZ        row256Reduce
	LEAQ      rowTail8<>(SB), R15
	VMOVDQU   (R15)(CX*4), Y15       // lane l: all ones if l >= 8-kt
	MOVQ      x_len+8(FP), DI
	SUBQ      $8, DI                 // p = k-8
	VPMOVZXBD (SI)(DI*1), Y10
	VCVTDQ2PS Y10, Y10
	ROWTAIL256(AX, Y0)
	ROWTAIL256(BX, Y1)
	ROWTAIL256(DX, Y2)
	ROWTAIL256(R8, Y3)
	ROWTAIL256(R9, Y4)
	ROWTAIL256(R10, Y5)
	ROWTAIL256(R11, Y6)
	ROWTAIL256(R12, Y7)
	ROWTAIL256(R13, Y8)
	ROWTAIL256(R14, Y9)

row256Reduce: // halves, then two VHADDPS
	VPERM2F128 $0x20, Y1, Y0, Y10    // [c0 lo | c1 lo]
	VPERM2F128 $0x31, Y1, Y0, Y11
	VADDPS     Y11, Y10, Y10         // T0 = [c0 | c1], 4 lanes each
	VPERM2F128 $0x20, Y3, Y2, Y12
	VPERM2F128 $0x31, Y3, Y2, Y13
	VADDPS     Y13, Y12, Y12         // T1 = [c2 | c3]
	VPERM2F128 $0x20, Y5, Y4, Y14
	VPERM2F128 $0x31, Y5, Y4, Y15
	VADDPS     Y15, Y14, Y14         // T2 = [c4 | c5]
	VPERM2F128 $0x20, Y7, Y6, Y0
	VPERM2F128 $0x31, Y7, Y6, Y1
	VADDPS     Y1, Y0, Y0            // T3 = [c6 | c7]
	VPERM2F128 $0x20, Y9, Y8, Y2
	VPERM2F128 $0x31, Y9, Y8, Y3
	VADDPS     Y3, Y2, Y2            // T4 = [c8 | c9]
	VHADDPS    Y12, Y10, Y10         // [c0 c0 c2 c2 | c1 c1 c3 c3] (pairs)
	VHADDPS    Y0, Y14, Y14          // [c4 c4 c6 c6 | c5 c5 c7 c7]
	VHADDPS    Y14, Y10, Y10         // [c0 c2 c4 c6 | c1 c3 c5 c7]
	VHADDPS    Y2, Y2, Y2            // [c8 c8 c8 c8 | c9 c9 c9 c9] (pairs)
	VHADDPS    Y2, Y2, Y2            // [c8 x4 | c9 x4]
	VMOVDQU    rowPerm256<>(SB), Y11
	VPERMPS    Y10, Y11, Y10         // s_0 .. s_7
	VPERMPS    Y2, Y11, Y2           // s_8, s_9 in lanes 0, 1
	VBROADCASTSS alpha+56(FP), Y12
	VMULPS     Y12, Y10, Y10         // alpha*s
	VMULPS     X12, X2, X2
	MOVQ       z_len+96(FP), CX
	MOVQ       0(SP), R15
	SUBQ       R15, CX               // classes left
	MOVQ       bias_base+64(FP), AX
	LEAQ       (AX)(R15*4), AX       // &bias[j0]
	MOVQ       z_base+88(FP), BX
	LEAQ       (BX)(R15*4), BX       // &z[j0]
	ADDQ       $10, R15
	MOVQ       R15, 0(SP)
	CMPQ       CX, $10
	JLT        row256Part
	VADDPS     (AX), Y10, Y10        // + bias
	VMOVSD     32(AX), X3
	VADDPS     X3, X2, X2
	VMOVUPS    Y10, (BX)
	VMOVSD     X2, 32(BX)
	CMPQ       R15, z_len+96(FP)
	JLT        row256Group
	VZEROUPPER
	RET

row256Part: // the last group: CX < 10 classes, under a mask of the first min(CX, 8)
	MOVQ       CX, DX
	CMPQ       DX, $8
	MOVQ       $8, R8
	CMOVQGT    R8, DX                // min(CX, 8)
	NEGQ       DX
	LEAQ       rowFirst8<>(SB), R8
	VMOVDQU    32(R8)(DX*4), Y13     // lanes < min(CX, 8)
	VMASKMOVPS (AX), Y13, Y12
	VADDPS     Y12, Y10, Y10         // + bias
	VMASKMOVPS Y10, Y13, (BX)
	CMPQ       CX, $9
	JLT        row256Done
	VADDSS     32(AX), X2, X2        // a ninth class
	VMOVSS     X2, 32(BX)

row256Done:
	VZEROUPPER
	RET

// rowMask16: the 16-bit masks (1<<c)-1 for c = 0..15.
DATA rowMask16<>+0(SB)/8, $0x0007000300010000
DATA rowMask16<>+8(SB)/8, $0x007f003f001f000f
DATA rowMask16<>+16(SB)/8, $0x07ff03ff01ff00ff
DATA rowMask16<>+24(SB)/8, $0x7fff3fff1fff0fff
GLOBL rowMask16<>(SB), RODATA|NOPTR, $32

// rowPerm512: the lanes of the tree's sums of classes 0-9 (lane 4q: class
// q, 4q+1: class 4+q, 2 and 6: classes 8 and 9).
DATA rowPerm512<>+0(SB)/8, $0x0000000400000000
DATA rowPerm512<>+8(SB)/8, $0x0000000c00000008
DATA rowPerm512<>+16(SB)/8, $0x0000000500000001
DATA rowPerm512<>+24(SB)/8, $0x0000000d00000009
DATA rowPerm512<>+32(SB)/8, $0x0000000600000002
DATA rowPerm512<>+40(SB)/8, $0
DATA rowPerm512<>+48(SB)/8, $0
DATA rowPerm512<>+56(SB)/8, $0
GLOBL rowPerm512<>(SB), RODATA|NOPTR, $64

// rowPerm256: [0 4 1 5 2 6 3 7], the order of [c0 c2 c4 c6 | c1 c3 c5 c7].
DATA rowPerm256<>+0(SB)/8, $0x0000000400000000
DATA rowPerm256<>+8(SB)/8, $0x0000000500000001
DATA rowPerm256<>+16(SB)/8, $0x0000000600000002
DATA rowPerm256<>+24(SB)/8, $0x0000000700000003
GLOBL rowPerm256<>(SB), RODATA|NOPTR, $32

// rowTail8: eight 32-bit zeros then eight all-ones; the 8 words from word kt
// keep lanes 8-kt .. 7.
DATA rowTail8<>+0(SB)/8, $0
DATA rowTail8<>+8(SB)/8, $0
DATA rowTail8<>+16(SB)/8, $0
DATA rowTail8<>+24(SB)/8, $0
DATA rowTail8<>+32(SB)/8, $-1
DATA rowTail8<>+40(SB)/8, $-1
DATA rowTail8<>+48(SB)/8, $-1
DATA rowTail8<>+56(SB)/8, $-1
GLOBL rowTail8<>(SB), RODATA|NOPTR, $64

// rowFirst8: eight all-ones then eight zeros; the 8 words from word 8-c keep
// lanes 0 .. c-1.
DATA rowFirst8<>+0(SB)/8, $-1
DATA rowFirst8<>+8(SB)/8, $-1
DATA rowFirst8<>+16(SB)/8, $-1
DATA rowFirst8<>+24(SB)/8, $-1
DATA rowFirst8<>+32(SB)/8, $0
DATA rowFirst8<>+40(SB)/8, $0
DATA rowFirst8<>+48(SB)/8, $0
DATA rowFirst8<>+56(SB)/8, $0
GLOBL rowFirst8<>(SB), RODATA|NOPTR, $64
