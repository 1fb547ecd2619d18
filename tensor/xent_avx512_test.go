//go:build amd64 && !purego

package tensor

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"
)

// xentKernel is the signature of the softmaxXent10 kernels.
type xentKernel func(z []float32, labels []uint8, scale float32, s []float32, shift []float64, cs []float64) int

// xentRun runs f on copies of z and labels placed in poisoned buffers (pad
// elements before and after each operand, off elements of misalignment) and
// checks that nothing outside the operands changed. It returns the new
// logits, s, shift, cs (nil if !withCS) and the count.
func xentRun(t *testing.T, name string, f xentKernel, z0 []float32, labels0 []uint8, scale float32, off int, withCS bool) (z, s []float32, shift, cs []float64, correct int) {
	t.Helper()
	const pad = 24
	n := len(labels0)
	zb := poisoned(off + 10*n + pad)
	z = zb[off : off+10*n : off+10*n]
	copy(z, z0)
	lb := make([]uint8, off+n+pad)
	for i := range lb {
		lb[i] = 0xa5
	}
	labels := lb[off : off+n : off+n]
	copy(labels, labels0)
	sb := poisoned(off + n + pad)
	s = sb[off : off+n : off+n]
	nan := math.Float64frombits(0x7ff5a5a5a5a5a5a5)
	hb := make([]float64, off+n+pad)
	cb := make([]float64, off+10+pad)
	for i := range hb {
		hb[i] = nan
	}
	for i := range cb {
		cb[i] = nan
	}
	shift = hb[off : off+n : off+n]
	if withCS {
		cs = cb[off : off+10 : off+10]
	}
	correct = f(z, labels, scale, s, shift, cs)
	for i, v := range zb {
		if (i < off || i >= off+10*n) && !isPoison(v) {
			t.Fatalf("%s: z buffer[%d] written outside z (off %d, n %d)", name, i, off, n)
		}
	}
	for i, v := range sb {
		if (i < off || i >= off+n) && !isPoison(v) {
			t.Fatalf("%s: s buffer[%d] written outside s", name, i)
		}
	}
	for i, v := range hb {
		if (i < off || i >= off+n) && math.Float64bits(v) != math.Float64bits(nan) {
			t.Fatalf("%s: shift buffer[%d] written outside shift", name, i)
		}
	}
	for i, v := range cb {
		if (i < off || i >= off+10 || !withCS) && math.Float64bits(v) != math.Float64bits(nan) {
			t.Fatalf("%s: cs buffer[%d] written outside cs", name, i)
		}
	}
	for i, v := range lb {
		if (i < off || i >= off+n) && v != 0xa5 || i >= off && i < off+n && v != labels0[i-off] {
			t.Fatalf("%s: labels buffer[%d] changed", name, i)
		}
	}
	return z, s, shift, cs, correct
}

// sameBits reports whether a and b hold bitwise the same values (any NaN
// equals any NaN).
func sameBits32(a, b float32) bool {
	return math.Float32bits(a) == math.Float32bits(b) || a != a && b != b
}

func sameBits64(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || a != a && b != b
}

// checkXentSame runs softmaxXent10AVX512 and softmaxXent10AVX2 on the same
// rows (with the poison checks of xentRun, at offset off) and demands
// bitwise the same results; it returns those of AVX-512.
func checkXentSame(t *testing.T, name string, z0 []float32, labels []uint8, scale float32, off int, withCS bool) (z, s []float32, shift, cs []float64, correct int) {
	t.Helper()
	z, s, shift, cs, correct = xentRun(t, name, softmaxXent10AVX512, z0, labels, scale, off, withCS)
	z2, s2, shift2, cs2, correct2 := xentRun(t, name+" (avx2)", softmaxXent10AVX2, z0, labels, scale, off, withCS)
	if correct != correct2 {
		t.Fatalf("%s: correct %d, AVX2 %d", name, correct, correct2)
	}
	for i := range labels {
		if !sameBits32(s[i], s2[i]) || !sameBits64(shift[i], shift2[i]) {
			t.Fatalf("%s: row %d %v: s %v shift %v, AVX2 %v %v", name, i, z0[10*i:10*i+10], s[i], shift[i], s2[i], shift2[i])
		}
		for j := 10 * i; j < 10*i+10; j++ {
			if !sameBits32(z[j], z2[j]) {
				t.Fatalf("%s: row %d %v label %d: g[%d] = %v (%#x), AVX2 %v (%#x)", name, i, z0[10*i:10*i+10], labels[i],
					j-10*i, z[j], math.Float32bits(z[j]), z2[j], math.Float32bits(z2[j]))
			}
		}
	}
	for j := range cs {
		if !sameBits64(cs[j], cs2[j]) {
			t.Fatalf("%s: cs[%d] = %v, AVX2 %v", name, j, cs[j], cs2[j])
		}
	}
	return z, s, shift, cs, correct
}

