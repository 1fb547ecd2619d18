//go:build !purego

// Peak probe for AVX2+FMA: 12 independent chains of VFMADD231PS ymm, enough
// to keep 2 FMA pipes of latency 4-5 busy (Zen3: 2 x 8 lanes x 2 FLOP = 32
// FLOP/cycle). Registers only, no memory. See peak.go and
// shared/notes/kernels.md section 0.

#include "textflag.h"

#define FMA12 \
	VFMADD231PS Y12, Y13, Y0  \
	VFMADD231PS Y12, Y13, Y1  \
	VFMADD231PS Y12, Y13, Y2  \
	VFMADD231PS Y12, Y13, Y3  \
	VFMADD231PS Y12, Y13, Y4  \
	VFMADD231PS Y12, Y13, Y5  \
	VFMADD231PS Y12, Y13, Y6  \
	VFMADD231PS Y12, Y13, Y7  \
	VFMADD231PS Y12, Y13, Y8  \
	VFMADD231PS Y12, Y13, Y9  \
	VFMADD231PS Y12, Y13, Y10 \
	VFMADD231PS Y12, Y13, Y11

// func fmaLoopAVX2(n int)
// Requires: AVX2, FMA
// Register map: CX = iterations left, Y0-Y11 = the 12 accumulators,
// Y12, Y13 = the factors. All start at zero (0*0 + 0 stays 0: no
// subnormals, and the FMA latency does not depend on the values).
// Tail: none; n <= 0 runs nothing.
TEXT ·fmaLoopAVX2(SB), NOSPLIT, $0-8
	MOVQ   n+0(FP), CX
	TESTQ  CX, CX
	JLE    done
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
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	VXORPS Y12, Y12, Y12
	VXORPS Y13, Y13, Y13

loop: // for ; CX > 0; CX--
	FMA12
	DECQ CX
	JNZ  loop
	VZEROUPPER

done:
	RET
