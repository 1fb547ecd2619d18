//go:build !purego

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

// TAILMASK sets K1 to the low CX bits (CX in 1..15), using AX.
#define TAILMASK \
	MOVL  $1, AX; \
	SHLL  CX, AX; \
	DECL  AX; \
	KMOVW AX, K1


#define EXPMAGIC Z28

DATA magic<>+0(SB)/4, $0x4b400000
GLOBL magic<>(SB), RODATA|NOPTR, $4

#define EXPR(x, n, p, t, v) \
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


#define EXPM(x, n, p, t, v) \
	VMAXPS       x, EXPLO, x; \
	VMINPS       x, EXPHI, x; \
	VMULPS       EXPLOG2E, x, n; \
	VADDPS       EXPMAGIC, n, n; \
	VSUBPS       EXPMAGIC, n, n; \
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


#define EXPC(x, n, p, t, v) \
	VMAXPS       x, EXPLO, x; \
	VMINPS       x, EXPHI, x; \
	VMULPS       EXPLOG2E, x, n; \
	VCVTPS2DQ    n, n; \
	VCVTDQ2PS    n, n; \
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


#define EXPB(x, n, p, t, v) \
	VMAXPS       x, EXPLO, x; \
	VMINPS       x, EXPHI, x; \
	VMULPS       EXPLOG2E, x, n; \
	VRNDSCALEPS  $0, n, n; \
	VFNMADD231PS EXPLN2HI, n, x; \
	VFNMADD231PS EXPLN2LO, n, x; \
	VMULPS       x, x, v; \
	VBROADCASTSS expC16<>+20(SB), p; \
	VFMADD213PS  EXPP1, x, p; \
	VBROADCASTSS expC16<>+28(SB), t; \
	VFMADD213PS  EXPP3, x, t; \
	VFMADD213PS  t, v, p; \
	VBROADCASTSS expC16<>+36(SB), t; \
	VFMADD213PS  EXPP5, x, t; \
	VFMADD213PS  t, v, p; \
	VFMADD213PS  x, v, p; \
	VADDPS       EXPONE, p, p; \
	VSCALEFPS    n, p, x


