//go:build !purego

// The fused softmax cross-entropy of rows of 10 logits (softmaxXent10; the
// contract is kernelSet.softmaxXent10 in isa.go): the AVX2 and the AVX-512
// kernels. Both use the exp of exp_amd64.h, and the AVX-512 kernel gives
// each row bitwise the AVX2 kernel's results. docs/kernels.md ("The fused
// softmax cross-entropy") compares the levels.

#include "textflag.h"
// The AVX-512 kernel keeps exp's constants in Z22-Z30 (its group takes
// Z0-Z21 and Z31), P0, P2 and P4 broadcast from memory where they are used.
#define ZEXPLO Z22
#define ZEXPHI Z23
#define ZEXPLOG2E Z24
#define ZEXPLN2HI Z25
#define ZEXPLN2LO Z26
#define ZEXPP1 Z27
#define ZEXPP3 Z28
#define ZEXPP5 Z29
#define ZEXPONE Z30
#define EXPP0(r) VBROADCASTSS expC<>+20(SB), r
#define EXPP2(r) VBROADCASTSS expC<>+28(SB), r
#define EXPP4(r) VBROADCASTSS expC<>+36(SB), r
#define EXPP_LOAD

#include "exp_amd64.h"

// XENT_COLSUM_RET ends both kernels: every gradient entry of magnitude
// below 2**-64 is set to +0 (see kernelSet.softmaxXent10: its products
// with the inputs could be subnormal, and it changes no weight), one row
// at a time; if len(cs) > 0, cs[j] = the float64 sum of the new z[10i+j]
// over the rows in order (one row at a time: the sums' order is the
// contract's); then correct (DX) is returned. It reads the arguments,
// whose layout the two kernels share, and clobbers Y0-Y9.
#define XENT_COLSUM_RET \
	MOVQ      z_base+0(FP), SI; \
	MOVQ      labels_len+32(FP), CX; \
	VPBROADCASTD xentFlush<>+0(SB), Y8; /* 0x7fffffff: |z| */ \
	VPBROADCASTD xentFlush<>+4(SB), Y9; /* the bits of 2**-64, less 1 */ \
	VXORPD    Y0, Y0, Y0;  /* cs[0:4] */ \
	VXORPD    Y1, Y1, Y1;  /* cs[4:8] */ \
	VXORPD    Y2, Y2, Y2;  /* cs[8:10] in X2 */ \
	TESTQ     CX, CX; \
	JZ        xentColsumStore; \
xentColsumLoop: \
	VMOVUPS   (SI), Y3;    /* z[0:8] */ \
	VMOVQ     32(SI), X5;  /* z[8:10] */ \
	VPAND     Y8, Y3, Y6; \
	VPCMPGTD  Y9, Y6, Y6;  /* |z| >= 2**-64 (the bits compare as integers; NaN stays) */ \
	VPAND     Y6, Y3, Y3; \
	VPAND     X8, X5, X7; \
	VPCMPGTD  X9, X7, X7; \
	VPAND     X7, X5, X5; \
	VMOVUPS   Y3, (SI); \
	VMOVQ     X5, 32(SI); \
	VCVTPS2PD X3, Y4;      /* float64(z[0:4]) */ \
	VEXTRACTF128 $1, Y3, X3; \
	VCVTPS2PD X3, Y3;      /* float64(z[4:8]) */ \
	VCVTPS2PD X5, X5;      /* float64(z[8:10]) */ \
	VADDPD    Y4, Y0, Y0; \
	VADDPD    Y3, Y1, Y1; \
	VADDPD    X5, X2, X2; \
	ADDQ      $40, SI; \
	DECQ      CX; \
	JNZ       xentColsumLoop; \
xentColsumStore: \
	MOVQ      cs_len+112(FP), AX; \
	TESTQ     AX, AX; \
	JZ        xentDone; \
	MOVQ      cs_base+104(FP), BX; \
	VMOVUPD   Y0, (BX); \
	VMOVUPD   Y1, 32(BX); \
	VMOVUPD   X2, 64(BX); \
xentDone: \
	MOVQ      DX, correct+128(FP); \
	VZEROUPPER; \
	RET

// The masks of XENT_COLSUM_RET's flush.
DATA xentFlush<>+0(SB)/4, $0x7fffffff
DATA xentFlush<>+4(SB)/4, $0x1f7fffff // (127-64)<<23 - 1
GLOBL xentFlush<>(SB), RODATA|NOPTR, $8



// XENTREDUCE reduces 4 rows to one value each, with op VMAXPS (the row
// maxima) or VADDPS (the row sums): x0-x3 hold the 4-lane partials of rows
// 0-3 (lane j: op(z[j], z[j+4]), j < 4), tl the 2 tail lanes (z[8], z[9]) of
// rows 0 and 1, th those of rows 2 and 3; xd gets the 4 results. Clobbers x0
// and xt. The order is fixed (lane by lane, as written), so each result
// depends only on its row:
//   xd = (p0[0] p0[1] p1[0] p1[1]) op (p0[2] p0[3] p1[2] p1[3]) op tl
//   x0 = (p2[0] p2[1] p3[0] p3[1]) op (p2[2] p2[3] p3[2] p3[3]) op th
//   xd = (xd[0] xd[2] x0[0] x0[2]) op (xd[1] xd[3] x0[1] x0[3])
#define XENTREDUCE(op, x0, x1, x2, x3, tl, th, xd, xt) \
	VSHUFPS $0x44, x1, x0, xd; \
	VSHUFPS $0xEE, x1, x0, xt; \
	op      xt, xd, xd; \
	op      tl, xd, xd; \
	VSHUFPS $0x44, x3, x2, x0; \
	VSHUFPS $0xEE, x3, x2, xt; \
	op      xt, x0, x0; \
	op      th, x0, x0; \
	VSHUFPS $0x88, x0, xd, xt; \
	VSHUFPS $0xDD, x0, xd, xd; \
	op      xt, xd, xd

