package tensor

import (
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"sync"
	"testing"
)

// Kernel-level tests: each kernel of each ISA level against a float64
// oracle, on every tail length, unaligned starts and poisoned outputs.

const eps32 = 1.0 / (1 << 24)

// checkDot reports whether got is within (k+4)*eps32*sumAbs of want.
func checkDot(got float32, want, sumAbs float64, k int) bool {
	return math.Abs(float64(got)-want) <= float64(k+4)*eps32*sumAbs+1e-37
}

func TestKernelGemmTile(t *testing.T) {
	rng := newRNG(t)
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		mr, nr := ks.gemmMR, ks.gemmNR
		for _, k := range []int{1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 40, 255, 256, 784} {
			for _, off := range []int{0, 1, 3} {
				ab := randSlice(rng, off+mr*k, -1, 1)
				bb := randSlice(rng, off+nr*k, -1, 1)
				ap, bp := ab[off:], bb[off:]
				buf := poisoned(off + mr*nr + 5)
				tile := buf[off : off+mr*nr]
				ks.gemmTile(k, ap, bp, tile)
				for i := range mr {
					for j := range nr {
						var want, sa float64
						for p := range k {
							x := float64(ap[p*mr+i]) * float64(bp[p*nr+j])
							want += x
							sa += math.Abs(x)
						}
						if got := tile[i*nr+j]; !checkDot(got, want, sa, k) {
							t.Fatalf("k=%d off=%d tile[%d][%d] = %v, want %v", k, off, i, j, got, want)
						}
					}
				}
				checkUntouched(t, buf[:off], "before tile")
				checkUntouched(t, buf[off+mr*nr:], "after tile")
			}
		}
	})
}

func checkUntouched(t *testing.T, s []float32, where string) {
	t.Helper()
	for i, v := range s {
		if !isPoison(v) {
			t.Fatalf("%s: element %d written (%v)", where, i, v)
		}
	}
}

// ulpErr returns the distance from got to the exact value want in units in
// the last place of float32 at want (subnormal spacing below 2**-126).
// A result that correct rounding would overflow must be +Inf exactly.
func ulpErr(got float32, want float64) float64 {
	g := float64(got)
	if math.IsNaN(want) {
		if math.IsNaN(g) {
			return 0
		}
		return math.Inf(1)
	}
	if math.IsInf(float64(float32(want)), 0) || math.IsInf(g, 0) {
		if float64(float32(want)) == g {
			return 0
		}
		return math.Inf(1)
	}
	e := math.Ilogb(want)
	if want == 0 || e < -126 {
		e = -126
	}
	ulp := math.Ldexp(1, e-23)
	return math.Abs(g-want) / ulp
}

// expSpecials are inputs whose results must be exact or are at the edges.
var expSpecials = []float32{
	0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)),
	88.72283, 88.722839, 88.7228394, 88.72284, 88.75, 88.76, 89, 100, math.MaxFloat32,
	-87.33654, -87.3365478, -103.97, -103.972076, -103.972084, -104, -105, -150, -math.MaxFloat32,
	1, -1, 0.5, -0.5, 1e-8, -1e-8, 1e-30, -1e-45, 0.34657359, -0.34657359, 20, -20, 50, -50,
	-5.8778844, 0.693359375, -0.693359375,
}

func checkExpSpecial(t *testing.T, x, got float32) {
	t.Helper()
	switch {
	case x != x:
		if got == got {
			t.Errorf("exp(NaN) = %v, want NaN", got)
		}
	case x == 0:
		if got != 1 {
			t.Errorf("exp(%v) = %v, want 1", x, got)
		}
	case math.IsInf(float64(x), -1):
		if got != 0 {
			t.Errorf("exp(-Inf) = %v, want 0", got)
		}
	case x > 88.72283:
		if !math.IsInf(float64(got), 1) {
			t.Errorf("exp(%v) = %v, want +Inf", x, got)
		}
	}
}

