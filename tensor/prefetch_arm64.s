//go:build !purego

#include "textflag.h"

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
