//go:build !purego

// AVX2+FMA vector kernels: exp, max, exp-shift-sum, dot, axpy and scale,
// and the fused softmax cross-entropy of rows of 10 logits (softmaxXent10).
// kernelSet in isa.go gives each contract, kernels_generic.go the pure-Go
// reference (exp32 and the exp constants).
//
// exp is Cephes' expf (Stephen L. Moshier, cephes/single/expf.c): Cody-Waite
// range reduction x = n*ln2 + r with n = rint(x*log2(e)) and
// ln2 = 0.693359375 - 2.12194440e-4, then e**r = 1 + r + r*r*P(r) with
// Cephes' degree-5 polynomial P on [-ln2/2, ln2/2], the constants of exp32.
// Instead of Cephes' ldexpf the result is scaled by two normal powers of two
// 2**h * 2**(n-h), h = n>>1 (as XNNPACK's exp-avx2-rr2-p5 does with its two
// scale factors), so x is only clamped to [-104, 88.75]: IEEE arithmetic then
// overflows to +Inf, underflows to 0 and rounds subnormal results once,
// correctly. The clamp keeps NaN (x is the second source operand of
// VMAXPS/VMINPS), and NaN flows through to the result. See notes/kernels.md
// section 2. Unlike exp32, r*ln2Lo is subtracted with an FMA and P(r) is
// evaluated by Estrin's scheme, so results may differ from exp32 in the last
// bit: all 2**32 inputs are within 1.03 ulp of math.Exp (at most one float32
// step from the correctly rounded value), special values exact.
//
// Tails: n >= 8 elements are done as (n-1)/8 full vectors and one final
// vector at [n-8, n) that may overlap the previous one. The final vector's
// inputs are loaded before anything is stored (so dst may equal src, y may
// equal x) and its result is stored last; reductions mask the overlapping
// lanes off (tailMask). n < 8 elements are loaded and stored in pieces of 1,
// 2 and 4 (PARTLOAD/PARTSTORE), which touch only elements of the slice and
// need no mask (no VMASKMOVPS). Nothing outside the slices is read or written.

#include "textflag.h"

// The exp constants that live in registers (see LOADEXPC); P0, P2, P4 and
// the exponent bias are read from memory by EXP8.
#define EXPLO Y15
#define EXPHI Y14
#define EXPLOG2E Y13
#define EXPLN2HI Y12
#define EXPLN2LO Y11
#define EXPP1 Y10
#define EXPP3 Y9
#define EXPP5 Y8

// LOADEXPC broadcasts the exp constants into Y8-Y15.
#define LOADEXPC \
	VBROADCASTSS expC<>+0(SB), EXPLO; \
	VBROADCASTSS expC<>+4(SB), EXPHI; \
	VBROADCASTSS expC<>+8(SB), EXPLOG2E; \
	VBROADCASTSS expC<>+12(SB), EXPLN2HI; \
	VBROADCASTSS expC<>+16(SB), EXPLN2LO; \
	VBROADCASTSS expC<>+24(SB), EXPP1; \
	VBROADCASTSS expC<>+32(SB), EXPP3; \
	VBROADCASTSS expC<>+40(SB), EXPP5

// EXP8 sets x = e**x for the 8 lanes of x, clobbering n, p, t and v; it needs
// LOADEXPC. Step by step, as exp32 in kernels_generic.go:
//   x = min(max(x, -104), 88.75)    NaN stays (x is the second source)
//   n = rint(x*log2e)               VROUNDPS $0: to nearest even
//   r = x - n*ln2Hi - n*ln2Lo       in x (two FNMAs)
//   v = r*r
//   p = ((P0*r + P1)*v + (P2*r + P3))*v + (P4*r + P5)
//                                   Estrin's scheme: a shorter dependency
//                                   chain than Horner's (row calls are
//                                   latency bound), the same 5 FMAs
//   p = p*v + r                     e**r - 1
//   h = n>>1, d = n-h               int32 lanes, n in [-150, 128]
//   s1 = 2**h, s2 = 2**d            2**k = (k+127)<<23, both normal
//   x = (p*s1 + s1) * s2            p*s1 + s1 = (1+p)*s1 exactly as exp32's
//                                   (1+p) rounded, then times s1: one FMA
#define EXP8(x, n, p, t, v) \
	VMAXPS x, EXPLO, x; \
	VMINPS x, EXPHI, x; \
	VMULPS EXPLOG2E, x, n; \
	VROUNDPS $0, n, n; \
	VFNMADD231PS EXPLN2HI, n, x; \
	VFNMADD231PS EXPLN2LO, n, x; \
	VMULPS x, x, v; \
	VBROADCASTSS expC<>+20(SB), p; \
	VFMADD213PS EXPP1, x, p; \
	VBROADCASTSS expC<>+28(SB), t; \
	VFMADD213PS EXPP3, x, t; \
	VFMADD213PS t, v, p; \
	VBROADCASTSS expC<>+36(SB), t; \
	VFMADD213PS EXPP5, x, t; \
	VFMADD213PS t, v, p; \
	VFMADD213PS x, v, p; \
	VCVTTPS2DQ n, n; \
	VPSRAD $1, n, t; \
	VPSUBD t, n, n; \
	VPADDD exp127<>(SB), t, t; \
	VPADDD exp127<>(SB), n, n; \
	VPSLLD $23, t, t; \
	VPSLLD $23, n, n; \
	VFMADD213PS t, t, p; \
	VMULPS n, p, x

