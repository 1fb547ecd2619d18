package tensor

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// rowKernel is a level's kernelSet.dotU8Row, the smallest k it takes and
// whether this CPU runs it.
type rowKernel struct {
	name string
	f    func(x []uint8, w []float32, wstride int, alpha float32, bias []float32, z []float32)
	minK int
	ok   bool
}

// rowKernels lists the dotU8Row of every level this machine runs, and
// the levels of this build's assembly it cannot run (not ok).
func rowKernels() []rowKernel {
	var rks []rowKernel
	for _, ks := range levels {
		rks = append(rks, rowKernel{ks.isa.String(), ks.dotU8Row, 1, true})
	}
	for _, l := range archLevels {
		if lookup(l) == nil {
			rks = append(rks, rowKernel{l.String(), nil, 1, false})
		}
	}
	return rks
}

// forEachRowKernel runs f for each dotU8Row kernel, skipping (with a clear
// message) a level this CPU lacks.
func forEachRowKernel(t *testing.T, f func(t *testing.T, rk rowKernel)) {
	for _, rk := range rowKernels() {
		t.Run("isa="+rk.name, func(t *testing.T) {
			if !rk.ok {
				t.Skipf("the %s level is not tested: %s", rk.name, unavailableName(rk.name))
			}
			f(t, rk)
		})
	}
}

// rowOracle returns alpha*s_j + bias[j] in float64 and the bound of its
// float32 error: the sum's (k+1 roundings of partial sums bounded by
// sum |x*w|) scaled by alpha, then the roundings of alpha*s and of the
// addition of the bias.
func rowOracle[E elem](x []E, w []float32, wstride int, alpha float32, bias []float32, j int) (want, tol float64) {
	var s, abs float64
	for p, v := range x {
		t := float64(v) * float64(w[j*wstride+p])
		s += t
		abs += math.Abs(t)
	}
	a := float64(alpha)
	want = a*s + float64(bias[j])
	tol = float64(len(x)+2)*0x1p-24*math.Abs(a)*abs + 0x1p-23*(math.Abs(a*s)+math.Abs(want)) + 1e-30
	return want, tol
}

// rowOperands returns x (k pixels at byte offset xo), W (n rows of stride
// ws >= k, at float offset wo) and bias, random, with some pixels of 0 and
// 255.
func rowOperands(rng *rand.Rand, k, n, ws, xo, wo int) (x []uint8, w, bias []float32) {
	xb := randU8(rng, xo+k)
	for i := range xb {
		switch rng.IntN(8) {
		case 0:
			xb[i] = 0
		case 1:
			xb[i] = 255
		}
	}
	wb := randSlice(rng, wo+(n-1)*ws+k, -1, 1)
	return xb[xo : xo+k : xo+k], wb[wo : wo+(n-1)*ws+k : wo+(n-1)*ws+k], randSlice(rng, n, -2, 2)
}

// TestDotU8Row checks every dotU8Row kernel against float64 for k in 1..40
// (from the kernel's smallest k), 783..785 and 1568, classes 1..23, strides
// k and k+3, x and W unaligned, with z poisoned around it; and that a
// class's result does not depend on the others (bitwise the same alone).
func TestDotU8Row(t *testing.T) {
	rng := newRNG(t)
	forEachRowKernel(t, func(t *testing.T, rk rowKernel) {
		ks := []int{783, 784, 785, 1568}
		for k := rk.minK; k <= 40; k++ {
			ks = append(ks, k)
		}
		for _, k := range ks {
			for n := 1; n <= 23; n++ {
				if k > 100 && n%5 != 0 && n != 1 && n != 23 {
					continue
				}
				ws := k + 3*(n%2)
				xo, wo := rng.IntN(4), rng.IntN(4)
				x, w, bias := rowOperands(rng, k, n, ws, xo, wo)
				alpha := float32(1.0 / 255)
				if n%3 == 0 {
					alpha = -0.75
				}
				const pad = 20
				zb := poisoned(n + 2*pad)
				z := zb[pad : pad+n : pad+n]
				rk.f(x, w, ws, alpha, bias, z)
				for i, v := range zb {
					if (i < pad || i >= pad+n) && !isPoison(v) {
						t.Fatalf("k=%d n=%d: z buffer[%d] written outside z", k, n, i)
					}
				}
				for j := range n {
					want, tol := rowOracle(x, w, ws, alpha, bias, j)
					if math.Abs(float64(z[j])-want) > tol {
						t.Fatalf("k=%d n=%d ws=%d xo=%d wo=%d: z[%d] = %v, want %v (error %.3g, tolerance %.3g)",
							k, n, ws, xo, wo, j, z[j], want, math.Abs(float64(z[j])-want), tol)
					}
				}
				// Each class alone gives bitwise the same result.
				if n == 23 || n == 7 {
					for j := range n {
						var one [1]float32
						rk.f(x, w[j*ws:], ws, alpha, bias[j:j+1], one[:])
						if math.Float32bits(one[0]) != math.Float32bits(z[j]) {
							t.Fatalf("k=%d n=%d: class %d alone %v, with the others %v", k, n, j, one[0], z[j])
						}
					}
				}
			}
		}
	})
}

// TestDotU8RowSpecial checks exact results: all-zero pixels give the bias;
// a single pixel of 1 at each position picks W's column (times alpha =
// 1, plus bias 0), so every lane and tail position is used exactly once.
func TestDotU8RowSpecial(t *testing.T) {
	forEachRowKernel(t, func(t *testing.T, rk rowKernel) {
		for _, k := range []int{rk.minK, 8, 15, 16, 17, 31, 33, 784} {
			if k < rk.minK {
				continue
			}
			n := 12
			w := make([]float32, n*k)
			for i := range w {
				w[i] = float32(i%997) + 0.5
			}
			bias := make([]float32, n)
			for j := range bias {
				bias[j] = float32(j) - 3
			}
			x := make([]uint8, k)
			z := make([]float32, n)
			rk.f(x, w, k, 1, bias, z)
			for j, v := range z {
				if v != bias[j] {
					t.Fatalf("k=%d zero pixels: z[%d] = %v, want the bias %v", k, j, v, bias[j])
				}
			}
			clear(bias)
			for p := range k {
				clear(x)
				x[p] = 1
				rk.f(x, w, k, 1, bias, z)
				for j, v := range z {
					if v != w[j*k+p] {
						t.Fatalf("k=%d pixel %d: z[%d] = %v, want %v", k, p, j, v, w[j*k+p])
					}
				}
			}
		}
	})
}

// BenchmarkDotU8Row times one image of 784 pixels against 10 classes.
func BenchmarkDotU8Row(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	x, w, bias := rowOperands(rng, 784, 10, 784, 0, 0)
	z := make([]float32, 10)
	for _, rk := range rowKernels() {
		b.Run(fmt.Sprintf("inputs=784/classes=10/impl=%s", rk.name), func(b *testing.B) {
			if !rk.ok {
				b.Skipf("no %s on this CPU", rk.name)
			}
			for b.Loop() {
				rk.f(x, w, 784, 1.0/255, bias, z)
			}
		})
	}
}

// unavailableName is unavailable for a level's name.
func unavailableName(name string) string {
	l, err := ParseISA(name)
	if err != nil {
		return err.Error()
	}
	return unavailable(l)
}
