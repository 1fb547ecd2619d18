package tensor

import (
	"errors"
	"fmt"
	"os"
)

// ISA names a set of kernels: the portable Go one or one written for an
// instruction-set extension.
type ISA int

const (
	// Generic is the portable pure-Go kernel set. It is available everywhere.
	Generic ISA = iota
	// AVX2 is the amd64 kernel set that needs AVX2 and FMA (with OS support
	// for the YMM state).
	AVX2
	// NEON is the arm64 kernel set (Advanced SIMD, part of every arm64 CPU).
	NEON
	// AVX512 is the amd64 kernel set that needs the AVX-512 F, BW, DQ and
	// VL subsets (with OS support for the opmask and ZMM state): 512-bit
	// vectors, 32 vector registers, opmask registers for the tails.
	AVX512
)

// String returns the level's name as ParseISA and SOFTMAX_FAST_ISA accept
// it.
func (l ISA) String() string {
	switch l {
	case Generic:
		return "generic"
	case AVX2:
		return "avx2"
	case NEON:
		return "neon"
	case AVX512:
		return "avx512"
	}
	return fmt.Sprintf("ISA(%d)", int(l))
}

// ParseISA returns the level whose String is s: "generic", "avx2", "avx512"
// or "neon". It does not check that this CPU can run it: see SetISA.
func ParseISA(s string) (ISA, error) {
	for _, l := range []ISA{Generic, AVX2, AVX512, NEON} {
		if s == l.String() {
			return l, nil
		}
	}
	return 0, fmt.Errorf("tensor: unknown ISA level %q (want generic, avx2, avx512 or neon)", s)
}

// ErrISAUnavailable is returned (wrapped) when a level is asked for that this
// build or CPU cannot run.
var ErrISAUnavailable = errors.New("ISA level not available on this CPU or build")

