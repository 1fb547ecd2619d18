package tensor

import (
	"errors"
	"fmt"
	"os"
	"strings"
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
)

// String returns the level's name as SetISA and SOFTMAX_FAST_ISA accept it.
func (l ISA) String() string {
	switch l {
	case Generic:
		return "generic"
	case AVX2:
		return "avx2"
	case NEON:
		return "neon"
	}
	return fmt.Sprintf("ISA(%d)", int(l))
}

// ParseISA returns the level named s ("generic", "avx2" or "neon"; case does
// not matter). It does not check that this CPU can run it: see SetISA.
func ParseISA(s string) (ISA, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "generic", "purego", "go":
		return Generic, nil
	case "avx2":
		return AVX2, nil
	case "neon":
		return NEON, nil
	}
	return 0, fmt.Errorf("tensor: unknown ISA level %q (want generic, avx2 or neon)", s)
}

// ErrISAUnavailable is returned (wrapped) when a level is asked for that this
// build or CPU cannot run.
var ErrISAUnavailable = errors.New("ISA level not available on this CPU or build")

// kernelSet is one complete set of kernels. Every operation of the package
// calls through the active set, so all kernels switch together.
//
// The exact semantics of each kernel are those of its generic version in
// kernels_generic.go; an assembly version computes the same thing (up to the
// rounding of fused multiply-adds and the order of additions where noted).
type kernelSet struct {
	isa ISA

	// gemmMR x gemmNR is the register tile of gemmTile.
	gemmMR, gemmNR int
	// gemmTile computes tile[i*NR+j] = sum_{p<k} ap[p*MR+i] * bp[p*NR+j]
	// for i < MR, j < NR, overwriting tile. k >= 1.
	gemmTile func(k int, ap, bp, tile []float32)

	// dotU8x2x5 computes, for r < 2 and j < 5,
	// out[r*5+j] = sum_{p<k} float32(x_r[p]) * w_j[p], with k = len(x0)
	// a multiple of 8 (callers add the tail); x0, x1 and the five w rows
	// are all at least k long.
	dotU8x2x5 func(x0, x1 []uint8, w0, w1, w2, w3, w4 []float32, out *[10]float32)

	// gradU8x10x8 computes, for c < 10 and j < 8,
	// tile[c*8+j] = sum_{i<m} gp[i*10+c] * float32(x[offs[i]+j]),
	// with m = len(offs) >= 1 and len(gp) >= 10*m; every offs[i]+8 <= len(x).
	gradU8x10x8 func(x []uint8, offs []int, gp []float32, tile *[80]float32)

	// dotU8Rows10 is the whole forward product of a range of rows for ten
	// classes, or nil for a level that lacks it (MatMulU8T then calls
	// dotU8x2x5 per pair of rows). With row i of X at x[index[i]*stride:]
	// and s[i][j] = sum_{p<k} float32(x[index[i]*stride+p]) * w[j*wstride+p]
	// summed as dotU8x2x5 of the same level sums it (exactly so when k is a
	// multiple of 8; the last k%8 pixels go in before the sum of the lanes,
	// not after it as in dotU8T), it sets c[i*cstride+j] = alpha*s[i][j] +
	// beta*c[i*cstride+j] for i < m, j < 10 (two roundings, no fused
	// multiply-add), then adds bias[j] if bias is not nil (a third
	// rounding: what addBias would give after it), and does not read c
	// when beta is 0. It asks for the rows two ahead to be prefetched, as
	// dotU8T does. k >= 8, m >= 1, len(index) >= m, and every row,
	// w[:9*wstride+k], c[:(m-1)*cstride+10] and bias[:10] (unless nil) are
	// in bounds.
	dotU8Rows10 func(x []uint8, index []int32, stride int, w []float32, wstride int, c []float32, cstride int, m, k int, alpha, beta float32, bias []float32)

	// gradU8x10Merge is gradU8x10x8 for nch consecutive chunks of 8
	// columns merged into C, or nil for a level that lacks it (MatMulTU8
	// then merges the tiles of gradU8x10x8 in Go). For q < nch, r < 10 and
	// j < 8, with t the tile gradU8x10x8(x[8q:], offs, gp) computes (summed in
	// the same order), it sets c[r*cstride+8q+j] = alpha*t[r*8+j] +
	// beta*c[r*cstride+8q+j] (two roundings, no fused multiply-add), not
	// reading c when beta is 0. nch >= 1, every offs[i]+8*nch <= len(x),
	// len(gp) >= 10*len(offs), len(c) >= 9*cstride+8*nch.
	gradU8x10Merge func(x []uint8, offs []int, gp []float32, c []float32, cstride, nch int, alpha, beta float32)

	// gradU8x10Blk is gradU8x10Merge on one block of the rows, or nil for
	// a level that lacks it: for nch >= 2 even, the sums of the tiles of
	// gradU8x10Merge over the rows of offs (len(offs) >= 1, gp their
	// gradient rows) start from acc[:80*nch] if mode&1, else from zero, and
	// go back to acc, or, if mode&2, are merged into c as gradU8x10Merge
	// merges them. Blocks run in row order give bitwise the result of one
	// gradU8x10Merge call on all the rows (acc's layout is the kernel's).
	gradU8x10Blk func(x []uint8, offs []int, gp []float32, c []float32, cstride, nch int, alpha, beta float32, acc []float32, mode int)

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
	// that never faults): the uint8 products call it on the rows they use
	// next, which come from random places of a large data set.
	prefetch func(p []uint8)

	// softmaxXent10 is the fused softmax cross-entropy of rows of 10
	// logits, or nil for a level that lacks it (SoftmaxXent10 then reports
	// ok = false). For i < n = len(labels), with z_i = z[10i:10i+10] and
	// y = labels[i] < 10, m = max_j z_i[j] and e_j = e**(z_i[j]-m) (the exp
	// kernel's arithmetic), it sets s[i] = sum_j e_j (float32, in a fixed
	// order per row), shift[i] = float64(m) - float64(z_i[y]),
	// z_i[j] = e_j*(scale/s[i]) - (scale if j == y), and counts the rows
	// whose first largest logit is at y. If len(cs) > 0, cs[j] (j < 10)
	// gets the sum over the rows, in order, of float64(z_i[j]) after the
	// update. A NaN or +Inf logit makes its row's s NaN. len(z) >= 10n,
	// len(s), len(shift) >= n, len(cs) is 0 or >= 10.
	softmaxXent10 func(z []float32, labels []uint8, scale float32, s []float32, shift []float64, cs []float64) (correct int)
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
	if name, set := os.LookupEnv("SOFTMAX_FAST_ISA"); set && name != "" {
		if err := SetISA(name); err != nil {
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

// EnvError returns the error from SOFTMAX_FAST_ISA, if any (see CurrentISA).
func EnvError() error { return envErr }

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

// SetISA selects the kernels by name: "generic", "avx2", "neon", or "best".
// It fails, changing nothing, for an unknown name or a level this CPU or
// build cannot run; it never falls back silently. SetISA is meant for start-up
// and tests: it must not run concurrently with other functions of the package.
func SetISA(name string) error {
	if strings.EqualFold(strings.TrimSpace(name), "best") {
		active = levels[len(levels)-1]
		return nil
	}
	l, err := ParseISA(name)
	if err != nil {
		return err
	}
	return Use(l)
}

// Use selects the kernels of level l, like SetISA.
func Use(l ISA) error {
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
