package tensor

// gemmTileGeneric is the 2x5 micro-kernel: ten scalar accumulators, which
// with the two A values and one B value fit the registers of amd64 and arm64
// (a 4x4 tile spills its accumulators to memory), and a tile width of 5 that
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
