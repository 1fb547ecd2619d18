// The products of data rows for amd64, shared by uint8 rows (u8_amd64.s)
// and float32 rows (f32_amd64.s): the forward rows (fwd*Rows10), the
// gradient blocks (grad*x10) and one row against every class (dot*Row), for
// AVX2 and AVX-512. Contracts: kernelSet in isa.go; the design of every
// level's tiles: docs/kernels.md ("The uint8 products").
//
// Each kernel's body is a macro here (the including file has included
// tail_amd64.h first: its tailMask masks the AVX2 tails). u8_amd64.s and
// f32_amd64.s define the element macros below and give each body its TEXT
// line (symbol, frame and argument sizes), so a uint8 kernel and its float32
// twin are the same tiles, registers, tails, prefetch and epilogues, and
// differ only in how x is read: pixels are widened in registers (VPMOVZXBD +
// VCVTDQ2PS) once per load and used in one FMA per class of the tile (the
// conversion runs on the FMA/shuffle ports of Intel cores, so a tile that
// converted a pixel once per five classes would leave fewer slots for FMAs);
// float32 elements are loaded as they are, with offsets of x scaled by 4.
// One difference in the tails: where an AVX2 tail step takes again elements
// the loop has counted, W's lanes of those elements are masked to +0, and
// for float32 rows x's lanes too (XRAWM), so that every product is added
// once (an Inf of x times a masked +0 of W would add a NaN; pixels are
// finite). The AVX-512 tails load x and W under the same opmask, which
// zeroes both. The prefetch of fwd*Rows10AVX2 differs too (see
// FWD_ROWS10_AVX2).
//   - fwd*Rows10AVX2: a "rd" (dot-product) 2x5 tile as in BLIS'
//     bli_gemmsup_rd_haswell_asm, twice per pair of rows (classes 0-4, 5-9):
//     8 consecutive k in the lanes, horizontal sums at the end, the prefetch
//     of the rows ahead and the alpha/beta/bias epilogue.
//   - fwd*Rows10AVX512: 2 rows x 10 classes, 16 elements a step, the k%16
//     tail under a mask, the 20 sums reduced together by a blend/permute tree.
//   - grad*x10BlkAVX2: 16 columns (two accumulators per class) against five
//     classes at a time, so each VBROADCASTSS of the gradient feeds two FMAs;
//     grad*x10OneAVX2 takes an odd last chunk against all ten classes.
//   - grad*x10BlkAVX512: 32 columns against ten classes (20 accumulators),
//     the gradient broadcast inside the FMAs, the nch%4 last chunks masked.
//   - The gradient kernels take one block of rows and carry their sums in a
//     buffer between blocks, so that a pass touches the pages of a few rows
//     only (a minibatch's rows lie on as many pages as rows, more than the
//     first-level TLB holds).
//   - dot*RowAVX2, dot*RowAVX512: ten classes per pass over the row.
// No kernel reads or writes outside the slices its contract names. All
// loads and stores are unaligned: cores pay only for loads that cross a
// cache line, so callers start float32 rows on 64-byte boundaries.
//
// The element macros, which the including file defines (uint8 | float32):
//   XSIZE                   the bytes of an element (1 | 4), the scale of
//                           x's offsets and indices
//   XRAW(mem, dst)          loads the elements at mem, as many as dst has
//                           lanes (VPMOVZXBD: int32 | VMOVUPS: float32)
//   XCVT(r)                 converts XRAW's lanes to float32 (VCVTDQ2PS |
//                           nothing)
//   XRAWM(mem, m, dst)      XRAW of an AVX2 tail step: x's lanes where the
//                           mask m is 0 (the elements already counted) are
//                           +0 for float32 (VANDPS), loaded whole for uint8
//   XRAWZ(mem, k, dst)      XRAW under the opmask k: lanes off k are +0 and
//                           not read
//   XRAWZX(mem, k, dst, t)  XRAWZ of dot*RowAVX512's tail (uint8: a masked
//                           load of the bytes into the xmm t, then widened)
//   XBYTES(r), XELEMS(r)    r elements to bytes, and back (nothing | SHLQ
//                           $2, SHRQ $2)
//   XBASE(b, r)             r = b + r*XSIZE
//   XADD(i, r)              r = r + i*XSIZE
//   FWD_PF_SECOND           fwd*Rows10AVX512's second prefetch of a loop
//                           step (nothing | the other row's line, then R14
//                           back: a step takes a cache line of each float32
//                           row)
//   FWD2_PF, FWD2_PF_FIRST, FWD2_PF_REST, FWD2_XROWS, FWD2_PF_PASS,
//   FWD2_PF_STEP            fwd*Rows10AVX2's prefetch and row addresses
//                           (see FWD_ROWS10_AVX2)
// Register use, tails and contracts are in each body's comment; "x" below is
// the rows of either type, "elements" its uint8 pixels or float32 values.

// ZERO_Y0_Y9 and ZERO_Z0_Z19 clear the accumulators of the AVX2 and
// AVX-512 kernels.
#define ZERO_Y0_Y9 \
	VXORPS Y0, Y0, Y0; \
	VXORPS Y1, Y1, Y1; \
	VXORPS Y2, Y2, Y2; \
	VXORPS Y3, Y3, Y3; \
	VXORPS Y4, Y4, Y4; \
	VXORPS Y5, Y5, Y5; \
	VXORPS Y6, Y6, Y6; \
	VXORPS Y7, Y7, Y7; \
	VXORPS Y8, Y8, Y8; \
	VXORPS Y9, Y9, Y9

#define ZERO_Z0_Z19 \
	VPXORD Z0, Z0, Z0; \
	VPXORD Z1, Z1, Z1; \
	VPXORD Z2, Z2, Z2; \
	VPXORD Z3, Z3, Z3; \
	VPXORD Z4, Z4, Z4; \
	VPXORD Z5, Z5, Z5; \
	VPXORD Z6, Z6, Z6; \
	VPXORD Z7, Z7, Z7; \
	VPXORD Z8, Z8, Z8; \
	VPXORD Z9, Z9, Z9; \
	VPXORD Z10, Z10, Z10; \
	VPXORD Z11, Z11, Z11; \
	VPXORD Z12, Z12, Z12; \
	VPXORD Z13, Z13, Z13; \
	VPXORD Z14, Z14, Z14; \
	VPXORD Z15, Z15, Z15; \
	VPXORD Z16, Z16, Z16; \
	VPXORD Z17, Z17, Z17; \
	VPXORD Z18, Z18, Z18; \
	VPXORD Z19, Z19, Z19

// One row (an image, a sample) against all classes (Predict):
// dot*RowAVX512 and dot*RowAVX2, the contracts "dotU8Row" and "dotF32Row"
// (kernelSet in isa.go):
//   z[j] = float32(alpha*s_j) + bias[j] for j < n = len(z),
//   s_j  = sum_{p<k} float32(x[p]) * w[j*wstride+p], k = len(x).
// Design: a dot product along k ("rd", as dotU8x2x5AVX2) with the classes in
// groups of 10: one accumulator per class, the elements of x loaded (pixels
// widened in registers) once per step and used by the 10 FMAs (W rows as
// memory operands), so x is read once per group. A group's rows are W rows
// j0..j0+9 clamped to the last real row (n-1), so a last group of n%10
// classes reads only real rows; only its real classes are stored. The sums
// are a fixed tree of the lanes that depends only on k.
// Row pointers: one per class, indexed by the element count DI (x at
// XSIZE*DI, W at 4*DI), so the loop advances one register. Every cache line
// of x is prefetched at entry, so that the misses of a row not in cache
// overlap (measured on images: a tenth less time in random order; no change
// on images in cache or in sequence). A second set of 10 accumulators (32
// pixels per step) measured no faster.

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

// ROWFMA512 is one step of 16 elements (as float32 in Z10) against the 10
// rows at DI.
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

// DOT_ROW_AVX512 is the body of dotU8RowAVX512 and dotF32RowAVX512:
// func(x []E, w []float32, wstride int, alpha float32, bias []float32, z []float32)
// Requires: AVX512F (and AVX512BW for uint8 rows)
// z[j] = float32(alpha*s_j) + bias[j] for j < n = len(z) (two roundings),
// s_j = sum_{p<k} float32(x[p]) * w[j*wstride+p], k = len(x) >= 1, n >= 1,
// len(bias) >= n, w[:(n-1)*wstride+k] in bounds (not checked).
// Per group of 10 classes j0..j0+9: 16 elements per step, s_j in the 16
// lanes of Z_j (lane l: the elements p = l mod 16, in order); the k%16 last
// elements in one more step with a zeroing masked load of x and masked FMAs
// (W's lanes past k are neither read nor added). Then the lanes are summed
// by a tree (halves, then quarters, then pairs of lanes), 10 classes at
// once, and the 10 sums permuted into order; z and bias are accessed under
// the mask of the group's real classes.
// Register map: AX, BX, DX, R8-R14 = W rows j0..j0+9 (clamped), SI = &x[0],
// DI = p, CX = k&^15 (k*XSIZE while the first group prefetches), R15 =
// scratch; Z0-Z9 = the classes' lane sums, Z10 = 16 elements as float32,
// Z10-Z19 = the tree; K1 = the tail, K2 = the group's real classes.
// Stack (a frame of 8 bytes): 0 = j0.
#define DOT_ROW_AVX512 \
	MOVQ $0, 0(SP); \
row512Group: /* classes j0 .. min(j0+10, n)-1 */ \
	ROWPTRS; \
	MOVQ   x_base+0(FP), SI; \
	MOVQ   x_len+8(FP), CX; \
	CMPQ   0(SP), $0; \
	JNE    row512Zero; \
	XORQ   DI, DI; \
	XBYTES(CX);                  /* k*XSIZE: x's bytes */ \
row512Prefetch: /* the first group: ask for every cache line of x at once */ \
	/* (k >= 1), so that the misses of a row not in cache overlap */ \
	PREFETCHT0 (SI)(DI*1); \
	ADDQ       $64, DI; \
	CMPQ       DI, CX; \
	JB         row512Prefetch; \
	XELEMS(CX);                  /* k */ \
row512Zero: \
	ANDQ   $-16, CX; \
	XORQ   DI, DI; \
	VXORPS Z0, Z0, Z0; \
	VXORPS Z1, Z1, Z1; \
	VXORPS Z2, Z2, Z2; \
	VXORPS Z3, Z3, Z3; \
	VXORPS Z4, Z4, Z4; \
	VXORPS Z5, Z5, Z5; \
	VXORPS Z6, Z6, Z6; \
	VXORPS Z7, Z7, Z7; \
	VXORPS Z8, Z8, Z8; \
	VXORPS Z9, Z9, Z9; \
	TESTQ  CX, CX; \
	JZ     row512Tail; \
