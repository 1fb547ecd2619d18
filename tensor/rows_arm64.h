// The NEON products of data rows, shared by uint8 rows (u8_arm64.s) and
// float32 rows (f32_arm64.s) (kernelSet in isa.go gives the contracts; the
// Go of rows_arm64.go builds the level's forward rows and gradient blocks
// from the first two): dot*x2x5NEON, a dot-product ("rd") 2x5 tile along
// k; grad*x10x8NEON, a 10-class x 8-column outer-product tile that adds to
// its sums (so that blocks of rows carry them); dot*RowNEON, one row against
// ten classes per pass. docs/kernels.md ("The uint8 products") compares the
// tiles of every level.
//
// Each kernel's body is a macro here. u8_arm64.s and f32_arm64.s define the
// element macros below and give each body its TEXT line, so a uint8 kernel
// and its float32 twin are the same tiles, registers and tails and differ
// only in how x is read: uint8 pixels are widened u8 -> u16 -> u32 (UXTL)
// -> float32 (UCVTF) in registers, float32 elements loaded as they are; and
// dot*RowNEON's tail step masks the elements already counted in x as well
// as in W for float32 rows, so that each product is added once (an Inf of
// x times a masked +0 of W would add a NaN; pixels are finite).
//
// Go's assembler lacks FMLA (by element), UCVTF (vector), FADDP, FMUL and
// FADD (vector), so they are written as WORD with the instruction in a
// comment in ARM syntax (destination first). The encodings were checked
// against llvm-mc and llvm-objdump (those of dot*RowNEON follow gemm_arm64.s
// and vec_arm64.s: the same instructions on other registers), and the tests
// run every one of them.
//
// The element macros, which the including file defines (uint8 | float32):
//   XLD8P(r, lo, hi, f)     loads 8 elements at r and advances r past them:
//                           the pixels in the low half of lo (FMOVD.P into
//                           f, lo's scalar view) | lo, hi (VLD1.P)
//   XLD8(r, lo, hi, f)      the same at r, r unchanged
//   XROW(o)                 turns the offset o of a row of x (R0 = &x[0])
//                           into what XLDROW takes (nothing | &x[o])
//   XLDROW(o, lo, hi, f)    loads the 8 elements of that row ((R0)(o) | (o))
//   XWIDEN1(v), XWIDEN2(lo, hi), XUCVTF(n)
//                           the steps of XCVT8 (nothing for float32): v's 8
//                           bytes to 16 bits; lo's to 32 bits (the high four
//                           into hi); Vn's int32 lanes to float32
//   XEND(b, n, d)           d = b + n elements
//   XBACK                   R10 -= R17 elements and R17 *= 4 (R17 = the
//                           elements the tail steps back), in either order
//   XAND(m, v)              v &= m for float32 rows (the tail's mask on x);
//                           nothing for uint8
// Register use, tails and contracts are in each body's comment; "x" is the
// rows of either type, "elements" its uint8 pixels or float32 values.

// XCVT8 converts the 8 elements loaded by XLD8P, XLD8 or XLDROW into lo, hi
// (Vnlo, Vnhi) to float32: u8 -> u16 -> u32 (UXTL) -> float32 (UCVTF) for
// pixels, nothing for float32.
#define XCVT8(lo, hi, nlo, nhi) \
	XWIDEN1(lo);     \
	XWIDEN2(lo, hi); \
	XUCVTF(nlo);     \
	XUCVTF(nhi)

// ZERO_V12_V31 clears the 20 accumulators of dot*x2x5NEON and
// dot*RowNEON.
#define ZERO_V12_V31 \
	VEOR V12.B16, V12.B16, V12.B16; \
	VEOR V13.B16, V13.B16, V13.B16; \
	VEOR V14.B16, V14.B16, V14.B16; \
	VEOR V15.B16, V15.B16, V15.B16; \
	VEOR V16.B16, V16.B16, V16.B16; \
	VEOR V17.B16, V17.B16, V17.B16; \
	VEOR V18.B16, V18.B16, V18.B16; \
	VEOR V19.B16, V19.B16, V19.B16; \
	VEOR V20.B16, V20.B16, V20.B16; \
	VEOR V21.B16, V21.B16, V21.B16; \
	VEOR V22.B16, V22.B16, V22.B16; \
	VEOR V23.B16, V23.B16, V23.B16; \
	VEOR V24.B16, V24.B16, V24.B16; \
	VEOR V25.B16, V25.B16, V25.B16; \
	VEOR V26.B16, V26.B16, V26.B16; \
	VEOR V27.B16, V27.B16, V27.B16; \
	VEOR V28.B16, V28.B16, V28.B16; \
	VEOR V29.B16, V29.B16, V29.B16; \
	VEOR V30.B16, V30.B16, V30.B16; \
	VEOR V31.B16, V31.B16, V31.B16