// PARTIDX prepares PARTLOAD/PARTSTORE for a count CX in 1..7:
// AX = CX&1 and BX = CX&3 are the element offsets of the 2- and 4-pieces.
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

// func expAVX2(dst, src []float32)
// Requires: AVX2, FMA
// dst[i] = e**src[i] for i < len(src) (len(dst) >= len(src); dst may be src).
// Register map: SI = &src[i], DI = &dst[i], CX = vectors left, R8 = &dst[n-8],
// Y0-Y4 = x, n, p, t, v of EXP8, Y5 = the final vector src[n-8:n],
// Y8-Y15 = exp constants (LOADEXPC).
// Tail: n >= 8: a final, possibly overlapping vector at n-8, loaded first and
// stored last; n < 8: PARTLOAD/PARTSTORE.
TEXT ·expAVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	CMPQ CX, $8
	JB   expShort
	LOADEXPC
	VMOVUPS -32(SI)(CX*4), Y5 // final vector src[n-8:n]
	LEAQ    -32(DI)(CX*4), R8 // &dst[n-8]
	DECQ    CX
	SHRQ    $3, CX            // (n-1)/8 vectors before the final one
	JZ      expFinal

expLoop8: // for CX > 0: one vector of 8
	VMOVUPS (SI), Y0
	EXP8(Y0, Y1, Y2, Y3, Y4)
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     expLoop8

expFinal:
	EXP8(Y5, Y1, Y2, Y3, Y4)
	VMOVUPS Y5, (R8)
	VZEROUPPER
	RET

expShort: // 0 <= n < 8
	TESTQ CX, CX
	JZ    expDone
	LOADEXPC
	PARTIDX
	PARTLOAD(SI, X0, Y0, expL1, expL2, expL4)
	EXP8(Y0, Y1, Y2, Y3, Y4)
	PARTSTORE(DI, X0, Y0, expS1, expS2, expS4)
	VZEROUPPER

expDone:
	RET

// func expShiftSumAVX2(dst, src []float32, shift float32) float32
// Requires: AVX2, FMA
// dst[i] = e**(src[i]-shift) for i < len(src); returns their sum, kept as 8
// float32 lane sums (each lane adds its elements in order) added up at the end.
// Register map: SI = &src[i], DI = &dst[i], CX = vectors left, R8 = &dst[n-8],
// R9 = n, R10 = &tailMask, Y0-Y4 = x, n, p, t, v of EXP8, Y5 = the final
// vector, Y6 = shift, Y7 = lane sums, Y8-Y15 = exp constants (LOADEXPC).
// Tail: as expAVX2; the lanes of the final vector that overlap the previous
// vector are masked out of the sum (tailMask), and so are the lanes that
// PARTLOAD leaves empty for n < 8 (shortSel).
TEXT ·expShiftSumAVX2(SB), NOSPLIT, $0-60
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	CMPQ CX, $8
	JB   essShort
	LOADEXPC
	VBROADCASTSS shift+48(FP), Y6
	VXORPS       Y7, Y7, Y7
	MOVQ         CX, R9
	VMOVUPS      -32(SI)(CX*4), Y5 // final vector src[n-8:n]
	LEAQ         -32(DI)(CX*4), R8 // &dst[n-8]
	DECQ         CX
	SHRQ         $3, CX            // (n-1)/8 vectors before the final one
	JZ           essFinal

essLoop8: // for CX > 0: one vector of 8
	VMOVUPS (SI), Y0
	VSUBPS  Y6, Y0, Y0
	EXP8(Y0, Y1, Y2, Y3, Y4)
	VMOVUPS Y0, (DI)
	VADDPS  Y0, Y7, Y7
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     essLoop8

essFinal:
	VSUBPS  Y6, Y5, Y5
	EXP8(Y5, Y1, Y2, Y3, Y4)
	VMOVUPS Y5, (R8)
	DECQ    R9
	ANDQ    $7, R9               // the final vector has (n-1)%8+1 new lanes
	LEAQ    tailMask<>(SB), R10
	VANDPS  4(R10)(R9*4), Y5, Y5 // keep its top (n-1)%8+1 lanes
	VADDPS  Y5, Y7, Y7
	HSUM(Y7, X7, X1)
	VMOVSS  X7, ret+56(FP)
	VZEROUPPER
	RET

essShort: // 0 <= n < 8
	TESTQ CX, CX
	JZ    essZero
	LOADEXPC
	VBROADCASTSS shift+48(FP), Y6
	PARTIDX
	PARTLOAD(SI, X0, Y0, essL1, essL2, essL4)
	VSUBPS Y6, Y0, Y0
	EXP8(Y0, Y1, Y2, Y3, Y4)
	PARTSTORE(DI, X0, Y0, essS1, essS2, essS4)
	VMOVD        CX, X1                 // the lanes PARTLOAD filled:
	VPBROADCASTD X1, Y1
	VPAND        shortSel<>(SB), Y1, Y1 // n & sel[lane]
	VPCMPEQD     shortSel<>(SB), Y1, Y1 // == sel[lane]
	VANDPS       Y1, Y0, Y0
	HSUM(Y0, X0, X1)
	VMOVSS       X0, ret+56(FP)
	VZEROUPPER
	RET

essZero:
	MOVL $0, ret+56(FP)
	RET

