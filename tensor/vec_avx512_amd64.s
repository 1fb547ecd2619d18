//go:build !purego

// AVX-512 (F, BW, DQ, VL) vector kernels: exp, max, exp-shift-sum, dot, axpy
// and scale, with the contracts of their AVX2 versions in vec_amd64.s
// (kernelSet in isa.go; kernels_generic.go defines exp32 and the exp
// constants).
//
// exp is the computation of expAVX2 on 16 lanes, with the same operations in
// the same order up to the scaling: Cephes' expf with Cody-Waite reduction
// x = n*ln2 + r, n = rint(x*log2(e)), ln2 = 0.693359375 - 2.12194440e-4,
// e**r = 1 + r + r*r*P(r) by Estrin's scheme, x clamped to [-104, 88.75]
// (NaN kept). expAVX2 scales by two normal powers of two, (p*s1 + s1) * s2
// with s1 = 2**h, s2 = 2**(n-h), h = n>>1. As h >= -75 and 1+p is in
// [0.7, 1.5], (1+p)*s1 is a normal number, so its single rounding is
// round(1+p)*s1 exactly, and the product with s2 rounds the exact value
// round(1+p)*2**n once. VSCALEFPS (round(1+p), n) rounds that same value
// once (overflow to +Inf, correctly rounded subnormals, underflow to 0), so
// the result is bitwise expAVX2's, from 2 instructions instead of 9 (and no
// integer conversion); NaN inputs give the same NaN too (TestAVX512Exp-
// Exhaustive compares all 2**32 inputs bit for bit).
//
// Tails: full vectors of 16, then one vector of the last n%16 elements
// through opmask K1 (masked loads zero the lanes past the end, masked stores
// leave them alone, and neither faults on them), so no element outside the
// slices is read or written and there are no scalar loops.

#include "textflag.h"

// The exp constants, broadcast into Z16-Z27 by LOADEXPC16.
#define EXPLO Z16
#define EXPHI Z17
#define EXPLOG2E Z18
#define EXPLN2HI Z19
#define EXPLN2LO Z20
#define EXPP0 Z21
#define EXPP1 Z22
#define EXPP2 Z23
#define EXPP3 Z24
#define EXPP4 Z25
#define EXPP5 Z26
#define EXPONE Z27

#define LOADEXPC16 \
	VBROADCASTSS expC16<>+0(SB), EXPLO; \
	VBROADCASTSS expC16<>+4(SB), EXPHI; \
	VBROADCASTSS expC16<>+8(SB), EXPLOG2E; \
	VBROADCASTSS expC16<>+12(SB), EXPLN2HI; \
	VBROADCASTSS expC16<>+16(SB), EXPLN2LO; \
	VBROADCASTSS expC16<>+20(SB), EXPP0; \
	VBROADCASTSS expC16<>+24(SB), EXPP1; \
	VBROADCASTSS expC16<>+28(SB), EXPP2; \
	VBROADCASTSS expC16<>+32(SB), EXPP3; \
	VBROADCASTSS expC16<>+36(SB), EXPP4; \
	VBROADCASTSS expC16<>+40(SB), EXPP5; \
	VBROADCASTSS expC16<>+44(SB), EXPONE

// EXP16 sets x = e**x for the 16 lanes of x, clobbering n, p, t and v; it
// needs LOADEXPC16. The steps of EXP8 (vec_amd64.s), in the same order:
//   x = min(max(x, -104), 88.75)    NaN stays (x is the second source)
//   n = rint(x*log2e)               VRNDSCALEPS $0: to nearest even
//   r = x - n*ln2Hi - n*ln2Lo       in x (two FNMAs)
//   v = r*r
//   p = ((P0*r + P1)*v + (P2*r + P3))*v + (P4*r + P5)    Estrin
//   p = p*v + r                     e**r - 1
//   x = scalef(1 + p, n)            round(round(1+p) * 2**n)
#define EXP16(x, n, p, t, v) \
	VMAXPS       x, EXPLO, x; \
	VMINPS       x, EXPHI, x; \
	VMULPS       EXPLOG2E, x, n; \
	VRNDSCALEPS  $0, n, n; \
	VFNMADD231PS EXPLN2HI, n, x; \
	VFNMADD231PS EXPLN2LO, n, x; \
	VMULPS       x, x, v; \
	VMOVAPS      EXPP0, p; \
	VFMADD213PS  EXPP1, x, p; \
	VMOVAPS      EXPP2, t; \
	VFMADD213PS  EXPP3, x, t; \
	VFMADD213PS  t, v, p; \
	VMOVAPS      EXPP4, t; \
	VFMADD213PS  EXPP5, x, t; \
	VFMADD213PS  t, v, p; \
	VFMADD213PS  x, v, p; \
	VADDPS       EXPONE, p, p; \
	VSCALEFPS    n, p, x

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