// XENTROW is pass 1 of softmaxXent10AVX2 for row r of the group at SI: zo =
// 40r (its byte offset), lo = r (its label's), mo = 32+4r (its max on the
// stack), po = 64+16r (its partial sums on the stack), so = 8r (its shift's),
// tsh = 8-2r (moves its tail bits of R10 to bits 8-9). It counts a correct
// argmax into DX, stores shift[r] = float64(m) - float64(z[y]), sets
// z[0:8] = e**(z[0:8]-m) and stores the 4 lane sums e[j]+e[j+4].
#define XENTROW(zo, lo, mo, po, so, tsh) \
	VBROADCASTSS mo(SP), Y5;         /* m */ \
	VMOVUPS      zo(SI), Y0;         /* z[0:8] */ \
	VCMPPS       $0, Y5, Y0, Y6;     /* z[j] == m (ordered: false for NaN) */ \
	VMOVMSKPS    Y6, AX;             /* bits 0-7 */ \
	MOVL         R10, R11; \
	SHLL         $tsh, R11; \
	ANDL         $0x300, R11;        /* z[8] == m, z[9] == m at bits 8, 9 */ \
	ORL          R11, AX; \
	ORL          $0x400, AX;         /* bit 10: arg = 10 when no z[j] == m (NaN m) */ \
	BSFL         AX, AX;             /* arg = the first j with z[j] == m */ \
	MOVBLZX      lo(DI), BX;         /* y = labels[r] */ \
	XORL         R11, R11; \
	CMPL         AX, BX; \
	SETEQ        R11B; \
	ADDQ         R11, DX;            /* correct += arg == y */ \
	VCVTSS2SD    X5, X6, X6;         /* float64(m) */ \
	VCVTSS2SD    zo(SI)(BX*4), X7, X7; /* float64(z[y]), read before z is overwritten */ \
	VSUBSD       X7, X6, X6; \
	VMOVSD       X6, so(R9);         /* shift[r] = m - z[y], exact in float64 */ \
	VSUBPS       Y5, Y0, Y0;         /* z - m <= 0 */ \
	EXP8(Y0, Y1, Y2, Y3, Y6); \
	VMOVUPS      Y0, zo(SI);         /* z[0:8] = e */ \
	VEXTRACTF128 $1, Y0, X1; \
	VADDPS       X1, X0, X0;         /* e[j] + e[j+4], j < 4 */ \
	VMOVUPS      X0, po(SP)

// XENTGRAD is pass 2 of softmaxXent10AVX2 for the head z[0:8] of row r of the
// group at SI (zo = 40r, lo = r, co = 48+4r: its scale/s on the stack):
// z[j] = e[j]*(scale/s) - (j == y ? scale : 0), one rounding (FMA).
#define XENTGRAD(zo, lo, co) \
	VBROADCASTSS co(SP), Y5;                 /* c = scale/s */ \
	VPBROADCASTB lo(DI), Y6;                 /* y in every byte */ \
	VPCMPEQD     xentHeadIota<>(SB), Y6, Y6; /* lane j == y */ \
	VANDPS       0(SP), Y6, Y6;              /* scale in lane y, else 0 */ \
	VFMSUB231PS  zo(SI), Y5, Y6;             /* c*e - that */ \
	VMOVUPS      Y6, zo(SI)

// func softmaxXent10AVX2(z []float32, labels []uint8, scale float32, s []float32, shift []float64, cs []float64) (correct int)
// Requires: AVX2, FMA
// The fused softmax cross-entropy of n = len(labels) rows of 10 logits,
// z[10i:10i+10], in place (kernelSet.softmaxXent10 gives the contract).
// Rows go in groups of 4 (40 floats): their heads z[0:8] one vector each,
// their tails z[8:10] together in Y4 (row r in lanes 2r, 2r+1), so the 4 rows
// need 5 EXP8, not 8. Per group:
//   maxima: each head reduced to 4 lanes, then XENTREDUCE with the tails;
//   the tails: compare with m (R10 = mask), exp(z - m), kept in Y4;
//   XENTROW per row: argmax, shift, the head's exp stored in place;
//   s = XENTREDUCE(sum) of the rows' partial sums and the tails; c = scale/s;
//   the tails' and heads' gradients e*c - scale*onehot.
// The n%4 last rows are copied to a zero-padded group on the stack (padding
// rows have label 1 and zero logits, so they never count as correct), run
// through the same code, and their results copied back.
// Last, the flush of tiny entries and, if len(cs) > 0, cs[j] = sum over
// rows, in order, of float64(z[10i+j]) (XENT_COLSUM_RET).
// Register map: SI = &z[10i], DI = &labels[i], R8 = &s[i], R9 = &shift[i],
// CX = groups left, DX = correct, R12 = n%4, R13 = 1 while running the padded
// group, R10 = the tails' z == m mask, AX, BX, R11 = scratch,
// Y0-Y7 = work, Y8-Y15 = exp constants (LOADEXPC).
// Stack: 0 = scale x8, 32 = the group's 4 maxima, 48 = its 4 scale/s,
// 64 = the rows' 4-lane partial sums (16 bytes each), 128 = padded rows
// (160 bytes), 288 = padded labels (4), 296 = padded s (16),
// 312 = padded shift (32).
TEXT ·softmaxXent10AVX2(SB), 0, $344-136
	MOVQ         z_base+0(FP), SI
	MOVQ         labels_base+24(FP), DI
	MOVQ         labels_len+32(FP), CX
	MOVQ         s_base+56(FP), R8
	MOVQ         shift_base+80(FP), R9
	XORQ         DX, DX
	XORQ         R13, R13
	MOVQ         CX, R12
	ANDQ         $3, R12                 // rows in the last, partial group
	SHRQ         $2, CX                  // full groups
	VBROADCASTSS scale+48(FP), Y0
	VMOVUPS      Y0, 0(SP)               // scale x8
	LOADEXPC
	TESTQ        CX, CX
	JZ           xentRest