func TestKernelExpSpecials(t *testing.T) {
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		src := append([]float32{}, expSpecials...)
		for _, bits := range []uint32{0x7fc00000, 0xffc00000, 0x7f800001, 0x7fa5a5a5, 0xffffffff} {
			src = append(src, math.Float32frombits(bits))
		}
		dst := poisoned(len(src))
		ks.exp(dst, src)
		for i, x := range src {
			checkExpSpecial(t, x, dst[i])
			if x == x {
				if e := ulpErr(dst[i], math.Exp(float64(x))); e > 2 {
					t.Errorf("exp(%v) = %v, want %v: %.2f ulp", x, dst[i], math.Exp(float64(x)), e)
				}
			}
		}
		// Every lane of a vector: each special alone at each position.
		for pos := range 19 {
			for _, x := range src {
				in := make([]float32, 19)
				for i := range in {
					in[i] = 0.25 * float32(i)
				}
				in[pos] = x
				out := poisoned(19)
				ks.exp(out, in)
				checkExpSpecial(t, x, out[pos])
				for i, v := range out {
					if i != pos && ulpErr(v, math.Exp(float64(in[i]))) > 2 {
						t.Fatalf("exp lane %d disturbed by %v at %d: %v", i, x, pos, v)
					}
				}
			}
		}
	})
}

// expSample checks exp on every stride-th float32 bit pattern (all of them
// when stride is 1), in parallel, and returns the largest ulp error.
func expSample(t *testing.T, ks *kernelSet, stride uint64) float64 {
	const chunk = 1 << 14
	total := uint64(1) << 32
	workers := runtime.GOMAXPROCS(0)
	var mu sync.Mutex
	worst, worstX := 0.0, float32(0)
	bad := 0
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			src := make([]float32, chunk)
			dst := make([]float32, chunk)
			lw, lx, lb := 0.0, float32(0), 0
			for base := uint64(w) * chunk * stride; base < total; base += uint64(workers) * chunk * stride {
				n := 0
				for b := base; b < total && n < chunk; b += stride {
					src[n] = math.Float32frombits(uint32(b))
					n++
				}
				ks.exp(dst[:n], src[:n])
				for i, x := range src[:n] {
					if x != x {
						if dst[i] == dst[i] {
							lb++
						}
						continue
					}
					e := ulpErr(dst[i], math.Exp(float64(x)))
					if e > lw {
						lw, lx = e, x
					}
				}
			}
			mu.Lock()
			if lw > worst {
				worst, worstX = lw, lx
			}
			bad += lb
			mu.Unlock()
		})
	}
	wg.Wait()
	if bad > 0 {
		t.Errorf("%d NaN inputs did not give NaN", bad)
	}
	t.Logf("exp: max error %.4f ulp at x=%v (every %d-th of the 2^32 inputs)", worst, worstX, stride)
	if worst > 2 {
		t.Errorf("exp: max error %.4f ulp at x=%v (exp=%v), want <= 2", worst, worstX, math.Exp(float64(worstX)))
	}
	return worst
}

// TestKernelExpSample checks exp on a dense sample of the whole float32 range:
// every 251st bit pattern (17 million inputs), every 4093rd in -short mode
// (used under emulation).
func TestKernelExpSample(t *testing.T) {
	stride := uint64(251)
	if testing.Short() {
		stride = 4093
	}
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		expSample(t, ks, stride)
	})
}

// TestKernelExpExhaustive checks all 2^32 inputs; it runs only when
// SOFTMAX_FAST_EXP_EXHAUSTIVE=1 (a few minutes per level on two cores).
func TestKernelExpExhaustive(t *testing.T) {
	if os.Getenv("SOFTMAX_FAST_EXP_EXHAUSTIVE") != "1" {
		t.Skip("set SOFTMAX_FAST_EXP_EXHAUSTIVE=1 to check all 2^32 inputs")
	}
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		expSample(t, ks, 1)
	})
}

func TestKernelVectorOps(t *testing.T) {
	rng := newRNG(t)
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		for n := 0; n <= 70; n++ {
			for _, off := range []int{0, 1, 2, 3, 5, 7} {
				testVectorOps(t, rng, ks, n, off)
			}
		}
		for _, n := range []int{255, 256, 257, 784, 1000, 4096 + 3} {
			testVectorOps(t, rng, ks, n, 1)
		}
	})
}

