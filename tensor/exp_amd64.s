//go:build !purego

// exp and exp-shift-sum: the AVX2 and AVX-512 kernels (contracts in
// kernelSet, isa.go; the algorithm in exp_amd64.h; each level's error on all
// 2**32 inputs in docs/kernels.md, "The exp and its error").

#include "textflag.h"
// exp's constants all live in registers (Z16-Z27): the kernels use Z0-Z11.
#define ZEXPLO Z16
#define ZEXPHI Z17
#define ZEXPLOG2E Z18
#define ZEXPLN2HI Z19
#define ZEXPLN2LO Z20
#define ZEXPP1 Z22
#define ZEXPP3 Z24
#define ZEXPP5 Z26
#define ZEXPONE Z27
#define EXPP0(r) VMOVAPS Z21, r
#define EXPP2(r) VMOVAPS Z23, r
#define EXPP4(r) VMOVAPS Z25, r
#define EXPP_LOAD \
	VBROADCASTSS expC<>+20(SB), Z21; \
	VBROADCASTSS expC<>+28(SB), Z23; \
	VBROADCASTSS expC<>+36(SB), Z25

#include "exp_amd64.h"
#include "tail_amd64.h"

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

// func expAVX512(dst, src []float32)
// Requires: AVX512F
// dst[i] = e**src[i] for i < len(src) (len(dst) >= len(src); dst may be src).
// Register map: SI = &src[i], DI = &dst[i], BX = pairs of vectors left,
// CX = n, then n%16; AX = scratch; Z0-Z4, Z5-Z9 = x, n, p, t, v of two EXP16;
// Z16-Z27 = exp constants (LOADEXPZ); K1 = the tail's lanes.
// Tail: pairs of vectors, an odd vector, then n%16 lanes under K1.
TEXT ·expAVX512(SB), NOSPLIT, $0-48
	MOVQ  dst_base+0(FP), DI
	MOVQ  src_base+24(FP), SI
	MOVQ  src_len+32(FP), CX
	TESTQ CX, CX
	JZ    expDone
	LOADEXPZ
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
	LOADEXPZ
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
