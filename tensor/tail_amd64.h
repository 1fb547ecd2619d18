// Tail helpers of the amd64 vector kernels, included by exp_amd64.s and
// vec_amd64.s. AVX2: n >= 8 elements are done as (n-1)/8 full vectors and
// one final vector at [n-8, n) that may overlap the previous one (its inputs
// loaded before anything is stored, so dst may equal src; reductions mask
// the overlapping lanes off with tailMask); n < 8 elements are loaded and
// stored in pieces of 1, 2 and 4 (PARTLOAD/PARTSTORE), which touch only
// elements of the slice. AVX-512: full vectors of 16, then the last n%16
// lanes under opmask K1 (TAILMASK): masked loads zero the lanes past the
// end, masked stores leave them alone, and neither faults on them.

#define PARTIDX \
	MOVQ CX, AX; \
	ANDQ $1, AX; \
	MOVQ CX, BX; \
	ANDQ $3, BX

// PARTLOAD loads the CX (1..7) floats at ptr into the lanes of y (whose low
// half is xr): element 0 to lane 0 if CX&1, the next two to lanes 2-3 if CX&2,
// the next four to lanes 4-7 if CX&4. The other lanes are zero.
#define PARTLOAD(ptr, xr, y, l1, l2, l4) \
	VXORPS xr, xr, xr; \
	TESTQ $1, CX; \
	JZ    l1; \
	VMOVSS (ptr), xr; \
l1: \
	TESTQ $2, CX; \
	JZ    l2; \
	VMOVHPS (ptr)(AX*4), xr, xr; \
l2: \
	TESTQ $4, CX; \
	JZ    l4; \
	VINSERTF128 $1, (ptr)(BX*4), y, y; \
l4:

// PARTSTORE stores the lanes of y that PARTLOAD fills to the CX floats at ptr.
#define PARTSTORE(ptr, xr, y, l1, l2, l4) \
	TESTQ $1, CX; \
	JZ    l1; \
	VMOVSS xr, (ptr); \
l1: \
	TESTQ $2, CX; \
	JZ    l2; \
	VMOVHPS xr, (ptr)(AX*4); \
l2: \
	TESTQ $4, CX; \
	JZ    l4; \
	VEXTRACTF128 $1, y, (ptr)(BX*4); \
l4:

// HSUM sets the low lane of xr to the sum of the 8 lanes of y (its low half
// is xr), clobbering xt.
#define HSUM(y, xr, xt) \
	VEXTRACTF128 $1, y, xt; \
	VADDPS xt, xr, xr; \
	VPERMILPS $0x4e, xr, xt; \
	VADDPS xt, xr, xr; \
	VPERMILPS $0xb1, xr, xt; \
	VADDSS xt, xr, xr

// TAILMASK sets K1 to the low CX bits (CX in 1..16), using AX.
#define TAILMASK \
	MOVL  $1, AX; \
	SHLL  CX, AX; \
	DECL  AX; \
	KMOVW AX, K1

// HSUM16 sets the low lane of x to the sum of the 16 lanes of z (whose low
// halves are y and x), clobbering yt (and its low half xt).
#define HSUM16(z, y, x, yt, xt) \
	VEXTRACTF64X4 $1, z, yt; \
	VADDPS        yt, y, y; \
	VEXTRACTF128  $1, y, xt; \
	VADDPS        xt, x, x; \
	VPERMILPS     $0x4e, x, xt; \
	VADDPS        xt, x, x; \
	VPERMILPS     $0xb1, x, xt; \
	VADDSS        xt, x, x

// tailMask: 8 zero words then 8 all-ones words. The 8 words at word k
// (0 <= k <= 8) keep the top k lanes of a vector.
DATA tailMask<>+0(SB)/4, $0
DATA tailMask<>+4(SB)/4, $0
DATA tailMask<>+8(SB)/4, $0
DATA tailMask<>+12(SB)/4, $0
DATA tailMask<>+16(SB)/4, $0
DATA tailMask<>+20(SB)/4, $0
DATA tailMask<>+24(SB)/4, $0
DATA tailMask<>+28(SB)/4, $0
DATA tailMask<>+32(SB)/4, $0xffffffff
DATA tailMask<>+36(SB)/4, $0xffffffff
DATA tailMask<>+40(SB)/4, $0xffffffff
DATA tailMask<>+44(SB)/4, $0xffffffff
DATA tailMask<>+48(SB)/4, $0xffffffff
DATA tailMask<>+52(SB)/4, $0xffffffff
DATA tailMask<>+56(SB)/4, $0xffffffff
DATA tailMask<>+60(SB)/4, $0xffffffff
GLOBL tailMask<>(SB), RODATA|NOPTR, $64

// shortSel: the bit of a count n < 8 that makes PARTLOAD fill each lane
// (lane 1 is never filled: bit 8 is never set).
DATA shortSel<>+0(SB)/4, $1
DATA shortSel<>+4(SB)/4, $8
DATA shortSel<>+8(SB)/4, $2
DATA shortSel<>+12(SB)/4, $2
DATA shortSel<>+16(SB)/4, $4
DATA shortSel<>+20(SB)/4, $4
DATA shortSel<>+24(SB)/4, $4
DATA shortSel<>+28(SB)/4, $4
GLOBL shortSel<>(SB), RODATA|NOPTR, $32