// func maxAVX2(x []float32) float32
// Requires: AVX2
// Returns the largest element of x; if any element is NaN, the first NaN of
// x (as maxGeneric). len(x) >= 1; for len(x) == 0 it returns NaN and reads
// nothing. VMAXPS returns its second source when either source is NaN, so
// NaN lanes are tracked apart (VCMPPS unordered, ORed into Y4) and tested once
// at the end; then x is scanned for its first NaN.
// Register map: SI = &x[i], CX = vector pairs left, Y0, Y1 = lane maxima,
// Y2, Y3 = loaded vectors, Y4 = NaN-seen lanes, Y5 = scratch.
// Tail: n >= 8: the final vector x[n-8:n] overlaps (harmless for a max) and
// seeds both maxima; 4 <= n < 8: x[0:4] and x[n-4:n]; 2 <= n < 4: x[0:2] and
// x[n-2:n] (VMOVDDUP); n == 1: x[0].
TEXT ·maxAVX2(SB), NOSPLIT, $0-28
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	CMPQ CX, $8
	JB   maxShort
	VMOVUPS -32(SI)(CX*4), Y0 // final vector x[n-8:n]
	VMOVAPS Y0, Y1
	VCMPPS  $3, Y0, Y0, Y4    // unordered: NaN lanes
	DECQ    CX
	SHRQ    $3, CX            // (n-1)/8 vectors before the final one
	JZ      maxReduce
	TESTQ   $1, CX
	JZ      maxPairs
	VMOVUPS (SI), Y2          // an odd vector first
	VCMPPS  $3, Y2, Y2, Y5
	VORPS   Y5, Y4, Y4
	VMAXPS  Y2, Y0, Y0
	ADDQ    $32, SI

maxPairs:
	SHRQ $1, CX
	JZ   maxReduce

maxLoop16: // for CX > 0: two vectors of 8
	VMOVUPS (SI), Y2
	VMOVUPS 32(SI), Y3
	VCMPPS  $3, Y3, Y2, Y5
	VORPS   Y5, Y4, Y4
	VMAXPS  Y2, Y0, Y0
	VMAXPS  Y3, Y1, Y1
	ADDQ    $64, SI
	DECQ    CX
	JNZ     maxLoop16

maxReduce:
	VPTEST       Y4, Y4
	JNZ          maxNaN
	VMAXPS       Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VMAXPS       X1, X0, X0

maxReduce4: // X0 holds 4 candidates, none NaN
	VPERMILPS $0x4e, X0, X1
	VMAXPS    X1, X0, X0
	VPERMILPS $0xb1, X0, X1
	VMAXPS    X1, X0, X0
	VMOVSS    X0, ret+24(FP)
	VZEROUPPER
	RET

maxShort: // 0 <= n < 8
	CMPQ CX, $4
	JB   maxShort2
	VMOVUPS (SI), X2
	VMOVUPS -16(SI)(CX*4), X3
	JMP     maxShortJoin

maxShort2:
	CMPQ CX, $2
	JB   maxShort1
	VMOVDDUP (SI), X2          // x0 x1 x0 x1
	VMOVDDUP -8(SI)(CX*4), X3  // x[n-2] x[n-1] twice

maxShortJoin:
	VCMPPS $3, X3, X2, X4
	VMAXPS X3, X2, X0
	VPTEST X4, X4
	JZ     maxReduce4

maxNaN: // some element is NaN: return the first one
	MOVQ x_base+0(FP), SI

maxNaNLoop:
	VMOVSS   (SI), X0
	ADDQ     $4, SI
	VUCOMISS X0, X0
	JPC      maxNaNLoop // ordered: not NaN
	VMOVSS   X0, ret+24(FP)
	VZEROUPPER
	RET

maxShort1:
	TESTQ CX, CX
	JZ    maxEmpty
	MOVL  (SI), AX
	MOVL  AX, ret+24(FP)
	RET

maxEmpty:
	MOVL $0x7fc00000, ret+24(FP) // NaN
	RET

// func dotAVX2(x, y []float32) float32
// Requires: AVX2, FMA
// Returns sum x[i]*y[i] for i < len(x) (len(y) >= len(x)), kept as four
// vectors of lane sums added up at the end.
// Register map: SI = &x[i], DI = &y[i], CX = single vectors left,
// R11 = blocks of 4 vectors left, R9 = (n-1)%8, R10 = &tailMask,
// Y0-Y3 = lane sums, Y4-Y7 = x vectors.
// Tail: n >= 8: the final vector at n-8 is multiplied first, with its lanes
// that overlap the previous vector masked off (tailMask); n < 8: PARTLOAD of
// x and y (empty lanes are 0*0).
TEXT ·dotAVX2(SB), NOSPLIT, $0-52
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	MOVQ y_base+24(FP), DI
	CMPQ CX, $8
	JB   dotShort
	MOVQ    CX, R9
	DECQ    R9
	ANDQ    $7, R9                  // the final vector has (n-1)%8+1 new lanes
	LEAQ    tailMask<>(SB), R10
	VMOVUPS -32(SI)(CX*4), Y0
	VMULPS  -32(DI)(CX*4), Y0, Y0
	VANDPS  4(R10)(R9*4), Y0, Y0    // keep its top (n-1)%8+1 lanes
	VXORPS  Y1, Y1, Y1
	VXORPS  Y2, Y2, Y2
	VXORPS  Y3, Y3, Y3
	DECQ    CX
	SHRQ    $3, CX                  // (n-1)/8 vectors before the final one
	MOVQ    CX, R11
	ANDQ    $3, CX
	SHRQ    $2, R11
	JZ      dotSingles

