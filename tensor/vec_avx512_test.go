//go:build amd64 && !purego

package tensor

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"
	"unsafe"
)

// Tests and benchmarks of the AVX-512 kernels (vec_avx512_amd64.s,
// gemm_avx512_amd64.s), called directly: they are not a kernel set yet.
// Each is checked against a float64 oracle and, where the two must agree bit
// for bit (exp, axpy), against its AVX2 version, on every length around the
// vector width, unaligned starts, fresh random data and poisoned outputs.
// The guard-page tests are in vec_avx512_guard_linux_amd64_test.go.
//
// Opt-in: SOFTMAX_FAST_EXP_EXHAUSTIVE=1 checks exp on all 2**32 inputs
// (TestAVX512ExpExhaustive), SOFTMAX_FAST_INTERLEAVED=1 times every kernel
// against its AVX2 version in alternating bursts (TestAVX512Interleaved).

// avx512Lengths are the lengths every vector kernel is tested on: all up to
// three vectors and one more, and a few large ones.
func avx512Lengths() []int {
	var ns []int
	for n := 0; n <= 3*16+1; n++ {
		ns = append(ns, n)
	}
	return append(ns, 63, 64, 65, 127, 128, 129, 255, 256, 257, 1000, 4096+7)
}

// expEdges are exp inputs at the edges of the result's range: overflow,
// the subnormal results, underflow to zero, the clamps.
var expEdges = []float32{
	88.72283, -88.72283, 88.7228317, 88.722839, -87.33654, -87.336548, -87.33655,
	-88, -90, -95.5, -100, -102.5, -103, -103.27893, -103.9, -103.97, -103.972076,
	-103.972084, -103.97208, -104, -104.5, 88.75, -88.75, 128, -128, 150, -150,
}

// expNaNs are NaNs with various payloads, quiet and signaling, both signs.
var expNaNs = []uint32{0x7fc00000, 0xffc00000, 0x7f800001, 0xff800001, 0x7fa5a5a5, 0x7fffffff, 0xffffffff, 0x7fc12345}

// allExpSpecials returns expSpecials, expEdges and the NaNs.
func allExpSpecials() []float32 {
	s := append(append([]float32{}, expSpecials...), expEdges...)
	for _, b := range expNaNs {
		s = append(s, math.Float32frombits(b))
	}
	return s
}

// expInputs returns n inputs for exp: mostly in [-20, 20], some over the
// whole interesting range, some with subnormal results, some special.
func expInputs(rng *rand.Rand, n int) []float32 {
	sp := allExpSpecials()
	x := make([]float32, n)
	for i := range x {
		switch rng.IntN(8) {
		case 0:
			x[i] = -115 + 210*rng.Float32()
		case 1:
			x[i] = -104 + 17*rng.Float32()
		case 2:
			x[i] = sp[rng.IntN(len(sp))]
		default:
			x[i] = -20 + 40*rng.Float32()
		}
	}
	return x
}

// checkExpValue fails if got is not a valid exp(x): NaN for NaN, the exact
// special values, within 2 ulp of math.Exp otherwise.
func checkExpValue(t *testing.T, what string, x, got float32) {
	t.Helper()
	if x != x {
		if got == got {
			t.Fatalf("%s: exp(NaN %#x) = %v, want NaN", what, math.Float32bits(x), got)
		}
		return
	}
	checkExpSpecial(t, x, got)
	if e := ulpErr(got, math.Exp(float64(x))); e > 2 {
		t.Fatalf("%s: exp(%v) = %v, want %v: %.3f ulp", what, x, got, math.Exp(float64(x)), e)
	}
}

// checkSameBits fails unless got and want are the same float32 bits.
func checkSameBits(t *testing.T, what string, i int, got, want float32) {
	t.Helper()
	if math.Float32bits(got) != math.Float32bits(want) {
		t.Fatalf("%s: element %d = %v (%#08x), want %v (%#08x) bit for bit", what, i, got, math.Float32bits(got), want, math.Float32bits(want))
	}
}

func TestAVX512VecKernels(t *testing.T) {
	needAVX512(t)
	rng := newRNG(t)
	for _, n := range avx512Lengths() {
		for off := range 4 {
			testAVX512Exp(t, rng, n, off)
			testAVX512ExpShiftSum(t, rng, n, off)
			testAVX512Dot(t, rng, n, off)
			testAVX512Axpy(t, rng, n, off)
			testAVX512Scale(t, rng, n, off)
			testAVX512Max(t, rng, n, off)
		}
	}
}

