package tensor

import "math"

// The generic kernels: plain Go, the fallback on every GOARCH, with -tags
// purego and on CPUs without the SIMD features. They also define what each
// assembly kernel computes (see kernelSet).

var genericSet = kernelSet{
	isa:         Generic,
	gemmMR:      2,
	gemmNR:      5,
	gemmTile:    gemmTileGeneric,
	dotU8x2x5:   dotU8x2x5Generic,
	gradU8x10x8: gradU8x10x8Generic,
	exp:         expGeneric,
	max:         maxGeneric,
	expShiftSum: expShiftSumGeneric,
	dot:         dotGeneric,
	axpy:        axpyGeneric,
	scale:       scaleGeneric,
	prefetch:    func([]uint8) {}, // Go has no prefetch
}

// gemmTileGeneric is the 2x5 micro-kernel: ten scalar accumulators, which
// with the two A values and one B value fit the registers of amd64 and arm64
// (a 4x4 tile spills and runs 30 % slower here), and a tile width of 5 that
// covers the 10 classes of Fashion-MNIST exactly.
func gemmTileGeneric(k int, ap, bp, tile []float32) {
	ap = ap[:2*k]
	bp = bp[:5*k]
	var c00, c01, c02, c03, c04, c10, c11, c12, c13, c14 float32
	for p := range k {
		a := ap[2*p : 2*p+2 : 2*p+2]
		b := bp[5*p : 5*p+5 : 5*p+5]
		a0, a1 := a[0], a[1]
		b0 := b[0]
		c00 += a0 * b0
		c10 += a1 * b0
		b1 := b[1]
		c01 += a0 * b1
		c11 += a1 * b1
		b2 := b[2]
		c02 += a0 * b2
		c12 += a1 * b2
		b3 := b[3]
		c03 += a0 * b3
		c13 += a1 * b3
		b4 := b[4]
		c04 += a0 * b4
		c14 += a1 * b4
	}
	t := tile[:10:10]
	t[0], t[1], t[2], t[3], t[4] = c00, c01, c02, c03, c04
	t[5], t[6], t[7], t[8], t[9] = c10, c11, c12, c13, c14
}

func dotU8x2x5Generic(x0, x1 []uint8, w0, w1, w2, w3, w4 []float32, out *[10]float32) {
	n := len(x0)
	x1 = x1[:n]
	w0, w1, w2, w3, w4 = w0[:n], w1[:n], w2[:n], w3[:n], w4[:n]
	var s00, s01, s02, s03, s04, s10, s11, s12, s13, s14 float32
	for p := range n {
		a, b := float32(x0[p]), float32(x1[p])
		v0, v1, v2, v3, v4 := w0[p], w1[p], w2[p], w3[p], w4[p]
		s00 += a * v0
		s01 += a * v1
		s02 += a * v2
		s03 += a * v3
		s04 += a * v4
		s10 += b * v0
		s11 += b * v1
		s12 += b * v2
		s13 += b * v3
		s14 += b * v4
	}
	*out = [10]float32{s00, s01, s02, s03, s04, s10, s11, s12, s13, s14}
}

func gradU8x10x8Generic(x []uint8, offs []int, gp []float32, tile *[80]float32) {
	// By blocks of rows: their 8 pixels converted once, then for each class
	// eight sums kept in registers over the block's rows. Every element is
	// still summed over the rows in order, one product at a time (the
	// gradient product ran 25 % faster than with a loop over rows that kept
	// the 80 sums in memory).
	const rows = 256
	var acc [80]float32
	var xf [rows][8]float32
	var gcol [rows]float32
	gp = gp[:10*len(offs)]
	for i0 := 0; i0 < len(offs); i0 += rows {
		blk := offs[i0:min(i0+rows, len(offs))]
		for i, o := range blk {
			px := (*[8]uint8)(x[o : o+8])
			xf[i] = [8]float32{float32(px[0]), float32(px[1]), float32(px[2]), float32(px[3]),
				float32(px[4]), float32(px[5]), float32(px[6]), float32(px[7])}
		}
		g := gp[10*i0 : 10*(i0+len(blk))]
		pix := xf[:len(blk)]
		for c := range 10 {
			col := gcol[:len(pix)] // the block's gradients of class c
			for i := range col {
				col[i] = g[10*i+c]
			}
			a := (*[8]float32)(acc[c*8 : c*8+8])
			a0, a1, a2, a3, a4, a5, a6, a7 := a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]
			for i := range pix {
				gc, r := col[i], &pix[i]
				a0 += gc * r[0]
				a1 += gc * r[1]
				a2 += gc * r[2]
				a3 += gc * r[3]
				a4 += gc * r[4]
				a5 += gc * r[5]
				a6 += gc * r[6]
				a7 += gc * r[7]
			}
			*a = [8]float32{a0, a1, a2, a3, a4, a5, a6, a7}
		}
	}
	*tile = acc
}

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

func maxGeneric(x []float32) float32 {
	m := x[0]
	for _, v := range x {
		if v > m || v != v {
			m = v
			if v != v {
				return v
			}
		}
	}
	return m
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

func dotGeneric(x, y []float32) float32 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += x[i] * y[i]
		s1 += x[i+1] * y[i+1]
		s2 += x[i+2] * y[i+2]
		s3 += x[i+3] * y[i+3]
	}
	for ; i < len(x); i++ {
		s0 += x[i] * y[i]
	}
	return (s0 + s1) + (s2 + s3)
}

func axpyGeneric(a float32, x, y []float32) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += a * v
	}
}

func scaleGeneric(a float32, x []float32) {
	for i := range x {
		x[i] *= a
	}
}