// kernelSet is one complete set of kernels: every level supplies every
// field, so that each operation has one driver whatever the level, and a
// new level is one new set. A level without a faster form of a kernel uses
// its generic one, or builds it in Go from its own smaller kernels.
//
// The exact semantics of each kernel are those of its generic version (the
// *_generic.go files); another level computes the same thing up to the
// rounding of fused multiply-adds and the order of additions, which are the
// level's own but fixed: they never depend on how a caller cuts the work
// (rows, blocks of rows, chunks of columns, threads), so that a result is
// bitwise the same for any thread count within a level.
type kernelSet struct {
	isa ISA

	// gemmMR x gemmNR is the register tile of gemmTile.
	gemmMR, gemmNR int
	// gemmTile computes tile[i*NR+j] = sum_{p<k} ap[p*MR+i] * bp[p*NR+j]
	// for i < MR, j < NR, overwriting tile. k >= 1.
	gemmTile func(k int, ap, bp, tile []float32)

	// fwdU8Rows10 is the forward product of a range of rows for ten
	// classes. With row i of X at x[index[i]*stride:] and
	// s[i][j] = sum_{p<k} float32(x[index[i]*stride+p]) * w[j*wstride+p]
	// (summed in an order that depends on k only), it sets
	// c[i*cstride+j] = alpha*s[i][j] + beta*c[i*cstride+j] for i < m,
	// j < 10 (two roundings, no fused multiply-add), then adds bias[j] if
	// bias is not nil (a third rounding), and does not read c when beta is
	// +-0. It prefetches the rows that come next. k >= 1, 1 <= m <=
	// rowsPerCall, len(index) >= m, and every row, w[:9*wstride+k],
	// c[:(m-1)*cstride+10] and bias[:10] (unless nil) are in bounds.
	fwdU8Rows10 func(x []uint8, index []int32, stride int, w []float32, wstride int, c []float32, cstride int, m, k int, alpha, beta float32, bias []float32)

	// gradU8x10 is the weight gradient of nch >= 1 chunks of 8 columns
	// for ten classes over one block of rows: with m = len(offs) >= 1 and
	// T[r][p] = the sum over the rows i = 0, 1, ..., m-1, in that order
	// and one multiply-add per row, of gp[i*10+r] * float32(x[offs[i]+p])
	// (r < 10, p < 8*nch), started from acc if mode&1 (the sums of the
	// earlier blocks, in the level's own layout) or from +0: if mode&2
	// (the last block) it sets c[r*cstride+p] = alpha*T + beta*c (two
	// roundings, c not read when beta is +-0), else it stores T in acc.
	// So blocks of rows run in order give bitwise the result of one block
	// of all of them, and any cut of the chunks gives bitwise the same C.
	// len(acc) >= 80*nch unless mode == 2 (acc then unused), every
	// offs[i]+8*nch <= len(x), len(gp) >= 10m, len(c) >= 9*cstride+8*nch.
	gradU8x10 func(x []uint8, offs []int, gp []float32, c []float32, cstride, nch int, alpha, beta float32, acc []float32, mode int)
	// gradGrain is the number of chunks a thread's share of a gradient
	// product is a multiple of: the chunks the kernels (gradU8x10 and
	// gradF32x10) take at a time, so that no thread gets a partial step
	// (and, with C's rows on 64-byte boundaries, no cache line of C is
	// written by two threads).
	gradGrain int

	// dotU8Row is the product of one image with every class: for
	// j < n = len(z), z[j] = float32(alpha*s_j) + bias[j] with
	// s_j = sum_{p<k} float32(x[p]) * w[j*wstride+p], k = len(x) >= 1,
	// n >= 1, len(bias) >= n and w[:(n-1)*wstride+k] in bounds.
	dotU8Row func(x []uint8, w []float32, wstride int, alpha float32, bias []float32, z []float32)

	// fwdF32Rows10 is fwdU8Rows10 for float32 rows: the same contract with
	// s[i][j] = sum_{p<k} x[index[i]*stride+p] * w[j*wstride+p] (summed in
	// an order that depends on k only). Each product is added once: the
	// elements a tail step takes again are masked to +0 in X and in W
	// alike, so that an Inf or NaN of X or W enters only the sums it is a
	// term of.
	fwdF32Rows10 func(x []float32, index []int32, stride int, w []float32, wstride int, c []float32, cstride int, m, k int, alpha, beta float32, bias []float32)

	// gradF32x10 is gradU8x10 for float32 rows: the same contract with
	// T[r][p] = the sum over the rows i = 0, 1, ..., m-1, in that order and
	// one multiply-add per row, of gp[i*10+r] * x[offs[i]+p] (offs and
	// every bound in elements), the sums in acc in the level's own layout,
	// which may differ from gradU8x10's.
	gradF32x10 func(x []float32, offs []int, gp []float32, c []float32, cstride, nch int, alpha, beta float32, acc []float32, mode int)

	// dotF32Row is dotU8Row for a float32 row: for j < n = len(z),
	// z[j] = float32(alpha*s_j) + bias[j] with s_j = sum_{p<k} x[p] *
	// w[j*wstride+p], each product added once (as fwdF32Rows10), k =
	// len(x) >= 1, n >= 1, len(bias) >= n and w[:(n-1)*wstride+k] in
	// bounds.
	dotF32Row func(x []float32, w []float32, wstride int, alpha float32, bias []float32, z []float32)

	// exp computes dst[i] = e**src[i] for i < len(src); len(dst) >= len(src).
	exp func(dst, src []float32)
	// max returns the largest element of x (len(x) >= 1), NaN if any
	// element is NaN.
	max func(x []float32) float32
	// expShiftSum computes dst[i] = e**(src[i]-shift) and returns the sum of
	// those values (summed in an unspecified order and precision, at least
	// float32 with one partial sum per vector lane).
	// len(dst) >= len(src).
	expShiftSum func(dst, src []float32, shift float32) float32
	// dot returns sum x[i]*y[i] for i < len(x); len(y) >= len(x).
	dot func(x, y []float32) float32
	// axpy computes y[i] += a*x[i] for i < len(x); len(y) >= len(x).
	axpy func(a float32, x, y []float32)
	// scale computes x[i] *= a.
	scale func(a float32, x []float32)
	// prefetch asks for the cache lines of p to be brought into L2 (a hint
	// that never faults).
	prefetch func(p []uint8)

	// softmaxXent10 is the fused softmax cross-entropy of rows of 10
	// logits. For i < n = len(labels), with z_i = z[10i:10i+10] and
	// y = labels[i] < 10, m = max_j z_i[j] and e_j = e**(z_i[j]-m) (the exp
	// kernel's arithmetic), it sets s[i] = sum_j e_j (in a fixed order per
	// row, at least float32), shift[i] = float64(m) - float64(z_i[y]),
	// z_i[j] = e_j*(scale/s[i]) - (scale if j == y) (float32 levels round
	// scale to float32 first), and counts the rows whose first largest
	// logit is at y. Each new z_i[j] below 2**-64 in magnitude is then set
	// to +0: such an entry changes no weight (lr·g·x is far below a
	// weight's last place), but its products with the inputs in the
	// gradient product can be subnormal, and on x86 each operation with a
	// subnormal result takes a microcode assist, about 100 times slower (a
	// model with very confident logits trained 3.6 times slower). If
	// len(cs) > 0, cs[j] (j < 10) gets the sum over the rows, in order, of
	// float64(z_i[j]) after the update. A NaN or +Inf
	// logit makes its row's s NaN. len(z) >= 10n, len(s), len(shift) >= n,
	// len(cs) is 0 or >= 10. The package calls it through xent10, which
	// calls the level's function directly (see xent.go).
	softmaxXent10 func(z []float32, labels []uint8, scale float64, s []float32, shift []float64, cs []float64) (correct int)
}