func testAVX512Exp(t *testing.T, rng *rand.Rand, n, off int) {
	t.Helper()
	what := fmt.Sprintf("exp n=%d off=%d", n, off)
	x := append(make([]float32, off), expInputs(rng, n)...)[off:]
	buf := poisoned(off + n + 17)
	dst := buf[off : off+n]
	expAVX512(dst, x)
	checkUntouched(t, buf[:off], what+": before dst")
	checkUntouched(t, buf[off+n:], what+": after dst")
	ref := make([]float32, n)
	expAVX2(ref, x)
	for i, v := range x {
		checkExpValue(t, what, v, dst[i])
		checkSameBits(t, what+" vs expAVX2", i, dst[i], ref[i])
	}
	in := append([]float32{}, x...)
	expAVX512(in, in)
	for i := range in {
		checkSameBits(t, what+" in place", i, in[i], dst[i])
	}
}

func testAVX512ExpShiftSum(t *testing.T, rng *rand.Rand, n, off int) {
	t.Helper()
	what := fmt.Sprintf("expShiftSum n=%d off=%d", n, off)
	x := append(make([]float32, off), randSlice(rng, n, -30, 30)...)[off:]
	shift := float32(rng.NormFloat64() * 10)
	buf := poisoned(off + n + 17)
	dst := buf[off : off+n]
	s := expShiftSumAVX512(dst, x, shift)
	checkUntouched(t, buf[:off], what+": before dst")
	checkUntouched(t, buf[off+n:], what+": after dst")
	var want float64
	sh := make([]float32, n)
	for i, v := range x {
		sh[i] = v - shift
		ex := math.Exp(float64(sh[i]))
		want += ex
		if e := ulpErr(dst[i], ex); e > 2 {
			t.Fatalf("%s: element %d: exp(%v-%v) = %v: %.3f ulp", what, i, v, shift, dst[i], e)
		}
	}
	ref := make([]float32, n)
	expAVX2(ref, sh)
	for i := range ref {
		checkSameBits(t, what+" vs expAVX2", i, dst[i], ref[i])
	}
	if math.Abs(float64(s)-want) > float64(n+4)*eps32*want+1e-37 {
		t.Fatalf("%s: sum = %v, want %v", what, s, want)
	}
	// In place, and the sum of the elements it stored.
	in := append([]float32{}, x...)
	s2 := expShiftSumAVX512(in, in, shift)
	for i := range in {
		checkSameBits(t, what+" in place", i, in[i], dst[i])
	}
	if s2 != s {
		t.Fatalf("%s: in place sum %v, out of place %v", what, s2, s)
	}
}

func testAVX512Dot(t *testing.T, rng *rand.Rand, n, off int) {
	t.Helper()
	x := randSlice(rng, off+n, -20, 20)[off:]
	y := randSlice(rng, off+n+3, -20, 20)[off+3:]
	var want, sa float64
	for i := range x {
		want += float64(x[i]) * float64(y[i])
		sa += math.Abs(float64(x[i]) * float64(y[i]))
	}
	if got := dotAVX512(x, y); !checkDot(got, want, sa, n) {
		t.Fatalf("dot n=%d off=%d = %v, want %v", n, off, got, want)
	}
	// len(y) > len(x): only x's length counts.
	if n > 0 {
		yy := append(append([]float32{}, y...), float32(math.NaN()))
		if got := dotAVX512(x, yy); !checkDot(got, want, sa, n) {
			t.Fatalf("dot n=%d off=%d with a longer y = %v, want %v", n, off, got, want)
		}
	}
}