xentGroup: // one group of 4 rows at SI
	VMOVUPS      0(SI), Y0               // row 0: z[0:8]
	VMOVUPS      40(SI), Y1              // row 1
	VMOVUPS      80(SI), Y2              // row 2
	VMOVUPS      120(SI), Y3             // row 3
	VMOVSD       32(SI), X4              // row 0: z[8:10] to lanes 0-1
	VMOVHPS      72(SI), X4, X4          // row 1: lanes 2-3
	VMOVSD       112(SI), X5             // row 2
	VMOVHPS      152(SI), X5, X5         // row 3
	VINSERTF128  $1, X5, Y4, Y4          // the tails, row r in lanes 2r, 2r+1
	VEXTRACTF128 $1, Y0, X5
	VMAXPS       X5, X0, X0              // row 0: max(z[j], z[j+4]), j < 4
	VEXTRACTF128 $1, Y1, X5
	VMAXPS       X5, X1, X1              // row 1
	VEXTRACTF128 $1, Y2, X5
	VMAXPS       X5, X2, X2              // row 2
	VEXTRACTF128 $1, Y3, X5
	VMAXPS       X5, X3, X3              // row 3
	VEXTRACTF128 $1, Y4, X7              // tails of rows 2, 3
	XENTREDUCE(VMAXPS, X0, X1, X2, X3, X4, X7, X5, X6)
	VMOVUPS      X5, 32(SP)              // m of the 4 rows (a NaN may be dropped:
	                                     // it then makes its e, hence s, NaN)
	VUNPCKLPS    X5, X5, X6              // m0 m0 m1 m1
	VUNPCKHPS    X5, X5, X7              // m2 m2 m3 m3
	VINSERTF128  $1, X7, Y6, Y6          // each tail lane's m
	VCMPPS       $0, Y6, Y4, Y7          // tail z == m
	VMOVMSKPS    Y7, R10                 // row r's at bits 2r, 2r+1
	VSUBPS       Y6, Y4, Y4              // z - m
	EXP8(Y4, Y0, Y1, Y2, Y3)             // the tails' e, kept in Y4
	XENTROW(0, 0, 32, 64, 0, 8)
	XENTROW(40, 1, 36, 80, 8, 6)
	XENTROW(80, 2, 40, 96, 16, 4)
	XENTROW(120, 3, 44, 112, 24, 2)
	VMOVUPS      64(SP), X0              // the rows' partial sums
	VMOVUPS      80(SP), X1
	VMOVUPS      96(SP), X2
	VMOVUPS      112(SP), X3
	VEXTRACTF128 $1, Y4, X7              // tails' e of rows 2, 3
	XENTREDUCE(VADDPS, X0, X1, X2, X3, X4, X7, X5, X6)
	VMOVUPS      X5, (R8)                // s[0:4]
	VBROADCASTSS 0(SP), X6
	VDIVPS       X5, X6, X6              // c = scale/s
	VMOVUPS      X6, 48(SP)
	VUNPCKLPS    X6, X6, X5              // c0 c0 c1 c1
	VUNPCKHPS    X6, X6, X7              // c2 c2 c3 c3
	VINSERTF128  $1, X7, Y5, Y5          // each tail lane's c
	VPBROADCASTD (DI), Y7                // the 4 labels, in every dword
	VPSHUFB      xentTailShuf<>(SB), Y7, Y7 // each tail lane's y, in every byte
	VPCMPEQD     xentTailIota<>(SB), Y7, Y7 // lane's class (8, 9) == y
	VANDPS       0(SP), Y7, Y7           // scale there, else 0
	VFMSUB213PS  Y7, Y5, Y4              // tails: c*e - that
	VMOVSD       X4, 32(SI)              // row 0: z[8:10]
	VMOVHPS      X4, 72(SI)              // row 1
	VEXTRACTF128 $1, Y4, X4
	VMOVSD       X4, 112(SI)             // row 2
	VMOVHPS      X4, 152(SI)             // row 3
	XENTGRAD(0, 0, 48)
	XENTGRAD(40, 1, 52)
	XENTGRAD(80, 2, 56)
	XENTGRAD(120, 3, 60)
	ADDQ         $160, SI
	ADDQ         $4, DI
	ADDQ         $16, R8
	ADDQ         $32, R9
	TESTQ        R13, R13
	JNZ          xentPadOut              // that was the padded group
	DECQ         CX
	JNZ          xentGroup

xentRest: // R12 = n%4 rows left at SI, DI
	TESTQ        R12, R12
	JZ           xentColsum
	VXORPS       Y0, Y0, Y0
	VMOVUPS      Y0, 128(SP)             // zero the padded group's 40 logits
	VMOVUPS      Y0, 160(SP)
	VMOVUPS      Y0, 192(SP)
	VMOVUPS      Y0, 224(SP)
	VMOVUPS      Y0, 256(SP)
	MOVL         $0x01010101, 288(SP)    // padding labels: 1
	LEAQ         (R12)(R12*4), AX
	SHLQ         $1, AX                  // 10*(n%4) logits
	XORQ         BX, BX

xentCopyIn: // for BX < AX: the padded group's logits
	MOVL         (SI)(BX*4), R11
	MOVL         R11, 128(SP)(BX*4)
	INCQ         BX
	CMPQ         BX, AX
	JB           xentCopyIn
	XORQ         BX, BX

xentCopyLabels: // for BX < n%4: its labels
	MOVBLZX      (DI)(BX*1), R11
	MOVB         R11, 288(SP)(BX*1)
	INCQ         BX
	CMPQ         BX, R12
	JB           xentCopyLabels
	LEAQ         128(SP), SI
	LEAQ         288(SP), DI
	LEAQ         296(SP), R8
	LEAQ         312(SP), R9
	MOVQ         $1, R13
	JMP          xentGroup

xentPadOut: // copy the n%4 real rows of the padded group back
	MOVQ         labels_len+32(FP), CX
	SUBQ         R12, CX                 // their first row
	IMUL3Q       $40, CX, SI
	ADDQ         z_base+0(FP), SI        // &z[10*row]
	MOVQ         s_base+56(FP), R8
	LEAQ         (R8)(CX*4), R8          // &s[row]
	MOVQ         shift_base+80(FP), R9
	LEAQ         (R9)(CX*8), R9          // &shift[row]
	LEAQ         (R12)(R12*4), AX
	SHLQ         $1, AX
	XORQ         BX, BX

xentCopyOut: // for BX < 10*(n%4): the gradient
	MOVL         128(SP)(BX*4), R11
	MOVL         R11, (SI)(BX*4)
	INCQ         BX
	CMPQ         BX, AX
	JB           xentCopyOut
	XORQ         BX, BX