dotLoop32: // for R11 > 0: four vectors of 8
	VMOVUPS     (SI), Y4
	VMOVUPS     32(SI), Y5
	VMOVUPS     64(SI), Y6
	VMOVUPS     96(SI), Y7
	VFMADD231PS (DI), Y4, Y0
	VFMADD231PS 32(DI), Y5, Y1
	VFMADD231PS 64(DI), Y6, Y2
	VFMADD231PS 96(DI), Y7, Y3
	ADDQ        $128, SI
	ADDQ        $128, DI
	DECQ        R11
	JNZ         dotLoop32

dotSingles:
	TESTQ CX, CX
	JZ    dotReduce

dotLoop8: // for CX > 0: one vector of 8
	VMOVUPS     (SI), Y4
	VFMADD231PS (DI), Y4, Y0
	ADDQ        $32, SI
	ADDQ        $32, DI
	DECQ        CX
	JNZ         dotLoop8

dotReduce:
	VADDPS Y1, Y0, Y0
	VADDPS Y3, Y2, Y2
	VADDPS Y2, Y0, Y0

dotSum:
	HSUM(Y0, X0, X1)
	VMOVSS X0, ret+48(FP)
	VZEROUPPER
	RET

dotShort: // 0 <= n < 8
	TESTQ CX, CX
	JZ    dotZero
	PARTIDX
	PARTLOAD(SI, X0, Y0, dotX1, dotX2, dotX4)
	PARTLOAD(DI, X1, Y1, dotY1, dotY2, dotY4)
	VMULPS Y1, Y0, Y0
	JMP    dotSum

dotZero:
	MOVL $0, ret+48(FP)
	RET

// func axpyAVX2(a float32, x, y []float32)
// Requires: AVX2, FMA
// y[i] += a*x[i] for i < len(x) (len(y) >= len(x)), one FMA per element.
// Register map: SI = &x[i], DI = &y[i], CX = single vectors left,
// R11 = blocks of 4 vectors left, R8 = &y[n-8], Y0-Y3 = y vectors,
// Y14 = the final vector's result, Y15 = a.
// Tail: n >= 8: the final vector at n-8 is computed before the loop (from
// the inputs, so y may equal x) and stored after it; n < 8: PARTLOAD of x
// and y, PARTSTORE of y.
TEXT ·axpyAVX2(SB), NOSPLIT, $0-56
	MOVQ x_base+8(FP), SI
	MOVQ x_len+16(FP), CX
	MOVQ y_base+32(FP), DI
	CMPQ CX, $8
	JB   axpyShort
	VBROADCASTSS a+0(FP), Y15
	VMOVUPS      -32(DI)(CX*4), Y14
	VFMADD231PS  -32(SI)(CX*4), Y15, Y14 // final y[n-8:n] + a*x[n-8:n]
	LEAQ         -32(DI)(CX*4), R8
	DECQ         CX
	SHRQ         $3, CX                  // (n-1)/8 vectors before the final one
	MOVQ         CX, R11
	ANDQ         $3, CX
	SHRQ         $2, R11
	JZ           axpySingles

axpyLoop32: // for R11 > 0: four vectors of 8
	VMOVUPS     (DI), Y0
	VMOVUPS     32(DI), Y1
	VMOVUPS     64(DI), Y2
	VMOVUPS     96(DI), Y3
	VFMADD231PS (SI), Y15, Y0
	VFMADD231PS 32(SI), Y15, Y1
	VFMADD231PS 64(SI), Y15, Y2
	VFMADD231PS 96(SI), Y15, Y3
	VMOVUPS     Y0, (DI)
	VMOVUPS     Y1, 32(DI)
	VMOVUPS     Y2, 64(DI)
	VMOVUPS     Y3, 96(DI)
	ADDQ        $128, SI
	ADDQ        $128, DI
	DECQ        R11
	JNZ         axpyLoop32

axpySingles:
	TESTQ CX, CX
	JZ    axpyFinal

axpyLoop8: // for CX > 0: one vector of 8
	VMOVUPS     (DI), Y0
	VFMADD231PS (SI), Y15, Y0
	VMOVUPS     Y0, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	DECQ        CX
	JNZ         axpyLoop8

axpyFinal:
	VMOVUPS Y14, (R8)
	VZEROUPPER
	RET

axpyShort: // 0 <= n < 8
	TESTQ CX, CX
	JZ    axpyDone
	VBROADCASTSS a+0(FP), Y15
	PARTIDX
	PARTLOAD(SI, X0, Y0, axpyX1, axpyX2, axpyX4)
	PARTLOAD(DI, X1, Y1, axpyY1, axpyY2, axpyY4)
	VFMADD231PS Y0, Y15, Y1
	PARTSTORE(DI, X1, Y1, axpyS1, axpyS2, axpyS4)
	VZEROUPPER

axpyDone:
	RET