func testAVX512Axpy(t *testing.T, rng *rand.Rand, n, off int) {
	t.Helper()
	what := fmt.Sprintf("axpy n=%d off=%d", n, off)
	x := randSlice(rng, off+n, -20, 20)[off:]
	y := randSlice(rng, n, -20, 20)
	a := float32(rng.NormFloat64())
	buf := poisoned(off + n + 17)
	yy := buf[off : off+n]
	copy(yy, y)
	axpyAVX512(a, x, yy)
	checkUntouched(t, buf[:off], what+": before y")
	checkUntouched(t, buf[off+n:], what+": after y")
	ref := append([]float32{}, y...)
	axpyAVX2(a, x, ref) // one FMA per element too
	for i := range yy {
		w := float64(y[i]) + float64(a)*float64(x[i])
		if math.Abs(float64(yy[i])-w) > eps32*math.Abs(w)+1e-37 {
			t.Fatalf("%s: y[%d] = %v, want %v", what, i, yy[i], w)
		}
		checkSameBits(t, what+" vs axpyAVX2", i, yy[i], ref[i])
	}
	// y == x
	xx := append([]float32{}, x...)
	axpyAVX512(a, xx, xx)
	for i := range xx {
		if w := float32(float64(x[i]) + float64(a)*float64(x[i])); math.Abs(float64(xx[i]-w)) > 2*eps32*math.Abs(float64(w)) {
			t.Fatalf("%s: in place y[%d] = %v, want %v", what, i, xx[i], w)
		}
	}
}

func testAVX512Scale(t *testing.T, rng *rand.Rand, n, off int) {
	t.Helper()
	what := fmt.Sprintf("scale n=%d off=%d", n, off)
	x := randSlice(rng, n, -20, 20)
	a := float32(rng.NormFloat64())
	buf := poisoned(off + n + 17)
	xx := buf[off : off+n]
	copy(xx, x)
	scaleAVX512(a, xx)
	checkUntouched(t, buf[:off], what+": before x")
	checkUntouched(t, buf[off+n:], what+": after x")
	for i := range xx {
		checkSameBits(t, what, i, xx[i], a*x[i])
	}
}

func testAVX512Max(t *testing.T, rng *rand.Rand, n, off int) {
	t.Helper()
	what := fmt.Sprintf("max n=%d off=%d", n, off)
	if n == 0 {
		if got := maxAVX512(nil); got == got {
			t.Fatalf("max of nothing = %v, want NaN", got)
		}
		return
	}
	goMax := func(x []float32) float32 {
		m := x[0]
		for _, v := range x {
			m = max(m, v)
		}
		return m
	}
	for _, r := range [][2]float32{{-20, 20}, {-20, -1}, {1, 20}} { // all negative: empty lanes must not count as 0
		x := randSlice(rng, off+n, r[0], r[1])[off:]
		if got, want := maxAVX512(x), goMax(x); got != want {
			t.Fatalf("%s in [%v, %v]: %v, want %v", what, r[0], r[1], got, want)
		}
		// The largest element, -Inf, +Inf and NaNs at each position.
		positions := make([]int, 0, n)
		if n <= 3*16+1 {
			for p := range n {
				positions = append(positions, p)
			}
		} else {
			for _, p := range []int{0, 1, 15, 16, 63, 64, n / 2, n - 17, n - 16, n - 2, n - 1} {
				if p < n {
					positions = append(positions, p)
				}
			}
		}
		for _, p := range positions {
			saved := x[p]
			x[p] = r[1] + 1
			if got := maxAVX512(x); got != r[1]+1 {
				t.Fatalf("%s: with %v at %d: %v", what, r[1]+1, p, got)
			}
			x[p] = float32(math.Inf(1))
			if got := maxAVX512(x); got != x[p] {
				t.Fatalf("%s: with +Inf at %d: %v", what, p, got)
			}
			x[p] = float32(math.Inf(-1))
			if got, want := maxAVX512(x), goMax(x); got != want {
				t.Fatalf("%s: with -Inf at %d: %v, want %v", what, p, got, want)
			}
			for _, nb := range []uint32{0x7fc00000, 0xffa5a5a5, 0x7f800001} {
				x[p] = math.Float32frombits(nb)
				if got := maxAVX512(x); math.Float32bits(got) != nb {
					t.Fatalf("%s: with NaN %#x at %d: %v (%#x)", what, nb, p, got, math.Float32bits(got))
				}
				// A second NaN later must not be returned.
				if p+1 < n {
					q := p + 1 + rng.IntN(n-p-1)
					sq := x[q]
					x[q] = math.Float32frombits(0x7fc0beef)
					if got := maxAVX512(x); math.Float32bits(got) != nb {
						t.Fatalf("%s: NaN %#x at %d and another at %d: %#x, want the first", what, nb, p, q, math.Float32bits(got))
					}
					x[q] = sq
				}
			}
			x[p] = saved
		}
	}
	// All equal, all -Inf.
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(math.Inf(-1))
	}
	if got := maxAVX512(x); !math.IsInf(float64(got), -1) {
		t.Fatalf("%s: all -Inf: %v", what, got)
	}
}