// DOT2X5_NEON is the body of dotU8x2x5NEON and dotF32x2x5NEON:
// func(x0, x1 []E, w0, w1, w2, w3, w4 []float32, out *[10]float32)
// Requires: ASIMD
// out[r*5+j] = sum_{p<k} float32(x_r[p]) * w_j[p] for r < 2, j < 5, with
// k = len(x0) rounded down to a multiple of 8 (callers pass a multiple of 8;
// k = 0 gives zeros). Reads x0, x1, w0..w4 [:k], writes out.
// Register map: R0, R1 = &x0[p], &x1[p]; R2..R6 = &w0[p]..&w4[p];
// R7 = k-p-8 (the loop runs while >= 0); R8 = out;
// V0, V1 = float32(x0[p:p+4]), float32(x0[p+4:p+8]); V2, V3 = the same for x1;
// V4..V11 = w_j[p:p+8] (two vectors per row; w4 reuses V4, V5 once w0 is done);
// V12+10r+2j, V13+10r+2j = accumulators of out[r*5+j] for lanes p..p+3 and
// p+4..p+7 (20 independent accumulators).
// Loop: 8 elements per iteration: 2 loads of x (of 8 bytes, widened u8 ->
// u16 -> u32 (UXTL) -> float32 (UCVTF), for pixels), 10 W loads, 20 FMLAs.
// No tail: k is a multiple of 8.
// Epilogue: FADDP lanes of each pair of accumulators, then three FADDP
// trees give out[0:4], out[4:8] and out[8:10].
#define DOT2X5_NEON \
	MOVD x0_base+0(FP), R0; \
	MOVD x0_len+8(FP), R7; \
	MOVD x1_base+24(FP), R1; \
	MOVD w0_base+48(FP), R2; \
	MOVD w1_base+72(FP), R3; \
	MOVD w2_base+96(FP), R4; \
	MOVD w3_base+120(FP), R5; \
	MOVD w4_base+144(FP), R6; \
	MOVD out+168(FP), R8; \
	ZERO_V12_V31; \
	SUBS $8, R7, R7; \
	BLT  reduce;         /* k < 8: out is zero */ \
loop8: /* for R7 >= 0: elements p..p+7 */ \
	XLD8P(R0, V0, V1, F0);            /* x0[p:p+8] */ \
	XLD8P(R1, V2, V3, F2);            /* x1[p:p+8] */ \
	VLD1.P  32(R2), [V4.S4, V5.S4];   /* w0[p:p+8] */ \
	VLD1.P  32(R3), [V6.S4, V7.S4];   /* w1[p:p+8] */ \
	VLD1.P  32(R4), [V8.S4, V9.S4];   /* w2[p:p+8] */ \
	VLD1.P  32(R5), [V10.S4, V11.S4]; /* w3[p:p+8] */ \
	XWIDEN1(V0);                      /* pixels: u8 -> u16 */ \
	XWIDEN1(V2); \
	XWIDEN2(V0, V1);                  /* u16 -> u32 */ \
	XWIDEN2(V2, V3); \
	XUCVTF(0);                        /* -> float32 */ \
	XUCVTF(1); \
	XUCVTF(2); \
	XUCVTF(3); \
	VFMLA   V4.S4, V0.S4, V12.S4;     /* out[0] += w0 * x0 */ \
	VFMLA   V5.S4, V1.S4, V13.S4; \
	VFMLA   V4.S4, V2.S4, V22.S4;     /* out[5] += w0 * x1 */ \
	VFMLA   V5.S4, V3.S4, V23.S4; \
	VLD1.P  32(R6), [V4.S4, V5.S4];   /* w4[p:p+8] */ \
	VFMLA   V6.S4, V0.S4, V14.S4;     /* out[1] += w1 * x0 */ \
	VFMLA   V7.S4, V1.S4, V15.S4; \
	VFMLA   V6.S4, V2.S4, V24.S4;     /* out[6] += w1 * x1 */ \
	VFMLA   V7.S4, V3.S4, V25.S4; \
	VFMLA   V8.S4, V0.S4, V16.S4;     /* out[2] += w2 * x0 */ \
	VFMLA   V9.S4, V1.S4, V17.S4; \
	VFMLA   V8.S4, V2.S4, V26.S4;     /* out[7] += w2 * x1 */ \
	VFMLA   V9.S4, V3.S4, V27.S4; \
	VFMLA   V10.S4, V0.S4, V18.S4;    /* out[3] += w3 * x0 */ \
	VFMLA   V11.S4, V1.S4, V19.S4; \
	VFMLA   V10.S4, V2.S4, V28.S4;    /* out[8] += w3 * x1 */ \
	VFMLA   V11.S4, V3.S4, V29.S4; \
	VFMLA   V4.S4, V0.S4, V20.S4;     /* out[4] += w4 * x0 */ \
	VFMLA   V5.S4, V1.S4, V21.S4; \
	VFMLA   V4.S4, V2.S4, V30.S4;     /* out[9] += w4 * x1 */ \
	VFMLA   V5.S4, V3.S4, V31.S4; \
	SUBS    $8, R7, R7; \
	BGE     loop8; \