xentCopyS: // for BX < n%4: s and shift
	MOVL         296(SP)(BX*4), R11
	MOVL         R11, (R8)(BX*4)
	MOVQ         312(SP)(BX*8), R11
	MOVQ         R11, (R9)(BX*8)
	INCQ         BX
	CMPQ         BX, R12
	JB           xentCopyS

xentColsum: // cs[j] = the sum of z[10i+j] over the rows in order, in float64
	XENT_COLSUM_RET

// xentHeadIota: dword j = j in every byte (compared with a label broadcast
// to every byte).
DATA xentHeadIota<>+0(SB)/4, $0x00000000
DATA xentHeadIota<>+4(SB)/4, $0x01010101
DATA xentHeadIota<>+8(SB)/4, $0x02020202
DATA xentHeadIota<>+12(SB)/4, $0x03030303
DATA xentHeadIota<>+16(SB)/4, $0x04040404
DATA xentHeadIota<>+20(SB)/4, $0x05050505
DATA xentHeadIota<>+24(SB)/4, $0x06060606
DATA xentHeadIota<>+28(SB)/4, $0x07070707
GLOBL xentHeadIota<>(SB), RODATA|NOPTR, $32

// xentTailIota: the class of each tail lane (8, 9 for each of the 4 rows),
// in every byte.
DATA xentTailIota<>+0(SB)/4, $0x08080808
DATA xentTailIota<>+4(SB)/4, $0x09090909
DATA xentTailIota<>+8(SB)/4, $0x08080808
DATA xentTailIota<>+12(SB)/4, $0x09090909
DATA xentTailIota<>+16(SB)/4, $0x08080808
DATA xentTailIota<>+20(SB)/4, $0x09090909
DATA xentTailIota<>+24(SB)/4, $0x08080808
DATA xentTailIota<>+28(SB)/4, $0x09090909
GLOBL xentTailIota<>(SB), RODATA|NOPTR, $32

// xentTailShuf: the VPSHUFB control that spreads the 4 label bytes (at bytes
// 0-3 of each 128-bit lane) to the tail lanes: dwords 0-1 get label 0,
// 2-3 label 1 (low lane), 4-5 label 2, 6-7 label 3 (high lane).
DATA xentTailShuf<>+0(SB)/8, $0x0000000000000000
DATA xentTailShuf<>+8(SB)/8, $0x0101010101010101
DATA xentTailShuf<>+16(SB)/8, $0x0202020202020202
DATA xentTailShuf<>+24(SB)/8, $0x0303030303030303
GLOBL xentTailShuf<>(SB), RODATA|NOPTR, $32

// AVX-512 fused softmax cross-entropy of rows of 10 logits
// (softmaxXent10AVX512; the contract is kernelSet.softmaxXent10 in isa.go).
//
// Design: rows go in groups of 16 (160 floats, ten zmm loaded contiguously).
// The group is transposed in registers to class-major form (Z0-Z9: one
// vector per class, one lane per row), where the max, argmax, label logit,
// exp, sum and gradient of the 16 rows take vertical operations only; the
// gradient is transposed back and stored row-major. Every lane goes through
// the same operations as softmaxXent10AVX2 does for its row (the same
// operand order for VMAXPS, the same order of additions for s, an exp with
// EXP8's results, the same FMA for the gradient), so the results are
// bitwise those of the AVX2 kernel, and each row's results depend only on
// that row.
//
// The transpose (TRANSPOSE_IN, 40 shuffles) works on 128-bit chunks of 4
// floats. Row r = 8a + 4c + i (a, c in 0..1, i in 0..3) goes to lane r,
// that is quarter 2a+c, lane i of its quarter:
//   1. VSHUFF32X4 pairs chunks k and k+10 of each half a (rows 8a..8a+7)
//      (for a full group: 256-bit loads and VINSERTF32X8, a blend);
//   2. VSHUFF32X4 then gathers, for each chunk k = 0..9 of a block of 4
//      rows, the 4 blocks into the 4 quarters of Y_k (quarter Q = rows
//      4Q..4Q+3, floats 4k..4k+3 of that block's 40);
//   3, 4. two levels of VUNPCKLPS/VUNPCKHPS make the 4x10 block
//      transposes inside each quarter (E/O: rows 0 and 2, rows 1 and 3).
// TRANSPOSE_OUT undoes it with VSHUFPS and VSHUFF32X4 (40 shuffles).
//
// The column sums (float64, over the rows in order) are a pass over z at
// the end, with 256-bit adds as in softmaxXent10AVX2 (rows reloaded as 16, 16
// and 8 bytes, each inside one earlier store, so they are forwarded). The
// same sums in zmm inside the group loop, the chain overlapping the next
// group, measured slower: a 512-bit add has the latency of an FMA, and a
// row's 32 bytes reloaded at its own offset straddle two 64-byte stores,
// which cannot be forwarded.
//
// Tail: the n%16 last rows are one more group, loaded with zeroing masked
// loads (the missing rows are zeros) and stored with masked stores (the
// per-register masks are kept on the stack between the two); their labels
// are loaded with a byte mask over a vector of 10s, so the missing rows
// never count as correct and have no one-hot class. Nothing outside the
// slices is read or written (masked-off lanes do not fault).

// TRANSPOSE_IN turns the row-major group in Z0-Z9 (Z_q = floats 16q..16q+15
// of the 160) into class-major form in Z0-Z9 (Z_j lane r = row r, class j),
// through Z10-Z18 and Z31. See the file comment for the stages; "chunk t of
// half a" is floats 80a+4t..80a+4t+3.
// TRANSPOSE_IN1 is stage 1 of TRANSPOSE_IN (see TRANSPOSE_IN).
#define TRANSPOSE_IN1 \
	/* 1: V^a_k = [chunks k, k+1, k+10, k+11 of half a] -> Z10-Z14 (a=0), Z15-Z18, Z31 (a=1) */ \
	VSHUFF32X4 $0xE4, Z2, Z0, Z10; \
	VSHUFF32X4 $0x4E, Z3, Z0, Z11; \
	VSHUFF32X4 $0xE4, Z3, Z1, Z12; \
	VSHUFF32X4 $0x4E, Z4, Z1, Z13; \
	VSHUFF32X4 $0xE4, Z4, Z2, Z14; \
	VSHUFF32X4 $0xE4, Z7, Z5, Z15; \
	VSHUFF32X4 $0x4E, Z8, Z5, Z16; \
	VSHUFF32X4 $0xE4, Z8, Z6, Z17; \
	VSHUFF32X4 $0x4E, Z9, Z6, Z18; \
	VSHUFF32X4 $0xE4, Z9, Z7, Z31;