// TestAVX512ExpSpecials puts each special input alone at every lane of
// vectors of every length up to 3*16+1, the other lanes ordinary: each
// special must come out exact, the other lanes undisturbed, and every lane
// bitwise as expAVX2 gives it (NaN payloads included).
func TestAVX512ExpSpecials(t *testing.T) {
	needAVX512(t)
	sp := allExpSpecials()
	for _, x := range append([]float32{}, sp...) { // and their neighbours
		if x == x && !math.IsInf(float64(x), 0) {
			b := math.Float32bits(x)
			sp = append(sp, math.Float32frombits(b+1), math.Float32frombits(b-1))
		}
	}
	// Each special once, in one call: its result checked against math.Exp
	// and expAVX2; then that result is what every lane must give.
	want := make([]float32, len(sp))
	expAVX512(want, sp)
	ref := make([]float32, len(sp))
	expAVX2(ref, sp)
	for i, x := range sp {
		checkExpValue(t, "specials", x, want[i])
		checkSameBits(t, fmt.Sprintf("special %v vs expAVX2", x), i, want[i], ref[i])
	}
	for n := 1; n <= 3*16+1; n++ {
		in := make([]float32, n)
		for i := range in {
			in[i] = 0.37*float32(i) - 9
		}
		base := make([]float32, n)
		expAVX512(base, in)
		baseRef := make([]float32, n)
		expAVX2(baseRef, in)
		for i := range in {
			checkExpValue(t, fmt.Sprintf("n=%d", n), in[i], base[i])
			checkSameBits(t, fmt.Sprintf("n=%d vs expAVX2", n), i, base[i], baseRef[i])
		}
		out := poisoned(n + 16)
		for pos := range n {
			for si, x := range sp {
				in[pos] = x
				expAVX512(out[:n], in)
				for i, v := range out {
					w := poison
					if i < n {
						w = base[i]
					}
					if i == pos {
						w = want[si]
					}
					if math.Float32bits(v) != math.Float32bits(w) {
						checkSameBits(t, fmt.Sprintf("n=%d special %v at %d", n, x, pos), i, v, w)
					}
				}
			}
			in[pos] = 0.37*float32(pos) - 9
		}
	}
}

// expRangeCheck runs expAVX512 on the float32 inputs with bits from, from+step,
// ... below to, in parallel, and fails on any result off by more than 2 ulp
// from math.Exp (special values exact, NaN for NaN) or not bitwise
// expAVX2's. It returns the largest ulp error, its input and the count of
// inputs checked.
func expRangeCheck(t *testing.T, from, to, step uint64) (worst float64, worstX float32, count uint64) {
	t.Helper()
	const chunk = 1 << 14
	workers := runtime.GOMAXPROCS(0)
	var mu sync.Mutex
	var wg sync.WaitGroup
	var failures []string
	for w := range workers {
		wg.Go(func() {
			src := make([]float32, chunk)
			dst := make([]float32, chunk)
			ref := make([]float32, chunk)
			lw, lx, lc := 0.0, float32(0), uint64(0)
			var fails []string
			for base := from + uint64(w)*chunk*step; base < to && len(fails) < 10; base += uint64(workers) * chunk * step {
				n := 0
				for b := base; b < to && n < chunk; b += step {
					src[n] = math.Float32frombits(uint32(b))
					n++
				}
				expAVX512(dst[:n], src[:n])
				expAVX2(ref[:n], src[:n])
				lc += uint64(n)
				for i, x := range src[:n] {
					got := dst[i]
					if math.Float32bits(got) != math.Float32bits(ref[i]) {
						fails = append(fails, fmt.Sprintf("exp(%v %#08x) = %#08x, expAVX2 %#08x", x, math.Float32bits(x), math.Float32bits(got), math.Float32bits(ref[i])))
					}
					if x != x {
						if got == got {
							fails = append(fails, fmt.Sprintf("exp(NaN %#08x) = %v", math.Float32bits(x), got))
						}
						continue
					}
					e := ulpErr(got, math.Exp(float64(x)))
					if e > lw {
						lw, lx = e, x
					}
					if e > 2 {
						fails = append(fails, fmt.Sprintf("exp(%v) = %v, want %v: %.3f ulp", x, got, math.Exp(float64(x)), e))
					}
				}
			}
			mu.Lock()
			if lw > worst {
				worst, worstX = lw, lx
			}
			count += lc
			failures = append(failures, fails...)
			mu.Unlock()
		})
	}
	wg.Wait()
	for i, f := range failures {
		if i == 10 {
			t.Errorf("... %d more", len(failures)-10)
			break
		}
		t.Error(f)
	}
	return worst, worstX, count
}