reduce: /* V12+2t = FADDP(V12+2t, V13+2t): 4 partial sums of out[t] */ \
	WORD $0x6e2dd58c; /* FADDP V12.4S, V12.4S, V13.4S: out[0] = sum of V12 */ \
	WORD $0x6e2fd5ce; /* FADDP V14.4S, V14.4S, V15.4S: out[1] = sum of V14 */ \
	WORD $0x6e31d610; /* FADDP V16.4S, V16.4S, V17.4S: out[2] = sum of V16 */ \
	WORD $0x6e33d652; /* FADDP V18.4S, V18.4S, V19.4S: out[3] = sum of V18 */ \
	WORD $0x6e35d694; /* FADDP V20.4S, V20.4S, V21.4S: out[4] = sum of V20 */ \
	WORD $0x6e37d6d6; /* FADDP V22.4S, V22.4S, V23.4S: out[5] = sum of V22 */ \
	WORD $0x6e39d718; /* FADDP V24.4S, V24.4S, V25.4S: out[6] = sum of V24 */ \
	WORD $0x6e3bd75a; /* FADDP V26.4S, V26.4S, V27.4S: out[7] = sum of V26 */ \
	WORD $0x6e3dd79c; /* FADDP V28.4S, V28.4S, V29.4S: out[8] = sum of V28 */ \
	WORD $0x6e3fd7de; /* FADDP V30.4S, V30.4S, V31.4S: out[9] = sum of V30 */ \
	WORD $0x6e2ed580; /* FADDP V0.4S, V12.4S, V14.4S */ \
	WORD $0x6e32d601; /* FADDP V1.4S, V16.4S, V18.4S */ \
	WORD $0x6e21d400; /* FADDP V0.4S, V0.4S, V1.4S: V0 = out[0:4] */ \
	WORD $0x6e36d682; /* FADDP V2.4S, V20.4S, V22.4S */ \
	WORD $0x6e3ad703; /* FADDP V3.4S, V24.4S, V26.4S */ \
	WORD $0x6e23d442; /* FADDP V2.4S, V2.4S, V3.4S: V2 = out[4:8] */ \
	WORD $0x6e3ed784; /* FADDP V4.4S, V28.4S, V30.4S */ \
	WORD $0x6e24d484; /* FADDP V4.4S, V4.4S, V4.4S: V4.S[0:2] = out[8:10] */ \
	FMOVQ F0, (R8);   /* out[0:4] */ \
	FMOVQ F2, 16(R8); /* out[4:8] */ \
	FMOVD F4, 32(R8); /* out[8:10] */ \
	RET

