package tensor

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/softmax-fast/softmax-fast/internal/testrng"
)

func TestMain(m *testing.M) {
	if _, err := CurrentISA(); err != nil {
		fmt.Fprintln(os.Stderr, "tensor tests:", err)
		os.Exit(2)
	}
	fmt.Fprintf(os.Stderr, "tensor tests: ISA levels %v, default %v\n", Available(), active.isa)
	os.Exit(m.Run())
}

// forEachISA runs f once per level this machine can run, with that level
// active. f must not call t.Parallel.
func forEachISA(t *testing.T, f func(t *testing.T, ks *kernelSet)) {
	t.Helper()
	saved := active
	t.Cleanup(func() { active = saved })
	for _, k := range levels {
		active = k
		t.Run("isa="+k.isa.String(), func(t *testing.T) { f(t, k) })
	}
	active = saved
	for _, l := range archLevels {
		if lookup(l) == nil {
			t.Run("isa="+l.String(), func(t *testing.T) {
				t.Skipf("the %v level is not tested: %s", l, unavailable(l))
			})
		}
	}
}

// newRNG returns the generator of a test's random data (testrng.New: the
// seed is logged, SOFTMAX_FAST_SEED repeats or randomizes it).
func newRNG(t testing.TB) *rand.Rand {
	t.Helper()
	return testrng.New(t)
}

// poison is a NaN with a marker payload: outputs are filled with it before a
// call, so an element the kernel should have written but did not shows up,
// and so does a write outside the output (compared bitwise).
var poison = math.Float32frombits(0x7fa5a5a5)

func isPoison(v float32) bool { return math.Float32bits(v) == 0x7fa5a5a5 }

func poisoned(n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = poison
	}
	return s
}

func randSlice(rng *rand.Rand, n int, lo, hi float32) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = lo + (hi-lo)*rng.Float32()
	}
	return s
}

func randU8(rng *rand.Rand, n int) []uint8 {
	s := make([]uint8, n)
	for i := range s {
		s[i] = uint8(rng.UintN(256))
	}
	return s
}

func TestISASelection(t *testing.T) {
	saved := active
	defer func() { active = saved }()
	av := Available()
	if len(av) == 0 || av[0] != Generic {
		t.Fatalf("Available() = %v, want generic first", av)
	}
	for _, l := range av {
		if err := SetISA(l); err != nil {
			t.Errorf("SetISA(%v): %v", l, err)
		}
		if got, _ := CurrentISA(); got != l {
			t.Errorf("after SetISA(%v) CurrentISA() = %v", l, got)
		}
	}
	// A level this CPU cannot run, or no level at all, is an error naming
	// the level, and changes nothing.
	for _, l := range []ISA{AVX2, AVX512, NEON, ISA(-1), ISA(99)} {
		if lookup(l) != nil {
			continue
		}
		before := active
		err := SetISA(l)
		if !errors.Is(err, ErrISAUnavailable) || !strings.Contains(err.Error(), l.String()) {
			t.Errorf("SetISA(%v) on a CPU without it: %v", l, err)
		}
		if active != before {
			t.Errorf("failed SetISA(%v) changed the level", l)
		}
		t.Logf("SetISA(%v): %v", l, err)
	}
	if Best() != levels[len(levels)-1].isa {
		t.Errorf("Best() = %v, want the last level %v", Best(), levels[len(levels)-1].isa)
	}
}

// TestParseISA: ParseISA takes exactly the names String prints, nothing
// else (no other case, spaces or aliases).
func TestParseISA(t *testing.T) {
	for _, l := range []ISA{Generic, AVX2, AVX512, NEON} {
		got, err := ParseISA(l.String())
		if err != nil || got != l {
			t.Errorf("ParseISA(%q) = %v, %v; want %v", l.String(), got, err, l)
		}
	}
	for _, bad := range []string{"avx1024", "sse", "", "neon2", "AVX2", " avx2", "avx2 ", "purego", "go", "best", "ISA(1)"} {
		if l, err := ParseISA(bad); err == nil {
			t.Errorf("ParseISA(%q) = %v, want an error", bad, l)
		}
	}
}