TEXT ·expXR1(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	TESTQ CX, CX
	JZ expXR1_done
	LOADEXPC16
	VBROADCASTSS magic<>(SB), EXPMAGIC
	MOVQ CX, BX
	SHRQ $4, BX
	JZ expXR1_single
expXR1_loop:
	VMOVUPS 0(SI), Z0
	EXPR(Z0, Z1, Z2, Z3, Z4)
	VMOVUPS Z0, 0(DI)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ BX
	JNZ expXR1_loop
expXR1_single:
	MOVQ CX, BX
	ANDQ $15, BX
	SHRQ $4, BX
	JZ expXR1_tail
expXR1_sloop:
	VMOVUPS (SI), Z0
	EXPR(Z0, Z1, Z2, Z3, Z4)
	VMOVUPS Z0, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ BX
	JNZ expXR1_sloop
expXR1_tail:
	ANDQ $15, CX
	JZ expXR1_end
	TAILMASK
	VMOVUPS.Z (SI), K1, Z0
	EXPR(Z0, Z1, Z2, Z3, Z4)
	VMOVUPS Z0, K1, (DI)
expXR1_end:
	VZEROUPPER
expXR1_done:
	RET

TEXT ·expXR2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	TESTQ CX, CX
	JZ expXR2_done
	LOADEXPC16
	VBROADCASTSS magic<>(SB), EXPMAGIC
	MOVQ CX, BX
	SHRQ $5, BX
	JZ expXR2_single
expXR2_loop:
	VMOVUPS 0(SI), Z0
	VMOVUPS 64(SI), Z5
	EXPR(Z0, Z1, Z2, Z3, Z4)
	EXPR(Z5, Z6, Z7, Z8, Z9)
	VMOVUPS Z0, 0(DI)
	VMOVUPS Z5, 64(DI)
	ADDQ $128, SI
	ADDQ $128, DI
	DECQ BX
	JNZ expXR2_loop
expXR2_single:
	MOVQ CX, BX
	ANDQ $31, BX
	SHRQ $4, BX
	JZ expXR2_tail
expXR2_sloop:
	VMOVUPS (SI), Z0
	EXPR(Z0, Z1, Z2, Z3, Z4)
	VMOVUPS Z0, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ BX
	JNZ expXR2_sloop
expXR2_tail:
	ANDQ $15, CX
	JZ expXR2_end
	TAILMASK
	VMOVUPS.Z (SI), K1, Z0
	EXPR(Z0, Z1, Z2, Z3, Z4)
	VMOVUPS Z0, K1, (DI)
expXR2_end:
	VZEROUPPER
expXR2_done:
	RET

TEXT ·expXR4(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	TESTQ CX, CX
	JZ expXR4_done
	LOADEXPC16
	VBROADCASTSS magic<>(SB), EXPMAGIC
	MOVQ CX, BX
	SHRQ $6, BX
	JZ expXR4_single
expXR4_loop:
	VMOVUPS 0(SI), Z0
	VMOVUPS 64(SI), Z5
	VMOVUPS 128(SI), Z10
	VMOVUPS 192(SI), Z15
	EXPR(Z0, Z1, Z2, Z3, Z4)
	EXPR(Z5, Z6, Z7, Z8, Z9)
	EXPR(Z10, Z11, Z12, Z13, Z14)
	EXPR(Z15, Z28, Z29, Z30, Z31)
	VMOVUPS Z0, 0(DI)
	VMOVUPS Z5, 64(DI)
	VMOVUPS Z10, 128(DI)
	VMOVUPS Z15, 192(DI)
	ADDQ $256, SI
	ADDQ $256, DI
	DECQ BX
	JNZ expXR4_loop
expXR4_single:
	MOVQ CX, BX
	ANDQ $63, BX
	SHRQ $4, BX
	JZ expXR4_tail
expXR4_sloop:
	VMOVUPS (SI), Z0
	EXPR(Z0, Z1, Z2, Z3, Z4)
	VMOVUPS Z0, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ BX
	JNZ expXR4_sloop
expXR4_tail:
	ANDQ $15, CX
	JZ expXR4_end
	TAILMASK
	VMOVUPS.Z (SI), K1, Z0
	EXPR(Z0, Z1, Z2, Z3, Z4)
	VMOVUPS Z0, K1, (DI)
expXR4_end:
	VZEROUPPER
expXR4_done:
	RET

TEXT ·expXM1(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	TESTQ CX, CX
	JZ expXM1_done
	LOADEXPC16
	VBROADCASTSS magic<>(SB), EXPMAGIC
	MOVQ CX, BX
	SHRQ $4, BX
	JZ expXM1_single
expXM1_loop:
	VMOVUPS 0(SI), Z0
	EXPM(Z0, Z1, Z2, Z3, Z4)
	VMOVUPS Z0, 0(DI)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ BX
	JNZ expXM1_loop
expXM1_single:
	MOVQ CX, BX
	ANDQ $15, BX
	SHRQ $4, BX
	JZ expXM1_tail
expXM1_sloop:
	VMOVUPS (SI), Z0
	EXPM(Z0, Z1, Z2, Z3, Z4)
	VMOVUPS Z0, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ BX
	JNZ expXM1_sloop
expXM1_tail:
	ANDQ $15, CX
	JZ expXM1_end
	TAILMASK
	VMOVUPS.Z (SI), K1, Z0
	EXPM(Z0, Z1, Z2, Z3, Z4)
	VMOVUPS Z0, K1, (DI)
expXM1_end:
	VZEROUPPER
expXM1_done:
	RET

TEXT ·expXM2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	TESTQ CX, CX
	JZ expXM2_done
	LOADEXPC16
	VBROADCASTSS magic<>(SB), EXPMAGIC
	MOVQ CX, BX
	SHRQ $5, BX
	JZ expXM2_single
expXM2_loop:
	VMOVUPS 0(SI), Z0
	VMOVUPS 64(SI), Z5
	EXPM(Z0, Z1, Z2, Z3, Z4)
	EXPM(Z5, Z6, Z7, Z8, Z9)
	VMOVUPS Z0, 0(DI)
	VMOVUPS Z5, 64(DI)
	ADDQ $128, SI
	ADDQ $128, DI
	DECQ BX
	JNZ expXM2_loop
expXM2_single:
	MOVQ CX, BX
	ANDQ $31, BX
	SHRQ $4, BX
	JZ expXM2_tail
expXM2_sloop:
	VMOVUPS (SI), Z0
	EXPM(Z0, Z1, Z2, Z3, Z4)
	VMOVUPS Z0, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ BX
	JNZ expXM2_sloop
expXM2_tail:
	ANDQ $15, CX
	JZ expXM2_end
	TAILMASK
	VMOVUPS.Z (SI), K1, Z0
	EXPM(Z0, Z1, Z2, Z3, Z4)
	VMOVUPS Z0, K1, (DI)
expXM2_end:
	VZEROUPPER
expXM2_done:
	RET

TEXT ·expXC2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	TESTQ CX, CX
	JZ expXC2_done
	LOADEXPC16
	VBROADCASTSS magic<>(SB), EXPMAGIC
	MOVQ CX, BX
	SHRQ $5, BX
	JZ expXC2_single
expXC2_loop:
	VMOVUPS 0(SI), Z0
	VMOVUPS 64(SI), Z5
	EXPC(Z0, Z1, Z2, Z3, Z4)
	EXPC(Z5, Z6, Z7, Z8, Z9)
	VMOVUPS Z0, 0(DI)
	VMOVUPS Z5, 64(DI)
	ADDQ $128, SI
	ADDQ $128, DI
	DECQ BX
	JNZ expXC2_loop
expXC2_single:
	MOVQ CX, BX
	ANDQ $31, BX
	SHRQ $4, BX
	JZ expXC2_tail
expXC2_sloop:
	VMOVUPS (SI), Z0
	EXPC(Z0, Z1, Z2, Z3, Z4)
	VMOVUPS Z0, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ BX
	JNZ expXC2_sloop
expXC2_tail:
	ANDQ $15, CX
	JZ expXC2_end
	TAILMASK
	VMOVUPS.Z (SI), K1, Z0
	EXPC(Z0, Z1, Z2, Z3, Z4)
	VMOVUPS Z0, K1, (DI)
expXC2_end:
	VZEROUPPER
expXC2_done:
	RET

TEXT ·expXB2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	TESTQ CX, CX
	JZ expXB2_done
	LOADEXPC16
	VBROADCASTSS magic<>(SB), EXPMAGIC
	MOVQ CX, BX
	SHRQ $5, BX
	JZ expXB2_single
expXB2_loop:
	VMOVUPS 0(SI), Z0
	VMOVUPS 64(SI), Z5
	EXPB(Z0, Z1, Z2, Z3, Z4)
	EXPB(Z5, Z6, Z7, Z8, Z9)
	VMOVUPS Z0, 0(DI)
	VMOVUPS Z5, 64(DI)
	ADDQ $128, SI
	ADDQ $128, DI
	DECQ BX
	JNZ expXB2_loop
expXB2_single:
	MOVQ CX, BX
	ANDQ $31, BX
	SHRQ $4, BX
	JZ expXB2_tail
expXB2_sloop:
	VMOVUPS (SI), Z0
	EXPB(Z0, Z1, Z2, Z3, Z4)
	VMOVUPS Z0, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ BX
	JNZ expXB2_sloop
expXB2_tail:
	ANDQ $15, CX
	JZ expXB2_end
	TAILMASK
	VMOVUPS.Z (SI), K1, Z0
	EXPB(Z0, Z1, Z2, Z3, Z4)
	VMOVUPS Z0, K1, (DI)
expXB2_end:
	VZEROUPPER
expXB2_done:
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