// func scaleAVX2(a float32, x []float32)
// Requires: AVX2
// x[i] *= a for i < len(x).
// Register map: DI = &x[i], CX = single vectors left, R11 = blocks of 4
// vectors left, R8 = &x[n-8], Y0-Y3 = x vectors, Y14 = the final vector's
// result, Y15 = a.
// Tail: n >= 8: the final vector at n-8 is computed before the loop and
// stored after it; n < 8: PARTLOAD/PARTSTORE.
TEXT ·scaleAVX2(SB), NOSPLIT, $0-32
	MOVQ x_base+8(FP), DI
	MOVQ x_len+16(FP), CX
	CMPQ CX, $8
	JB   scaleShort
	VBROADCASTSS a+0(FP), Y15
	VMULPS       -32(DI)(CX*4), Y15, Y14 // final a*x[n-8:n]
	LEAQ         -32(DI)(CX*4), R8
	DECQ         CX
	SHRQ         $3, CX                  // (n-1)/8 vectors before the final one
	MOVQ         CX, R11
	ANDQ         $3, CX
	SHRQ         $2, R11
	JZ           scaleSingles

scaleLoop32: // for R11 > 0: four vectors of 8
	VMULPS  (DI), Y15, Y0
	VMULPS  32(DI), Y15, Y1
	VMULPS  64(DI), Y15, Y2
	VMULPS  96(DI), Y15, Y3
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	ADDQ    $128, DI
	DECQ    R11
	JNZ     scaleLoop32

scaleSingles:
	TESTQ CX, CX
	JZ    scaleFinal

scaleLoop8: // for CX > 0: one vector of 8
	VMULPS  (DI), Y15, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, DI
	DECQ    CX
	JNZ     scaleLoop8

scaleFinal:
	VMOVUPS Y14, (R8)
	VZEROUPPER
	RET

scaleShort: // 0 <= n < 8
	TESTQ CX, CX
	JZ    scaleDone
	VBROADCASTSS a+0(FP), Y15
	PARTIDX
	PARTLOAD(DI, X0, Y0, scaleL1, scaleL2, scaleL4)
	VMULPS Y0, Y15, Y0
	PARTSTORE(DI, X0, Y0, scaleS1, scaleS2, scaleS4)
	VZEROUPPER

scaleDone:
	RET

// XENTREDUCE reduces 4 rows to one value each, with op VMAXPS (the row
// maxima) or VADDPS (the row sums): x0-x3 hold the 4-lane partials of rows
// 0-3 (lane j: op(z[j], z[j+4]), j < 4), tl the 2 tail lanes (z[8], z[9]) of
// rows 0 and 1, th those of rows 2 and 3; xd gets the 4 results. Clobbers x0
// and xt. The order is fixed (lane by lane, as written), so each result
// depends only on its row:
//   xd = (p0[0] p0[1] p1[0] p1[1]) op (p0[2] p0[3] p1[2] p1[3]) op tl
//   x0 = (p2[0] p2[1] p3[0] p3[1]) op (p2[2] p2[3] p3[2] p3[3]) op th
//   xd = (xd[0] xd[2] x0[0] x0[2]) op (xd[1] xd[3] x0[1] x0[3])
#define XENTREDUCE(op, x0, x1, x2, x3, tl, th, xd, xt) \
	VSHUFPS $0x44, x1, x0, xd; \
	VSHUFPS $0xEE, x1, x0, xt; \
	op      xt, xd, xd; \
	op      tl, xd, xd; \
	VSHUFPS $0x44, x3, x2, x0; \
	VSHUFPS $0xEE, x3, x2, xt; \
	op      xt, x0, x0; \
	op      th, x0, x0; \
	VSHUFPS $0x88, x0, xd, xt; \
	VSHUFPS $0xDD, x0, xd, xd; \
	op      xt, xd, xd

// XENTROW is pass 1 of softmaxXent10AVX2 for row r of the group at SI: zo =
// 40r (its byte offset), lo = r (its label's), mo = 32+4r (its max on the
// stack), po = 64+16r (its partial sums on the stack), so = 8r (its shift's),
// tsh = 8-2r (moves its tail bits of R10 to bits 8-9). It counts a correct
// argmax into DX, stores shift[r] = float64(m) - float64(z[y]), sets
// z[0:8] = e**(z[0:8]-m) and stores the 4 lane sums e[j]+e[j+4].
#define XENTROW(zo, lo, mo, po, so, tsh) \
	VBROADCASTSS mo(SP), Y5;         /* m */ \
	VMOVUPS      zo(SI), Y0;         /* z[0:8] */ \
	VCMPPS       $0, Y5, Y0, Y6;     /* z[j] == m (ordered: false for NaN) */ \
	VMOVMSKPS    Y6, AX;             /* bits 0-7 */ \
	MOVL         R10, R11; \
	SHLL         $tsh, R11; \
	ANDL         $0x300, R11;        /* z[8] == m, z[9] == m at bits 8, 9 */ \
	ORL          R11, AX; \
	ORL          $0x400, AX;         /* bit 10: arg = 10 when no z[j] == m (NaN m) */ \
	BSFL         AX, AX;             /* arg = the first j with z[j] == m */ \
	MOVBLZX      lo(DI), BX;         /* y = labels[r] */ \
	XORL         R11, R11; \
	CMPL         AX, BX; \
	SETEQ        R11B; \
	ADDQ         R11, DX;            /* correct += arg == y */ \
	VCVTSS2SD    X5, X6, X6;         /* float64(m) */ \
	VCVTSS2SD    zo(SI)(BX*4), X7, X7; /* float64(z[y]), read before z is overwritten */ \
	VSUBSD       X7, X6, X6; \
	VMOVSD       X6, so(R9);         /* shift[r] = m - z[y], exact in float64 */ \
	VSUBPS       Y5, Y0, Y0;         /* z - m <= 0 */ \
	EXP8(Y0, Y1, Y2, Y3, Y6); \
	VMOVUPS      Y0, zo(SI);         /* z[0:8] = e */ \
	VEXTRACTF128 $1, Y0, X1; \
	VADDPS       X1, X0, X0;         /* e[j] + e[j+4], j < 4 */ \
	VMOVUPS      X0, po(SP)