// TRANSPOSE_IN234 is stages 2-4 of TRANSPOSE_IN, from Z10-Z18, Z31.
#define TRANSPOSE_IN234 \
	/* 2: Y_k quarter 2a+c = chunk 10c+k of half a -> Z_k */ \
	VSHUFF32X4 $0x88, Z15, Z10, Z0; \
	VSHUFF32X4 $0xDD, Z15, Z10, Z1; \
	VSHUFF32X4 $0x88, Z16, Z11, Z2; \
	VSHUFF32X4 $0xDD, Z16, Z11, Z3; \
	VSHUFF32X4 $0x88, Z17, Z12, Z4; \
	VSHUFF32X4 $0xDD, Z17, Z12, Z5; \
	VSHUFF32X4 $0x88, Z18, Z13, Z6; \
	VSHUFF32X4 $0xDD, Z18, Z13, Z7; \
	VSHUFF32X4 $0x88, Z31, Z14, Z8; \
	VSHUFF32X4 $0xDD, Z31, Z14, Z9; \
	/* 3: per quarter, E_{j,j+1} = (r0 j, r2 j, r0 j+1, r2 j+1), O the same for rows 1, 3 */ \
	VUNPCKLPS Z5, Z0, Z10;  /* E01 */ \
	VUNPCKHPS Z5, Z0, Z11;  /* E23 */ \
	VUNPCKLPS Z6, Z1, Z12;  /* E45 */ \
	VUNPCKHPS Z6, Z1, Z13;  /* E67 */ \
	VUNPCKLPS Z7, Z2, Z14;  /* E89 */ \
	VUNPCKHPS Z7, Z2, Z15;  /* O01 */ \
	VUNPCKLPS Z8, Z3, Z16;  /* O23 */ \
	VUNPCKHPS Z8, Z3, Z17;  /* O45 */ \
	VUNPCKLPS Z9, Z4, Z18;  /* O67 */ \
	VUNPCKHPS Z9, Z4, Z31;  /* O89 */ \
	/* 4: C_j = (r0 j, r1 j, r2 j, r3 j) per quarter */ \
	VUNPCKLPS Z15, Z10, Z0; \
	VUNPCKHPS Z15, Z10, Z1; \
	VUNPCKLPS Z16, Z11, Z2; \
	VUNPCKHPS Z16, Z11, Z3; \
	VUNPCKLPS Z17, Z12, Z4; \
	VUNPCKHPS Z17, Z12, Z5; \
	VUNPCKLPS Z18, Z13, Z6; \
	VUNPCKHPS Z18, Z13, Z7; \
	VUNPCKLPS Z31, Z14, Z8; \
	VUNPCKHPS Z31, Z14, Z9

// TRANSPOSE_OUT is the inverse of TRANSPOSE_IN: class-major Z0-Z9 back to
// row-major Z0-Z9, through Z10-Z18 and Z31.
#define TRANSPOSE_OUT \
	/* 4': E, O of each pair of classes */ \
	VSHUFPS $0x88, Z1, Z0, Z10; \
	VSHUFPS $0xDD, Z1, Z0, Z15; \
	VSHUFPS $0x88, Z3, Z2, Z11; \
	VSHUFPS $0xDD, Z3, Z2, Z16; \
	VSHUFPS $0x88, Z5, Z4, Z12; \
	VSHUFPS $0xDD, Z5, Z4, Z17; \
	VSHUFPS $0x88, Z7, Z6, Z13; \
	VSHUFPS $0xDD, Z7, Z6, Z18; \
	VSHUFPS $0x88, Z9, Z8, Z14; \
	VSHUFPS $0xDD, Z9, Z8, Z31; \
	/* 3': Y_k (per quarter: floats 4k..4k+3 of its 4 rows) */ \
	VSHUFPS $0x88, Z11, Z10, Z0; \
	VSHUFPS $0xDD, Z11, Z10, Z5; \
	VSHUFPS $0x88, Z13, Z12, Z1; \
	VSHUFPS $0xDD, Z13, Z12, Z6; \
	VSHUFPS $0x88, Z15, Z14, Z2; \
	VSHUFPS $0xDD, Z15, Z14, Z7; \
	VSHUFPS $0x88, Z17, Z16, Z3; \
	VSHUFPS $0xDD, Z17, Z16, Z8; \
	VSHUFPS $0x88, Z31, Z18, Z4; \
	VSHUFPS $0xDD, Z31, Z18, Z9; \
	/* 2': T_{c,k} = [half 0 chunk 10c+k, half 1 the same, then k+1] */ \
	VSHUFF32X4 $0x88, Z1, Z0, Z10; \
	VSHUFF32X4 $0xDD, Z1, Z0, Z15; \
	VSHUFF32X4 $0x88, Z3, Z2, Z11; \
	VSHUFF32X4 $0xDD, Z3, Z2, Z16; \
	VSHUFF32X4 $0x88, Z5, Z4, Z12; \
	VSHUFF32X4 $0xDD, Z5, Z4, Z17; \
	VSHUFF32X4 $0x88, Z7, Z6, Z13; \
	VSHUFF32X4 $0xDD, Z7, Z6, Z18; \
	VSHUFF32X4 $0x88, Z9, Z8, Z14; \
	VSHUFF32X4 $0xDD, Z9, Z8, Z31; \
	/* 1': Z_q = floats 16q..16q+15 */ \
	VSHUFF32X4 $0x88, Z11, Z10, Z0; \
	VSHUFF32X4 $0xDD, Z11, Z10, Z5; \
	VSHUFF32X4 $0x88, Z13, Z12, Z1; \
	VSHUFF32X4 $0xDD, Z13, Z12, Z6; \
	VSHUFF32X4 $0x88, Z15, Z14, Z2; \
	VSHUFF32X4 $0xDD, Z15, Z14, Z7; \
	VSHUFF32X4 $0x88, Z17, Z16, Z3; \
	VSHUFF32X4 $0xDD, Z17, Z16, Z8; \
	VSHUFF32X4 $0x88, Z31, Z18, Z4; \
	VSHUFF32X4 $0xDD, Z31, Z18, Z9

