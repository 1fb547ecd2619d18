//go:build !purego

// The NEON uint8 kernels (kernelSet in isa.go gives the contracts; the Go
// of rows_arm64.go builds the level's forward rows and gradient blocks from
// the first two): dotU8x2x5NEON, gradU8x10x8NEON and dotU8RowNEON, whose
// bodies are those of rows_arm64.h (which describes them), shared with the
// float32 rows of f32_arm64.s; and prefetchNEON. This file defines how the
// bodies read the rows: 8 bytes a load, widened u8 -> u16 -> u32 (UXTL) ->
// float32 (UCVTF) in registers.

#include "textflag.h"

// The element macros of rows_arm64.h for uint8 rows.
#define XLD8P(r, lo, hi, f) FMOVD.P 8(r), f
#define XLD8(r, lo, hi, f) FMOVD (r), f
#define XROW(o)
#define XLDROW(o, lo, hi, f) FMOVD (R0)(o), f
#define XWIDEN1(v) VUXTL v.B8, v.H8
#define XWIDEN2(lo, hi) \
	VUXTL2 lo.H8, hi.S4; \
	VUXTL  lo.H4, lo.S4
// XUCVTF is UCVTF Vn.4S, Vn.4S (0x6e21d800 with Rn = Rd = n), which Go's
// assembler lacks.
#define XUCVTF(n) WORD $(0x6e21d800|(n<<5)|n)
#define XEND(b, n, d) ADD b, n, d
#define XBACK \
	SUB R17, R10, R10; \
	LSL $2, R17, R17
#define XAND(m, v)

#include "rows_arm64.h"

// func dotU8x2x5NEON(x0, x1 []uint8, w0, w1, w2, w3, w4 []float32, out *[10]float32)
TEXT ·dotU8x2x5NEON(SB), NOSPLIT, $0-176
	DOT2X5_NEON

// func gradU8x10x8NEON(x []uint8, offs []int, gp []float32, tile *[80]float32)
TEXT ·gradU8x10x8NEON(SB), NOSPLIT, $0-80
	GRAD10X8_NEON

// func dotU8RowNEON(x []uint8, w []float32, wstride int, alpha float32, bias []float32, z []float32)
TEXT ·dotU8RowNEON(SB), NOSPLIT, $48-112
	DOT_ROW_NEON

// func prefetchNEON(p []uint8)
// Requires: ARMv8 (PRFM)
// Asks for every cache line of p (64-byte steps) to be brought into L2
// (PLDL2KEEP). A hint: it never faults.
// Register map: R0 = &p[i], R1 = end of p.
TEXT ·prefetchNEON(SB), NOSPLIT, $0-24
	MOVD p_base+0(FP), R0
	MOVD p_len+8(FP), R1
	CBZ  R1, done
	ADD  R0, R1, R1

loop: // for R0 < end: one line
	PRFM (R0), PLDL2KEEP
	ADD  $64, R0, R0
	CMP  R1, R0
	BLO  loop

done:
	RET