// func expAVX512(dst, src []float32)
// Requires: AVX512F
// dst[i] = e**src[i] for i < len(src) (len(dst) >= len(src); dst may be src).
// Register map: SI = &src[i], DI = &dst[i], BX = pairs of vectors left,
// CX = n, then n%16; AX = scratch; Z0-Z4, Z5-Z9 = x, n, p, t, v of two EXP16;
// Z16-Z27 = exp constants (LOADEXPC16); K1 = the tail's lanes.
// Tail: pairs of vectors, an odd vector, then n%16 lanes under K1.
TEXT ·expAVX512(SB), NOSPLIT, $0-48
	MOVQ  dst_base+0(FP), DI
	MOVQ  src_base+24(FP), SI
	MOVQ  src_len+32(FP), CX
	TESTQ CX, CX
	JZ    expDone
	LOADEXPC16
	MOVQ  CX, BX
	SHRQ  $5, BX              // pairs of vectors
	JZ    expOdd

expLoop32: // for BX > 0: two vectors of 16
	VMOVUPS (SI), Z0
	VMOVUPS 64(SI), Z5
	EXP16(Z0, Z1, Z2, Z3, Z4)
	EXP16(Z5, Z6, Z7, Z8, Z9)
	VMOVUPS Z0, (DI)
	VMOVUPS Z5, 64(DI)
	ADDQ    $128, SI
	ADDQ    $128, DI
	DECQ    BX
	JNZ     expLoop32

expOdd:
	TESTQ $16, CX
	JZ    expTail
	VMOVUPS (SI), Z0
	EXP16(Z0, Z1, Z2, Z3, Z4)
	VMOVUPS Z0, (DI)
	ADDQ    $64, SI
	ADDQ    $64, DI

expTail:
	ANDQ $15, CX
	JZ   expEnd
	TAILMASK
	VMOVUPS.Z (SI), K1, Z0
	EXP16(Z0, Z1, Z2, Z3, Z4)
	VMOVUPS   Z0, K1, (DI)

expEnd:
	VZEROUPPER

expDone:
	RET

// func expShiftSumAVX512(dst, src []float32, shift float32) float32
// Requires: AVX512F
// dst[i] = e**(src[i]-shift) for i < len(src); returns their sum, kept as 16
// float32 lane sums (each lane adds its elements in order) added up at the
// end (HSUM16).
// Register map: SI = &src[i], DI = &dst[i], BX = pairs of vectors left,
// CX = n, then n%16; AX = scratch; Z0-Z4, Z5-Z9 = x, n, p, t, v of two EXP16;
// Z10 = lane sums; Z11 = shift; Z16-Z27 = exp constants; K1 = the tail's
// lanes.
// Tail: as expAVX512; the tail's sum is a masked add, so its empty lanes
// (e**(0-shift)) are left out.
TEXT ·expShiftSumAVX512(SB), NOSPLIT, $0-60
	MOVQ  dst_base+0(FP), DI
	MOVQ  src_base+24(FP), SI
	MOVQ  src_len+32(FP), CX
	TESTQ CX, CX
	JZ    essZero
	LOADEXPC16
	VBROADCASTSS shift+48(FP), Z11
	VXORPS       Z10, Z10, Z10
	MOVQ         CX, BX
	SHRQ         $5, BX       // pairs of vectors
	JZ           essOdd