row512Loop: /* for DI < k&^15: elements DI..DI+15 */ \
	XRAW((SI)(DI*XSIZE), Z10); \
	XCVT(Z10); \
	ROWFMA512; \
	ADDQ      $16, DI; \
	CMPQ      DI, CX; \
	JB        row512Loop; \
row512Tail: /* the last k%16 elements, if any */ \
	MOVQ       x_len+8(FP), CX; \
	ANDQ       $15, CX; \
	JZ         row512Reduce; \
	LEAQ       rowMask16<>(SB), R15; \
	KMOVW      (R15)(CX*2), K1;      /* lanes < k%16 */ \
	XRAWZX((SI)(DI*XSIZE), K1, Z10, X10); /* lanes past k: +0, not read */ \
	XCVT(Z10); \
	ROWFMA512K; \
row512Reduce: /* the tree: 8 lanes (halves), 4 (quarters), then pairs */ \
	VSHUFF32X4 $0x44, Z1, Z0, Z10;   /* [c0 lo | c1 lo] */ \
	VSHUFF32X4 $0xEE, Z1, Z0, Z11;   /* [c0 hi | c1 hi] */ \
	VADDPS     Z11, Z10, Z10;        /* T0 = [c0 | c1], 8 lanes each */ \
	VSHUFF32X4 $0x44, Z3, Z2, Z12; \
	VSHUFF32X4 $0xEE, Z3, Z2, Z13; \
	VADDPS     Z13, Z12, Z12;        /* T1 = [c2 | c3] */ \
	VSHUFF32X4 $0x44, Z5, Z4, Z14; \
	VSHUFF32X4 $0xEE, Z5, Z4, Z15; \
	VADDPS     Z15, Z14, Z14;        /* T2 = [c4 | c5] */ \
	VSHUFF32X4 $0x44, Z7, Z6, Z16; \
	VSHUFF32X4 $0xEE, Z7, Z6, Z17; \
	VADDPS     Z17, Z16, Z16;        /* T3 = [c6 | c7] */ \
	VSHUFF32X4 $0x44, Z9, Z8, Z18; \
	VSHUFF32X4 $0xEE, Z9, Z8, Z19; \
	VADDPS     Z19, Z18, Z18;        /* T4 = [c8 | c9] */ \
	VSHUFF32X4 $0x88, Z12, Z10, Z0; \
	VSHUFF32X4 $0xDD, Z12, Z10, Z1; \
	VADDPS     Z1, Z0, Z0;           /* U: quarter q = class q, 4 lanes */ \
	VSHUFF32X4 $0x88, Z16, Z14, Z2; \
	VSHUFF32X4 $0xDD, Z16, Z14, Z3; \
	VADDPS     Z3, Z2, Z2;           /* V: quarter q = class 4+q */ \
	VSHUFF32X4 $0x88, Z18, Z18, Z4; \
	VSHUFF32X4 $0xDD, Z18, Z18, Z5; \
	VADDPS     Z5, Z4, Z4;           /* X: quarters = classes 8, 9, 8, 9 */ \
	VSHUFPS    $0x88, Z2, Z0, Z5; \
	VSHUFPS    $0xDD, Z2, Z0, Z6; \
	VADDPS     Z6, Z5, Z5;           /* per quarter: U pairs, V pairs */ \
	VSHUFPS    $0x88, Z4, Z4, Z6; \
	VSHUFPS    $0xDD, Z4, Z4, Z7; \
	VADDPS     Z7, Z6, Z6;           /* X pairs */ \
	VSHUFPS    $0x88, Z6, Z5, Z7; \
	VSHUFPS    $0xDD, Z6, Z5, Z8; \
	VADDPS     Z8, Z7, Z7;           /* quarter q: [c_q, c_4+q, c_8+(q&1), -] */ \
	VMOVDQU32  rowPerm512<>(SB), Z11; \
	VPERMPS    Z7, Z11, Z7;          /* lanes 0-9: s_0 .. s_9 */ \
	VBROADCASTSS alpha+56(FP), Z12; \
	VMULPS     Z12, Z7, Z7;          /* alpha*s */ \
	MOVQ       z_len+96(FP), CX; \
	MOVQ       0(SP), R15; \
	SUBQ       R15, CX;              /* classes left */ \
	MOVQ       $10, AX; \
	CMPQ       CX, AX; \
	CMOVQGT    AX, CX;               /* the group's real classes */ \
	LEAQ       rowMask16<>(SB), AX; \
	KMOVW      (AX)(CX*2), K2; \
	MOVQ       bias_base+64(FP), AX; \
	VMOVUPS.Z  (AX)(R15*4), K2, Z12; \
	VADDPS     Z12, Z7, Z7;          /* + bias */ \
	MOVQ       z_base+88(FP), AX; \
	VMOVUPS    Z7, K2, (AX)(R15*4); \
	ADDQ       $10, R15; \
	MOVQ       R15, 0(SP); \
	CMPQ       R15, z_len+96(FP); \
	JLT        row512Group; \
	VZEROUPPER; \
	RET

// ROWFMA256 is one step of 8 elements (as float32 in Y10) against the 10
// rows at DI.
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

// ROWTAIL256 adds the elements in Y10 times W row r at DI, with W's lanes
// masked by Y15 (the elements already counted add +0; float32 rows have
// x's lanes masked alike, XRAWM: +0*+0), to acc.
#define ROWTAIL256(r, acc) \
	VANDPS      (r)(DI*4), Y15, Y11; \
	VFMADD231PS Y11, Y10, acc

// DOT_ROW_AVX2 is the body of dotU8RowAVX2 and dotF32RowAVX2:
// func(x []E, w []float32, wstride int, alpha float32, bias []float32, z []float32)
// Requires: AVX2, FMA
// As DOT_ROW_AVX512 with k = len(x) >= 8 (the caller handles k < 8).
// 8 elements per step; the last k%8 in one more step over the 8 that end at
// k, with W's lanes of the elements already counted masked to +0, and for
// float32 rows x's too (as fwd*Rows10AVX2's tail), so every load stays in
// x and in the W rows and every product is added once.
// The lanes are summed by a tree (halves, then two VHADDPS), and the 8 first
// sums permuted into order; a group of 10 real classes stores 8 + 2
// values, a last partial group stores its classes under VMASKMOVPS (and
// one VMOVSS for a ninth class).
// Register map: AX, BX, DX, R8-R14 = W rows j0..j0+9 (clamped), SI = &x[0],
// DI = p, CX = k&^7 (k*XSIZE while the first group prefetches), R15 =
// scratch; Y0-Y9 = the classes' lane sums, Y10 = 8 elements as float32,
// Y11 = masked W, Y15 = the tail mask, Y10-Y15 and Y0-Y5 = the tree.
// Stack (a frame of 8 bytes): 0 = j0.
#define DOT_ROW_AVX2 \
	MOVQ $0, 0(SP); \
row256Group: /* classes j0 .. min(j0+10, n)-1 */ \
	ROWPTRS; \
	MOVQ   x_base+0(FP), SI; \
	MOVQ   x_len+8(FP), CX; \
	CMPQ   0(SP), $0; \
	JNE    row256Zero; \
	XORQ   DI, DI; \
	XBYTES(CX);                  /* k*XSIZE: x's bytes */ \
row256Prefetch: /* the first group: ask for every cache line of x at once */ \
	/* (k >= 8), so that the misses of a row not in cache overlap */ \
	PREFETCHT0 (SI)(DI*1); \
	ADDQ       $64, DI; \
	CMPQ       DI, CX; \
	JB         row256Prefetch; \
	XELEMS(CX);                  /* k */ \
row256Zero: \
	ANDQ   $-8, CX; \
	XORQ   DI, DI; \
	ZERO_Y0_Y9; \
row256Loop: /* for DI < k&^7 (k >= 8: at least once): elements DI..DI+7 */ \
	XRAW((SI)(DI*XSIZE), Y10); \
	XCVT(Y10); \
	ROWFMA256; \
	ADDQ      $8, DI; \
	CMPQ      DI, CX; \
	JB        row256Loop; \
	/* the last k%8 elements, if any: the 8 that end at k, W masked (and x */ \
	/* for float32 rows) */ \
	MOVQ      x_len+8(FP), CX; \
	ANDQ      $7, CX;                /* kt */ \
	JZ        row256Reduce; \
	LEAQ      tailMask<>(SB), R15; \
	VMOVDQU   (R15)(CX*4), Y15;      /* lane l: all ones if l >= 8-kt */ \
	MOVQ      x_len+8(FP), DI; \
	SUBQ      $8, DI;                /* p = k-8 */ \
	XRAWM((SI)(DI*XSIZE), Y15, Y10); /* x[k-8:k] */ \
	XCVT(Y10); \
	ROWTAIL256(AX, Y0); \
	ROWTAIL256(BX, Y1); \
	ROWTAIL256(DX, Y2); \
	ROWTAIL256(R8, Y3); \
	ROWTAIL256(R9, Y4); \
	ROWTAIL256(R10, Y5); \
	ROWTAIL256(R11, Y6); \
	ROWTAIL256(R12, Y7); \
	ROWTAIL256(R13, Y8); \
	ROWTAIL256(R14, Y9); \