// expStrataExponents are the biased float32 exponents whose every mantissa
// TestAVX512ExpStrata checks, both signs: [64, 128) (overflow, subnormal
// results, underflow and the clamps), [4, 8) (the largest error, at
// -5.8778844), [1, 2), [0.25, 0.5) and [2**-25, 2**-24) (results next to 1).
var expStrataExponents = []uint32{133, 129, 127, 125, 102}

// TestAVX512ExpStrata checks exp on all 2**23 mantissas of the exponents of
// expStrataExponents (every 61st in -short mode), both signs, and on every
// 251st float32 bit pattern of the rest.
func TestAVX512ExpStrata(t *testing.T) {
	needAVX512(t)
	step := uint64(1)
	if testing.Short() {
		step = 61
	}
	start := time.Now()
	worst, worstX, total := 0.0, float32(0), uint64(0)
	for _, sign := range []uint64{0, 1 << 31} {
		for _, e := range expStrataExponents {
			from := sign | uint64(e)<<23
			w, x, c := expRangeCheck(t, from, from+1<<23, step)
			total += c
			if w > worst {
				worst, worstX = w, x
			}
		}
	}
	w, x, c := expRangeCheck(t, 0, 1<<32, 251)
	total += c
	if w > worst {
		worst, worstX = w, x
	}
	t.Logf("exp: %d inputs, max error %.4f ulp at x=%v, %v", total, worst, worstX, time.Since(start))
}

// TestAVX512ExpExhaustive checks all 2**32 inputs (ulp, specials, and bitwise
// expAVX2's result); it runs only when SOFTMAX_FAST_EXP_EXHAUSTIVE=1.
func TestAVX512ExpExhaustive(t *testing.T) {
	if os.Getenv("SOFTMAX_FAST_EXP_EXHAUSTIVE") != "1" {
		t.Skip("set SOFTMAX_FAST_EXP_EXHAUSTIVE=1 to check all 2^32 inputs")
	}
	needAVX512(t)
	start := time.Now()
	worst, worstX, total := expRangeCheck(t, 0, 1<<32, 1)
	t.Logf("exp: all %d inputs, max error %.4f ulp at x=%v, bitwise expAVX2 on all; %v on %d goroutines",
		total, worst, worstX, time.Since(start), runtime.GOMAXPROCS(0))
	if total != 1<<32 {
		t.Errorf("checked %d inputs, want 2^32", total)
	}
}

// TestAVX512GemmTile checks gemmTileAVX512 against float64 sums, with the
// panels and the tile at unaligned starts and poison around the tile.
func TestAVX512GemmTile(t *testing.T) {
	needAVX512(t)
	rng := newRNG(t)
	const mr, nr = gemmMRAVX512, gemmNRAVX512
	ks := []int{-1}
	for k := 0; k <= 40; k++ {
		ks = append(ks, k)
	}
	ks = append(ks, 255, 256, 784)
	for _, k := range ks {
		kk := max(k, 0)
		for off := range 4 {
			ap := randSlice(rng, off+mr*kk, -1, 1)[off:]
			bp := randSlice(rng, off+nr*kk, -1, 1)[off:]
			buf := poisoned(off + mr*nr + 17)
			tile := buf[off : off+mr*nr]
			gemmTileAVX512(k, ap[:mr*kk:mr*kk], bp[:nr*kk:nr*kk], tile)
			checkUntouched(t, buf[:off], fmt.Sprintf("k=%d off=%d: before tile", k, off))
			checkUntouched(t, buf[off+mr*nr:], fmt.Sprintf("k=%d off=%d: after tile", k, off))
			for i := range mr {
				for j := range nr {
					var want, sa float64
					for p := range kk {
						x := float64(ap[p*mr+i]) * float64(bp[p*nr+j])
						want += x
						sa += math.Abs(x)
					}
					got := tile[i*nr+j]
					if !checkDot(got, want, sa, kk) || (kk == 0 && math.Float32bits(got) != 0) {
						t.Fatalf("k=%d off=%d tile[%d][%d] = %v, want %v", k, off, i, j, got, want)
					}
				}
			}
		}
	}
}