func testVectorOps(t *testing.T, rng *rand.Rand, ks *kernelSet, n, off int) {
	t.Helper()
	x := randSlice(rng, off+n, -20, 20)[off:]
	y := randSlice(rng, off+n, -20, 20)[off:]

	// exp, out of place and in place
	buf := poisoned(off + n + 9)
	dst := buf[off : off+n]
	ks.exp(dst, x)
	for i, v := range x {
		if e := ulpErr(dst[i], math.Exp(float64(v))); e > 2 {
			t.Fatalf("n=%d off=%d exp(%v) = %v: %.2f ulp", n, off, v, dst[i], e)
		}
	}
	checkUntouched(t, buf[:off], "exp: before dst")
	checkUntouched(t, buf[off+n:], "exp: after dst")
	inplace := append([]float32{}, x...)
	ks.exp(inplace, inplace)
	for i := range inplace {
		if inplace[i] != dst[i] {
			t.Fatalf("n=%d exp in place differs at %d: %v vs %v", n, i, inplace[i], dst[i])
		}
	}

	// expShiftSum
	shift := float32(rng.NormFloat64() * 10)
	buf = poisoned(off + n + 9)
	dst = buf[off : off+n]
	s := ks.expShiftSum(dst, x, shift)
	var want float64
	for i, v := range x {
		ex := math.Exp(float64(v - shift))
		want += ex
		if e := ulpErr(dst[i], ex); e > 2 {
			t.Fatalf("n=%d expShiftSum element %d: exp(%v-%v) = %v: %.2f ulp", n, i, v, shift, dst[i], e)
		}
	}
	if math.Abs(float64(s)-want) > float64(n+4)*eps32*want+1e-37 {
		t.Fatalf("n=%d expShiftSum sum = %v, want %v", n, s, want)
	}
	checkUntouched(t, buf[:off], "expShiftSum: before dst")
	checkUntouched(t, buf[off+n:], "expShiftSum: after dst")

	// dot
	var dw, da float64
	for i := range x {
		dw += float64(x[i]) * float64(y[i])
		da += math.Abs(float64(x[i]) * float64(y[i]))
	}
	if got := ks.dot(x, y); !checkDot(got, dw, da, n) {
		t.Fatalf("n=%d off=%d dot = %v, want %v", n, off, got, dw)
	}

	// axpy and scale, with guards on both sides of y
	a := float32(rng.NormFloat64())
	buf = poisoned(off + n + 9)
	yy := buf[off : off+n]
	copy(yy, y)
	ks.axpy(a, x, yy)
	for i := range yy {
		w := float64(y[i]) + float64(a)*float64(x[i])
		if math.Abs(float64(yy[i])-w) > 2*eps32*(math.Abs(float64(y[i]))+math.Abs(float64(a*x[i]))) {
			t.Fatalf("n=%d axpy[%d] = %v, want %v", n, i, yy[i], w)
		}
	}
	checkUntouched(t, buf[:off], "axpy: before y")
	checkUntouched(t, buf[off+n:], "axpy: after y")
	copy(yy, y)
	ks.scale(a, yy)
	for i := range yy {
		if yy[i] != a*y[i] {
			t.Fatalf("n=%d scale[%d] = %v, want %v", n, i, yy[i], a*y[i])
		}
	}
	checkUntouched(t, buf[:off], "scale: before x")
	checkUntouched(t, buf[off+n:], "scale: after x")

	// max, with the largest element and a NaN at every position
	if n > 0 {
		mx := x[0]
		for _, v := range x {
			mx = max(mx, v)
		}
		if got := ks.max(x); got != mx {
			t.Fatalf("n=%d off=%d max = %v, want %v", n, off, got, mx)
		}
		if n <= 40 {
			z := append([]float32{}, x...)
			for p := range z {
				saved := z[p]
				z[p] = 1e30
				if got := ks.max(z); got != 1e30 {
					t.Fatalf("n=%d max with 1e30 at %d = %v", n, p, got)
				}
				z[p] = float32(math.NaN())
				if got := ks.max(z); got == got {
					t.Fatalf("n=%d max with NaN at %d = %v, want NaN", n, p, got)
				}
				z[p] = float32(math.Inf(-1))
				if got := ks.max(z); n > 1 && got == float32(math.Inf(-1)) {
					t.Fatalf("n=%d max with -Inf at %d = -Inf", n, p)
				}
				z[p] = saved
			}
		}
	}
}