row256Reduce: /* halves, then two VHADDPS */ \
	VPERM2F128 $0x20, Y1, Y0, Y10;   /* [c0 lo | c1 lo] */ \
	VPERM2F128 $0x31, Y1, Y0, Y11; \
	VADDPS     Y11, Y10, Y10;        /* T0 = [c0 | c1], 4 lanes each */ \
	VPERM2F128 $0x20, Y3, Y2, Y12; \
	VPERM2F128 $0x31, Y3, Y2, Y13; \
	VADDPS     Y13, Y12, Y12;        /* T1 = [c2 | c3] */ \
	VPERM2F128 $0x20, Y5, Y4, Y14; \
	VPERM2F128 $0x31, Y5, Y4, Y15; \
	VADDPS     Y15, Y14, Y14;        /* T2 = [c4 | c5] */ \
	VPERM2F128 $0x20, Y7, Y6, Y0; \
	VPERM2F128 $0x31, Y7, Y6, Y1; \
	VADDPS     Y1, Y0, Y0;           /* T3 = [c6 | c7] */ \
	VPERM2F128 $0x20, Y9, Y8, Y2; \
	VPERM2F128 $0x31, Y9, Y8, Y3; \
	VADDPS     Y3, Y2, Y2;           /* T4 = [c8 | c9] */ \
	VHADDPS    Y12, Y10, Y10;        /* [c0 c0 c2 c2 | c1 c1 c3 c3] (pairs) */ \
	VHADDPS    Y0, Y14, Y14;         /* [c4 c4 c6 c6 | c5 c5 c7 c7] */ \
	VHADDPS    Y14, Y10, Y10;        /* [c0 c2 c4 c6 | c1 c3 c5 c7] */ \
	VHADDPS    Y2, Y2, Y2;           /* [c8 c8 c8 c8 | c9 c9 c9 c9] (pairs) */ \
	VHADDPS    Y2, Y2, Y2;           /* [c8 x4 | c9 x4] */ \
	VMOVDQU    rowPerm256<>(SB), Y11; \
	VPERMPS    Y10, Y11, Y10;        /* s_0 .. s_7 */ \
	VPERMPS    Y2, Y11, Y2;          /* s_8, s_9 in lanes 0, 1 */ \
	VBROADCASTSS alpha+56(FP), Y12; \
	VMULPS     Y12, Y10, Y10;        /* alpha*s */ \
	VMULPS     X12, X2, X2; \
	MOVQ       z_len+96(FP), CX; \
	MOVQ       0(SP), R15; \
	SUBQ       R15, CX;              /* classes left */ \
	MOVQ       bias_base+64(FP), AX; \
	LEAQ       (AX)(R15*4), AX;      /* &bias[j0] */ \
	MOVQ       z_base+88(FP), BX; \
	LEAQ       (BX)(R15*4), BX;      /* &z[j0] */ \
	ADDQ       $10, R15; \
	MOVQ       R15, 0(SP); \
	CMPQ       CX, $10; \
	JLT        row256Part; \
	VADDPS     (AX), Y10, Y10;       /* + bias */ \
	VMOVSD     32(AX), X3; \
	VADDPS     X3, X2, X2; \
	VMOVUPS    Y10, (BX); \
	VMOVSD     X2, 32(BX); \
	CMPQ       R15, z_len+96(FP); \
	JLT        row256Group; \
	VZEROUPPER; \
	RET; \
row256Part: /* the last group: CX < 10 classes, under a mask of the first min(CX, 8) */ \
	MOVQ       CX, DX; \
	CMPQ       DX, $8; \
	MOVQ       $8, R8; \
	CMOVQGT    R8, DX;               /* min(CX, 8) */ \
	NEGQ       DX; \
	LEAQ       rowFirst8<>(SB), R8; \
	VMOVDQU    32(R8)(DX*4), Y13;    /* lanes < min(CX, 8) */ \
	VMASKMOVPS (AX), Y13, Y12; \
	VADDPS     Y12, Y10, Y10;        /* + bias */ \
	VMASKMOVPS Y10, Y13, (BX); \
	CMPQ       CX, $9; \
	JLT        row256Done; \
	VADDSS     32(AX), X2, X2;       /* a ninth class */ \
	VMOVSS     X2, 32(BX); \
row256Done: \
	VZEROUPPER; \
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


// DOT_STEP is 8 elements of a pass of fwd*Rows10AVX2: the lanes of row r,
// class j += x_r[p:p+8] * w_j[p:p+8], with p = CX + e (W at byte offset
// 4*p of its rows).
#define DOT_STEP(e) \
	XRAW(e*XSIZE(SI)(CX*XSIZE), Y10); \
	XRAW(e*XSIZE(DI)(CX*XSIZE), Y11); \
	XCVT(Y10);                        \
	XCVT(Y11);                        \
	VMOVUPS     e*4(R8)(CX*4), Y12;   \
	VFMADD231PS Y12, Y10, Y0;         \
	VFMADD231PS Y12, Y11, Y5;         \
	VMOVUPS     e*4(R9)(CX*4), Y13;   \
	VFMADD231PS Y13, Y10, Y1;         \
	VFMADD231PS Y13, Y11, Y6;         \
	VMOVUPS     e*4(R10)(CX*4), Y14;  \
	VFMADD231PS Y14, Y10, Y2;         \
	VFMADD231PS Y14, Y11, Y7;         \
	VMOVUPS     e*4(R11)(CX*4), Y15;  \
	VFMADD231PS Y15, Y10, Y3;         \
	VFMADD231PS Y15, Y11, Y8;         \
	VMOVUPS     e*4(R12)(CX*4), Y12;  \
	VFMADD231PS Y12, Y10, Y4;         \
	VFMADD231PS Y12, Y11, Y9

// GRAD_ROW is one row of grad*x10OneAVX2: T[c][0:8] += X[0:8] * gp[off/4 + c]
// for c < 10, with X the row's 8 elements as float32 in register px and gp
// at DX.
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

// TAIL_STEP is the masked last step of fwd*Rows10AVX2 for one class:
// wt = w_j[k-8:k] (W row j at wr, CX = kt) with the lanes of the elements
// already counted masked to +0 (Y15), then c0 += x_i * wt and c1 +=
// x_{i+1} * wt (x's 8 elements as float32 in Y10, Y11; masked alike for
// float32 rows).
#define TAIL_STEP(wr, wt, c0, c1) \
	VANDPS      -32(wr)(CX*4), Y15, wt; \
	VFMADD231PS wt, Y10, c0;            \
	VFMADD231PS wt, Y11, c1

// FWD_ROWS10_AVX2 is the body of fwdU8Rows10AVX2 and fwdF32Rows10AVX2:
// func(x []E, index []int32, stride int, w []float32, wstride int, c []float32, cstride int, m, k int, alpha, beta float32, bias []float32)
// Requires: AVX2, FMA
// For i < m and j < 10: c[i*cstride+j] = alpha*s + beta*c[i*cstride+j],
// s = sum_{p<k} float32(x[index[i]*stride+p]) * w[j*wstride+p], then
// + bias[j] if bias is not nil (three roundings, in that order); c is not
// read when beta is +-0. k >= 8, m >= 1 (the caller checks). The whole
// forward product of a row range in one call: the loop over row pairs, the
// prefetch of the rows ahead and the epilogue that dotU8T does in Go around
// dotU8x2x5AVX2.
// Each pair of rows (i, i+1; an odd last row is paired with itself) runs two
// passes, classes 0-4 then 5-9; a pass is the loop and the VHADDPS sums of
// dotU8x2x5AVX2 (same registers, same order, so for k%8 == 0 s is bitwise
// the same; a k%8 tail goes into the lanes before the sums) and merges its
// 2x5 results into c. The loop takes the first k8 = k&^7 elements eight at
// a time (16 per trip); when k8 < k, one more step takes the eight elements
// that end at k with the lanes of the elements already counted masked to
// +0 in W (tailMask, tail_amd64.h), and in x for float32 rows, so that
// only the last k%8 count, each product once. With the last row paired
// with itself, row "i+1" is row i and its C pointer is row i's: both rows
// read the old C before either is stored, and both store the same values.
// Prefetch (PREFETCHT2, into L2) of the rows r0 = i+FWD2_PF and r1 = r0+1
// (both at most m-1) while rows i and i+1 are computed; the first trips
// (i < 0) only prefetch rows 0..FWD2_PF-1, all at once. The two types
// differ here:
//   - uint8 (FWD2_PF = 2): every line of the next pair at the start of each
//     pair (the prefetch loop, as prefetchAVX2), then the pair's passes;
//   - float32 (FWD2_PF = 4): only the lines of r0's and r1's first and
//     last elements at the start of a pair, the rest one line a trip of 16
//     elements in the loops (a trip takes 64 bytes of each row: a line), of
//     r0 in the pass of classes 0-4, of r1 in the pass of 5-9, from &x_r[k8]
//     (pf0-8(SP), pf1-16(SP): a frame of 16 bytes); all the lines of the
//     next pair at once, with rows four times as long, held the loop's loads
//     up.
// The element macros FWD2_PF_FIRST, FWD2_PF_REST, FWD2_PF_PASS and
// FWD2_PF_STEP hold that part, FWD2_XROWS the addresses &x_i[k8],
// &x_{i+1}[k8] (SI, DI) from the rows' offsets and k8 (R10).
// Register map: R13 = i (starts at -FWD2_PF: the first trips only
// prefetch); SI, DI = &x_i[k8], &x_{i+1}[k8]; BX, DX = &c[i*cstride+j0],
// &c[(i+1)*cstride+j0] with j0 = 0 or 5; AX = byte offset of W row j0 in w
// (0 in the first pass, 5*wstride*4 in the second: never 0 since wstride >=
// k >= 8); R8..R12 = &w_{j0}[k8]..&w_{j0+4}[k8]; CX = p-k8 (negative) in
// the loop, then k%8, then the beta test; R14 = temporary; R15 = the
// float32 prefetch address (&x_r[k8]), then &tailMask;
// Y0..Y4, Y5..Y9 = rows i, i+1 x classes j0..j0+4 (as in dotU8x2x5AVX2);
// Y10, Y11 = x's elements as float32, then alpha and beta broadcast;
// Y12..Y15 = W, then C (Y15 = the tail's mask).
#define FWD_ROWS10_AVX2 \
	MOVQ $-FWD2_PF, R13;         /* i: the first trips only prefetch rows 0..FWD2_PF-1 */ \
pair: /* rows i, i+1, and the rows r0 = i+FWD2_PF, r1 = r0+1 to prefetch */ \
	MOVQ    m+120(FP), R12; \
	DECQ    R12;                 /* R12 = m-1, the last row */ \
	MOVQ    index_base+24(FP), R14; /* R14 = &index[0] */ \
	LEAQ    FWD2_PF(R13), R8; \
	CMPQ    R8, R12; \
	CMOVQGT R12, R8;             /* R8 = min(r0, m-1) */ \
	LEAQ    FWD2_PF+1(R13), R9; \
	CMPQ    R9, R12; \
	CMOVQGT R12, R9;             /* R9 = min(r1, m-1) */ \
	MOVLQSX (R14)(R8*4), R8;     /* index[R8] */ \
	MOVLQSX (R14)(R9*4), R9; \
	IMULQ   stride+48(FP), R8;   /* its offset in x */ \
	IMULQ   stride+48(FP), R9; \
	XBYTES(R8);                  /* in bytes */ \
	XBYTES(R9); \
	ADDQ    x_base+0(FP), R8;    /* R8 = &x_r0[0] */ \
	ADDQ    x_base+0(FP), R9;    /* R9 = &x_r1[0] */ \
	MOVQ    k+128(FP), R10; \
	XBYTES(R10);                 /* the row's bytes */ \
	FWD2_PF_FIRST; \
	XORQ    AX, AX;              /* AX = byte offset of the line in the row */ \
