//go:build !purego

// max, dot, axpy and scale: the AVX2 and AVX-512 kernels (contracts in
// kernelSet, isa.go; tails as tail_amd64.h describes: nothing outside the
// slices is read or written). docs/kernels.md ("Tails and bounds") describes
// the tails of every level.

#include "textflag.h"
#include "tail_amd64.h"

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