essLoop32: // for BX > 0: two vectors of 16
	VMOVUPS (SI), Z0
	VMOVUPS 64(SI), Z5
	VSUBPS  Z11, Z0, Z0
	VSUBPS  Z11, Z5, Z5
	EXP16(Z0, Z1, Z2, Z3, Z4)
	EXP16(Z5, Z6, Z7, Z8, Z9)
	VMOVUPS Z0, (DI)
	VMOVUPS Z5, 64(DI)
	VADDPS  Z0, Z10, Z10
	VADDPS  Z5, Z10, Z10
	ADDQ    $128, SI
	ADDQ    $128, DI
	DECQ    BX
	JNZ     essLoop32

essOdd:
	TESTQ $16, CX
	JZ    essTail
	VMOVUPS (SI), Z0
	VSUBPS  Z11, Z0, Z0
	EXP16(Z0, Z1, Z2, Z3, Z4)
	VMOVUPS Z0, (DI)
	VADDPS  Z0, Z10, Z10
	ADDQ    $64, SI
	ADDQ    $64, DI

essTail:
	ANDQ $15, CX
	JZ   essSum
	TAILMASK
	VMOVUPS.Z (SI), K1, Z0
	VSUBPS    Z11, Z0, Z0
	EXP16(Z0, Z1, Z2, Z3, Z4)
	VMOVUPS   Z0, K1, (DI)
	VADDPS    Z0, Z10, K1, Z10 // only the tail's lanes

essSum:
	HSUM16(Z10, Y10, X10, Y1, X1)
	VMOVSS X10, ret+56(FP)
	VZEROUPPER
	RET

essZero:
	MOVL $0, ret+56(FP)
	RET

// func maxAVX512(x []float32) float32
// Requires: AVX512F
// Returns the largest element of x; if any element is NaN, the first NaN of
// x, bit for bit (as maxGeneric and maxAVX2). len(x) >= 1; for len(x) == 0
// it returns NaN and reads nothing. VMAXPS returns its second source when
// either source is NaN, so NaN is tracked apart: K2, K3 start all ones and
// each ordered compare (VCMPPS $7, masked by and written to K2 or K3) clears
// the lanes where a NaN was seen; one test at the end. Then x is scanned
// again, a vector at a time, for its first NaN (unordered compare into K4,
// KMOVW to AX, BSF).
// Register map: SI = &x[i], CX = n, then n%16; BX = blocks left; AX =
// scratch; Z0-Z3 = lane maxima (seeded with x[0]), Z4-Z7 = loaded vectors;
// K1 = the tail's lanes, K2, K3 = no-NaN lanes (in maxShort: K2 = NaN
// lanes), K4 = NaN lanes in the scan.
// Tail: n <= 16 (maxShort): the n elements loaded under K1 over a vector of
// x[0], so the other lanes repeat x[0]; otherwise the last n%16 elements
// loaded under K1 (zeros elsewhere, which are ordered) and merged into Z1
// under K1.
TEXT ·maxAVX512(SB), NOSPLIT, $0-28
	MOVQ  x_base+0(FP), SI
	MOVQ  x_len+8(FP), CX
	TESTQ CX, CX
	JZ    maxEmpty
	VBROADCASTSS (SI), Z0     // x[0] in every lane
	CMPQ         CX, $16
	JBE          maxShort
	VMOVAPS      Z0, Z1
	VMOVAPS      Z0, Z2
	VMOVAPS      Z0, Z3
	KXNORW       K2, K2, K2   // all ones: no NaN seen
	KXNORW       K3, K3, K3
	MOVQ         CX, BX
	SHRQ         $6, BX       // blocks of four vectors
	JZ           maxSingles