prefetch: /* for AX < the row's bytes: one cache line of each row into L2 */ \
	PREFETCHT2 (R8)(AX*1); \
	PREFETCHT2 (R9)(AX*1); \
	ADDQ       $64, AX; \
	CMPQ       AX, R10; \
	JLT        prefetch; \
	FWD2_PF_REST;                /* ends with R10 = k8 = k&^7 (elements) */ \
	LEAQ  1(R13), R9;            /* R9 = i+1 */ \
	CMPQ  R9, R12; \
	CMOVQGT R12, R9;             /* R9 = min(i+1, m-1): i itself when i is the last row */ \
	MOVLQSX (R14)(R13*4), SI;    /* index[i] */ \
	MOVLQSX (R14)(R9*4), DI;     /* index[i+1] */ \
	IMULQ   stride+48(FP), SI; \
	IMULQ   stride+48(FP), DI; \
	FWD2_XROWS;                  /* SI, DI = &x_i[k8], &x_{i+1}[k8] */ \
	MOVQ    cstride+112(FP), BX; \
	MOVQ    BX, DX; \
	IMULQ   R13, BX;             /* i*cstride */ \
	IMULQ   R9, DX;              /* (i+1)*cstride */ \
	MOVQ    c_base+88(FP), R14; \
	LEAQ    (R14)(BX*4), BX;     /* BX = &c[i*cstride] */ \
	LEAQ    (R14)(DX*4), DX;     /* DX = &c[(i+1)*cstride] */ \
	XORQ    AX, AX;              /* first pass: classes 0-4 */ \
pass: /* classes j0..j0+4 of rows i, i+1, with W row j0 at byte AX of w */ \
	MOVQ   k+128(FP), CX; \
	ANDQ   $-8, CX;              /* CX = k8 */ \
	MOVQ   wstride+80(FP), R14; \
	SHLQ   $2, R14;              /* R14 = wstride in bytes */ \
	MOVQ   w_base+56(FP), R8; \
	LEAQ   (R8)(CX*4), R8;       /* &w_0[k8] */ \
	ADDQ   AX, R8;               /* R8 = &w_{j0}[k8] */ \
	LEAQ   (R8)(R14*1), R9;      /* &w_{j0+1}[k8] */ \
	LEAQ   (R9)(R14*1), R10; \
	LEAQ   (R10)(R14*1), R11; \
	LEAQ   (R11)(R14*1), R12;    /* &w_{j0+4}[k8] */ \
	FWD2_PF_PASS;                /* float32: R15 = the row to prefetch in this pass */ \
	NEGQ   CX;                   /* CX = p-k8 with p = 0 */ \
	ZERO_Y0_Y9; \
	TESTQ  $8, CX; \
	JZ     pairs16;              /* k%16 = 0 */ \
	DOT_STEP(0);                 /* elements 0..7 alone */ \
	ADDQ   $8, CX; \
pairs16: /* the rest is a multiple of 16 elements */ \
	TESTQ CX, CX; \
	JZ    tail8; \
loop16: /* for CX < 0: elements p .. p+15 */ \
	FWD2_PF_STEP;                /* float32: element p of the row to prefetch */ \
	DOT_STEP(0); \
	DOT_STEP(8); \
	ADDQ $16, CX; \
	JNZ  loop16; \
tail8: /* the last kt = k%8 elements, if any: the 8 that end at k, against */ \
	/* W's 8 that end at k, with the lanes of the 8-kt elements the loop has */ \
	/* counted masked to +0 in W, and in x for float32 rows (so they add */ \
	/* exactly nothing, whatever their values). Every load stays inside the */ \
	/* row and W's row. */ \
	MOVQ        k+128(FP), CX; \
	ANDQ        $7, CX;          /* CX = kt */ \
	JZ          reduce; \
	LEAQ        tailMask<>(SB), R15; \
	VMOVDQU     (R15)(CX*4), Y15; /* lane l: all ones if l >= 8-kt, else 0 */ \
	XRAWM(-8*XSIZE(SI)(CX*XSIZE), Y15, Y10); /* x_i[k-8:k] */ \
	XRAWM(-8*XSIZE(DI)(CX*XSIZE), Y15, Y11); /* x_{i+1}[k-8:k] */ \
	XCVT(Y10); \
	XCVT(Y11); \
	TAIL_STEP(R8, Y12, Y0, Y5); \
	TAIL_STEP(R9, Y13, Y1, Y6); \
	TAIL_STEP(R10, Y14, Y2, Y7); \
	TAIL_STEP(R11, Y13, Y3, Y8); \
	TAIL_STEP(R12, Y14, Y4, Y9); \
reduce: /* the sums of dotU8x2x5AVX2 (per accumulator: lanes paired, then */ \
	/* pairs of pairs, then the two 128-bit halves), in the layout of the */ \
	/* epilogue: Y1 = [row i classes j0..j0+3 | row i+1 the same], */ \
	/* X4 = [row i class j0+4, row i+1 class j0+4, (copies)]. */ \
	VHADDPS      Y1, Y0, Y0;     /* Y0 = lane pairs of classes j0, j0+1, row i */ \
	VHADDPS      Y3, Y2, Y2;     /* classes j0+2, j0+3, row i */ \
	VHADDPS      Y6, Y5, Y5;     /* classes j0, j0+1, row i+1 */ \
	VHADDPS      Y8, Y7, Y7;     /* classes j0+2, j0+3, row i+1 */ \
	VHADDPS      Y9, Y4, Y4;     /* class j0+4, rows i and i+1 */ \
	VHADDPS      Y2, Y0, Y0;     /* Y0 = row i classes j0..j0+3, per half */ \
	VHADDPS      Y7, Y5, Y5;     /* Y5 = row i+1 classes j0..j0+3, per half */ \
	VHADDPS      Y4, Y4, Y4;     /* Y4 = [row i, row i+1, copies] class j0+4, per half */ \
	VPERM2F128   $0x20, Y5, Y0, Y1; /* Y1 = [Y0 low half | Y5 low half] */ \
	VPERM2F128   $0x31, Y5, Y0, Y2; /* Y2 = [Y0 high half | Y5 high half] */ \
	VADDPS       Y2, Y1, Y1;     /* Y1 = s of classes j0..j0+3, rows i | i+1 */ \
	VEXTRACTF128 $1, Y4, X3; \
	VADDPS       X3, X4, X4;     /* X4[0:2] = s of class j0+4, rows i, i+1 */ \
	/* Epilogue: c = alpha*s, plus beta*c unless beta is +-0. */ \
	VBROADCASTSS alpha+136(FP), Y10; \
	VMULPS       Y10, Y1, Y1;    /* alpha*s, classes j0..j0+3 */ \
	VMULPS       X10, X4, X4;    /* alpha*s, class j0+4 */ \
	MOVL         beta+140(FP), CX; \
	SHLL         $1, CX;         /* drop the sign bit: zero for +-0 */ \
	JZ           store; \
	VBROADCASTSS beta+140(FP), Y11; \
	VMOVUPS      (BX), X12;      /* c[i][j0:j0+4] */ \
	VINSERTF128  $1, (DX), Y12, Y12; /* Y12 = [c[i][j0:j0+4] | c[i+1][j0:j0+4]] */ \
	VMOVSS       16(BX), X13;    /* c[i][j0+4] */ \
	VINSERTPS    $0x10, 16(DX), X13, X13; /* X13[1] = c[i+1][j0+4] */ \
	VMULPS       Y11, Y12, Y12;  /* beta*c */ \
	VMULPS       X11, X13, X13; \
	VADDPS       Y12, Y1, Y1;    /* alpha*s + beta*c */ \
	VADDPS       X13, X4, X4; \
store: /* plus the bias, if any; row i+1 after row i: equal values when they are the same row */ \
	MOVQ         bias_base+144(FP), R8; /* R8 is free until the next pass sets it */ \
	TESTQ        R8, R8; \
	JZ           nobias; \
	TESTQ        AX, AX; \
	JZ           bias0; \
	ADDQ         $20, R8;        /* &bias[5] in the second pass */ \
bias0: \
	VBROADCASTF128 (R8), Y12;    /* [bias[j0:j0+4] | bias[j0:j0+4]] */ \
	VADDPS       Y12, Y1, Y1; \
	VBROADCASTSS 16(R8), X13;    /* bias[j0+4] (rows i and i+1: lanes 0, 1) */ \
	VADDPS       X13, X4, X4; \
nobias: \
	VMOVUPS      X1, (BX);       /* c[i][j0:j0+4] */ \
	VMOVSS       X4, 16(BX);     /* c[i][j0+4] */ \
	VEXTRACTF128 $1, Y1, (DX);   /* c[i+1][j0:j0+4] */ \
	VEXTRACTPS   $1, X4, 16(DX); /* c[i+1][j0+4] */ \
	TESTQ        AX, AX; \
	JNZ          next;           /* the second pass is done */ \
	LEAQ         (R14)(R14*4), AX; /* AX = 5*wstride*4: W row 5 */ \
	ADDQ         $20, BX;        /* &c[i][5] */ \
	ADDQ         $20, DX;        /* &c[i+1][5] */ \
	JMP          pass; \
next: \
	ADDQ $2, R13;                /* i += 2 */ \
	CMPQ R13, m+120(FP); \
	JLT  pair; \
	VZEROUPPER; \
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

// GRAD16_ROW is one row of the two-chunk loop of grad*x10BlkAVX2:
// T[h+c][0:8] += pa * gp[off/4 + c] and T[h+c][8:16] += pb * gp[off/4 + c]
// for c < 5, with pa, pb the row's elements of the two chunks as float32,
// gp at DX (already at class h) and the accumulators Y0..Y4 (first chunk),
// Y5..Y9 (second chunk). Each broadcast serves two FMAs.
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

