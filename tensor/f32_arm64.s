//go:build !purego

// The NEON float32 kernels of the products of data rows (kernelSet in
// isa.go gives the contracts; the Go of rows_arm64.go builds the level's
// forward rows and gradient blocks from the first two): dotF32x2x5NEON,
// gradF32x10x8NEON and dotF32RowNEON, whose bodies are those of
// rows_arm64.h (which describes them), shared with the uint8 rows of
// u8_arm64.s. This file defines how the bodies read the rows: float32
// loads, offsets of x scaled by 4, and the elements already counted in
// dotF32RowNEON's tail step masked to +0 in x as in W.

#include "textflag.h"

// The element macros of rows_arm64.h for float32 rows.
#define XLD8P(r, lo, hi, f) VLD1.P 32(r), [lo.S4, hi.S4]
#define XLD8(r, lo, hi, f) VLD1 (r), [lo.S4, hi.S4]
#define XROW(o) ADD o<<2, R0, o
#define XLDROW(o, lo, hi, f) VLD1 (o), [lo.S4, hi.S4]
#define XWIDEN1(v)
#define XWIDEN2(lo, hi)
#define XUCVTF(n)
#define XEND(b, n, d) ADD n<<2, b, d
#define XBACK \
	LSL $2, R17, R17; \
	SUB R17, R10, R10
#define XAND(m, v) VAND m.B16, v.B16, v.B16

#include "rows_arm64.h"

// func dotF32x2x5NEON(x0, x1 []float32, w0, w1, w2, w3, w4 []float32, out *[10]float32)
TEXT ·dotF32x2x5NEON(SB), NOSPLIT, $0-176
	DOT2X5_NEON

// func gradF32x10x8NEON(x []float32, offs []int, gp []float32, tile *[80]float32)
TEXT ·gradF32x10x8NEON(SB), NOSPLIT, $0-80
	GRAD10X8_NEON

// func dotF32RowNEON(x []float32, w []float32, wstride int, alpha float32, bias []float32, z []float32)
TEXT ·dotF32RowNEON(SB), NOSPLIT, $48-112
	DOT_ROW_NEON
