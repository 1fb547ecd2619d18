//go:build !purego

package tensor

// The AVX-512 (F, BW, DQ, VL) kernels: the vector kernels in
// vec_avx512_amd64.s, the GEMM micro-kernel and the peak loop in
// gemm_avx512_amd64.s. Each has the contract of its AVX2 version
// (vec_amd64.go, gemm_amd64.go, peak_amd64.go) and touches nothing outside
// its slices' lengths: the tails go through opmask registers. None is
// registered as a kernel set here; callers must check
// cpu.X86.HasAVX512F, HasAVX512BW, HasAVX512DQ and HasAVX512VL.

// expAVX512 sets dst[i] = e**src[i] for i < len(src); len(dst) >= len(src) and
// dst may be src. Bitwise the result of expAVX2 for every input, NaNs
// included (within 2 ulp of float32(math.Exp(float64(x))), special values
// exact, subnormal results correctly rounded).
//
//go:noescape
func expAVX512(dst, src []float32)

// maxAVX512 returns the largest element of x, len(x) >= 1, or its first NaN
// if it has one (NaN for an empty x).
//
//go:noescape
func maxAVX512(x []float32) float32

// expShiftSumAVX512 sets dst[i] = e**(src[i]-shift) for i < len(src) and
// returns the float32 sum of those values (16 lane sums, then added up);
// len(dst) >= len(src) and dst may be src.
//
//go:noescape
func expShiftSumAVX512(dst, src []float32, shift float32) float32

// dotAVX512 returns the sum of x[i]*y[i] for i < len(x); len(y) >= len(x).
//
//go:noescape
func dotAVX512(x, y []float32) float32

// axpyAVX512 sets y[i] += a*x[i] (one fused multiply-add) for i < len(x);
// len(y) >= len(x).
//
//go:noescape
func axpyAVX512(a float32, x, y []float32)

// scaleAVX512 sets x[i] *= a.
//
//go:noescape
func scaleAVX512(a float32, x []float32)

// The register tile of gemmTileAVX512: 12x32 = 24 accumulators of 16 lanes.
const (
	gemmMRAVX512 = 12
	gemmNRAVX512 = 32
)

// gemmTileAVX512 is the 12x32 AVX-512 micro-kernel of kernelSet.gemmTile:
// tile[i*32+j] = sum_{p<k} ap[p*12+i] * bp[p*32+j] for i < 12, j < 32,
// overwriting tile[:384]. It reads exactly ap[:12k] and bp[:32k]; the caller
// guarantees those lengths and len(tile) >= 384 (nothing is checked).
// k <= 0 gives zeros.
//
//go:noescape
func gemmTileAVX512(k int, ap, bp, tile []float32)

// fmaLoopAVX512 runs n iterations of 16 independent VFMADD231PS on ZMM
// registers (no memory access, 16*32 = 512 FLOP an iteration); nothing for
// n <= 0.
//
//go:noescape
func fmaLoopAVX512(n int)