// GRAD_ONE_AVX2 is the body of gradU8x10OneAVX2 and gradF32x10OneAVX2:
// func(x []E, offs []int, gp []float32, c []float32, cstride int, alpha, beta float32, t []float32, mode int)
// Requires: AVX2, FMA
// One chunk of 8 columns against all ten classes over one block of rows:
// T[r][j] = sum over the rows i < m = len(offs), in order, of gp[i*10+r] *
// float32(x[offs[i]+j]) for r < 10, j < 8, one FMA per row, started from
// t[8r:8r+8] if mode&1 (the earlier blocks' sums) or from zero; then, if
// mode&2, merged into C: c[r*cstride+j] = alpha*T[r][j] + beta*c[r*cstride+j]
// (two roundings, c not read when beta is +-0), else stored in t. The odd
// last chunk of gradx10AVX2 (rows_amd64.go), whose pairs of chunks go to
// grad*x10BlkAVX2.
// Register map: SI = &x[0], R8 = &offs[m], R13 = m, DI = &c[0], R11 =
// cstride in bytes, R14 = beta test (0 for beta = +-0), R15 = mode, BX =
// &c[r*cstride] of the next class row to merge, or &t[0]; CX = i-m, DX =
// &gp[10i], R9, R10 = offs[i], offs[i+1]; Y10, Y11 = the elements of rows
// i and i+1 as float32; Y12..Y15 = broadcasts; Yr = T[r][0:8]; in the
// merge: Y10, Y11 = alpha, beta broadcast, Y12 = c.
#define GRAD_ONE_AVX2 \
	MOVQ x_base+0(FP), SI; \
	MOVQ offs_base+24(FP), R8; \
	MOVQ offs_len+32(FP), R13; \
	LEAQ (R8)(R13*8), R8;       /* &offs[m] */ \
	MOVQ c_base+72(FP), DI; \
	MOVQ cstride+96(FP), R11; \
	SHLQ $2, R11;               /* cstride in bytes */ \
	MOVL beta+108(FP), R14; \
	SHLL $1, R14;               /* drop the sign bit: zero for beta = +-0 */ \
	MOVQ mode+136(FP), R15; \
	MOVQ   gp_base+48(FP), DX; \
	MOVQ   R13, CX; \
	NEGQ   CX;                  /* CX = i-m with i = 0 */ \
	ZERO_Y0_Y9; \
	TESTQ  $1, R15; \
	JZ     oneRows;             /* the first block: sums from zero */ \
	MOVQ   t_base+112(FP), BX; \
	VMOVUPS (BX), Y0;           /* the earlier blocks' sums, class 0 */ \
	VMOVUPS 32(BX), Y1; \
	VMOVUPS 64(BX), Y2; \
	VMOVUPS 96(BX), Y3; \
	VMOVUPS 128(BX), Y4; \
	VMOVUPS 160(BX), Y5; \
	VMOVUPS 192(BX), Y6; \
	VMOVUPS 224(BX), Y7; \
	VMOVUPS 256(BX), Y8; \
	VMOVUPS 288(BX), Y9;        /* class 9 */ \
oneRows: \
	TESTQ  $1, CX; \
	JZ     rows2;               /* m even */ \
	MOVQ   (R8)(CX*8), R9;      /* offs[0] */ \
	XRAW((SI)(R9*XSIZE), Y10);  /* x[offs[0]:][0:8] */ \
	XCVT(Y10); \
	GRAD_ROW(0, Y10);           /* row 0 alone */ \
	ADDQ   $40, DX;             /* gp += 10 */ \
	INCQ   CX; \
rows2: /* the rest is an even number of rows */ \
	TESTQ CX, CX; \
	JZ    merge; \
loop2: /* for CX < 0: rows i and i+1 */ \
	MOVQ      (R8)(CX*8), R9;   /* offs[i] */ \
	MOVQ      8(R8)(CX*8), R10; /* offs[i+1] */ \
	XRAW((SI)(R9*XSIZE), Y10); \
	XRAW((SI)(R10*XSIZE), Y11); \
	XCVT(Y10); \
	XCVT(Y11); \
	GRAD_ROW(0, Y10);           /* row i */ \
	GRAD_ROW(40, Y11);          /* row i+1 */ \
	ADDQ $80, DX;               /* gp += 20 */ \
	ADDQ $2, CX; \
	JNZ  loop2; \
merge: /* c rows r = 0..9, columns 0..7: alpha*T + beta*c; or T to t */ \
	TESTQ  $2, R15; \
	JNZ    oneMerge; \
	MOVQ   t_base+112(FP), BX; \
	VMOVUPS Y0, (BX);           /* class 0 */ \
	VMOVUPS Y1, 32(BX); \
	VMOVUPS Y2, 64(BX); \
	VMOVUPS Y3, 96(BX); \
	VMOVUPS Y4, 128(BX); \
	VMOVUPS Y5, 160(BX); \
	VMOVUPS Y6, 192(BX); \
	VMOVUPS Y7, 224(BX); \
	VMOVUPS Y8, 256(BX); \
	VMOVUPS Y9, 288(BX);        /* class 9 */ \
	JMP    done; \
oneMerge: \
	VBROADCASTSS alpha+104(FP), Y10; \
	VMULPS Y10, Y0, Y0;         /* alpha*T[0] */ \
	VMULPS Y10, Y1, Y1; \
	VMULPS Y10, Y2, Y2; \
	VMULPS Y10, Y3, Y3; \
	VMULPS Y10, Y4, Y4; \
	VMULPS Y10, Y5, Y5; \
	VMULPS Y10, Y6, Y6; \
	VMULPS Y10, Y7, Y7; \
	VMULPS Y10, Y8, Y8; \
	VMULPS Y10, Y9, Y9;         /* alpha*T[9] */ \
	MOVQ   DI, BX;              /* &c[0] */ \
	TESTL  R14, R14; \
	JZ     store0;              /* beta = +-0: c is not read */ \
	VBROADCASTSS beta+108(FP), Y11; \
	MERGE_ROW(Y0);              /* class 0 */ \
	MERGE_ROW(Y1); \
	MERGE_ROW(Y2); \
	MERGE_ROW(Y3); \
	MERGE_ROW(Y4); \
	MERGE_ROW(Y5); \
	MERGE_ROW(Y6); \
	MERGE_ROW(Y7); \
	MERGE_ROW(Y8); \
	MERGE_ROW(Y9);              /* class 9 */ \
	JMP    done; \
store0: \
	STORE_ROW(Y0);              /* class 0 */ \
	STORE_ROW(Y1); \
	STORE_ROW(Y2); \
	STORE_ROW(Y3); \
	STORE_ROW(Y4); \
	STORE_ROW(Y5); \
	STORE_ROW(Y6); \
	STORE_ROW(Y7); \
	STORE_ROW(Y8); \
	STORE_ROW(Y9);              /* class 9 */ \
done: \
	VZEROUPPER; \
	RET

// T_ADDR sets R9 = &t[80*(2p+h)], the saved sums of pair p = (nch-R12)/2
// and half h = AX/20 in grad*x10BlkAVX2 (n: its nch argument, t: the base
// of its t), using R10.
#define T_ADDR(n, t) \
	MOVQ  n, R9;   \
	SUBQ  R12, R9; \
	IMULQ $320, R9; \
	MOVQ  AX, R10; \
	SHLQ  $4, R10; \
	ADDQ  R10, R9; \
	ADDQ  t, R9

// GRAD_BLK_AVX2 is the body of gradU8x10BlkAVX2 and gradF32x10BlkAVX2:
// func(x []E, offs []int, gp []float32, c []float32, cstride, nch int, alpha, beta float32, t []float32, mode int)
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
// tiles of grad*x10OneAVX2 and gradU8x10x8AVX2, merged as mergeRow8
// merges them), while each block's rows span few pages (the rows of a
// minibatch come from random pages: 256 of them in one pass miss the
// first-level TLB at every row). With mode = 2 (one block) t is neither
// read nor written.
// Register map: SI = &x[8q], R8 = &offs[m], R13 = m, R12 = chunks left,
// DI = &c[8q], R11 = cstride in bytes, R14 = beta test (0 for beta = +-0),
// BX = &c[r*cstride+8q] of the next class row to merge; AX = byte offset of
// class h in a row of gp (0 or 20), CX = i-m, DX = &gp[10i+h], R9, R10 =
// offs[i], offs[i+1] (between the halves: the address in t); Y10, Y11 and
// Y13, Y14 = elements 8q..8q+15 of rows i and i+1 as float32; Y12, Y15 =
// broadcasts; Y0..Y4 = T[h..h+4][8q:8q+8], Y5..Y9 = T[h..h+4][8q+8:8q+16];
// in the merge: Y10, Y11 = alpha, beta broadcast, Y12 = c.
#define GRAD_BLK_AVX2 \
	MOVQ x_base+0(FP), SI; \
	MOVQ offs_base+24(FP), R8; \
	MOVQ offs_len+32(FP), R13; \
	LEAQ (R8)(R13*8), R8;       /* &offs[m] */ \
	MOVQ c_base+72(FP), DI; \
	MOVQ cstride+96(FP), R11; \
	SHLQ $2, R11;               /* cstride in bytes */ \
	MOVQ nch+104(FP), R12; \
	MOVL beta+116(FP), R14; \
	SHLL $1, R14;               /* drop the sign bit: zero for beta = +-0 */ \
bpair: /* columns 8q .. 8q+15 */ \
	MOVQ DI, BX;                /* class row 0 */ \
	XORQ AX, AX;                /* h = 0: classes 0-4 */ \
bhalf: /* classes h .. h+4 of columns 8q .. 8q+15 */ \
	MOVQ  mode+144(FP), R10; \
	TESTQ $1, R10; \
	JZ    bzero; \
	T_ADDR(nch+104(FP), t_base+120(FP)); \
	VMOVUPS (R9), Y0; \
	VMOVUPS 32(R9), Y1; \
	VMOVUPS 64(R9), Y2; \
	VMOVUPS 96(R9), Y3; \
	VMOVUPS 128(R9), Y4; \
	VMOVUPS 160(R9), Y5; \
	VMOVUPS 192(R9), Y6; \
	VMOVUPS 224(R9), Y7; \
	VMOVUPS 256(R9), Y8; \
	VMOVUPS 288(R9), Y9; \
	JMP     brows; \
bzero: \
	ZERO_Y0_Y9; \
brows: \
	MOVQ  gp_base+48(FP), DX; \
	ADDQ  AX, DX;               /* &gp[h] */ \
	MOVQ  R13, CX; \
	NEGQ  CX;                   /* CX = i-m with i = 0 */ \
	TESTQ $1, CX; \
	JZ    beven;                /* m even */ \
	MOVQ   (R8)(CX*8), R9;      /* offs[0] */ \
	XRAW((SI)(R9*XSIZE), Y10);  /* x[offs[0]+8q:][0:8] */ \
	XRAW(8*XSIZE(SI)(R9*XSIZE), Y11); /* x[offs[0]+8q+8:][0:8] */ \
	XCVT(Y10); \
	XCVT(Y11); \
	GRAD16_ROW(0, Y10, Y11);    /* row 0 alone */ \
	ADDQ   $40, DX;             /* gp += 10 */ \
	INCQ   CX; \