// GRAD10X8_NEON is the body of gradU8x10x8NEON and gradF32x10x8NEON:
// func(x []E, offs []int, gp []float32, tile *[80]float32)
// Requires: ASIMD
// tile[c*8+j] += sum_{i<m} gp[i*10+c] * float32(x[offs[i]+j]) for c < 10,
// j < 8, m = len(offs), one FMA per row in row order from the tile's sums
// (m <= 0 leaves the tile unchanged). Reads x[offs[i]:offs[i]+8],
// offs[:m], gp[:10m] and tile; writes tile.
// Register map: R0 = &x[0], R1 = &offs[i], R2 = &gp[10i], R3 = rows left,
// R4 = tile, R5, R6 = offs[i], offs[i+1] (&x[offs[i]], &x[offs[i+1]] for
// float32 rows), R7 = scratch;
// V0..V4 = gp[10i:10i+20] (g of row i in lanes 0-9, of row i+1 in lanes 10-19);
// V5, V6 = float32(x[offs[i]:][0:4]), [4:8]; V7, V8 = the same for row i+1;
// V12+2c, V13+2c = tile[c*8:c*8+4], tile[c*8+4:c*8+8] (20 accumulators).
// Loop: two rows per iteration, each 8 elements loaded (8 bytes widened u8
// -> u16 -> u32 (UXTL) -> float32 (UCVTF) for pixels) and used by 20 FMLAs
// by element of g. An odd m runs row 0 alone through the second half of
// the loop body (its gp loaded into lanes 2-11 of V2..V4), so nothing past
// gp[10m] or offs[m] is read.
#define GRAD10X8_NEON \
	MOVD x_base+0(FP), R0; \
	MOVD offs_base+24(FP), R1; \
	MOVD offs_len+32(FP), R3; \
	MOVD gp_base+48(FP), R2; \
	MOVD tile+72(FP), R4; \
	MOVD R4, R7; \
	VLD1.P 64(R7), [V12.S4, V13.S4, V14.S4, V15.S4]; /* the sums so far: classes 0, 1 */ \
	VLD1.P 64(R7), [V16.S4, V17.S4, V18.S4, V19.S4]; /* 2, 3 */ \
	VLD1.P 64(R7), [V20.S4, V21.S4, V22.S4, V23.S4]; /* 4, 5 */ \
	VLD1.P 64(R7), [V24.S4, V25.S4, V26.S4, V27.S4]; /* 6, 7 */ \
	VLD1   (R7), [V28.S4, V29.S4, V30.S4, V31.S4];  /* 8, 9 */ \
	CMP  $1, R3; \
	BLT  store;          /* m <= 0: the tile is unchanged */ \
	TBZ  $0, R3, loop2;  /* m even: only whole pairs */ \
	SUB  $1, R3;         /* m odd: row 0 alone, as the second row of a pair */ \
	MOVD.P 8(R1), R6; \
	XROW(R6); \
	XLDROW(R6, V7, V8, F7);            /* x[offs[0]:offs[0]+8] */ \
	VLD1.P 8(R2), V2.D[1];             /* gp[0:2] -> V2.S[2:4] */ \
	VLD1.P 32(R2), [V3.S4, V4.S4];     /* gp[2:10] */ \
	B    row1; \
loop2: /* for R3 > 0 (R3 even): rows i and i+1 */ \
	SUB    $2, R3; \
	LDP.P  16(R1), (R5, R6);           /* offs[i], offs[i+1] */ \
	XROW(R5); \
	XROW(R6); \
	XLDROW(R5, V5, V6, F5);            /* x[offs[i]:offs[i]+8] */ \
	XLDROW(R6, V7, V8, F7);            /* x[offs[i+1]:offs[i+1]+8] */ \
	VLD1.P 64(R2), [V0.S4, V1.S4, V2.S4, V3.S4]; /* gp[10i:10i+16] */ \
	VLD1.P 16(R2), [V4.S4];            /* gp[10i+16:10i+20] */ \
	XCVT8(V5, V6, 5, 6); \
	/* T[c][:] += X[i][:] * gp[10i+c] */ \
	WORD $0x4f8010ac; /* FMLA V12.4S, V5.4S, V0.S[0]: T[0][0:4] += X[0:4] * g[0] */ \
	WORD $0x4f8010cd; /* FMLA V13.4S, V6.4S, V0.S[0]: T[0][4:8] += X[4:8] * g[0] */ \
	WORD $0x4fa010ae; /* FMLA V14.4S, V5.4S, V0.S[1]: T[1][0:4] += X[0:4] * g[1] */ \
	WORD $0x4fa010cf; /* FMLA V15.4S, V6.4S, V0.S[1]: T[1][4:8] += X[4:8] * g[1] */ \
	WORD $0x4f8018b0; /* FMLA V16.4S, V5.4S, V0.S[2]: T[2][0:4] += X[0:4] * g[2] */ \
	WORD $0x4f8018d1; /* FMLA V17.4S, V6.4S, V0.S[2]: T[2][4:8] += X[4:8] * g[2] */ \
	WORD $0x4fa018b2; /* FMLA V18.4S, V5.4S, V0.S[3]: T[3][0:4] += X[0:4] * g[3] */ \
	WORD $0x4fa018d3; /* FMLA V19.4S, V6.4S, V0.S[3]: T[3][4:8] += X[4:8] * g[3] */ \
	WORD $0x4f8110b4; /* FMLA V20.4S, V5.4S, V1.S[0]: T[4][0:4] += X[0:4] * g[4] */ \
	WORD $0x4f8110d5; /* FMLA V21.4S, V6.4S, V1.S[0]: T[4][4:8] += X[4:8] * g[4] */ \
	WORD $0x4fa110b6; /* FMLA V22.4S, V5.4S, V1.S[1]: T[5][0:4] += X[0:4] * g[5] */ \
	WORD $0x4fa110d7; /* FMLA V23.4S, V6.4S, V1.S[1]: T[5][4:8] += X[4:8] * g[5] */ \
	WORD $0x4f8118b8; /* FMLA V24.4S, V5.4S, V1.S[2]: T[6][0:4] += X[0:4] * g[6] */ \
	WORD $0x4f8118d9; /* FMLA V25.4S, V6.4S, V1.S[2]: T[6][4:8] += X[4:8] * g[6] */ \
	WORD $0x4fa118ba; /* FMLA V26.4S, V5.4S, V1.S[3]: T[7][0:4] += X[0:4] * g[7] */ \
	WORD $0x4fa118db; /* FMLA V27.4S, V6.4S, V1.S[3]: T[7][4:8] += X[4:8] * g[7] */ \
	WORD $0x4f8210bc; /* FMLA V28.4S, V5.4S, V2.S[0]: T[8][0:4] += X[0:4] * g[8] */ \
	WORD $0x4f8210dd; /* FMLA V29.4S, V6.4S, V2.S[0]: T[8][4:8] += X[4:8] * g[8] */ \
	WORD $0x4fa210be; /* FMLA V30.4S, V5.4S, V2.S[1]: T[9][0:4] += X[0:4] * g[9] */ \
	WORD $0x4fa210df; /* FMLA V31.4S, V6.4S, V2.S[1]: T[9][4:8] += X[4:8] * g[9] */ \