// ARGSTEP lets class j (register cj, its index at byte 4j of xentJ) be the
// argmax of the lanes where it equals the max Z14 (run from j = 9 down to 0,
// so the first such class wins).
#define ARGSTEP(cj, jo) \
	VCMPPS       $0, Z14, cj, K1; \
	VPBROADCASTD xentJ<>+jo(SB), K1, Z17

// GRADSTEP sets class j's e (in cj) to e*c - (scale if the label is j, else
// +0) with one rounding: c in Z14, labels in Z19; k and tmp are scratch.
#define GRADSTEP(cj, jo, k, tmp) \
	VPCMPEQD.BCST  xentJ<>+jo(SB), Z19, k; \
	VBROADCASTSS.Z scale+48(FP), k, tmp; \
	VFMSUB213PS    tmp, Z14, cj

// MASKSTEP computes the mask of group register q (its floats below the
// count in Z10 minus 16q; Z11 = 0..15, Z12 = 16 x16) into K1, keeps it at
// mo(SP) and subtracts 16 from Z10.
#define MASKSTEP(mo) \
	VPCMPD $6, Z11, Z10, K1; \
	KMOVW  K1, mo(SP); \
	VPSUBD Z12, Z10, Z10

// func softmaxXent10AVX512(z []float32, labels []uint8, scale float32, s []float32, shift []float64, cs []float64) (correct int)
// Requires: AVX512F, AVX512BW, AVX512DQ, AVX512VL, POPCNT
// The fused softmax cross-entropy of n = len(labels) rows of 10 logits,
// z[10i:10i+10], in place (kernelSet.softmaxXent10 gives the contract),
// 16 rows per group in class-major form (file comment). Per group:
//   load (masked for the last, partial group) and TRANSPOSE_IN;
//   m = max in the order of XENTREDUCE: max(max(max(z0,z4), max(z2,z6)), z8)
//       and the same for 1, 3, 5, 7, 9, then max(odd, even);
//   argmax = the first class equal to m (10 when none: a NaN m), counted
//       when it is the label;
//   z[y] by a tree of blends on the bits of y; shift = float64(m) - float64(z[y]);
//   e_j = EXP16(z_j - m) (EXP16X2: two at a time);
//   s = (((e1+e5) + (e3+e7)) + e9) + (((e0+e4) + (e2+e6)) + e8);
//   c = scale/s; g_j = e_j*c - (scale if j == y) (one FMA);
//   TRANSPOSE_OUT, store.
// Last, the flush of tiny entries and, if len(cs) > 0, cs[j] = sum over
// the rows, in order, of float64(z[10i+j]) (XENT_COLSUM_RET).
// Register map: SI = &z[10i], DI = &labels[i], R8 = &s[i], R9 = &shift[i],
// CX = full groups left, DX = correct, R12 = n%16, R13 = 1 for the
// partial group, AX, BX = scratch; Z0-Z9 = the group (row-major, then
// class j in Z_j), Z10-Z13 = EXP16X2's first temporaries and scratch,
// Z14 = m, then c; Z15 = s (and, before it, Z15-Z18 = EXP16X2's second
// temporaries), Z16 = scale x16 for the division, Z17 = argmax,
// Z18 = z[y], Z19 = labels (int32), Z22-Z30 = exp constants,
// Z31 = scratch (the column sums: Y0, Y1, X2 = cs[0:4], cs[4:8], cs[8:10]);
// K5 = the group's rows (s, low shift), K7 = its rows 8-15 (high shift),
// K1-K4 = scratch.
// Stack: 0-19 = the partial group's ten 16-bit register masks.
TEXT ·softmaxXent10AVX512(SB), NOSPLIT, $24-136
	MOVQ   z_base+0(FP), SI
	MOVQ   labels_base+24(FP), DI
	MOVQ   labels_len+32(FP), CX
	MOVQ   s_base+56(FP), R8
	MOVQ   shift_base+80(FP), R9
	XORQ   DX, DX
	XORQ   R13, R13
	MOVQ   CX, R12
	ANDQ   $15, R12                  // rows in the partial group
	SHRQ   $4, CX                    // full groups
	LOADEXPZ
	MOVL   $0xffff, AX
	KMOVW  AX, K5                    // all 16 rows
	KSHIFTRW $8, K5, K7
	TESTQ  CX, CX
	JZ     xentTail

xentGroup: // a full group of 16 rows at SI: stage 1 of TRANSPOSE_IN from
	// memory, V^a_k = [floats 80a+4k..+7 | 80a+40+4k..+7] (a blend, not a shuffle)
	VMOVUPS       0(SI), Y10
	VINSERTF32X8  $1, 160(SI), Z10, Z10
	VMOVUPS       32(SI), Y11
	VINSERTF32X8  $1, 192(SI), Z11, Z11
	VMOVUPS       64(SI), Y12
	VINSERTF32X8  $1, 224(SI), Z12, Z12
	VMOVUPS       96(SI), Y13
	VINSERTF32X8  $1, 256(SI), Z13, Z13
	VMOVUPS       128(SI), Y14
	VINSERTF32X8  $1, 288(SI), Z14, Z14
	VMOVUPS       320(SI), Y15
	VINSERTF32X8  $1, 480(SI), Z15, Z15
	VMOVUPS       352(SI), Y16
	VINSERTF32X8  $1, 512(SI), Z16, Z16
	VMOVUPS       384(SI), Y17
	VINSERTF32X8  $1, 544(SI), Z17, Z17
	VMOVUPS       416(SI), Y18
	VINSERTF32X8  $1, 576(SI), Z18, Z18
	VMOVUPS       448(SI), Y31
	VINSERTF32X8  $1, 608(SI), Z31, Z31
	VPMOVZXBD     (DI), Z19          // the 16 labels
	JMP           xentStage2

xentCompute: // the partial group, loaded in Z0-Z9
	TRANSPOSE_IN1