// BenchmarkVecKernels compares the AVX-512 vector kernels with the AVX2
// ones: `benchstat -col /isa`.
func BenchmarkVecKernels(b *testing.B) {
	needAVX512(b)
	rng := benchRNG()
	type impl struct {
		isa         string
		exp         func(dst, src []float32)
		expShiftSum func(dst, src []float32, shift float32) float32
		max         func(x []float32) float32
		dot         func(x, y []float32) float32
		axpy        func(a float32, x, y []float32)
		scale       func(a float32, x []float32)
	}
	impls := []impl{
		{"avx2", expAVX2, expShiftSumAVX2, maxAVX2, dotAVX2, axpyAVX2, scaleAVX2},
		{"avx512", expAVX512, expShiftSumAVX512, maxAVX512, dotAVX512, axpyAVX512, scaleAVX512},
	}
	var sink float32
	for _, op := range []string{"exp", "expShiftSum", "max", "dot", "axpy", "scale"} {
		for _, n := range []int{10, 100, 2560, 16384} {
			src := make([]float32, n)
			for i := range src {
				src[i] = float32(rng.NormFloat64() * 10)
			}
			y := randSlice(rng, n, -1, 1)
			dst := make([]float32, n)
			for _, im := range impls {
				b.Run(fmt.Sprintf("op=%s/n=%d/isa=%s", op, n, im.isa), func(b *testing.B) {
					b.SetBytes(int64(4 * n))
					switch op {
					case "exp":
						for b.Loop() {
							im.exp(dst, src)
						}
					case "expShiftSum":
						for b.Loop() {
							sink += im.expShiftSum(dst, src, 3)
						}
					case "max":
						for b.Loop() {
							sink += im.max(src)
						}
					case "dot":
						for b.Loop() {
							sink += im.dot(src, y)
						}
					case "axpy":
						for b.Loop() {
							im.axpy(1e-3, src, y)
						}
					case "scale":
						for b.Loop() {
							im.scale(1, y)
						}
					}
				})
			}
		}
	}
	_ = sink
}

// alignedF32 returns n float32s starting on a 64-byte boundary.
func alignedF32(n int) []float32 {
	s := make([]float32, n+16)
	for i := range 16 {
		if uintptr(unsafe.Pointer(&s[i]))%64 == 0 {
			return s[i : i+n : i+n]
		}
	}
	return s[:n:n]
}

// tileImpl is a GEMM micro-kernel and its tile.
type tileImpl struct {
	name   string
	mr, nr int
	f      func(k int, ap, bp, tile []float32)
}

// BenchmarkGemmTile measures the micro-kernels on packed panels that stay in
// L1 (k = 256: A 12 KB, B 32 KB) or L2 (k = 784), in GFLOP/s.
func BenchmarkGemmTile(b *testing.B) {
	needAVX512(b)
	rng := benchRNG()
	impls := []tileImpl{
		{"avx2", gemmMRAVX2, gemmNRAVX2, gemmTileAVX2},
		{"avx512", gemmMRAVX512, gemmNRAVX512, gemmTileAVX512},
	}
	for _, k := range []int{256, 784} {
		for _, im := range impls {
			ap, bp := alignedF32(im.mr*k), alignedF32(im.nr*k)
			for i := range ap {
				ap[i] = rng.Float32() - 0.5
			}
			for i := range bp {
				bp[i] = rng.Float32() - 0.5
			}
			tile := alignedF32(im.mr * im.nr)
			b.Run(fmt.Sprintf("k=%d/isa=%s", k, im.name), func(b *testing.B) {
				for b.Loop() {
					im.f(k, ap, bp, tile)
				}
				reportGFLOPS(b, 2*float64(im.mr*im.nr*k))
			})
		}
	}
}