maxLoop64: // for BX > 0: four vectors of 16
	VMOVUPS (SI), Z4
	VMOVUPS 64(SI), Z5
	VMOVUPS 128(SI), Z6
	VMOVUPS 192(SI), Z7
	VCMPPS  $7, Z5, Z4, K2, K2 // ordered: neither is NaN
	VCMPPS  $7, Z7, Z6, K3, K3
	VMAXPS  Z4, Z0, Z0
	VMAXPS  Z5, Z1, Z1
	VMAXPS  Z6, Z2, Z2
	VMAXPS  Z7, Z3, Z3
	ADDQ    $256, SI
	DECQ    BX
	JNZ     maxLoop64

maxSingles:
	MOVQ CX, BX
	ANDQ $63, BX
	SHRQ $4, BX               // single vectors: 0..3
	JZ   maxTail

maxLoop16: // for BX > 0: one vector of 16
	VMOVUPS (SI), Z4
	VCMPPS  $7, Z4, Z4, K2, K2
	VMAXPS  Z4, Z0, Z0
	ADDQ    $64, SI
	DECQ    BX
	JNZ     maxLoop16

maxTail:
	ANDQ $15, CX
	JZ   maxReduce
	TAILMASK
	VMOVUPS.Z (SI), K1, Z4
	VCMPPS    $7, Z4, Z4, K3, K3
	VMAXPS    Z4, Z1, K1, Z1   // only the tail's lanes

maxReduce:
	KANDW    K3, K2, K2
	KORTESTW K2, K2
	JCC      maxNaN            // CF = 0: not all ones, a NaN was seen
	VMAXPS   Z1, Z0, Z0
	VMAXPS   Z3, Z2, Z2
	VMAXPS   Z2, Z0, Z0

maxReduce16: // Z0 holds 16 candidates, none NaN
	VEXTRACTF64X4 $1, Z0, Y1
	VMAXPS   Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VMAXPS   X1, X0, X0
	VPERMILPS $0x4e, X0, X1
	VMAXPS   X1, X0, X0
	VPERMILPS $0xb1, X0, X1
	VMAXPS   X1, X0, X0
	VMOVSS   X0, ret+24(FP)
	VZEROUPPER
	RET

maxShort: // 1 <= n <= 16: one vector, x[0] in the lanes past n
	TAILMASK
	VMOVUPS  (SI), K1, Z0      // merge: lanes n..15 keep x[0]
	VCMPPS   $3, Z0, Z0, K2    // unordered: NaN lanes
	KORTESTW K2, K2
	JZ       maxReduce16       // ZF = 1: no NaN

maxNaN: // some element is NaN: find the first, a vector at a time
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX

maxNaNLoop: // for CX >= 16: x[i:i+16]
	CMPQ    CX, $16
	JB      maxNaNTail
	VMOVUPS (SI), Z4
	VCMPPS  $3, Z4, Z4, K4     // unordered: NaN lanes
	KMOVW   K4, AX
	TESTL   AX, AX
	JNZ     maxNaNFound
	ADDQ    $64, SI
	SUBQ    $16, CX
	JMP     maxNaNLoop

maxNaNTail: // 1 <= CX < 16, and the NaN is among these elements
	TAILMASK
	VMOVUPS.Z (SI), K1, Z4
	VCMPPS    $3, Z4, Z4, K4
	KMOVW     K4, AX

maxNaNFound: // AX != 0: bit j set for each NaN x[i+j]
	BSFL AX, AX
	MOVL (SI)(AX*4), AX
	MOVL AX, ret+24(FP)
	VZEROUPPER
	RET

maxEmpty:
	MOVL $0x7fc00000, ret+24(FP) // NaN
	RET

// func dotAVX512(x, y []float32) float32
// Requires: AVX512F
// Returns sum x[i]*y[i] for i < len(x) (len(y) >= len(x)), kept as four
// vectors of 16 lane sums added up at the end.
// Register map: SI = &x[i], DI = &y[i], CX = n, then n%16; BX = blocks
// left; AX = scratch; Z0-Z3 = lane sums, Z4-Z7 = x vectors; K1 = the
// tail's lanes.
// Tail: x loaded under K1 (zeros elsewhere), y read by the FMA under K1
// (masked-off lanes neither read nor changed).
TEXT ·dotAVX512(SB), NOSPLIT, $0-52
	MOVQ  x_base+0(FP), SI
	MOVQ  x_len+8(FP), CX
	MOVQ  y_base+24(FP), DI
	TESTQ CX, CX
	JZ    dotZero
	VXORPS Z0, Z0, Z0
	VXORPS Z1, Z1, Z1
	VXORPS Z2, Z2, Z2
	VXORPS Z3, Z3, Z3
	MOVQ   CX, BX
	SHRQ   $6, BX             // blocks of four vectors
	JZ     dotSingles

