//go:build !purego

// The peak probe's loops (peak.go): independent chains of multiply-adds on
// registers only, no memory. fmaLoopAVX2: 12 chains of VFMADD231PS ymm,
// enough to keep 2 FMA pipes of latency 4-5 busy; fmaLoopAVX512: 16 chains
// of VFMADD231PS zmm, for cores that issue two 512-bit FMAs a cycle.
// docs/kernels.md ("The peak probe") gives the development machines' peaks.

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