// XENTGRAD is pass 2 of softmaxXent10AVX2 for the head z[0:8] of row r of the
// group at SI (zo = 40r, lo = r, co = 48+4r: its scale/s on the stack):
// z[j] = e[j]*(scale/s) - (j == y ? scale : 0), one rounding (FMA).
#define XENTGRAD(zo, lo, co) \
	VBROADCASTSS co(SP), Y5;                 /* c = scale/s */ \
	VPBROADCASTB lo(DI), Y6;                 /* y in every byte */ \
	VPCMPEQD     xentHeadIota<>(SB), Y6, Y6; /* lane j == y */ \
	VANDPS       0(SP), Y6, Y6;              /* scale in lane y, else 0 */ \
	VFMSUB231PS  zo(SI), Y5, Y6;             /* c*e - that */ \
	VMOVUPS      Y6, zo(SI)

// func softmaxXent10AVX2(z []float32, labels []uint8, scale float32, s []float32, shift []float64, cs []float64) (correct int)
// Requires: AVX2, FMA
// The fused softmax cross-entropy of n = len(labels) rows of 10 logits,
// z[10i:10i+10], in place (kernelSet.softmaxXent10 gives the contract).
// Rows go in groups of 4 (40 floats): their heads z[0:8] one vector each,
// their tails z[8:10] together in Y4 (row r in lanes 2r, 2r+1), so the 4 rows
// need 5 EXP8, not 8. Per group:
//   maxima: each head reduced to 4 lanes, then XENTREDUCE with the tails;
//   the tails: compare with m (R10 = mask), exp(z - m), kept in Y4;
//   XENTROW per row: argmax, shift, the head's exp stored in place;
//   s = XENTREDUCE(sum) of the rows' partial sums and the tails; c = scale/s;
//   the tails' and heads' gradients e*c - scale*onehot.
// The n%4 last rows are copied to a zero-padded group on the stack (padding
// rows have label 1 and zero logits, so they never count as correct), run
// through the same code, and their results copied back.
// Last, if len(cs) > 0, cs[j] = sum over rows, in order, of float64(z[10i+j]).
// Register map: SI = &z[10i], DI = &labels[i], R8 = &s[i], R9 = &shift[i],
// CX = groups left, DX = correct, R12 = n%4, R13 = 1 while running the padded
// group, R10 = the tails' z == m mask, AX, BX, R11 = scratch,
// Y0-Y7 = work, Y8-Y15 = exp constants (LOADEXPC).
// Stack: 0 = scale x8, 32 = the group's 4 maxima, 48 = its 4 scale/s,
// 64 = the rows' 4-lane partial sums (16 bytes each), 128 = padded rows
// (160 bytes), 288 = padded labels (4), 296 = padded s (16),
// 312 = padded shift (32).
TEXT ·softmaxXent10AVX2(SB), 0, $344-136
	MOVQ         z_base+0(FP), SI
	MOVQ         labels_base+24(FP), DI
	MOVQ         labels_len+32(FP), CX
	MOVQ         s_base+56(FP), R8
	MOVQ         shift_base+80(FP), R9
	XORQ         DX, DX
	XORQ         R13, R13
	MOVQ         CX, R12
	ANDQ         $3, R12                 // rows in the last, partial group
	SHRQ         $2, CX                  // full groups
	VBROADCASTSS scale+48(FP), Y0
	VMOVUPS      Y0, 0(SP)               // scale x8
	LOADEXPC
	TESTQ        CX, CX
	JZ           xentRest