dotLoop64: // for BX > 0: four vectors of 16
	VMOVUPS     (SI), Z4
	VMOVUPS     64(SI), Z5
	VMOVUPS     128(SI), Z6
	VMOVUPS     192(SI), Z7
	VFMADD231PS (DI), Z4, Z0
	VFMADD231PS 64(DI), Z5, Z1
	VFMADD231PS 128(DI), Z6, Z2
	VFMADD231PS 192(DI), Z7, Z3
	ADDQ        $256, SI
	ADDQ        $256, DI
	DECQ        BX
	JNZ         dotLoop64

dotSingles:
	MOVQ CX, BX
	ANDQ $63, BX
	SHRQ $4, BX               // single vectors: 0..3
	JZ   dotTail

dotLoop16: // for BX > 0: one vector of 16
	VMOVUPS     (SI), Z4
	VFMADD231PS (DI), Z4, Z0
	ADDQ        $64, SI
	ADDQ        $64, DI
	DECQ        BX
	JNZ         dotLoop16

dotTail:
	ANDQ $15, CX
	JZ   dotReduce
	TAILMASK
	VMOVUPS.Z   (SI), K1, Z4
	VFMADD231PS (DI), Z4, K1, Z1

dotReduce:
	VADDPS Z1, Z0, Z0
	VADDPS Z3, Z2, Z2
	VADDPS Z2, Z0, Z0
	HSUM16(Z0, Y0, X0, Y1, X1)
	VMOVSS X0, ret+48(FP)
	VZEROUPPER
	RET

dotZero:
	MOVL $0, ret+48(FP)
	RET

// func axpyAVX512(a float32, x, y []float32)
// Requires: AVX512F
// y[i] += a*x[i] for i < len(x) (len(y) >= len(x)), one FMA per element;
// y may equal x (each vector is loaded before it is stored).
// Register map: SI = &x[i], DI = &y[i], CX = n, then n%16; BX = blocks
// left; AX = scratch; Z0-Z3 = y vectors; Z15 = a; K1 = the tail's lanes.
// Tail: y loaded, updated and stored under K1.
TEXT ·axpyAVX512(SB), NOSPLIT, $0-56
	MOVQ  x_base+8(FP), SI
	MOVQ  x_len+16(FP), CX
	MOVQ  y_base+32(FP), DI
	TESTQ CX, CX
	JZ    axpyDone
	VBROADCASTSS a+0(FP), Z15
	MOVQ         CX, BX
	SHRQ         $6, BX       // blocks of four vectors
	JZ           axpySingles

axpyLoop64: // for BX > 0: four vectors of 16
	VMOVUPS     (DI), Z0
	VMOVUPS     64(DI), Z1
	VMOVUPS     128(DI), Z2
	VMOVUPS     192(DI), Z3
	VFMADD231PS (SI), Z15, Z0
	VFMADD231PS 64(SI), Z15, Z1
	VFMADD231PS 128(SI), Z15, Z2
	VFMADD231PS 192(SI), Z15, Z3
	VMOVUPS     Z0, (DI)
	VMOVUPS     Z1, 64(DI)
	VMOVUPS     Z2, 128(DI)
	VMOVUPS     Z3, 192(DI)
	ADDQ        $256, SI
	ADDQ        $256, DI
	DECQ        BX
	JNZ         axpyLoop64

axpySingles:
	MOVQ CX, BX
	ANDQ $63, BX
	SHRQ $4, BX               // single vectors: 0..3
	JZ   axpyTail