row1: /* T[c][:] += X[i+1][:] * gp[10(i+1)+c] */ \
	XCVT8(V7, V8, 7, 8); \
	WORD $0x4f8218ec; /* FMLA V12.4S, V7.4S, V2.S[2]: T[0][0:4] += X[0:4] * g[0] */ \
	WORD $0x4f82190d; /* FMLA V13.4S, V8.4S, V2.S[2]: T[0][4:8] += X[4:8] * g[0] */ \
	WORD $0x4fa218ee; /* FMLA V14.4S, V7.4S, V2.S[3]: T[1][0:4] += X[0:4] * g[1] */ \
	WORD $0x4fa2190f; /* FMLA V15.4S, V8.4S, V2.S[3]: T[1][4:8] += X[4:8] * g[1] */ \
	WORD $0x4f8310f0; /* FMLA V16.4S, V7.4S, V3.S[0]: T[2][0:4] += X[0:4] * g[2] */ \
	WORD $0x4f831111; /* FMLA V17.4S, V8.4S, V3.S[0]: T[2][4:8] += X[4:8] * g[2] */ \
	WORD $0x4fa310f2; /* FMLA V18.4S, V7.4S, V3.S[1]: T[3][0:4] += X[0:4] * g[3] */ \
	WORD $0x4fa31113; /* FMLA V19.4S, V8.4S, V3.S[1]: T[3][4:8] += X[4:8] * g[3] */ \
	WORD $0x4f8318f4; /* FMLA V20.4S, V7.4S, V3.S[2]: T[4][0:4] += X[0:4] * g[4] */ \
	WORD $0x4f831915; /* FMLA V21.4S, V8.4S, V3.S[2]: T[4][4:8] += X[4:8] * g[4] */ \
	WORD $0x4fa318f6; /* FMLA V22.4S, V7.4S, V3.S[3]: T[5][0:4] += X[0:4] * g[5] */ \
	WORD $0x4fa31917; /* FMLA V23.4S, V8.4S, V3.S[3]: T[5][4:8] += X[4:8] * g[5] */ \
	WORD $0x4f8410f8; /* FMLA V24.4S, V7.4S, V4.S[0]: T[6][0:4] += X[0:4] * g[6] */ \
	WORD $0x4f841119; /* FMLA V25.4S, V8.4S, V4.S[0]: T[6][4:8] += X[4:8] * g[6] */ \
	WORD $0x4fa410fa; /* FMLA V26.4S, V7.4S, V4.S[1]: T[7][0:4] += X[0:4] * g[7] */ \
	WORD $0x4fa4111b; /* FMLA V27.4S, V8.4S, V4.S[1]: T[7][4:8] += X[4:8] * g[7] */ \
	WORD $0x4f8418fc; /* FMLA V28.4S, V7.4S, V4.S[2]: T[8][0:4] += X[0:4] * g[8] */ \
	WORD $0x4f84191d; /* FMLA V29.4S, V8.4S, V4.S[2]: T[8][4:8] += X[4:8] * g[8] */ \
	WORD $0x4fa418fe; /* FMLA V30.4S, V7.4S, V4.S[3]: T[9][0:4] += X[0:4] * g[9] */ \
	WORD $0x4fa4191f; /* FMLA V31.4S, V8.4S, V4.S[3]: T[9][4:8] += X[4:8] * g[9] */ \
	CBNZ R3, loop2; \