xentGroup: // one group of 4 rows at SI
	VMOVUPS      0(SI), Y0               // row 0: z[0:8]
	VMOVUPS      40(SI), Y1              // row 1
	VMOVUPS      80(SI), Y2              // row 2
	VMOVUPS      120(SI), Y3             // row 3
	VMOVSD       32(SI), X4              // row 0: z[8:10] to lanes 0-1
	VMOVHPS      72(SI), X4, X4          // row 1: lanes 2-3
	VMOVSD       112(SI), X5             // row 2
	VMOVHPS      152(SI), X5, X5         // row 3
	VINSERTF128  $1, X5, Y4, Y4          // the tails, row r in lanes 2r, 2r+1
	VEXTRACTF128 $1, Y0, X5
	VMAXPS       X5, X0, X0              // row 0: max(z[j], z[j+4]), j < 4
	VEXTRACTF128 $1, Y1, X5
	VMAXPS       X5, X1, X1              // row 1
	VEXTRACTF128 $1, Y2, X5
	VMAXPS       X5, X2, X2              // row 2
	VEXTRACTF128 $1, Y3, X5
	VMAXPS       X5, X3, X3              // row 3
	VEXTRACTF128 $1, Y4, X7              // tails of rows 2, 3
	XENTREDUCE(VMAXPS, X0, X1, X2, X3, X4, X7, X5, X6)
	VMOVUPS      X5, 32(SP)              // m of the 4 rows (a NaN may be dropped:
	                                     // it then makes its e, hence s, NaN)
	VUNPCKLPS    X5, X5, X6              // m0 m0 m1 m1
	VUNPCKHPS    X5, X5, X7              // m2 m2 m3 m3
	VINSERTF128  $1, X7, Y6, Y6          // each tail lane's m
	VCMPPS       $0, Y6, Y4, Y7          // tail z == m
	VMOVMSKPS    Y7, R10                 // row r's at bits 2r, 2r+1
	VSUBPS       Y6, Y4, Y4              // z - m
	EXP8(Y4, Y0, Y1, Y2, Y3)             // the tails' e, kept in Y4
	XENTROW(0, 0, 32, 64, 0, 8)
	XENTROW(40, 1, 36, 80, 8, 6)
	XENTROW(80, 2, 40, 96, 16, 4)
	XENTROW(120, 3, 44, 112, 24, 2)
	VMOVUPS      64(SP), X0              // the rows' partial sums
	VMOVUPS      80(SP), X1
	VMOVUPS      96(SP), X2
	VMOVUPS      112(SP), X3
	VEXTRACTF128 $1, Y4, X7              // tails' e of rows 2, 3
	XENTREDUCE(VADDPS, X0, X1, X2, X3, X4, X7, X5, X6)
	VMOVUPS      X5, (R8)                // s[0:4]
	VBROADCASTSS 0(SP), X6
	VDIVPS       X5, X6, X6              // c = scale/s
	VMOVUPS      X6, 48(SP)
	VUNPCKLPS    X6, X6, X5              // c0 c0 c1 c1
	VUNPCKHPS    X6, X6, X7              // c2 c2 c3 c3
	VINSERTF128  $1, X7, Y5, Y5          // each tail lane's c
	VPBROADCASTD (DI), Y7                // the 4 labels, in every dword
	VPSHUFB      xentTailShuf<>(SB), Y7, Y7 // each tail lane's y, in every byte
	VPCMPEQD     xentTailIota<>(SB), Y7, Y7 // lane's class (8, 9) == y
	VANDPS       0(SP), Y7, Y7           // scale there, else 0
	VFMSUB213PS  Y7, Y5, Y4              // tails: c*e - that
	VMOVSD       X4, 32(SI)              // row 0: z[8:10]
	VMOVHPS      X4, 72(SI)              // row 1
	VEXTRACTF128 $1, Y4, X4
	VMOVSD       X4, 112(SI)             // row 2
	VMOVHPS      X4, 152(SI)             // row 3
	XENTGRAD(0, 0, 48)
	XENTGRAD(40, 1, 52)
	XENTGRAD(80, 2, 56)
	XENTGRAD(120, 3, 60)
	ADDQ         $160, SI
	ADDQ         $4, DI
	ADDQ         $16, R8
	ADDQ         $32, R9
	TESTQ        R13, R13
	JNZ          xentPadOut              // that was the padded group
	DECQ         CX
	JNZ          xentGroup

xentRest: // R12 = n%4 rows left at SI, DI
	TESTQ        R12, R12
	JZ           xentColsum
	VXORPS       Y0, Y0, Y0
	VMOVUPS      Y0, 128(SP)             // zero the padded group's 40 logits
	VMOVUPS      Y0, 160(SP)
	VMOVUPS      Y0, 192(SP)
	VMOVUPS      Y0, 224(SP)
	VMOVUPS      Y0, 256(SP)
	MOVL         $0x01010101, 288(SP)    // padding labels: 1
	LEAQ         (R12)(R12*4), AX
	SHLQ         $1, AX                  // 10*(n%4) logits
	XORQ         BX, BX

xentCopyIn: // for BX < AX: the padded group's logits
	MOVL         (SI)(BX*4), R11
	MOVL         R11, 128(SP)(BX*4)
	INCQ         BX
	CMPQ         BX, AX
	JB           xentCopyIn
	XORQ         BX, BX

xentCopyLabels: // for BX < n%4: its labels
	MOVBLZX      (DI)(BX*1), R11
	MOVB         R11, 288(SP)(BX*1)
	INCQ         BX
	CMPQ         BX, R12
	JB           xentCopyLabels
	LEAQ         128(SP), SI
	LEAQ         288(SP), DI
	LEAQ         296(SP), R8
	LEAQ         312(SP), R9
	MOVQ         $1, R13
	JMP          xentGroup

xentPadOut: // copy the n%4 real rows of the padded group back
	MOVQ         labels_len+32(FP), CX
	SUBQ         R12, CX                 // their first row
	IMUL3Q       $40, CX, SI
	ADDQ         z_base+0(FP), SI        // &z[10*row]
	MOVQ         s_base+56(FP), R8
	LEAQ         (R8)(CX*4), R8          // &s[row]
	MOVQ         shift_base+80(FP), R9
	LEAQ         (R9)(CX*8), R9          // &shift[row]
	LEAQ         (R12)(R12*4), AX
	SHLQ         $1, AX
	XORQ         BX, BX

xentCopyOut: // for BX < 10*(n%4): the gradient
	MOVL         128(SP)(BX*4), R11
	MOVL         R11, (SI)(BX*4)
	INCQ         BX
	CMPQ         BX, AX
	JB           xentCopyOut
	XORQ         BX, BX

xentCopyS: // for BX < n%4: s and shift
	MOVL         296(SP)(BX*4), R11
	MOVL         R11, (R8)(BX*4)
	MOVQ         312(SP)(BX*8), R11
	MOVQ         R11, (R9)(BX*8)
	INCQ         BX
	CMPQ         BX, R12
	JB           xentCopyS