xentStage2:
	TRANSPOSE_IN234

	// m: the order of softmaxXent10AVX2 (XENTREDUCE), VMAXPS sources alike
	VMAXPS Z4, Z0, Z10               // max(z0, z4)
	VMAXPS Z6, Z2, Z11               // max(z2, z6)
	VMAXPS Z5, Z1, Z12
	VMAXPS Z7, Z3, Z13
	VMAXPS Z11, Z10, Z10
	VMAXPS Z8, Z10, Z10              // even: ... then z8
	VMAXPS Z13, Z12, Z12
	VMAXPS Z9, Z12, Z12              // odd: ... then z9
	VMAXPS Z10, Z12, Z14             // m = max(odd, even)

	// the first argmax; correct += lanes where it is the label
	VPBROADCASTD xentJ<>+40(SB), Z17 // 10: no class equals m
	ARGSTEP(Z9, 36)
	ARGSTEP(Z8, 32)
	ARGSTEP(Z7, 28)
	ARGSTEP(Z6, 24)
	ARGSTEP(Z5, 20)
	ARGSTEP(Z4, 16)
	ARGSTEP(Z3, 12)
	ARGSTEP(Z2, 8)
	ARGSTEP(Z1, 4)
	ARGSTEP(Z0, 0)
	VPCMPEQD Z19, Z17, K1
	KMOVW    K1, AX
	POPCNTL  AX, AX
	ADDQ     AX, DX

	// z[y]: blends on the bits of y (y = 10 in a missing row: any value)
	VPTESTMD.BCST xentJ<>+4(SB), Z19, K1  // bit 0
	VPTESTMD.BCST xentJ<>+8(SB), Z19, K2  // bit 1
	VPTESTMD.BCST xentJ<>+16(SB), Z19, K3 // bit 2
	VPTESTMD.BCST xentJ<>+32(SB), Z19, K4 // bit 3
	VBLENDMPS Z1, Z0, K1, Z10        // y in 0, 1
	VBLENDMPS Z3, Z2, K1, Z11        // 2, 3
	VBLENDMPS Z5, Z4, K1, Z12        // 4, 5
	VBLENDMPS Z7, Z6, K1, Z13        // 6, 7
	VBLENDMPS Z9, Z8, K1, Z31        // 8, 9
	VBLENDMPS Z11, Z10, K2, Z10      // 0-3
	VBLENDMPS Z13, Z12, K2, Z12      // 4-7
	VBLENDMPS Z12, Z10, K3, Z10      // 0-7
	VBLENDMPS Z31, Z10, K4, Z18      // z[y]

	// shift = float64(m) - float64(z[y]), exact
	VCVTPS2PD     Y14, Z10
	VEXTRACTF32X8 $1, Z14, Y11
	VCVTPS2PD     Y11, Z11
	VCVTPS2PD     Y18, Z12
	VEXTRACTF32X8 $1, Z18, Y13
	VCVTPS2PD     Y13, Z13
	VSUBPD        Z12, Z10, Z10
	VSUBPD        Z13, Z11, Z11
	VMOVUPD       Z10, K5, (R9)      // shift of rows 0-7
	VMOVUPD       Z11, K7, 64(R9)    // rows 8-15

	// e_j = e**(z_j - m), two at a time
	VSUBPS Z14, Z0, Z0
	VSUBPS Z14, Z1, Z1
	EXP16X2(Z0, Z10, Z11, Z12, Z13, Z1, Z15, Z16, Z17, Z18)
	VSUBPS Z14, Z2, Z2
	VSUBPS Z14, Z3, Z3
	EXP16X2(Z2, Z10, Z11, Z12, Z13, Z3, Z15, Z16, Z17, Z18)
	VSUBPS Z14, Z4, Z4
	VSUBPS Z14, Z5, Z5
	EXP16X2(Z4, Z10, Z11, Z12, Z13, Z5, Z15, Z16, Z17, Z18)
	VSUBPS Z14, Z6, Z6
	VSUBPS Z14, Z7, Z7
	EXP16X2(Z6, Z10, Z11, Z12, Z13, Z7, Z15, Z16, Z17, Z18)
	VSUBPS Z14, Z8, Z8
	VSUBPS Z14, Z9, Z9
	EXP16X2(Z8, Z10, Z11, Z12, Z13, Z9, Z15, Z16, Z17, Z18)

	// s in the order of softmaxXent10AVX2, c = scale/s
	VADDPS  Z4, Z0, Z10              // e0 + e4
	VADDPS  Z6, Z2, Z11              // e2 + e6
	VADDPS  Z5, Z1, Z12
	VADDPS  Z7, Z3, Z13
	VADDPS  Z11, Z10, Z10
	VADDPS  Z8, Z10, Z10             // even: ... + e8
	VADDPS  Z13, Z12, Z12
	VADDPS  Z9, Z12, Z12             // odd: ... + e9
	VADDPS  Z10, Z12, Z15            // s = odd + even
	VMOVUPS Z15, K5, (R8)
	VBROADCASTSS scale+48(FP), Z16
	VDIVPS  Z15, Z16, Z14            // c = scale/s

	// the gradient, class-major
	GRADSTEP(Z0, 0, K1, Z10)
	GRADSTEP(Z1, 4, K2, Z11)
	GRADSTEP(Z2, 8, K3, Z12)
	GRADSTEP(Z3, 12, K4, Z13)
	GRADSTEP(Z4, 16, K1, Z10)
	GRADSTEP(Z5, 20, K2, Z11)
	GRADSTEP(Z6, 24, K3, Z12)
	GRADSTEP(Z7, 28, K4, Z13)
	GRADSTEP(Z8, 32, K1, Z10)
	GRADSTEP(Z9, 36, K2, Z11)
	TRANSPOSE_OUT
	TESTQ R13, R13
	JNZ   xentTailStore
	VMOVUPS Z0, 0(SI)
	VMOVUPS Z1, 64(SI)
	VMOVUPS Z2, 128(SI)
	VMOVUPS Z3, 192(SI)
	VMOVUPS Z4, 256(SI)
	VMOVUPS Z5, 320(SI)
	VMOVUPS Z6, 384(SI)
	VMOVUPS Z7, 448(SI)
	VMOVUPS Z8, 512(SI)
	VMOVUPS Z9, 576(SI)