store: \
	VST1.P [V12.S4, V13.S4, V14.S4, V15.S4], 64(R4); /* classes 0, 1 */ \
	VST1.P [V16.S4, V17.S4, V18.S4, V19.S4], 64(R4); /* 2, 3 */ \
	VST1.P [V20.S4, V21.S4, V22.S4, V23.S4], 64(R4); /* 4, 5 */ \
	VST1.P [V24.S4, V25.S4, V26.S4, V27.S4], 64(R4); /* 6, 7 */ \
	VST1   [V28.S4, V29.S4, V30.S4, V31.S4], (R4);  /* 8, 9 */ \
	RET

// One row (an image, a sample) against all classes (Predict) in NEON:
// dot*RowNEON, the contracts "dotU8Row" and "dotF32Row" (kernelSet in
// isa.go), with the design of dot*RowAVX2 (rows_amd64.h): a dot product
// along k with the classes in groups of 10, 8 elements per step (pixels
// widened u8 -> u16 -> u32 (UXTL) -> float32 (UCVTF)) used by the 20 FMLAs
// of the 10 classes (two accumulators of 4 lanes per class), W rows clamped
// to the last real row in the last group, the last k%8 elements in one more
// step over the 8 that end at k with the lanes of the elements already
// counted masked to +0 in W, and in x for float32 rows (each product added
// once).

// ROWPTRN sets r = &w[min(j0+i, n-1)*wstride] with j0 in R13, n-1 in R14,
// 4*wstride in R15 and &w[0] in R16.
#define ROWPTRN(i, r) \
	ADD  $i, R13, r; \
	CMP  R14, r; \
	CSEL GT, R14, r, r; \
	MUL  R15, r, r; \
	ADD  R16, r, r

// ROWSTEP loads 8 floats of W row r (post-incremented) into wl, wh and adds
// them times the elements V0, V1 to the accumulators al, ah.
#define ROWSTEP(r, wl, wh, al, ah) \
	VLD1.P 32(r), [wl.S4, wh.S4]; \
	VFMLA  wl.S4, V0.S4, al.S4; \
	VFMLA  wh.S4, V1.S4, ah.S4

// ROWTAILN adds the elements V0, V1 (masked for float32 rows) times W row
// r (8 floats at r) with the lanes masked by V2, V3 (+0 for the elements
// already counted) to al, ah.
#define ROWTAILN(r, wl, wh, al, ah) \
	VLD1  (r), [wl.S4, wh.S4]; \
	VAND  V2.B16, wl.B16, wl.B16; \
	VAND  V3.B16, wh.B16, wh.B16; \
	VFMLA wl.S4, V0.S4, al.S4; \
	VFMLA wh.S4, V1.S4, ah.S4


// DOT_ROW_NEON is the body of dotU8RowNEON and dotF32RowNEON:
// func(x []E, w []float32, wstride int, alpha float32, bias []float32, z []float32)
// Requires: ASIMD
// z[j] = float32(alpha*s_j) + bias[j] for j < n = len(z) (two roundings),
// s_j = sum_{p<k} float32(x[p]) * w[j*wstride+p], k = len(x) >= 8 (the
// caller handles k < 8), n >= 1, len(bias) >= n, w[:(n-1)*wstride+k] in
// bounds (not checked). Every cache line of x is prefetched at entry.
// Per group: s_j in the lanes of V(12+2j) (elements 8q..8q+3) and
// V(13+2j) (8q+4..8q+7), summed by FADDP trees into [s0..s3], [s4..s7], [s8, s9];
// a group of 10 real classes loads bias and stores z as vectors, a last
// partial group goes through a buffer on the stack, one class at a time.
// Register map: R0-R9 = W rows j0..j0+9 (clamped, post-incremented),
// R10 = &x[p], R11 = k-p-8 (the loop runs while >= 0), R12 = k%8, then the
// group's classes, R13 = j0, R14 = n-1, R15 = 4*wstride, R16 = &w[0],
// R17, R19-R21 = scratch; V0, V1 = 8 elements as float32, V2-V11 = W (V2, V3
// the tail's mask), V12-V31 = the accumulators.
// Stack (a frame of 48 bytes): buf = the group's 10 sums, j0.
#define DOT_ROW_NEON \
	MOVD $0, R13; \
	MOVD R13, j0-48(SP); \
