// The exp of every amd64 level, included by exp_amd64.s and xent_amd64.s.
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
// VMAXPS/VMINPS), and NaN flows through to the result. Unlike exp32, r*ln2Lo is subtracted with an FMA and P(r) is
// evaluated by Estrin's scheme, so results may differ from exp32 in the last
// bit: all 2**32 inputs are within 1.03 ulp of math.Exp (at most one float32
// step from the correctly rounded value), special values exact.
//
// The AVX-512 macros compute the same operations in the same order up to
// the scaling: (p*s1 + s1)*s2 rounds (1+p) once, scales it exactly by s1
// (a normal power of two, |h| <= 75), and rounds (1+p)*2**n once in the
// product by s2; VSCALEFPS(round(1+p), n) rounds that same value once
// (overflow to +Inf, correctly rounded subnormals, underflow to 0). So
// every AVX-512 exp is bitwise EXP8's (checked on all 2**32 inputs), in two
// instructions instead of nine.
//
// The constants are file-local data (<>), so each including file has its
// own copy.

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
// LOADEXPC. Step by step, as exp32 in exp_generic.go:
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

// The AVX-512 exp. The including file chooses where its constants live,
// since its kernels need more or fewer registers for their data: it
// defines ZEXPLO, ZEXPHI, ZEXPLOG2E, ZEXPLN2HI, ZEXPLN2LO, ZEXPP1, ZEXPP3,
// ZEXPP5 and ZEXPONE (registers), EXPP0(r), EXPP2(r) and EXPP4(r), which
// set r to P0, P2 and P4 (from a register, or broadcast from memory), and
// EXPP_LOAD, which loads what those read from registers (or nothing).

// LOADEXPZ broadcasts the constants of EXP16 into their registers.
#define LOADEXPZ \
	VBROADCASTSS expC<>+0(SB), ZEXPLO; \
	VBROADCASTSS expC<>+4(SB), ZEXPHI; \
	VBROADCASTSS expC<>+8(SB), ZEXPLOG2E; \
	VBROADCASTSS expC<>+12(SB), ZEXPLN2HI; \
	VBROADCASTSS expC<>+16(SB), ZEXPLN2LO; \
	VBROADCASTSS expC<>+24(SB), ZEXPP1; \
	VBROADCASTSS expC<>+32(SB), ZEXPP3; \
	VBROADCASTSS expC<>+40(SB), ZEXPP5; \
	VBROADCASTSS expC<>+44(SB), ZEXPONE; \
	EXPP_LOAD

// EXP16 sets x = e**x for the 16 lanes of x, clobbering n, p, t and v; it
// needs LOADEXPZ. Its results are bitwise those of EXP8 (expAVX2) for every
// float32 input (TestAVX512ExpExhaustive checks all 2**32 with
// SOFTMAX_FAST_EXP_EXHAUSTIVE=1): up to the polynomial it is EXP8 operation
// for operation (VRNDSCALEPS $0 is VROUNDPS $0: to nearest even); only the
// scaling differs:
//   x = min(max(x, -104), 88.75)    NaN stays (x is the second source)
//   n = rint(x*log2e)               in [-150, 128]
//   r = x - n*ln2Hi - n*ln2Lo       in x (two FNMAs)
//   v = r*r
//   p = ((P0*r + P1)*v + (P2*r + P3))*v + (P4*r + P5)    Estrin's scheme
//   p = p*v + r                     e**r - 1
//   x = scalef(p + 1, n)            = round((p + 1)*2**n): one rounding of
//                                   the exact product, overflow to +Inf,
//                                   subnormal results rounded once
#define EXP16(x, n, p, t, v) \
	VMAXPS       x, ZEXPLO, x; \
	VMINPS       x, ZEXPHI, x; \
	VMULPS       ZEXPLOG2E, x, n; \
	VRNDSCALEPS  $0, n, n; \
	VFNMADD231PS ZEXPLN2HI, n, x; \
	VFNMADD231PS ZEXPLN2LO, n, x; \
	VMULPS       x, x, v; \
	EXPP0(p); \
	VFMADD213PS  ZEXPP1, x, p; \
	EXPP2(t); \
	VFMADD213PS  ZEXPP3, x, t; \
	VFMADD213PS  t, v, p; \
	EXPP4(t); \
	VFMADD213PS  ZEXPP5, x, t; \
	VFMADD213PS  t, v, p; \
	VFMADD213PS  x, v, p; \
	VADDPS       ZEXPONE, p, p; \
	VSCALEFPS    n, p, x

// EXP16X2 is EXP16 on x and y (temporaries n..v and n2..v2), the two
// sequences interleaved so that the scheduler sees both chains at once.
#define EXP16X2(x, n, p, t, v, y, n2, p2, t2, v2) \
	VMAXPS       x, ZEXPLO, x; \
	VMAXPS       y, ZEXPLO, y; \
	VMINPS       x, ZEXPHI, x; \
	VMINPS       y, ZEXPHI, y; \
	VMULPS       ZEXPLOG2E, x, n; \
	VMULPS       ZEXPLOG2E, y, n2; \
	VRNDSCALEPS  $0, n, n; \
	VRNDSCALEPS  $0, n2, n2; \
	VFNMADD231PS ZEXPLN2HI, n, x; \
	VFNMADD231PS ZEXPLN2HI, n2, y; \
	VFNMADD231PS ZEXPLN2LO, n, x; \
	VFNMADD231PS ZEXPLN2LO, n2, y; \
	VMULPS       x, x, v; \
	VMULPS       y, y, v2; \
	EXPP0(p); \
	EXPP0(p2); \
	VFMADD213PS  ZEXPP1, x, p; \
	VFMADD213PS  ZEXPP1, y, p2; \
	EXPP2(t); \
	EXPP2(t2); \
	VFMADD213PS  ZEXPP3, x, t; \
	VFMADD213PS  ZEXPP3, y, t2; \
	VFMADD213PS  t, v, p; \
	VFMADD213PS  t2, v2, p2; \
	EXPP4(t); \
	EXPP4(t2); \
	VFMADD213PS  ZEXPP5, x, t; \
	VFMADD213PS  ZEXPP5, y, t2; \
	VFMADD213PS  t, v, p; \
	VFMADD213PS  t2, v2, p2; \
	VFMADD213PS  x, v, p; \
	VFMADD213PS  y, v2, p2; \
	VADDPS       ZEXPONE, p, p; \
	VADDPS       ZEXPONE, p2, p2; \
	VSCALEFPS    n, p, x; \
	VSCALEFPS    n2, p2, y

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
DATA expC<>+44(SB)/4, $0x3f800000 // 1
GLOBL expC<>(SB), RODATA|NOPTR, $48

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