// TestAVX512Interleaved times each AVX-512 kernel against its AVX2 version in
// short alternating bursts (50 calls each) for about 20 s and logs the
// median and best rates and their ratio: on a machine shared with other
// jobs, bursts a few microseconds apart see the same load, where the
// sub-benchmarks of `go test -bench` run seconds apart. It runs only when
// SOFTMAX_FAST_INTERLEAVED=1.
func TestAVX512Interleaved(t *testing.T) {
	if os.Getenv("SOFTMAX_FAST_INTERLEAVED") != "1" {
		t.Skip("set SOFTMAX_FAST_INTERLEAVED=1 to time AVX-512 against AVX2")
	}
	needAVX512(t)
	rng := benchRNG()
	type pair struct {
		name       string
		unit       float64 // elements or FLOP per call
		avx2, avx5 func()
	}
	var ps []pair
	var sink float32
	for _, n := range []int{10, 100, 2560, 16384} {
		src := make([]float32, n)
		for i := range src {
			src[i] = float32(rng.NormFloat64() * 10)
		}
		y := randSlice(rng, n, -1, 1)
		dst := make([]float32, n)
		u := float64(n)
		ps = append(ps,
			pair{fmt.Sprintf("exp n=%d", n), u, func() { expAVX2(dst, src) }, func() { expAVX512(dst, src) }},
			pair{fmt.Sprintf("expShiftSum n=%d", n), u, func() { sink += expShiftSumAVX2(dst, src, 3) }, func() { sink += expShiftSumAVX512(dst, src, 3) }},
			pair{fmt.Sprintf("max n=%d", n), u, func() { sink += maxAVX2(src) }, func() { sink += maxAVX512(src) }},
			pair{fmt.Sprintf("dot n=%d", n), u, func() { sink += dotAVX2(src, y) }, func() { sink += dotAVX512(src, y) }},
			pair{fmt.Sprintf("axpy n=%d", n), u, func() { axpyAVX2(1e-3, src, y) }, func() { axpyAVX512(1e-3, src, y) }},
			pair{fmt.Sprintf("scale n=%d", n), u, func() { scaleAVX2(1, y) }, func() { scaleAVX512(1, y) }},
		)
	}
	for _, k := range []int{256, 784} {
		a2, b2, t2 := alignedF32(gemmMRAVX2*k), alignedF32(gemmNRAVX2*k), alignedF32(gemmMRAVX2*gemmNRAVX2)
		a5, b5, t5 := alignedF32(gemmMRAVX512*k), alignedF32(gemmNRAVX512*k), alignedF32(gemmMRAVX512*gemmNRAVX512)
		// GFLOP/s: both sides are scaled to the AVX-512 tile's FLOP.
		f2 := float64(gemmMRAVX512*gemmNRAVX512) / float64(gemmMRAVX2*gemmNRAVX2)
		ps = append(ps, pair{fmt.Sprintf("gemmTile k=%d (GFLOP)", k), 2 * float64(gemmMRAVX512*gemmNRAVX512*k),
			func() {
				for range int(f2) {
					gemmTileAVX2(k, a2, b2, t2)
				}
			},
			func() { gemmTileAVX512(k, a5, b5, t5) }})
	}
	const reps = 50
	r2 := make([][]float64, len(ps))
	r5 := make([][]float64, len(ps))
	burst := func(f func()) float64 {
		t0 := time.Now()
		for range reps {
			f()
		}
		return time.Since(t0).Seconds()
	}
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); {
		for i, p := range ps {
			r2[i] = append(r2[i], p.unit*reps/burst(p.avx2)/1e9)
			r5[i] = append(r5[i], p.unit*reps/burst(p.avx5)/1e9)
		}
	}
	for i, p := range ps {
		slices.Sort(r2[i])
		slices.Sort(r5[i])
		m2, m5 := r2[i][len(r2[i])/2], r5[i][len(r5[i])/2]
		b2, b5 := r2[i][len(r2[i])-1], r5[i][len(r5[i])-1]
		t.Logf("%-24s G/s median avx2 %7.2f avx512 %7.2f ratio %.2f | best %7.2f %7.2f ratio %.2f (%d bursts)",
			p.name, m2, m5, m5/m2, b2, b5, b5/b2, len(r2[i]))
	}
	_ = sink
}