rowGroup: /* classes j0 .. min(j0+10, n)-1 */ \
	MOVD z_len+96(FP), R14; \
	SUB  $1, R14, R14; \
	MOVD wstride+48(FP), R15; \
	LSL  $2, R15, R15; \
	MOVD w_base+24(FP), R16; \
	ROWPTRN(0, R0); \
	ROWPTRN(1, R1); \
	ROWPTRN(2, R2); \
	ROWPTRN(3, R3); \
	ROWPTRN(4, R4); \
	ROWPTRN(5, R5); \
	ROWPTRN(6, R6); \
	ROWPTRN(7, R7); \
	ROWPTRN(8, R8); \
	ROWPTRN(9, R9); \
	MOVD x_base+0(FP), R10; \
	MOVD x_len+8(FP), R11; \
	CBNZ R13, rowZero; \
	XEND(R10, R11, R17);         /* end of x */ \
	MOVD R10, R19; \
rowPrefetch: /* the first group: every cache line of x (k >= 8) */ \
	PRFM (R19), PLDL1KEEP; \
	ADD  $64, R19, R19; \
	CMP  R17, R19; \
	BLO  rowPrefetch; \
rowZero: \
	ZERO_V12_V31; \
	SUB  $8, R11, R11;           /* k >= 8: at least one step */ \
rowLoop: /* for R11 >= 0: elements p..p+7 */ \
	XLD8P(R10, V0, V1, F0);      /* x[p:p+8] */ \
	XCVT8(V0, V1, 0, 1); \
	ROWSTEP(R0, V2, V3, V12, V13); \
	ROWSTEP(R1, V4, V5, V14, V15); \
	ROWSTEP(R2, V6, V7, V16, V17); \
	ROWSTEP(R3, V8, V9, V18, V19); \
	ROWSTEP(R4, V10, V11, V20, V21); \
	ROWSTEP(R5, V2, V3, V22, V23); \
	ROWSTEP(R6, V4, V5, V24, V25); \
	ROWSTEP(R7, V6, V7, V26, V27); \
	ROWSTEP(R8, V8, V9, V28, V29); \
	ROWSTEP(R9, V10, V11, V30, V31); \
	SUBS $8, R11, R11; \
	BGE  rowLoop; \
	ADD  $8, R11, R12;           /* k%8 */ \
	CBZ  R12, rowReduce; \
	MOVD $8, R17; \
	SUB  R12, R17, R17;          /* 8 - k%8: the elements to step back */ \
	XBACK;                       /* &x[k-8]; R17 = 4*(8 - k%8) */ \
	SUB  R17, R0, R0; \
	SUB  R17, R1, R1; \
	SUB  R17, R2, R2; \
	SUB  R17, R3, R3; \
	SUB  R17, R4, R4; \
	SUB  R17, R5, R5; \
	SUB  R17, R6, R6; \
	SUB  R17, R7, R7; \
	SUB  R17, R8, R8; \
	SUB  R17, R9, R9; \
	XLD8(R10, V0, V1, F0);       /* x[k-8:k] */ \
	XCVT8(V0, V1, 0, 1); \
	MOVD $rowTailN<>(SB), R19; \
	ADD  R12<<2, R19, R19; \
	VLD1 (R19), [V2.S4, V3.S4];  /* lane l: all ones if l >= 8 - k%8 */ \
	XAND(V2, V0);                /* float32: x's lanes already counted: +0 */ \
	XAND(V3, V1); \
	ROWTAILN(R0, V4, V5, V12, V13); \
	ROWTAILN(R1, V6, V7, V14, V15); \
	ROWTAILN(R2, V8, V9, V16, V17); \
	ROWTAILN(R3, V10, V11, V18, V19); \
	ROWTAILN(R4, V4, V5, V20, V21); \
	ROWTAILN(R5, V6, V7, V22, V23); \
	ROWTAILN(R6, V8, V9, V24, V25); \
	ROWTAILN(R7, V10, V11, V26, V27); \
	ROWTAILN(R8, V4, V5, V28, V29); \
	ROWTAILN(R9, V6, V7, V30, V31); \