beven: /* the rest is an even number of rows */ \
	TESTQ CX, CX; \
	JZ    bend; \
bloop: /* for CX < 0: rows i and i+1 */ \
	MOVQ      (R8)(CX*8), R9;   /* offs[i] */ \
	MOVQ      8(R8)(CX*8), R10; /* offs[i+1] */ \
	XRAW((SI)(R9*XSIZE), Y10); \
	XRAW(8*XSIZE(SI)(R9*XSIZE), Y11); \
	XRAW((SI)(R10*XSIZE), Y13); \
	XRAW(8*XSIZE(SI)(R10*XSIZE), Y14); \
	XCVT(Y10); \
	XCVT(Y11); \
	XCVT(Y13); \
	XCVT(Y14); \
	GRAD16_ROW(0, Y10, Y11);    /* row i */ \
	GRAD16_ROW(40, Y13, Y14);   /* row i+1 */ \
	ADDQ $80, DX;               /* gp += 20 */ \
	ADDQ $2, CX; \
	JNZ  bloop; \
bend: /* save the sums for the next block, or merge them into c */ \
	MOVQ  mode+144(FP), R10; \
	TESTQ $2, R10; \
	JNZ   bfinal; \
	T_ADDR(nch+104(FP), t_base+120(FP)); \
	VMOVUPS Y0, (R9); \
	VMOVUPS Y1, 32(R9); \
	VMOVUPS Y2, 64(R9); \
	VMOVUPS Y3, 96(R9); \
	VMOVUPS Y4, 128(R9); \
	VMOVUPS Y5, 160(R9); \
	VMOVUPS Y6, 192(R9); \
	VMOVUPS Y7, 224(R9); \
	VMOVUPS Y8, 256(R9); \
	VMOVUPS Y9, 288(R9); \
	JMP     bhalfdone; \
bfinal: /* c rows h..h+4, columns 8q..8q+15: alpha*T + beta*c */ \
	VBROADCASTSS alpha+112(FP), Y10; \
	VMULPS Y10, Y0, Y0;         /* alpha*T[h][8q:8q+8] */ \
	VMULPS Y10, Y1, Y1; \
	VMULPS Y10, Y2, Y2; \
	VMULPS Y10, Y3, Y3; \
	VMULPS Y10, Y4, Y4; \
	VMULPS Y10, Y5, Y5;         /* alpha*T[h][8q+8:8q+16] */ \
	VMULPS Y10, Y6, Y6; \
	VMULPS Y10, Y7, Y7; \
	VMULPS Y10, Y8, Y8; \
	VMULPS Y10, Y9, Y9; \
	TESTL  R14, R14; \
	JZ     bstore;              /* beta = +-0: c is not read */ \
	VBROADCASTSS beta+116(FP), Y11; \
	MERGE_ROW2(Y0, Y5);         /* class h */ \
	MERGE_ROW2(Y1, Y6); \
	MERGE_ROW2(Y2, Y7); \
	MERGE_ROW2(Y3, Y8); \
	MERGE_ROW2(Y4, Y9);         /* class h+4 */ \
	JMP    bhalfdone; \
bstore: \
	STORE_ROW2(Y0, Y5);         /* class h */ \
	STORE_ROW2(Y1, Y6); \
	STORE_ROW2(Y2, Y7); \
	STORE_ROW2(Y3, Y8); \
	STORE_ROW2(Y4, Y9);         /* class h+4 */ \
bhalfdone: /* (with mode&2, BX is now at class row h+5) */ \
	TESTQ AX, AX; \
	JNZ   bpairdone;            /* both halves done */ \
	MOVQ  $20, AX;              /* h = 5: classes 5-9 */ \
	JMP   bhalf; \
bpairdone: \
	ADDQ $16*XSIZE, SI;         /* x += 16: the next columns of every row */ \
	ADDQ $64, DI;               /* &c[8(q+2)] */ \
	SUBQ $2, R12; \
	JNZ  bpair;                 /* nch is even */ \
	VZEROUPPER; \
	RET


// fwdPerm holds the VPERMT2PS indices of the horizontal sums of
// fwd*Rows10AVX512 (16 int32 each): +0 the second level (lanes l and l+4
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

// FWD_W is one class of a 16-element step of fwd*Rows10AVX512: W row j at
// (wr)(CX*4) into wt, then acc_i += x_i * wt and acc_i1 += x_{i+1} * wt
// (x's elements as float32 in Z20, Z21).
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

// FWD_ROWS10_AVX512 is the body of fwdU8Rows10AVX512 and fwdF32Rows10AVX512:
// func(x []E, index []int32, stride int, w []float32, wstride int, c []float32, cstride int, m, k int, alpha, beta float32, bias []float32)
// Requires: AVX512F
// For i < m and j < 10: c[i*cstride+j] = alpha*s + beta*c[i*cstride+j],
// s = sum_{p<k} float32(x[index[i]*stride+p]) * w[j*wstride+p], then
// + bias[j] if bias is not nil (three roundings, in that order); c is not
// read when beta is +-0. k >= 1, m >= 1.
// Tile: two rows (i, i+1; an odd last row is paired with itself and stored
// once) against all ten classes, 16 elements per step: two loads of x (two
// conversions for pixels), ten W vectors each used by two FMAs. Lane l of
// an accumulator sums the elements p = l (mod 16) in order; the last k%16
// elements go in one more step with x and W loaded under the mask K1 (lanes
// past k are +0, nothing past k is read). The horizontal sums treat every
// accumulator alike (lanes l and l+8, then l+4, l+2, l+1, each a single
// rounded addition), so s depends on k and the row's own elements only,
// not on the partner row, its position in the tile, m or the index.
// Prefetch (PREFETCHT2, into L2: W stays in L1): the rows FWD_PF and
// FWD_PF+1 ahead of the pair, in the loop: one PREFETCHT2 per 16-element
// step to each row in turn for uint8 rows, two per step (one to each row:
// a step takes 64 bytes of each row, a cache line) for float32 rows
// (FWD_PF_SECOND). (All of a pair's lines asked for at once, before the
// loop, measured slower on images: probably the misses to L3 held the line
// fill buffers that the loop's loads of the current rows from L2 need.) The
// first trips (i < 0) only prefetch rows 0..FWD_PF-1, all at once.
// Register map: R14 = i (starts at -FWD_PF), kept in i-8(SP) while the loop
// uses R14 as the prefetch address (pf-16(SP) = the XOR of the two rows'
// addresses, so XORQ switches R14 between them; a frame of 16 bytes);
// SI, DI = &x_i[k16], &x_{i+1}[k16] (k16 = k&^15); AX, BX, R8, R9, R10,
// R11, R12, R13, R15, DX = &w_j[k16] for j = 0..9; CX = p-k16
// (negative) in the loop; Z0..Z9, Z10..Z19 = rows i, i+1 x classes 0..9;
// Z20, Z21 = elements of rows i, i+1 as float32; Z22, Z23 = W; in the sums
// Z20..Z23 are temporaries and Z20, Z21 end as rows i, i+1 (class j in
// lane j); Z25 = bias (if any), Z26 = alpha, Z27 = beta, Z28..Z31 =
// fwdPerm; K1 = the k%16 tail, K2 = 0xff00, K3 = 0xf0f0, K4 = 0xcccc,
// K5 = 0xaaaa, K6 = 0x3ff (ten classes).
#define FWD_ROWS10_AVX512 \
	MOVQ      k+128(FP), CX; \
	ANDQ      $15, CX; \
	MOVL      $1, AX; \
	SHLL      CX, AX; \
	DECL      AX; \
	KMOVW     AX, K1;             /* the k%16 tail (0: none) */ \
	MOVL      $0xff00, AX; \
	KMOVW     AX, K2; \
	MOVL      $0xf0f0, AX; \
	KMOVW     AX, K3; \
	MOVL      $0xcccc, AX; \
	KMOVW     AX, K4; \
	MOVL      $0xaaaa, AX; \
	KMOVW     AX, K5; \
	MOVL      $0x3ff, AX; \
	KMOVW     AX, K6; \
	VMOVUPS   ·fwdPerm<>+0(SB), Z28; \
	VMOVUPS   ·fwdPerm<>+64(SB), Z29; \
	VMOVUPS   ·fwdPerm<>+128(SB), Z30; \
	VMOVUPS   ·fwdPerm<>+192(SB), Z31; \
	VBROADCASTSS alpha+136(FP), Z26; \
	VBROADCASTSS beta+140(FP), Z27; \
	MOVQ      bias_base+144(FP), AX; \
	TESTQ     AX, AX; \
	JZ        start; \
	VMOVUPS.Z (AX), K6, Z25;      /* bias[0:10] */ \
start: \
	MOVQ $-FWD_PF, R14; \
pair: /* rows i, i+1; before the first pair (i < 0), prefetch rows */ \
	/* i+FWD_PF, i+FWD_PF+1 here, at once (those < m); from the first pair on, */ \
	/* the loop prefetches them */ \
	MOVQ    m+120(FP), R12; \
	MOVQ    index_base+24(FP), R13; \
	MOVQ    x_base+0(FP), R11; \
	MOVQ    stride+48(FP), R10; \
	MOVQ    k+128(FP), R9; \
	TESTQ   R14, R14; \
	JNS     pfdone; \
	LEAQ    FWD_PF(R14), R8;     /* R8 = the row to prefetch */ \
	LEAQ    FWD_PF+2(R14), DX; \
	CMPQ    DX, R12; \
	CMOVQGT R12, DX;             /* DX = min(i+FWD_PF+2, m) */ \
pfrow: \
	CMPQ    R8, DX; \
	JGE     pfdone; \
	MOVLQSX (R13)(R8*4), AX; \
	IMULQ   R10, AX; \
	XBASE(R11, AX);              /* &x_r[0] */ \
	LEAQ    (AX)(R9*XSIZE), BX;  /* &x_r[k] */ \
	ANDQ    $-64, AX;            /* its first cache line */ \
pfline: \
	PREFETCHT2 (AX); \
	ADDQ       $64, AX; \
	CMPQ       AX, BX; \
	JLT        pfline; \
	INCQ       R8; \
	JMP        pfrow; \