// genericSet is the portable kernel set (the *_generic.go files): the
// fallback on every GOARCH, with -tags purego and on CPUs without the SIMD
// features, and the definition of what each kernel computes.
var genericSet = kernelSet{
	isa:           Generic,
	gemmMR:        2,
	gemmNR:        5,
	gemmTile:      gemmTileGeneric,
	fwdU8Rows10:   fwdRows10Generic[uint8],
	gradU8x10:     gradx10Generic[uint8],
	gradGrain:     2,
	dotU8Row:      dotRowGeneric[uint8],
	fwdF32Rows10:  fwdRows10Generic[float32],
	gradF32x10:    gradx10Generic[float32],
	dotF32Row:     dotRowGeneric[float32],
	exp:           expGeneric,
	max:           maxGeneric,
	expShiftSum:   expShiftSumGeneric,
	dot:           dotGeneric,
	axpy:          axpyGeneric,
	scale:         scaleGeneric,
	prefetch:      func([]uint8) {}, // Go has no prefetch
	softmaxXent10: softmaxXent10Generic,
}

var (
	// levels lists the kernel sets this process can run, generic first and
	// the best last. Arch files append to it from package var initializers
	// (which all run before any init function).
	levels = []*kernelSet{&genericSet}
	// active is the kernel set every operation calls through.
	active *kernelSet
	// envErr records a SOFTMAX_FAST_ISA value that could not be honoured.
	envErr error
)

// register adds k to the usable levels when ok (the CPU has its features).
func register(k *kernelSet, ok bool) bool {
	if ok {
		levels = append(levels, k)
	}
	return ok
}

func init() {
	active = levels[len(levels)-1]
	if name := os.Getenv("SOFTMAX_FAST_ISA"); name != "" && name != "best" {
		l, err := ParseISA(name)
		if err == nil {
			err = SetISA(l)
		}
		if err != nil {
			envErr = fmt.Errorf("SOFTMAX_FAST_ISA: %w", err)
		}
	}
}

// CurrentISA reports the level in use. err is non-nil when the environment
// variable SOFTMAX_FAST_ISA named a level that is unknown or that this CPU or
// build cannot run; the package then keeps running at the best level, and a
// program should refuse to go on (the tests of this module fail).
func CurrentISA() (level ISA, err error) {
	return active.isa, envErr
}

// Available returns the levels this CPU and build can run, generic first and
// the best last.
func Available() []ISA {
	out := make([]ISA, len(levels))
	for i, k := range levels {
		out[i] = k.isa
	}
	return out
}

// Best returns the fastest level available.
func Best() ISA { return levels[len(levels)-1].isa }

// SetISA selects the kernels of level l for every operation of the
// package. It fails, changing nothing, for a level this CPU or build cannot
// run; it never falls back silently. SetISA is meant for start-up and
// tests: it must not run concurrently with other functions of the package.
func SetISA(l ISA) error {
	k := lookup(l)
	if k == nil {
		return fmt.Errorf("tensor: %v: %w (available: %v)", l, ErrISAUnavailable, Available())
	}
	active = k
	return nil
}

func lookup(l ISA) *kernelSet {
	for _, k := range levels {
		if k.isa == l {
			return k
		}
	}
	return nil
}
