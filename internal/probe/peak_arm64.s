//go:build !purego

// Peak probe for NEON: 24 independent chains of VFMLA .4S (FMLA Vd.4S), enough
// to keep up to 4 FMA pipes of latency 4 busy (Neoverse V1/V2, Apple cores).
// Registers only, no memory. See peak.go, and docs/kernels.md ("The peak
// probe").

#include "textflag.h"

// VFMLA Vm, Vn, Vd is Vd += Vn*Vm (Go operand order, sources first).
#define FMA24 \
	VFMLA V24.S4, V25.S4, V0.S4  \
	VFMLA V24.S4, V25.S4, V1.S4  \
	VFMLA V24.S4, V25.S4, V2.S4  \
	VFMLA V24.S4, V25.S4, V3.S4  \
	VFMLA V24.S4, V25.S4, V4.S4  \
	VFMLA V24.S4, V25.S4, V5.S4  \
	VFMLA V24.S4, V25.S4, V6.S4  \
	VFMLA V24.S4, V25.S4, V7.S4  \
	VFMLA V24.S4, V25.S4, V8.S4  \
	VFMLA V24.S4, V25.S4, V9.S4  \
	VFMLA V24.S4, V25.S4, V10.S4 \
	VFMLA V24.S4, V25.S4, V11.S4 \
	VFMLA V24.S4, V25.S4, V12.S4 \
	VFMLA V24.S4, V25.S4, V13.S4 \
	VFMLA V24.S4, V25.S4, V14.S4 \
	VFMLA V24.S4, V25.S4, V15.S4 \
	VFMLA V24.S4, V25.S4, V16.S4 \
	VFMLA V24.S4, V25.S4, V17.S4 \
	VFMLA V24.S4, V25.S4, V18.S4 \
	VFMLA V24.S4, V25.S4, V19.S4 \
	VFMLA V24.S4, V25.S4, V20.S4 \
	VFMLA V24.S4, V25.S4, V21.S4 \
	VFMLA V24.S4, V25.S4, V22.S4 \
	VFMLA V24.S4, V25.S4, V23.S4

#define ZERO(r) VEOR r.B16, r.B16, r.B16

// func fmaLoopNEON(n int)
// Register map: R0 = iterations left, V0-V23 = the 24 accumulators,
// V24, V25 = the factors. All start at zero (0*0 + 0 stays 0: no
// subnormals). V8-V15 need no saving: Go has no callee-saved FP registers.
// Tail: none; n <= 0 runs nothing.
TEXT ·fmaLoopNEON(SB), NOSPLIT, $0-8
	MOVD n+0(FP), R0
	CMP  $0, R0
	BLE  done
	ZERO(V0)
	ZERO(V1)
	ZERO(V2)
	ZERO(V3)
	ZERO(V4)
	ZERO(V5)
	ZERO(V6)
	ZERO(V7)
	ZERO(V8)
	ZERO(V9)
	ZERO(V10)
	ZERO(V11)
	ZERO(V12)
	ZERO(V13)
	ZERO(V14)
	ZERO(V15)
	ZERO(V16)
	ZERO(V17)
	ZERO(V18)
	ZERO(V19)
	ZERO(V20)
	ZERO(V21)
	ZERO(V22)
	ZERO(V23)
	ZERO(V24)
	ZERO(V25)

loop: // for ; R0 > 0; R0--
	FMA24
	SUBS $1, R0, R0
	BNE  loop

done:
	RET