pfdone: \
	TESTQ   R14, R14; \
	JS      next;                /* i < 0: nothing to compute yet */ \
	MOVQ    R14, i-8(SP); \
	LEAQ    1(R14), AX; \
	DECQ    R12;                 /* m-1 */ \
	CMPQ    AX, R12; \
	CMOVQGT R12, AX;             /* min(i+1, m-1): i itself for an odd last row */ \
	MOVLQSX (R13)(R14*4), SI; \
	MOVLQSX (R13)(AX*4), DI; \
	IMULQ   R10, SI; \
	IMULQ   R10, DI; \
	XBASE(R11, SI);              /* &x_i[0] */ \
	XBASE(R11, DI);              /* &x_{i+1}[0] */ \
	MOVQ    R9, CX; \
	ANDQ    $-16, CX;            /* k16 */ \
	XADD(CX, SI);                /* &x_i[k16] */ \
	XADD(CX, DI);                /* &x_{i+1}[k16] */ \
	/* The rows to prefetch: r0 = i+FWD_PF, r1 = r0+1 (both at most m-1). */ \
	/* The loop prefetches r0 and r1 at element p of the row at step p */ \
	/* (CX = p-k16): uint8 rows one of them a step, in turn (each line */ \
	/* twice), float32 rows both (a line of each a step); no line past the */ \
	/* row's k16 elements; the line of the row's last element is asked for */ \
	/* here. */ \
	LEAQ    FWD_PF(R14), R8; \
	LEAQ    FWD_PF+1(R14), DX; \
	CMPQ    R8, R12; \
	CMOVQGT R12, R8; \
	CMPQ    DX, R12; \
	CMOVQGT R12, DX; \
	MOVLQSX (R13)(R8*4), R8; \
	MOVLQSX (R13)(DX*4), DX; \
	IMULQ   R10, R8; \
	IMULQ   R10, DX; \
	XBASE(R11, R8);              /* &x_r0[0] */ \
	XBASE(R11, DX);              /* &x_r1[0] */ \
	PREFETCHT2 -XSIZE(R8)(R9*XSIZE); /* x_r0[k-1] */ \
	PREFETCHT2 -XSIZE(DX)(R9*XSIZE); /* x_r1[k-1] */ \
	XADD(CX, R8);                /* &x_r0[k16] */ \
	XADD(CX, DX);                /* &x_r1[k16] */ \
	XORQ    R8, DX; \
	MOVQ    DX, pf-16(SP);       /* R14 ^ pf-16(SP) switches between the rows */ \
	MOVQ    R8, R14; \
	MOVQ    wstride+80(FP), DX; \
	SHLQ    $2, DX;              /* wstride in bytes */ \
	MOVQ    w_base+56(FP), AX; \
	LEAQ    (AX)(CX*4), AX;      /* &w_0[k16] */ \
	LEAQ    (AX)(DX*1), BX; \
	LEAQ    (BX)(DX*1), R8; \
	LEAQ    (R8)(DX*1), R9; \
	LEAQ    (R9)(DX*1), R10; \
	LEAQ    (R10)(DX*1), R11; \
	LEAQ    (R11)(DX*1), R12; \
	LEAQ    (R12)(DX*1), R13; \
	LEAQ    (R13)(DX*1), R15; \
	LEAQ    (R15)(DX*1), DX;     /* &w_9[k16] */ \
	NEGQ    CX; \
	ZERO_Z0_Z19; \
	TESTQ   CX, CX; \
	JZ      tail; \
loop: /* for CX < 0: elements p .. p+15 */ \
	XRAW((SI)(CX*XSIZE), Z20); \
	XRAW((DI)(CX*XSIZE), Z21); \
	XCVT(Z20); \
	XCVT(Z21); \
	PREFETCHT2 (R14)(CX*XSIZE);  /* element p of row r0 or r1, in turn */ \
	XORQ      pf-16(SP), R14; \
	FWD_PF_SECOND;               /* float32: element p of the other row, and back */ \
	FWD_W(AX, Z22, Z0, Z10); \
	FWD_W(BX, Z23, Z1, Z11); \
	FWD_W(R8, Z22, Z2, Z12); \
	FWD_W(R9, Z23, Z3, Z13); \
	FWD_W(R10, Z22, Z4, Z14); \
	FWD_W(R11, Z23, Z5, Z15); \
	FWD_W(R12, Z22, Z6, Z16); \
	FWD_W(R13, Z23, Z7, Z17); \
	FWD_W(R15, Z22, Z8, Z18); \
	FWD_W(DX, Z23, Z9, Z19); \
	ADDQ $16, CX; \
	JNZ  loop; \
tail: /* the last k%16 elements, if any, under K1 */ \
	KORTESTW    K1, K1; \
	JZ          reduce; \
	XRAWZ((SI), K1, Z20); \
	XRAWZ((DI), K1, Z21); \
	XCVT(Z20); \
	XCVT(Z21); \
	FWD_WT(AX, Z22, Z0, Z10); \
	FWD_WT(BX, Z23, Z1, Z11); \
	FWD_WT(R8, Z22, Z2, Z12); \
	FWD_WT(R9, Z23, Z3, Z13); \
	FWD_WT(R10, Z22, Z4, Z14); \
	FWD_WT(R11, Z23, Z5, Z15); \
	FWD_WT(R12, Z22, Z6, Z16); \
	FWD_WT(R13, Z23, Z7, Z17); \
	FWD_WT(R15, Z22, Z8, Z18); \
	FWD_WT(DX, Z23, Z9, Z19); \
reduce: /* 20 accumulators to 20 sums, all reduced together */ \
	FWD_L1(Z0, Z10);             /* L_j = [row i | row i+1] class j, 8 lanes each */ \
	FWD_L1(Z1, Z11); \
	FWD_L1(Z2, Z12); \
	FWD_L1(Z3, Z13); \
	FWD_L1(Z4, Z14); \
	FWD_L1(Z5, Z15); \
	FWD_L1(Z6, Z16); \
	FWD_L1(Z7, Z17); \
	FWD_L1(Z8, Z18); \
	FWD_L1(Z9, Z19); \
	/* M_q = per quarter [i class 2q, i class 2q+1, i+1 class 2q, i+1 class 2q+1], 4 lanes each */ \
	FWD_L2(Z0, Z1, Z22, Z10); \
	FWD_L2(Z2, Z3, Z23, Z11); \
	FWD_L2(Z4, Z5, Z22, Z12); \
	FWD_L2(Z6, Z7, Z23, Z13); \
	FWD_L2(Z8, Z9, Z22, Z14); \
	/* third level, in each quarter: lanes l and l+2 (two lanes per sum) */ \
	VBLENDMPS Z11, Z10, K4, Z22; \
	VSHUFPS   $0x4e, Z11, Z10, Z23; \
	VADDPS    Z23, Z22, Z15;         /* from M_0, M_1 */ \
	VBLENDMPS Z13, Z12, K4, Z22; \
	VSHUFPS   $0x4e, Z13, Z12, Z23; \
	VADDPS    Z23, Z22, Z16;         /* from M_2, M_3 */ \
	VSHUFPS   $0x4e, Z14, Z14, Z23; \
	VADDPS    Z23, Z14, Z17;         /* M_4 with itself */ \
	/* fourth level: lanes l and l+1 */ \
	VBLENDMPS Z16, Z15, K5, Z22; \
	VPERMT2PS Z16, Z29, Z15; \
	VADDPS    Z15, Z22, Z18;         /* 16 sums: classes 0-7 of both rows */ \
	VPERMILPS $0xb1, Z17, Z23; \
	VADDPS    Z23, Z17, Z19;         /* classes 8, 9 of both rows (twice) */ \
	VMOVAPS   Z18, Z20; \
	VPERMT2PS Z19, Z30, Z20;         /* row i, class j in lane j */ \
	VPERMT2PS Z19, Z31, Z18; \
	VMOVAPS   Z18, Z21;              /* row i+1 */ \
	/* Epilogue: c = alpha*s, plus beta*c unless beta is +-0, plus the bias; */ \
	/* row i+1 only if it is a row of its own (i+1 < m). */ \
	MOVQ   i-8(SP), R14; \
	MOVQ   c_base+88(FP), BX; \
	MOVQ   cstride+112(FP), DX; \
	SHLQ   $2, DX; \
	MOVQ   DX, AX; \
	IMULQ  R14, AX; \
	ADDQ   AX, BX;                /* &c[i*cstride] */ \
	ADDQ   BX, DX;                /* &c[(i+1)*cstride] (if i+1 < m) */ \
	LEAQ   1(R14), CX;            /* i+1 */ \
	VMULPS Z26, Z20, Z20;         /* alpha*s */ \
	VMULPS Z26, Z21, Z21; \
	MOVL   beta+140(FP), AX; \
	SHLL   $1, AX;                /* drop the sign bit: zero for +-0 */ \
	JZ     nobeta; \
	VMULPS.Z (BX), Z27, K6, Z22;  /* beta*c, row i */ \
	VADDPS   Z22, Z20, Z20; \
	CMPQ     CX, m+120(FP); \
	JGE      nobeta; \
	VMULPS.Z (DX), Z27, K6, Z23;  /* row i+1 */ \
	VADDPS   Z23, Z21, Z21; \
nobeta: \
	MOVQ    bias_base+144(FP), AX; \
	TESTQ   AX, AX; \
	JZ      store; \
	VADDPS  Z25, Z20, Z20; \
	VADDPS  Z25, Z21, Z21; \
store: \
	VMOVUPS Z20, K6, (BX); \
	CMPQ    CX, m+120(FP); \
	JGE     next; \
	VMOVUPS Z21, K6, (DX); \
next: \
	ADDQ $2, R14; \
	CMPQ R14, m+120(FP); \
	JLT  pair; \
	VZEROUPPER; \
	RET

// GRADZ_ROW is one row of grad*x10BlkAVX512: T[r][0:16] += pa * gp[off/4+r]
// and T[r][16:32] += pb * gp[off/4+r] for r < 10 (gp at DX), gp[off/4+r]
// broadcast from memory by each FMA (embedded broadcast: two loads of the
// same float instead of a VBROADCASTSS and two register FMAs: a third fewer
// instructions, and measured faster).
#define GRADZ_ROW(off, pa, pb) \
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

// GRADZ_X loads the tile's 32 elements of the row at offset o of x (SI =
// the tile's first column) as float32: columns 0-15 in pa (K1), 16-31 in pb
// (K2); masked-off columns are +0 and not read.
#define GRADZ_X(o, pa, pb) \
	XRAWZ((SI)(o*XSIZE), K1, pa);         \
	XRAWZ(16*XSIZE(SI)(o*XSIZE), K2, pb); \
	XCVT(pa);                             \
	XCVT(pb)

