package tensor

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// Tests of the one-row products (kernelSet's dotU8Row and dotF32Row), for
// uint8 and float32 rows alike (rowsType: rows_test.go).

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

// rowPixels returns n random pixels, a quarter of them 0 or 255.
func rowPixels(rng *rand.Rand, n int) []uint8 {
	x := randU8(rng, n)
	for i := range x {
		switch rng.IntN(8) {
		case 0:
			x[i] = 0
		case 1:
			x[i] = 255
		}
	}
	return x
}

// rowOperands returns x (k elements of rt.rowGen at offset xo), W (n rows
// of stride ws >= k, at float offset wo) and bias, random.
func rowOperands[E elem](rng *rand.Rand, rt rowsType[E], k, n, ws, xo, wo int) (x []E, w, bias []float32) {
	xb := rt.rowGen(rng, xo+k)
	wb := randSlice(rng, wo+(n-1)*ws+k, -1, 1)
	return xb[xo : xo+k : xo+k], wb[wo : wo+(n-1)*ws+k : wo+(n-1)*ws+k], randSlice(rng, n, -2, 2)
}

// TestDotU8Row and TestDotF32Row check kernelSet.dotU8Row and dotF32Row of
// every level against float64 for k in 1..40, 783..785 and 1568, classes
// 1..23, strides k and k+3, x and W unaligned, with z poisoned around it;
// and that a class's result does not depend on the others (bitwise the
// same alone).
func TestDotU8Row(t *testing.T)  { testDotRow(t, u8Rows, 1.0/255) }
func TestDotF32Row(t *testing.T) { testDotRow(t, f32Rows, 0.5) }

// testDotRow is TestDotU8Row for the rows of rt, with alpha alpha0 (-0.75
// for a number of classes divisible by 3).
func testDotRow[E elem](t *testing.T, rt rowsType[E], alpha0 float32) {
	rng := newRNG(t)
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		dot := rt.dotRow(ks)
		kk := []int{783, 784, 785, 1568}
		for k := 1; k <= 40; k++ {
			kk = append(kk, k)
		}
		for _, k := range kk {
			for n := 1; n <= 23; n++ {
				if k > 100 && n%5 != 0 && n != 1 && n != 23 {
					continue
				}
				ws := k + 3*(n%2)
				xo, wo := rng.IntN(4), rng.IntN(4)
				x, w, bias := rowOperands(rng, rt, k, n, ws, xo, wo)
				alpha := alpha0
				if n%3 == 0 {
					alpha = -0.75
				}
				const pad = 20
				zb := poisoned(n + 2*pad)
				z := zb[pad : pad+n : pad+n]
				dot(x, w, ws, alpha, bias, z)
				checkUntouched(t, zb[:pad], fmt.Sprintf("k=%d n=%d: before z", k, n))
				checkUntouched(t, zb[pad+n:], fmt.Sprintf("k=%d n=%d: after z", k, n))
				for j := range n {
					want, tol := rowOracle(x, w, ws, alpha, bias, j)
					if math.Abs(float64(z[j])-want) > tol || z[j] != z[j] {
						t.Fatalf("k=%d n=%d ws=%d xo=%d wo=%d: z[%d] = %v, want %v (error %.3g, tolerance %.3g)",
							k, n, ws, xo, wo, j, z[j], want, math.Abs(float64(z[j])-want), tol)
					}
				}
				// Each class alone gives bitwise the same result.
				if n == 23 || n == 7 {
					for j := range n {
						var one [1]float32
						dot(x, w[j*ws:], ws, alpha, bias[j:j+1], one[:])
						if math.Float32bits(one[0]) != math.Float32bits(z[j]) {
							t.Fatalf("k=%d n=%d: class %d alone %v, with the others %v", k, n, j, one[0], z[j])
						}
					}
				}
			}
		}
	})
}

// TestDotU8RowSpecial and TestDotF32RowSpecial check exact results:
// all-zero elements give the bias; a single element of 1 at each position
// picks W's column (times alpha = 1, plus bias 0), so every lane and tail
// position is used exactly once.
func TestDotU8RowSpecial(t *testing.T)  { testDotRowSpecial(t, u8Rows) }
func TestDotF32RowSpecial(t *testing.T) { testDotRowSpecial(t, f32Rows) }

func testDotRowSpecial[E elem](t *testing.T, rt rowsType[E]) {
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		dot := rt.dotRow(ks)
		for _, k := range []int{1, 7, 8, 15, 16, 17, 31, 33, 784} {
			n := 12
			w := make([]float32, n*k)
			for i := range w {
				w[i] = float32(i%997) + 0.5
			}
			bias := make([]float32, n)
			for j := range bias {
				bias[j] = float32(j) - 3
			}
			x := make([]E, k)
			z := make([]float32, n)
			dot(x, w, k, 1, bias, z)
			for j, v := range z {
				if v != bias[j] {
					t.Fatalf("k=%d zero elements: z[%d] = %v, want the bias %v", k, j, v, bias[j])
				}
			}
			clear(bias)
			for p := range k {
				clear(x)
				x[p] = 1
				dot(x, w, k, 1, bias, z)
				for j, v := range z {
					if v != w[j*k+p] {
						t.Fatalf("k=%d element %d: z[%d] = %v, want %v", k, p, j, v, w[j*k+p])
					}
				}
			}
		}
	})
}

// BenchmarkDotU8Row times one image of 784 pixels against 10 classes.
func BenchmarkDotU8Row(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	x, w, bias := rowOperands(rng, u8Rows, 784, 10, 784, 0, 0)
	z := make([]float32, 10)
	for _, ks := range levels {
		b.Run(fmt.Sprintf("inputs=784/classes=10/impl=%s", ks.isa), func(b *testing.B) {
			for b.Loop() {
				ks.dotU8Row(x, w, 784, 1.0/255, bias, z)
			}
		})
	}
}