// TestSoftmaxXent10AVX512 checks softmaxXent10AVX512 against the float64
// oracle and bitwise against softmaxXent10AVX2, for every n in 0..40 and
// 255..257, unaligned operands, with and without column sums.
func TestSoftmaxXent10AVX512(t *testing.T) {
	needAVX512(t)
	rng := newRNG(t)
	ns := []int{255, 256, 257}
	for n := 0; n <= 40; n++ {
		ns = append(ns, n)
	}
	for _, n := range ns {
		for _, amp := range []float64{0.1, 1, 30, 1e4, 3e38} {
			z0, labels := xentRows(rng, n, amp)
			off := rng.IntN(4)
			withCS := rng.IntN(4) != 0
			scale := float32(1 / float64(max(n, 1)))
			name := fmt.Sprintf("n=%d amp=%g off=%d cs=%v", n, amp, off, withCS)
			z, s, shift, cs, correct := checkXentSame(t, name, z0, labels, scale, off, withCS)
			checkXentOracle(t, name, z0, labels, scale, z, s, shift, cs, correct)
		}
	}
}

// xentSpecials are rows of special values: ties, zeros of both signs,
// +-3e38, exp arguments around the underflow and overflow limits.
var xentSpecials = func() [][10]float32 {
	const big = 3e38
	return [][10]float32{
		{2, 2, 2, 2, 2, 2, 2, 2, 2, 2},
		{0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
		{1e4, 0, -1e4, 5, 1e4 - 1, 0, 0, 0, 0, 0},
		{big, -big, 0, 1, -1, 2e38, 1e38, -1e38, 0, 0},
		{-big, -big, -big, -big, -big, -big, -big, -big, -big, -big},
		{big, big, big, big, big, big, big, big, big, big},
		{-87.5, -100, -103.9, -88, 88, 88.7, -150, 0, 1, 2},
		{0, 0, 0, 0, 0, 0, 0, 0, 0, 5},
		{0, 0, 0, 0, 0, 0, 0, 0, 5, 5},
		{0, 0, 0, 0, 0, 0, 0, 0, 4, 5},
		{0, 0, 0, 0, 0, 0, 0, 5, 5, 5},
		{float32(math.Copysign(0, -1)), 0, -1, -2, -3, -4, -5, -6, -7, -8},
		{0, float32(math.Copysign(0, -1)), float32(math.Copysign(0, -1)), 0, 0, float32(math.Copysign(0, -1)), 0, 0, 0, float32(math.Copysign(0, -1))},
	}
}()

// TestSoftmaxXent10AVX512Specials puts special rows at every position of a
// group (and of the partial group) with labels at every class, and rows
// with a tie for the largest logit between every pair of positions.
func TestSoftmaxXent10AVX512Specials(t *testing.T) {
	needAVX512(t)
	rng := newRNG(t)
	for _, n := range []int{1, 7, 16, 17, 31} {
		for _, sp := range xentSpecials {
			for at := range n {
				for y := range uint8(10) {
					z, labels := xentRows(rng, n, 3)
					copy(z[10*at:], sp[:])
					labels[at] = y
					name := fmt.Sprintf("n=%d special %v at %d label %d", n, sp, at, y)
					zz, s, shift, cs, correct := checkXentSame(t, name, z, labels, 0.25, at%4, true)
					checkXentOracle(t, name, z, labels, 0.25, zz, s, shift, cs, correct)
				}
			}
		}
	}
	// Ties for the largest logit between every pair of classes, and a -Inf
	// label logit: the first largest logit counts.
	for a := range 10 {
		for b := range 10 {
			z, labels := xentRows(rng, 16, 3)
			for i := range 16 {
				row := z[10*i : 10*i+10]
				row[a], row[b] = 7, 7
				labels[i] = uint8(i % 10)
			}
			name := fmt.Sprintf("tie %d %d", a, b)
			zz, s, shift, cs, correct := checkXentSame(t, name, z, labels, 0.5, 1, true)
			checkXentOracle(t, name, z, labels, 0.5, zz, s, shift, cs, correct)
		}
	}
	ninf := float32(math.Inf(-1))
	for n := 1; n <= 17; n++ {
		for at := range n {
			z, labels := xentRows(rng, n, 3)
			y := uint8(rng.IntN(10))
			labels[at] = y
			z[10*at+int(y)] = ninf
			z[10*at+(int(y)+3)%10] = ninf
			zz, s, shift, _, _ := checkXentSame(t, "-Inf", z, labels, 0.5, 0, false)
			if !math.IsInf(shift[at], 1) || s[at] != s[at] || zz[10*at+int(y)] != -0.5 {
				t.Fatalf("n=%d -Inf label logit at %d: shift %v s %v g %v", n, at, shift[at], s[at], zz[10*at:10*at+10])
			}
		}
	}
}

// TestSoftmaxXent10AVX512NaN puts NaN or +-Inf at every class of every
// row position: +Inf and NaN give a NaN s for their row only.
func TestSoftmaxXent10AVX512NaN(t *testing.T) {
	needAVX512(t)
	rng := newRNG(t)
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	// A row of -Inf only: m = -Inf, every z - m is NaN.
	for _, n := range []int{1, 16, 18} {
		z, labels := xentRows(rng, n, 3)
		at := n - 1
		for j := range 10 {
			z[10*at+j] = -inf
		}
		_, s, _, _, _ := checkXentSame(t, "-Inf row", z, labels, 0.5, 2, true)
		if s[at] == s[at] {
			t.Fatalf("n=%d: a row of -Inf gives s %v, want NaN", n, s[at])
		}
	}
	for _, n := range []int{1, 5, 16, 19} {
		for at := range n {
			for j := range 10 {
				for _, bad := range []float32{nan, inf} {
					z, labels := xentRows(rng, n, 3)
					z[10*at+j] = bad
					name := fmt.Sprintf("n=%d %v at row %d col %d", n, bad, at, j)
					_, s, shift, _, _ := checkXentSame(t, name, z, labels, 0.5, 3, true)
					for i := range n {
						bad := math.IsNaN(float64(s[i])) || math.IsNaN(shift[i])
						if bad != (i == at) {
							t.Fatalf("%s: row %d s %v shift %v", name, i, s[i], shift[i])
						}
					}
				}
			}
		}
	}
}

// TestSoftmaxXent10AVX512RowIndependent checks that each row's results are
// bitwise the same whatever n and the row's position: every row of a batch
// run alone must give what it got in the batch.
func TestSoftmaxXent10AVX512RowIndependent(t *testing.T) {
	needAVX512(t)
	rng := newRNG(t)
	for _, n := range []int{3, 16, 29, 40} {
		z0, labels := xentRows(rng, n, 20)
		for _, sp := range xentSpecials[:6] {
			at := rng.IntN(n)
			copy(z0[10*at:], sp[:])
		}
		z, s, shift, _, _ := xentRun(t, "batch", softmaxXent10AVX512, z0, labels, 0.125, 0, false)
		for i := range n {
			zi, si, shi, _, _ := xentRun(t, "row", softmaxXent10AVX512, z0[10*i:10*i+10], labels[i:i+1], 0.125, 1, false)
			if !sameBits32(si[0], s[i]) || !sameBits64(shi[0], shift[i]) {
				t.Fatalf("n=%d row %d: alone s %v shift %v, in the batch %v %v", n, i, si[0], shi[0], s[i], shift[i])
			}
			for j := range 10 {
				if !sameBits32(zi[j], z[10*i+j]) {
					t.Fatalf("n=%d row %d: alone g[%d] = %v, in the batch %v", n, i, j, zi[j], z[10*i+j])
				}
			}
		}
	}
}

// TestExpXentAVX512 checks that the exp of softmaxXent10AVX512 is bitwise
// expAVX2's (the exp of EXP8) on every float32 input whose top 12 bits are
// those of a random sample, plus the edges of the clamp and of the
// subnormal results, every n%16 tail, and unaligned slices; with
// SOFTMAX_FAST_EXP_EXHAUSTIVE=1, on all 2**32 inputs.
func TestExpXentAVX512(t *testing.T) {
	needAVX512(t)
	rng := newRNG(t)
	const block = 1 << 20
	src := make([]float32, block+1)
	want := make([]float32, block)
	got := poisoned(block + 2)
	check := func(x []float32, off int) {
		t.Helper()
		for i := range min(len(x)+8, len(got)) {
			got[i] = poison
		}
		g := got[off : off+len(x)]
		expAVX2(want, x)
		expXentAVX512(g, x)
		for i, v := range x {
			if !sameBits32(g[i], want[i]) || (g[i] != g[i]) != (want[i] != want[i]) {
				t.Fatalf("x = %v (%#x): %v (%#x), expAVX2 %v (%#x)", v, math.Float32bits(v), g[i], math.Float32bits(g[i]), want[i], math.Float32bits(want[i]))
			}
		}
		if !isPoison(got[off+len(x)]) || off > 0 && !isPoison(got[off-1]) {
			t.Fatalf("n=%d off=%d: written outside dst", len(x), off)
		}
	}
	edges := []float32{0, float32(math.Copysign(0, -1)), 1, -1, 88.72283, 88.7229, 88.75, 89, -87.33654, -87.3365,
		-103.97, -103.9721, -103.973, -104, -104.5, -150, float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()),
		math.Float32frombits(0x7fa5a5a5), 1e-30, -1e-30, 3e38, -3e38}
	for n := 0; n <= 40; n++ {
		x := src[:n]
		for i := range x {
			x[i] = edges[(i*7+n)%len(edges)]
		}
		check(x, n%4)
	}
	if os.Getenv("SOFTMAX_FAST_EXP_EXHAUSTIVE") == "1" {
		for hi := uint64(0); hi < 1<<32; hi += block {
			x := src[:block]
			for i := range x {
				x[i] = math.Float32frombits(uint32(hi) + uint32(i))
			}
			check(x, 0)
		}
		return
	}
	for range 16 {
		top := rng.Uint32() &^ (block - 1)
		x := src[1 : block+1]
		for i := range x {
			x[i] = math.Float32frombits(top + uint32(i))
		}
		check(x, 1)
	}
}

// BenchmarkSoftmaxXent10 times softmaxXent10 at AVX2 and AVX-512 on n rows
// with column sums (as the loss calls it: chunks of 32 rows), each level
// right after the other in one run so that they see the same machine load.
// The copy of the logits back (the kernel works in place) is in the time.
func BenchmarkSoftmaxXent10(b *testing.B) {
	for _, n := range []int{32, 256} {
		rng := rand.New(rand.NewPCG(1, 2))
		z0, labels := xentRows(rng, n, 5)
		z := make([]float32, len(z0))
		s := make([]float32, n)
		sh := make([]float64, n)
		cs := make([]float64, 10)
		for _, lv := range []struct {
			name string
			f    xentKernel
			ok   bool
		}{{"avx2", softmaxXent10AVX2, true}, {"avx512", softmaxXent10AVX512, hasAVX512}} {
			b.Run(fmt.Sprintf("n=%d/isa=%s", n, lv.name), func(b *testing.B) {
				if !lv.ok {
					b.Skip("no AVX-512 F/BW/DQ/VL on this CPU")
				}
				for b.Loop() {
					copy(z, z0)
					lv.f(z, labels, 0.1, s, sh, cs)
				}
			})
		}
	}
}