// GRADZ_LOAD loads class r's sums from the acc tile at BX (a, b: columns
// 0-15, 16-31) and moves BX to the next class.
#define GRADZ_LOAD(a, b) \
	VMOVUPS.Z (BX), K1, a;   \
	VMOVUPS.Z 64(BX), K2, b; \
	ADDQ      R14, BX

// GRADZ_SAVE stores class r's sums to the acc tile at BX and moves BX on.
#define GRADZ_SAVE(a, b) \
	VMOVUPS a, K1, (BX);   \
	VMOVUPS b, K2, 64(BX); \
	ADDQ    R14, BX

// GRADZ_MERGE stores alpha*T + beta*c into class r's row of c at BX (a, b:
// alpha*T of columns 0-15, 16-31) and moves BX to the next class row.
#define GRADZ_MERGE(a, b) \
	VMULPS.Z (BX), Z27, K1, Z22;   \
	VADDPS   Z22, a, a;            \
	VMULPS.Z 64(BX), Z27, K2, Z23; \
	VADDPS   Z23, b, b;            \
	VMOVUPS  a, K1, (BX);          \
	VMOVUPS  b, K2, 64(BX);        \
	ADDQ     R11, BX

// GRADZ_STORE stores alpha*T into class r's row of c at BX (beta +-0: c is
// not read) and moves BX on.
#define GRADZ_STORE(a, b) \
	VMOVUPS a, K1, (BX);   \
	VMOVUPS b, K2, 64(BX); \
	ADDQ    R11, BX


// GRAD_BLK_AVX512 is the body of gradU8x10BlkAVX512 and gradF32x10BlkAVX512:
// func(x []E, offs []int, gp []float32, c []float32, cstride, nch int, alpha, beta float32, acc []float32, mode int)
// Requires: AVX512F, AVX512BW (KMOVD, KSHIFTRD)
// The weight gradient of nch >= 1 chunks of 8 columns for ten classes over
// one block of m = len(offs) >= 1 rows: T[r][p] = sum over the rows
// i = 0, 1, ..., m-1 of gp[i*10+r] * float32(x[offs[i]+p]), one FMA per row
// in row order, starting from the earlier blocks' sums in acc (mode&1) or
// from +0; then, if mode&2 (the last block), c[r*cstride+p] = alpha*T +
// beta*c[r*cstride+p] (two roundings; c not read when beta is +-0),
// otherwise T goes back to acc. With mode = 2, acc is not touched.
// Tile: 32 columns (4 chunks) x 10 classes, two accumulators per class;
// per row two loads of 16 elements (two conversions for pixels) and twenty
// FMAs, gp[i*10+r] broadcast from memory (each of ten values in two FMAs).
// The last nch%4 chunks are a tile of 8, 16 or 24 columns under the masks
// K1 (columns 0-15) and K2 (16-31): masked-off elements, sums and elements
// of c are neither read nor written.
// acc layout: tile t (columns 32t..32t+31) at acc[320t:], class r's
// columns at acc[320t + r*w:][:w] with w the tile's width (32, or 8*nch%4
// for the last), so the sums use acc[:80*nch] exactly.
// Register map: SI = &x[32t], DI = &c[32t], R8 = &offs[m], R13 = m,
// R12 = chunks left, R11 = cstride in bytes, R15 = &acc[320t], R14 = w in
// bytes, BX = the class row of acc or c being loaded or stored; CX = i-m
// (negative), DX = &gp[10i], R9, R10 = offs[i], offs[i+1]; Z0..Z9 =
// T[r][32t:32t+16], Z10..Z19 = T[r][32t+16:32t+32]; Z20, Z21 and Z24, Z25 =
// elements of rows i and i+1 as float32; Z22, Z23 = beta*c in the merge;
// Z26 = alpha, Z27 = beta.
#define GRAD_BLK_AVX512 \
	MOVQ x_base+0(FP), SI; \
	MOVQ offs_base+24(FP), R8; \
	MOVQ offs_len+32(FP), R13; \
	LEAQ (R8)(R13*8), R8;        /* &offs[m] */ \
	MOVQ c_base+72(FP), DI; \
	MOVQ cstride+96(FP), R11; \
	SHLQ $2, R11;                /* cstride in bytes */ \
	MOVQ nch+104(FP), R12; \
	MOVQ acc_base+120(FP), R15; \
	VBROADCASTSS alpha+112(FP), Z26; \
	VBROADCASTSS beta+116(FP), Z27; \
gtile: /* columns 32t .. 32t+w-1, w = 8*min(4, chunks left) */ \
	MOVL    $4, CX; \
	CMPQ    R12, CX; \
	CMOVQLT R12, CX; \
	SHLQ    $3, CX;              /* w */ \
	LEAQ    (CX*4), R14;         /* w in bytes: a class of the acc tile */ \
	MOVL    $1, AX; \
	SHLQ    CX, AX; \
	DECQ    AX;                  /* w ones */ \
	KMOVD   AX, K1;              /* columns 0-15 */ \
	KSHIFTRD $16, K1, K2;         /* columns 16-31 */ \
	MOVQ    mode+144(FP), AX; \
	TESTQ   $1, AX; \
	JZ      gzero; \
	MOVQ    R15, BX; \
	GRADZ_LOAD(Z0, Z10);          /* class 0 */ \
	GRADZ_LOAD(Z1, Z11); \
	GRADZ_LOAD(Z2, Z12); \
	GRADZ_LOAD(Z3, Z13); \
	GRADZ_LOAD(Z4, Z14); \
	GRADZ_LOAD(Z5, Z15); \
	GRADZ_LOAD(Z6, Z16); \
	GRADZ_LOAD(Z7, Z17); \
	GRADZ_LOAD(Z8, Z18); \
	GRADZ_LOAD(Z9, Z19);          /* class 9 */ \
	JMP     grows; \
gzero: \
	ZERO_Z0_Z19; \
grows: \
	MOVQ  gp_base+48(FP), DX; \
	MOVQ  R13, CX; \
	NEGQ  CX;                    /* CX = i-m with i = 0 */ \
	TESTQ $1, CX; \
	JZ    geven;                 /* m even */ \
	MOVQ  (R8)(CX*8), R9;        /* offs[0] */ \
	GRADZ_X(R9, Z20, Z21); \
	GRADZ_ROW(0, Z20, Z21);       /* row 0 alone */ \
	ADDQ  $40, DX;               /* gp += 10 */ \
	INCQ  CX; \
geven: /* the rest is an even number of rows */ \
	TESTQ CX, CX; \
	JZ    gend; \
gloop: /* for CX < 0: rows i and i+1 */ \
	MOVQ (R8)(CX*8), R9;         /* offs[i] */ \
	MOVQ 8(R8)(CX*8), R10;       /* offs[i+1] */ \
	GRADZ_X(R9, Z20, Z21); \
	GRADZ_X(R10, Z24, Z25); \
	GRADZ_ROW(0, Z20, Z21);       /* row i */ \
	GRADZ_ROW(40, Z24, Z25);      /* row i+1 */ \
	ADDQ $80, DX;                /* gp += 20 */ \
	ADDQ $2, CX; \
	JNZ  gloop; \
gend: /* keep the sums for the next block, or merge them into c */ \
	MOVQ  mode+144(FP), AX; \
	TESTQ $2, AX; \
	JNZ   gfinal; \
	MOVQ  R15, BX; \
	GRADZ_SAVE(Z0, Z10);          /* class 0 */ \
	GRADZ_SAVE(Z1, Z11); \
	GRADZ_SAVE(Z2, Z12); \
	GRADZ_SAVE(Z3, Z13); \
	GRADZ_SAVE(Z4, Z14); \
	GRADZ_SAVE(Z5, Z15); \
	GRADZ_SAVE(Z6, Z16); \
	GRADZ_SAVE(Z7, Z17); \
	GRADZ_SAVE(Z8, Z18); \
	GRADZ_SAVE(Z9, Z19);          /* class 9 */ \
	JMP   gnext; \
gfinal: /* c rows 0..9, the tile's columns: alpha*T + beta*c */ \
	VMULPS Z26, Z0, Z0; \
	VMULPS Z26, Z1, Z1; \
	VMULPS Z26, Z2, Z2; \
	VMULPS Z26, Z3, Z3; \
	VMULPS Z26, Z4, Z4; \
	VMULPS Z26, Z5, Z5; \
	VMULPS Z26, Z6, Z6; \
	VMULPS Z26, Z7, Z7; \
	VMULPS Z26, Z8, Z8; \
	VMULPS Z26, Z9, Z9; \
	VMULPS Z26, Z10, Z10; \
	VMULPS Z26, Z11, Z11; \
	VMULPS Z26, Z12, Z12; \
	VMULPS Z26, Z13, Z13; \
	VMULPS Z26, Z14, Z14; \
	VMULPS Z26, Z15, Z15; \
	VMULPS Z26, Z16, Z16; \
	VMULPS Z26, Z17, Z17; \
	VMULPS Z26, Z18, Z18; \
	VMULPS Z26, Z19, Z19; \
	MOVQ   DI, BX; \
	MOVL   beta+116(FP), AX; \
	SHLL   $1, AX;               /* drop the sign bit: zero for beta = +-0 */ \
	JZ     gstore; \
	GRADZ_MERGE(Z0, Z10);         /* class 0 */ \
	GRADZ_MERGE(Z1, Z11); \
	GRADZ_MERGE(Z2, Z12); \
	GRADZ_MERGE(Z3, Z13); \
	GRADZ_MERGE(Z4, Z14); \
	GRADZ_MERGE(Z5, Z15); \
	GRADZ_MERGE(Z6, Z16); \
	GRADZ_MERGE(Z7, Z17); \
	GRADZ_MERGE(Z8, Z18); \
	GRADZ_MERGE(Z9, Z19);         /* class 9 */ \
	JMP    gnext; \
gstore: \
	GRADZ_STORE(Z0, Z10);         /* class 0 */ \
	GRADZ_STORE(Z1, Z11); \
	GRADZ_STORE(Z2, Z12); \
	GRADZ_STORE(Z3, Z13); \
	GRADZ_STORE(Z4, Z14); \
	GRADZ_STORE(Z5, Z15); \
	GRADZ_STORE(Z6, Z16); \
	GRADZ_STORE(Z7, Z17); \
	GRADZ_STORE(Z8, Z18); \
	GRADZ_STORE(Z9, Z19);         /* class 9 */ \
gnext: \
	ADDQ $32*XSIZE, SI;          /* the next 32 columns of every row */ \
	ADDQ $128, DI; \
	ADDQ $1280, R15;             /* the next acc tile */ \
	SUBQ $4, R12; \
	JG   gtile; \
	VZEROUPPER; \
	RET