// TestEnvISA runs this test binary again with SOFTMAX_FAST_ISA set: a level
// the machine has must be honoured, anything else must make the run fail.
func TestEnvISA(t *testing.T) {
	if os.Getenv("SOFTMAX_FAST_ISA_CHILD") != "" {
		l, err := CurrentISA()
		fmt.Printf("child level=%v err=%v\n", l, err)
		return
	}
	if testing.Short() {
		t.Skip("starts subprocesses")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	cases := []struct {
		env     string
		wantOK  bool
		wantLvl string
	}{
		{"generic", true, "generic"},
		{"best", true, Best().String()},
		{"bogus", false, ""},
		{"AVX2", false, ""}, // names are exact
	}
	for _, l := range []ISA{AVX2, AVX512, NEON} {
		cases = append(cases, struct {
			env     string
			wantOK  bool
			wantLvl string
		}{l.String(), lookup(l) != nil, l.String()})
	}
	for _, tc := range cases {
		cmd := newChild(exe, "TestEnvISA", "SOFTMAX_FAST_ISA="+tc.env)
		out, err := cmd.CombinedOutput()
		if cannotExec(err) { // e.g. an arm64 binary run by qemu without binfmt_misc
			t.Skipf("cannot run the test binary as a child: %v", err)
		}
		if tc.wantOK {
			if err != nil || !containsLine(string(out), "child level="+tc.wantLvl+" err=<nil>") {
				t.Errorf("SOFTMAX_FAST_ISA=%s: err %v, output:\n%s", tc.env, err, out)
			}
		} else if err == nil {
			t.Errorf("SOFTMAX_FAST_ISA=%s: the test binary passed, want a failure; output:\n%s", tc.env, out)
		}
	}
}

// TestDirectCalls checks that the direct calls of direct_*.go run each
// level's own kernels: bitwise the results of the kernel set's fields.
func TestDirectCalls(t *testing.T) {
	rng := newRNG(t)
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		for _, n := range []int{1, 10, 33} {
			z0, labels := xentRows(rng, n, 5)
			za, zb := append([]float32(nil), z0...), append([]float32(nil), z0...)
			sa, sb := make([]float32, n), make([]float32, n)
			sha, shb := make([]float64, n), make([]float64, n)
			ca, cb := make([]float64, 10), make([]float64, 10)
			a := xent10(ks, za, labels, 0.125, sa, sha, ca)
			b := ks.softmaxXent10(zb, labels, 0.125, sb, shb, cb)
			sameBits(t, fmt.Sprintf("xent10 n=%d", n), za, zb)
			sameBits(t, fmt.Sprintf("xent10 n=%d s", n), sa, sb)
			for i := range sha {
				if math.Float64bits(sha[i]) != math.Float64bits(shb[i]) {
					t.Fatalf("xent10 n=%d: shift[%d] %v, kernel set %v", n, i, sha[i], shb[i])
				}
			}
			for j := range ca {
				if math.Float64bits(ca[j]) != math.Float64bits(cb[j]) {
					t.Fatalf("xent10 n=%d: colsum[%d] %v, kernel set %v", n, j, ca[j], cb[j])
				}
			}
			if a != b {
				t.Fatalf("xent10 n=%d: correct %d, kernel set %d", n, a, b)
			}
		}
		for _, k := range []int{3, 784} {
			x, w, bias := rowOperands(rng, u8Rows, k, 13, k, 0, 0)
			za, zb := make([]float32, 13), make([]float32, 13)
			dotU8RowOf(ks, x, w, k, 0.5, bias, za)
			ks.dotU8Row(x, w, k, 0.5, bias, zb)
			sameBits(t, fmt.Sprintf("dotU8Row k=%d", k), za, zb)
			xf := randF32Data(rng, k)
			fa, fb := make([]float32, 13), make([]float32, 13)
			dotF32RowOf(ks, xf, w, k, 0.5, bias, fa)
			ks.dotF32Row(xf, w, k, 0.5, bias, fb)
			sameBits(t, fmt.Sprintf("dotF32Row k=%d", k), fa, fb)
			da, db := make([]float32, 13), make([]float32, 13)
			if a, b := expShiftSumOf(ks, da, za, 1), ks.expShiftSum(db, za, 1); math.Float32bits(a) != math.Float32bits(b) {
				t.Fatalf("expShiftSum k=%d: %v, kernel set %v", k, a, b)
			}
			sameBits(t, fmt.Sprintf("expShiftSum k=%d", k), da, db)
		}
	})
}