axpyLoop16: // for BX > 0: one vector of 16
	VMOVUPS     (DI), Z0
	VFMADD231PS (SI), Z15, Z0
	VMOVUPS     Z0, (DI)
	ADDQ        $64, SI
	ADDQ        $64, DI
	DECQ        BX
	JNZ         axpyLoop16

axpyTail:
	ANDQ $15, CX
	JZ   axpyEnd
	TAILMASK
	VMOVUPS.Z   (DI), K1, Z0
	VFMADD231PS (SI), Z15, K1, Z0
	VMOVUPS     Z0, K1, (DI)

axpyEnd:
	VZEROUPPER

axpyDone:
	RET

// func scaleAVX512(a float32, x []float32)
// Requires: AVX512F
// x[i] *= a for i < len(x).
// Register map: DI = &x[i], CX = n, then n%16; BX = blocks left; AX =
// scratch; Z0-Z3 = products; Z15 = a; K1 = the tail's lanes.
// Tail: x loaded, multiplied and stored under K1.
TEXT ·scaleAVX512(SB), NOSPLIT, $0-32
	MOVQ  x_base+8(FP), DI
	MOVQ  x_len+16(FP), CX
	TESTQ CX, CX
	JZ    scaleDone
	VBROADCASTSS a+0(FP), Z15
	MOVQ         CX, BX
	SHRQ         $6, BX       // blocks of four vectors
	JZ           scaleSingles

scaleLoop64: // for BX > 0: four vectors of 16
	VMULPS  (DI), Z15, Z0
	VMULPS  64(DI), Z15, Z1
	VMULPS  128(DI), Z15, Z2
	VMULPS  192(DI), Z15, Z3
	VMOVUPS Z0, (DI)
	VMOVUPS Z1, 64(DI)
	VMOVUPS Z2, 128(DI)
	VMOVUPS Z3, 192(DI)
	ADDQ    $256, DI
	DECQ    BX
	JNZ     scaleLoop64

scaleSingles:
	MOVQ CX, BX
	ANDQ $63, BX
	SHRQ $4, BX               // single vectors: 0..3
	JZ   scaleTail

scaleLoop16: // for BX > 0: one vector of 16
	VMULPS  (DI), Z15, Z0
	VMOVUPS Z0, (DI)
	ADDQ    $64, DI
	DECQ    BX
	JNZ     scaleLoop16

scaleTail:
	ANDQ $15, CX
	JZ   scaleEnd
	TAILMASK
	VMULPS.Z (DI), Z15, K1, Z0
	VMOVUPS  Z0, K1, (DI)

scaleEnd:
	VZEROUPPER

scaleDone:
	RET

// exp constants broadcast by LOADEXPC16 (the values of exp32, as expC in
// vec_amd64.s), and 1.
DATA expC16<>+0(SB)/4, $0xc2d00000  // lo = -104
DATA expC16<>+4(SB)/4, $0x42b18000  // hi = 88.75
DATA expC16<>+8(SB)/4, $0x3fb8aa3b  // log2(e) = 1.44269504
DATA expC16<>+12(SB)/4, $0x3f318000 // ln2Hi = 0.693359375
DATA expC16<>+16(SB)/4, $0xb95e8083 // ln2Lo = -2.12194440e-4
DATA expC16<>+20(SB)/4, $0x39506967 // P0 = 1.9875691500e-4
DATA expC16<>+24(SB)/4, $0x3ab743ce // P1 = 1.3981999507e-3
DATA expC16<>+28(SB)/4, $0x3c088908 // P2 = 8.3334519073e-3
DATA expC16<>+32(SB)/4, $0x3d2aa9c1 // P3 = 4.1665795894e-2
DATA expC16<>+36(SB)/4, $0x3e2aaaaa // P4 = 1.6666665459e-1
DATA expC16<>+40(SB)/4, $0x3f000000 // P5 = 5.0000001201e-1 (rounds to 0.5)
DATA expC16<>+44(SB)/4, $0x3f800000 // 1
GLOBL expC16<>(SB), RODATA|NOPTR, $48