rowReduce: /* FADDP trees: [s0..s3] in V0, [s4..s7] in V1, [s8 s9 s8 s9] in V2 */ \
	WORD $0x6e2dd58c; /* FADDP V12.4S, V12.4S, V13.4S: 4 partial sums of s0 */ \
	WORD $0x6e2fd5ce; /* FADDP V14.4S, V14.4S, V15.4S: 4 partial sums of s1 */ \
	WORD $0x6e31d610; /* FADDP V16.4S, V16.4S, V17.4S: 4 partial sums of s2 */ \
	WORD $0x6e33d652; /* FADDP V18.4S, V18.4S, V19.4S: 4 partial sums of s3 */ \
	WORD $0x6e35d694; /* FADDP V20.4S, V20.4S, V21.4S: 4 partial sums of s4 */ \
	WORD $0x6e37d6d6; /* FADDP V22.4S, V22.4S, V23.4S: 4 partial sums of s5 */ \
	WORD $0x6e39d718; /* FADDP V24.4S, V24.4S, V25.4S: 4 partial sums of s6 */ \
	WORD $0x6e3bd75a; /* FADDP V26.4S, V26.4S, V27.4S: 4 partial sums of s7 */ \
	WORD $0x6e3dd79c; /* FADDP V28.4S, V28.4S, V29.4S: 4 partial sums of s8 */ \
	WORD $0x6e3fd7de; /* FADDP V30.4S, V30.4S, V31.4S: 4 partial sums of s9 */ \
	WORD $0x6e2ed580; /* FADDP V0.4S, V12.4S, V14.4S */ \
	WORD $0x6e32d601; /* FADDP V1.4S, V16.4S, V18.4S */ \
	WORD $0x6e21d400; /* FADDP V0.4S, V0.4S, V1.4S: s0..s3 */ \
	WORD $0x6e36d681; /* FADDP V1.4S, V20.4S, V22.4S */ \
	WORD $0x6e3ad702; /* FADDP V2.4S, V24.4S, V26.4S */ \
	WORD $0x6e22d421; /* FADDP V1.4S, V1.4S, V2.4S: s4..s7 */ \
	WORD $0x6e3ed782; /* FADDP V2.4S, V28.4S, V30.4S */ \
	WORD $0x6e22d442; /* FADDP V2.4S, V2.4S, V2.4S: s8, s9 */ \
	FMOVS alpha+56(FP), F3; \
	VDUP  V3.S[0], V3.S4; \
	WORD $0x6e23dc00; /* FMUL V0.4S, V0.4S, V3.4S: alpha*s */ \
	WORD $0x6e23dc21; /* FMUL V1.4S, V1.4S, V3.4S: alpha*s */ \
	WORD $0x6e23dc42; /* FMUL V2.4S, V2.4S, V3.4S: alpha*s */ \
	MOVD z_len+96(FP), R12; \
	SUB  R13, R12, R12;          /* classes left */ \
	MOVD bias_base+64(FP), R19; \
	ADD  R13<<2, R19, R19;       /* &bias[j0] */ \
	MOVD z_base+88(FP), R20; \
	ADD  R13<<2, R20, R20;       /* &z[j0] */ \
	ADD  $10, R13, R13; \
	MOVD R13, j0-48(SP); \
	CMP  $10, R12; \
	BLT  rowPart; \
	VLD1 (R19), [V4.S4, V5.S4];  /* bias[j0:j0+8] */ \
	FMOVD 32(R19), F6;           /* bias[j0+8:j0+10] */ \
	WORD $0x4e24d400; /* FADD V0.4S, V0.4S, V4.4S: + bias */ \
	WORD $0x4e25d421; /* FADD V1.4S, V1.4S, V5.4S */ \
	WORD $0x4e26d442; /* FADD V2.4S, V2.4S, V6.4S */ \
	VST1  [V0.S4, V1.S4], (R20); \
	FMOVD F2, 32(R20); \
	MOVD  z_len+96(FP), R14; \
	CMP   R14, R13; \
	BLT   rowGroup; \
	RET; \
rowPart: /* the last group: R12 < 10 classes, one at a time through buf */ \
	MOVD  $buf-40(SP), R21; \
	VST1  [V0.S4, V1.S4], (R21); \
	FMOVD F2, 32(R21); \
rowPartLoop: /* for R12 > 0: z = alpha*s + bias */ \
	FMOVS.P 4(R21), F16; \
	FMOVS.P 4(R19), F17; \
	FADDS   F17, F16, F16; \
	FMOVS.P F16, 4(R20); \
	SUBS    $1, R12, R12; \
	BNE     rowPartLoop; \
	RET

// rowTailN: eight 32-bit zeros then eight all-ones; the 8 words from word
// kt keep lanes 8-kt .. 7.
DATA rowTailN<>+0(SB)/8, $0
DATA rowTailN<>+8(SB)/8, $0
DATA rowTailN<>+16(SB)/8, $0
DATA rowTailN<>+24(SB)/8, $0
DATA rowTailN<>+32(SB)/8, $-1
DATA rowTailN<>+40(SB)/8, $-1
DATA rowTailN<>+48(SB)/8, $-1
DATA rowTailN<>+56(SB)/8, $-1
GLOBL rowTailN<>(SB), RODATA|NOPTR, $64
