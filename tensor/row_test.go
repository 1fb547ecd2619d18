//go:build !purego && (amd64 || arm64)

package tensor

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"
)

// rowKernel is a dotU8Row kernel of a level, the smallest k it takes and
// whether this CPU runs it (rowKernels, in row_<arch>_test.go).
type rowKernel struct {
	name string
	f    func(x []uint8, w []float32, wstride int, alpha float32, bias []float32, z []float32)
	minK int
	ok   bool
}

// forEachRowKernel runs f for each dotU8Row kernel, skipping (with a clear
// message) a level this CPU lacks.
func forEachRowKernel(t *testing.T, f func(t *testing.T, rk rowKernel)) {
	for _, rk := range rowKernels() {
		t.Run(rk.name, func(t *testing.T) {
			if !rk.ok {
				t.Skipf("no %s on this CPU", rk.name)
			}
			f(t, rk)
		})
	}
}

// rowOracle returns alpha*s_j + bias[j] in float64 and the bound of its
// float32 error: the sum's (k+1 roundings of partial sums bounded by
// sum |x*w|) scaled by alpha, then the roundings of alpha*s and of the
// addition of the bias.
func rowOracle(x []uint8, w []float32, wstride int, alpha float32, bias []float32, j int) (want, tol float64) {
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
		b.Run(fmt.Sprintf("isa=%s", rk.name), func(b *testing.B) {
			if !rk.ok {
				b.Skipf("no %s on this CPU", rk.name)
			}
			for b.Loop() {
				rk.f(x, w, 784, 1.0/255, bias, z)
			}
		})
	}
}

// predictImages returns 10000 random images of 784 pixels (7.8 MB, so that
// an image comes from memory or L3 as in Predict's benchmark), W (10x784),
// and the bias.
func predictImages() (images []uint8, w, bias []float32) {
	rng := rand.New(rand.NewPCG(5, 6))
	images = randU8(rng, 10000*784)
	return images, randSlice(rng, 10*784, -0.01, 0.01), randSlice(rng, 10, -0.1, 0.1)
}

// rowArgmax is softmax's argmax: the first largest value, or the first NaN.
func rowArgmax(z []float32) (int, float32) {
	arg, m := 0, z[0]
	for j, v := range z {
		if v > m || v != v && m == m {
			arg, m = j, v
		}
	}
	return arg, m
}

// rowPick is rowArgmax for 10 values with fewer mispredicted branches: the
// max by a tree, then the first index holding it. The tree can drop a NaN
// (b > a is false when b is NaN), so a NaN anywhere (seen in the sum, which
// is also NaN for +Inf and -Inf together) takes rowArgmax.
func rowPick(z *[10]float32) (int, float32) {
	mx := func(a, b float32) float32 {
		if b > a {
			return b
		}
		return a
	}
	m := mx(mx(mx(mx(z[0], z[1]), mx(z[2], z[3])), mx(mx(z[4], z[5]), mx(z[6], z[7]))), mx(z[8], z[9]))
	s := ((z[0] + z[1]) + (z[2] + z[3])) + ((z[4] + z[5]) + (z[6] + z[7])) + (z[8] + z[9])
	if s != s {
		return rowArgmax(z[:])
	}
	for j, v := range z {
		if v == m {
			return j, m
		}
	}
	return 0, m
}

// TestRowPick checks rowPick against rowArgmax on random rows with ties,
// NaN, infinities and signed zeros.
func TestRowPick(t *testing.T) {
	rng := newRNG(t)
	vals := []float32{0, float32(math.Copysign(0, -1)), 1, -1, 2, float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), 3e38}
	for range 100000 {
		var z [10]float32
		for j := range z {
			if rng.IntN(3) == 0 {
				z[j] = vals[rng.IntN(len(vals))]
			} else {
				z[j] = float32(rng.IntN(5))
			}
		}
		a, m := rowPick(&z)
		b, n := rowArgmax(z[:])
		if a != b || math.Float32bits(m) != math.Float32bits(n) && !(m != m && n != n) {
			t.Fatalf("%v: rowPick %d %v, rowArgmax %d %v", z, a, m, b, n)
		}
	}
}

// rowProb32 is the probability of the largest logit m of z in float32 with
// the generic level's exp: 1/sum_j e**(z_j - m) (NaN for a NaN or infinite
// m).
func rowProb32(z []float32, m float32) float32 {
	if m != m || math.IsInf(float64(m), 0) {
		return float32(math.NaN())
	}
	var s float32
	for _, v := range z {
		s += exp32(v - m)
	}
	return 1 / s
}

// rowProb64 is today's pick: the sum in float64 with math.Exp.
func rowProb64(z []float32, m float32) float32 {
	if m != m || math.IsInf(float64(m), 0) {
		return float32(math.NaN())
	}
	var s float64
	for _, v := range z {
		s += math.Exp(float64(v) - float64(m))
	}
	return float32(1 / s)
}

// todayScratch and predictToday replicate Dense.Predict (softmax/predict.go)
// on the exported kernels: the image converted to float32 in a pooled
// buffer, tensor.Dot per class, z = d/255 + bias, argmax, and the
// probability with math.Exp.
var todayScratch = sync.Pool{New: func() any { return new([]float32) }}

func predictToday(image []uint8, w, bias []float32) (int, float32) {
	const n, k = 784, 10
	if len(image) != n || len(w) != n*k || len(bias) != k {
		panic("shape")
	}
	var zbuf [64]float32
	sp := todayScratch.Get().(*[]float32)
	defer todayScratch.Put(sp)
	if cap(*sp) < n {
		*sp = make([]float32, n)
	}
	x, z := (*sp)[:n:n], zbuf[:k]
	for p, v := range image {
		x[p] = float32(v)
	}
	for c := range z {
		d, _ := Dot(x, w[c*n:(c+1)*n])
		z[c] = d*(1.0/255) + bias[c]
	}
	arg, m := rowArgmax(z)
	return arg, rowProb64(z, m)
}