xentColsum: // cs[j] = the sum of z[10i+j] over the rows in order, in float64
	MOVQ         cs_len+112(FP), AX
	TESTQ        AX, AX
	JZ           xentDone
	MOVQ         cs_base+104(FP), BX
	MOVQ         z_base+0(FP), SI
	MOVQ         labels_len+32(FP), CX
	VXORPD       Y0, Y0, Y0              // cs[0:4]
	VXORPD       Y1, Y1, Y1              // cs[4:8]
	VXORPD       Y2, Y2, Y2              // cs[8:10] in X2
	TESTQ        CX, CX
	JZ           xentColsumStore

xentColsumLoop: // for CX > 0: one row
	VCVTPS2PD    (SI), Y3                // float64(z[0:4])
	VCVTPS2PD    16(SI), Y4              // float64(z[4:8])
	VCVTPS2PD    32(SI), X5              // float64(z[8:10])
	VADDPD       Y3, Y0, Y0
	VADDPD       Y4, Y1, Y1
	VADDPD       X5, X2, X2
	ADDQ         $40, SI
	DECQ         CX
	JNZ          xentColsumLoop

xentColsumStore:
	VMOVUPD      Y0, (BX)
	VMOVUPD      Y1, 32(BX)
	VMOVUPD      X2, 64(BX)

xentDone:
	MOVQ         DX, correct+128(FP)
	VZEROUPPER
	RET

// xentHeadIota: dword j = j in every byte (compared with a label broadcast
// to every byte).
DATA xentHeadIota<>+0(SB)/4, $0x00000000
DATA xentHeadIota<>+4(SB)/4, $0x01010101
DATA xentHeadIota<>+8(SB)/4, $0x02020202
DATA xentHeadIota<>+12(SB)/4, $0x03030303
DATA xentHeadIota<>+16(SB)/4, $0x04040404
DATA xentHeadIota<>+20(SB)/4, $0x05050505
DATA xentHeadIota<>+24(SB)/4, $0x06060606
DATA xentHeadIota<>+28(SB)/4, $0x07070707
GLOBL xentHeadIota<>(SB), RODATA|NOPTR, $32

// xentTailIota: the class of each tail lane (8, 9 for each of the 4 rows),
// in every byte.
DATA xentTailIota<>+0(SB)/4, $0x08080808
DATA xentTailIota<>+4(SB)/4, $0x09090909
DATA xentTailIota<>+8(SB)/4, $0x08080808
DATA xentTailIota<>+12(SB)/4, $0x09090909
DATA xentTailIota<>+16(SB)/4, $0x08080808
DATA xentTailIota<>+20(SB)/4, $0x09090909
DATA xentTailIota<>+24(SB)/4, $0x08080808
DATA xentTailIota<>+28(SB)/4, $0x09090909
GLOBL xentTailIota<>(SB), RODATA|NOPTR, $32

// xentTailShuf: the VPSHUFB control that spreads the 4 label bytes (at bytes
// 0-3 of each 128-bit lane) to the tail lanes: dwords 0-1 get label 0,
// 2-3 label 1 (low lane), 4-5 label 2, 6-7 label 3 (high lane).
DATA xentTailShuf<>+0(SB)/8, $0x0000000000000000
DATA xentTailShuf<>+8(SB)/8, $0x0101010101010101
DATA xentTailShuf<>+16(SB)/8, $0x0202020202020202
DATA xentTailShuf<>+24(SB)/8, $0x0303030303030303
GLOBL xentTailShuf<>(SB), RODATA|NOPTR, $32

// exp constants broadcast by LOADEXPC and EXP8 (the values of exp32).
DATA expC<>+0(SB)/4, $0xc2d00000  // lo = -104
DATA expC<>+4(SB)/4, $0x42b18000  // hi = 88.75
DATA expC<>+8(SB)/4, $0x3fb8aa3b  // log2(e) = 1.44269504
DATA expC<>+12(SB)/4, $0x3f318000 // ln2Hi = 0.693359375
DATA expC<>+16(SB)/4, $0xb95e8083 // ln2Lo = -2.12194440e-4
DATA expC<>+20(SB)/4, $0x39506967 // P0 = 1.9875691500e-4
DATA expC<>+24(SB)/4, $0x3ab743ce // P1 = 1.3981999507e-3
DATA expC<>+28(SB)/4, $0x3c088908 // P2 = 8.3334519073e-3
DATA expC<>+32(SB)/4, $0x3d2aa9c1 // P3 = 4.1665795894e-2
DATA expC<>+36(SB)/4, $0x3e2aaaaa // P4 = 1.6666665459e-1
DATA expC<>+40(SB)/4, $0x3f000000 // P5 = 5.0000001201e-1 (rounds to 0.5)
GLOBL expC<>(SB), RODATA|NOPTR, $44

// The float32 exponent bias 127, 8 int32 lanes.
DATA exp127<>+0(SB)/4, $127
DATA exp127<>+4(SB)/4, $127
DATA exp127<>+8(SB)/4, $127
DATA exp127<>+12(SB)/4, $127
DATA exp127<>+16(SB)/4, $127
DATA exp127<>+20(SB)/4, $127
DATA exp127<>+24(SB)/4, $127
DATA exp127<>+28(SB)/4, $127
GLOBL exp127<>(SB), RODATA|NOPTR, $32

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