xentNext:
	ADDQ  $640, SI
	ADDQ  $16, DI
	ADDQ  $64, R8
	ADDQ  $128, R9
	DECQ  CX
	JNZ   xentGroup

xentTail: // R12 = n%16 rows left
	TESTQ R12, R12
	JZ    xentFinish
	MOVQ  $1, R13
	MOVQ  R12, CX
	MOVL  $1, AX
	SHLL  CX, AX
	DECL  AX
	KMOVW AX, K5                     // the rows
	KSHIFTRW $8, K5, K7
	MOVL         $0x0a0a0a0a, AX
	VPBROADCASTD AX, X19             // label 10 for the missing rows
	VMOVDQU8     (DI), K5, X19
	VPMOVZXBD    X19, Z19
	IMUL3Q       $10, R12, AX        // floats in the group
	VPBROADCASTD AX, Z10
	VMOVDQU32    xentIota<>(SB), Z11 // 0..15
	VPBROADCASTD xentJ<>+64(SB), Z12 // 16
	MASKSTEP(0)
	VMOVUPS.Z 0(SI), K1, Z0
	MASKSTEP(2)
	VMOVUPS.Z 64(SI), K1, Z1
	MASKSTEP(4)
	VMOVUPS.Z 128(SI), K1, Z2
	MASKSTEP(6)
	VMOVUPS.Z 192(SI), K1, Z3
	MASKSTEP(8)
	VMOVUPS.Z 256(SI), K1, Z4
	MASKSTEP(10)
	VMOVUPS.Z 320(SI), K1, Z5
	MASKSTEP(12)
	VMOVUPS.Z 384(SI), K1, Z6
	MASKSTEP(14)
	VMOVUPS.Z 448(SI), K1, Z7
	MASKSTEP(16)
	VMOVUPS.Z 512(SI), K1, Z8
	MASKSTEP(18)
	VMOVUPS.Z 576(SI), K1, Z9
	JMP       xentCompute

xentTailStore: // the partial group's gradient, under the masks of its loads
	KMOVW   0(SP), K1
	VMOVUPS Z0, K1, 0(SI)
	KMOVW   2(SP), K1
	VMOVUPS Z1, K1, 64(SI)
	KMOVW   4(SP), K1
	VMOVUPS Z2, K1, 128(SI)
	KMOVW   6(SP), K1
	VMOVUPS Z3, K1, 192(SI)
	KMOVW   8(SP), K1
	VMOVUPS Z4, K1, 256(SI)
	KMOVW   10(SP), K1
	VMOVUPS Z5, K1, 320(SI)
	KMOVW   12(SP), K1
	VMOVUPS Z6, K1, 384(SI)
	KMOVW   14(SP), K1
	VMOVUPS Z7, K1, 448(SI)
	KMOVW   16(SP), K1
	VMOVUPS Z8, K1, 512(SI)
	KMOVW   18(SP), K1
	VMOVUPS Z9, K1, 576(SI)

xentFinish: // the flush; cs[j] = the sum of z[10i+j] over the rows in order, in float64
	XENT_COLSUM_RET


// func expXentAVX512(dst, src []float32)
// Requires: AVX512F, AVX512BW
// dst[i] = EXP16(src[i]) for i < len(src), len(dst) >= len(src): the exp of
// softmaxXent10AVX512 on a slice, for the tests that compare it with
// expAVX2.
// Register map: SI = &src[i], DI = &dst[i], CX = elements left, AX = the
// last block's count, Z0 = x, Z10-Z13 = EXP16's temporaries, Z22-Z30 =
// exp constants, K1 = the last block's mask.
// Tail: the last len%16 elements with a zeroing masked load and a masked
// store.
TEXT ·expXentAVX512(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	LOADEXPZ
	CMPQ CX, $16
	JB   expXentTail

expXentLoop: // for CX >= 16: 16 elements
	VMOVUPS (SI), Z0
	EXP16(Z0, Z10, Z11, Z12, Z13)
	VMOVUPS Z0, (DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $16, CX
	CMPQ    CX, $16
	JAE     expXentLoop

expXentTail: // 0 <= CX < 16
	TESTQ     CX, CX
	JZ        expXentDone
	MOVL      $1, AX
	SHLL      CX, AX
	DECL      AX
	KMOVW     AX, K1
	VMOVUPS.Z (SI), K1, Z0
	EXP16(Z0, Z10, Z11, Z12, Z13)
	VMOVUPS   Z0, K1, (DI)

expXentDone:
	VZEROUPPER
	RET

// xentJ: int32 j at byte 4j for j = 0..10, and 16 at byte 64.
DATA xentJ<>+0(SB)/4, $0
DATA xentJ<>+4(SB)/4, $1
DATA xentJ<>+8(SB)/4, $2
DATA xentJ<>+12(SB)/4, $3
DATA xentJ<>+16(SB)/4, $4
DATA xentJ<>+20(SB)/4, $5
DATA xentJ<>+24(SB)/4, $6
DATA xentJ<>+28(SB)/4, $7
DATA xentJ<>+32(SB)/4, $8
DATA xentJ<>+36(SB)/4, $9
DATA xentJ<>+40(SB)/4, $10
DATA xentJ<>+44(SB)/4, $0
DATA xentJ<>+48(SB)/4, $0
DATA xentJ<>+52(SB)/4, $0
DATA xentJ<>+56(SB)/4, $0
DATA xentJ<>+60(SB)/4, $0
DATA xentJ<>+64(SB)/4, $16
GLOBL xentJ<>(SB), RODATA|NOPTR, $68

// xentIota: int32 lanes 0..15.
DATA xentIota<>+0(SB)/8, $0x0000000100000000
DATA xentIota<>+8(SB)/8, $0x0000000300000002
DATA xentIota<>+16(SB)/8, $0x0000000500000004
DATA xentIota<>+24(SB)/8, $0x0000000700000006
DATA xentIota<>+32(SB)/8, $0x0000000900000008
DATA xentIota<>+40(SB)/8, $0x0000000b0000000a
DATA xentIota<>+48(SB)/8, $0x0000000d0000000c
DATA xentIota<>+56(SB)/8, $0x0000000f0000000e
GLOBL xentIota<>(SB), RODATA|NOPTR, $64
