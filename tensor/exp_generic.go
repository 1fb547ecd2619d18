package tensor

import "math"

// Constants of the exp kernels (every level uses the same ones).
//
// exp(x) = 2**n * e**r with n = round(x*log2(e)) and r = x - n*ln2, where
// n*ln2 is subtracted in two parts (Cody-Waite: ln2Hi has few enough bits
// that n*ln2Hi is exact). e**r on [-ln2/2, ln2/2] is 1 + r + r*r*P(r) with the
// degree-5 polynomial P of Cephes' expf. The result is scaled by 2**h and
// 2**(n-h) with h = n>>1, two normal powers of two, so that overflow gives
// +Inf, underflow 0, and subnormal results round once, correctly.
const (
	expHi    = 88.75  // above: +Inf (e**88.7228 overflows float32)
	expLo    = -104.0 // below: 0 (e**-103.973 rounds to 0)
	expLog2e = 1.44269504088896341
	expLn2Hi = 0.693359375
	expLn2Lo = -2.12194440e-4
	expP0    = 1.9875691500e-4
	expP1    = 1.3981999507e-3
	expP2    = 8.3334519073e-3
	expP3    = 4.1665795894e-2
	expP4    = 1.6666665459e-1
	expP5    = 5.0000001201e-1
)

// exp32 is the scalar exp of the generic level. The explicit float32
// conversions stop the compiler from fusing multiply-adds, so the result is
// the same on every GOARCH.
func exp32(x float32) float32 {
	// Clamp, letting NaN through (comparisons with NaN are false).
	if x > expHi {
		x = expHi
	} else if x < expLo {
		x = expLo
	}
	n := float32(math.RoundToEven(float64(float32(x * expLog2e))))
	r := float32(x - float32(n*expLn2Hi))
	r = float32(r - float32(n*expLn2Lo))
	p := float32(float32(expP0*r) + expP1)
	p = float32(float32(p*r) + expP2)
	p = float32(float32(p*r) + expP3)
	p = float32(float32(p*r) + expP4)
	p = float32(float32(p*r) + expP5)
	e := float32(float32(float32(float32(p*float32(r*r))+r)) + 1)
	if n != n { // NaN input
		return e
	}
	ni := int32(n)
	h := ni >> 1
	s1 := math.Float32frombits(uint32(h+127) << 23)
	s2 := math.Float32frombits(uint32(ni-h+127) << 23)
	return float32(e*s1) * s2
}

func expGeneric(dst, src []float32) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = exp32(v)
	}
}

func expShiftSumGeneric(dst, src []float32, shift float32) float32 {
	dst = dst[:len(src)]
	var s float64
	for i, v := range src {
		e := exp32(v - shift)
		dst[i] = e
		s += float64(e)
	}
	return float32(s)
}
