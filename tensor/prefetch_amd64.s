//go:build !purego

#include "textflag.h"

// func prefetchAVX2(p []uint8)
// Requires: SSE (PREFETCHT2)
// Asks for every cache line of p to be brought into L2 (PREFETCHT2: into L2
// and not L1, where the weights of the forward product live). A hint: it
// never faults, and touches no register state the caller sees.
// Register map: SI = &p[0], CX = len(p), AX = offset of the line.
TEXT ·prefetchAVX2(SB), NOSPLIT, $0-24
	MOVQ p_base+0(FP), SI
	MOVQ p_len+8(FP), CX
	XORQ AX, AX
	TESTQ CX, CX
	JZ   done

loop: // for AX < len(p): one line
	PREFETCHT2 (SI)(AX*1)
	ADDQ       $64, AX
	CMPQ       AX, CX
	JLT        loop

done:
	RET
