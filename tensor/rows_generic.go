package tensor

// The generic products of data rows, for uint8 pixels and float32
// features alike (E): the forward rows, the gradient blocks and one row
// against every class, in plain Go. Elements are converted to float32 as
// they are used (exactly: uint8 and float32 both convert without rounding),
// as the assembly levels convert pixels in registers.

// fwdRows10Generic is kernelSet.fwdU8Rows10 and fwdF32Rows10 in Go: rows
// by pairs (an odd last row alone), each pair against classes 0-4 and then
// 5-9 with dot2x5Generic on the first k&^7 elements, the last k%8 added to
// each sum after it, then the epilogue. A row's sums do not depend on the
// row it is paired with.
func fwdRows10Generic[E elem](x []E, index []int32, stride int, w []float32, wstride int, c []float32, cstride int, m, k int, alpha, beta float32, bias []float32) {
	k8 := k &^ 7
	var out [10]float32
	wr := fwdWRows(w, wstride, k)
	for i := 0; i < m; i += 2 {
		x0, x1, two := fwdPair(x, index, stride, k, i, m)
		for j0 := 0; j0 < 10; j0 += 5 {
			ws := wr[j0 : j0+5]
			dot2x5Generic(x0[:k8], x1[:k8], ws[0][:k8], ws[1][:k8], ws[2][:k8], ws[3][:k8], ws[4][:k8], &out)
			fwdFinishPair(c, cstride, i, two, &out, x0, x1, ws, k8, alpha, beta, bias, j0)
		}
	}
}

// fwdWRows returns the ten rows of W (k elements each) of a forward kernel
// built in Go (fwdRows10Generic, the NEON level's).
func fwdWRows(w []float32, wstride, k int) (wr [10][]float32) {
	for j := range wr {
		wr[j] = w[j*wstride : j*wstride+k]
	}
	return wr
}

// fwdPair returns the rows i and i+1 (k elements each) of such a kernel's
// pair, and whether i+1 < m: an odd last row is paired with itself.
func fwdPair[E elem](x []E, index []int32, stride, k, i, m int) (x0, x1 []E, two bool) {
	x0 = x[int(index[i])*stride:][:k]
	x1, two = x0, i+1 < m
	if two {
		x1 = x[int(index[i+1])*stride:][:k]
	}
	return x0, x1, two
}

// fwdFinishPair stores the pair's sums of classes j0..j0+4 (out: row i's,
// then row i+1's) with fwdFinish, row i+1's only if two.
func fwdFinishPair[E elem](c []float32, cstride, i int, two bool, out *[10]float32, x0, x1 []E, ws [][]float32, k8 int, alpha, beta float32, bias []float32, j0 int) {
	fwdFinish(c[i*cstride+j0:i*cstride+j0+5], out[:5], x0, ws, k8, alpha, beta, bias, j0)
	if two {
		fwdFinish(c[(i+1)*cstride+j0:(i+1)*cstride+j0+5], out[5:], x1, ws, k8, alpha, beta, bias, j0)
	}
}

// fwdFinish stores one row's five sums of a forward kernel (classes
// j0..j0+4) into crow: each sum plus the row's last len(xr)-k8 elements
// (the k%8 tail, added after the sum of the lanes), then alpha*s, plus
// beta*c unless beta is +-0, plus the bias if not nil.
func fwdFinish[E elem](crow, sums []float32, xr []E, ws [][]float32, k8 int, alpha, beta float32, bias []float32, j0 int) {
	for j := range 5 {
		s := sums[j]
		for p := k8; p < len(xr); p++ { // the k%8 tail
			s += float32(xr[p]) * ws[j][p]
		}
		// Explicit conversions: each step rounds, and no compiler fuses
		// them into a multiply-add.
		v := float32(alpha * s)
		if beta != 0 {
			v += float32(beta * crow[j])
		}
		if bias != nil {
			v = float32(v) + bias[j0+j]
		}
		crow[j] = v
	}
}

// dot2x5Generic computes, for r < 2 and j < 5, out[r*5+j] =
// sum_{p<k} float32(x_r[p]) * w_j[p] with k = len(x0), summed in order;
// x1 and the five w rows are at least k long.
func dot2x5Generic[E elem](x0, x1 []E, w0, w1, w2, w3, w4 []float32, out *[10]float32) {
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

// gradx10Generic is kernelSet.gradU8x10 and gradF32x10 in Go: chunk by
// chunk, its 80 sums (acc[80q:80q+80], class-major, in this level's
// layout) carried through gradx10x8Generic, then merged as mergeRow8
// merges (gradTileLoad, gradTileStore).
func gradx10Generic[E elem](x []E, offs []int, gp []float32, c []float32, cstride, nch int, alpha, beta float32, acc []float32, mode int) {
	var tile [80]float32
	for q := range nch {
		gradTileLoad(&tile, acc, q, mode)
		gradx10x8Generic(x[8*q:], offs, gp, &tile)
		gradTileStore(&tile, acc, c, cstride, q, alpha, beta, mode)
	}
}

// gradTileLoad starts chunk q's tile of a gradient kernel built from 8-column
// tiles (gradx10Generic, the NEON level's): the earlier blocks' sums,
// acc[80q:80q+80], if mode&1, else zeros.
func gradTileLoad(tile *[80]float32, acc []float32, q, mode int) {
	if mode&1 != 0 {
		*tile = [80]float32(acc[80*q : 80*q+80])
	} else {
		*tile = [80]float32{}
	}
}

// gradTileStore ends it: the sums back to acc unless mode&2 (the last
// block), else merged into the chunk's columns of c's ten rows as mergeRow8
// merges.
func gradTileStore(tile *[80]float32, acc, c []float32, cstride, q int, alpha, beta float32, mode int) {
	if mode&2 == 0 {
		copy(acc[80*q:80*q+80], tile[:])
		return
	}
	for r := range 10 {
		crow := c[r*cstride+8*q : r*cstride+8*q+8]
		mergeRow8((*[8]float32)(crow), (*[8]float32)(tile[r*8:r*8+8]), alpha, beta)
	}
}

// gradx10x8Generic adds to tile[c*8+j], for c < 10 and j < 8, the sum
// over the rows i < m = len(offs), in order, of gp[i*10+c] *
// float32(x[offs[i]+j]), one product at a time; len(gp) >= 10m and every
// offs[i]+8 <= len(x).
func gradx10x8Generic[E elem](x []E, offs []int, gp []float32, tile *[80]float32) {
	// By blocks of rows: their 8 elements converted once, then for each class
	// eight sums kept in registers over the block's rows. Every element is
	// still summed over the rows in order, one product at a time.
	const rows = 256
	acc := *tile
	var xf [rows][8]float32
	var gcol [rows]float32
	gp = gp[:10*len(offs)]
	for i0 := 0; i0 < len(offs); i0 += rows {
		blk := offs[i0:min(i0+rows, len(offs))]
		for i, o := range blk {
			px := (*[8]E)(x[o : o+8])
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

// mergeRow8 sets c = alpha*t + beta*c for 8 elements (two roundings); c is
// not read when beta is +-0.
func mergeRow8(c, t *[8]float32, alpha, beta float32) {
	switch beta {
	case 0:
		c[0], c[1], c[2], c[3] = alpha*t[0], alpha*t[1], alpha*t[2], alpha*t[3]
		c[4], c[5], c[6], c[7] = alpha*t[4], alpha*t[5], alpha*t[6], alpha*t[7]
	case 1:
		c[0], c[1], c[2], c[3] = c[0]+alpha*t[0], c[1]+alpha*t[1], c[2]+alpha*t[2], c[3]+alpha*t[3]
		c[4], c[5], c[6], c[7] = c[4]+alpha*t[4], c[5]+alpha*t[5], c[6]+alpha*t[6], c[7]+alpha*t[7]
	default:
		c[0], c[1], c[2], c[3] = alpha*t[0]+beta*c[0], alpha*t[1]+beta*c[1], alpha*t[2]+beta*c[2], alpha*t[3]+beta*c[3]
		c[4], c[5], c[6], c[7] = alpha*t[4]+beta*c[4], alpha*t[5]+beta*c[5], alpha*t[6]+beta*c[6], alpha*t[7]+beta*c[7]
	}
}

// dotRowGeneric is kernelSet.dotU8Row and dotF32Row in Go: the classes by
// groups of five, each group's sums over the elements in order (two rows of
// dot2x5Generic would do every product twice).
func dotRowGeneric[E elem](x []E, w []float32, wstride int, alpha float32, bias []float32, z []float32) {
	k, n := len(x), len(z)
	for j0 := 0; j0 < n; j0 += 5 {
		nj := min(5, n-j0)
		var wr [5][]float32
		for j := range 5 {
			wr[j] = w[(j0+min(j, nj-1))*wstride:][:k] // the last row repeated to fill the group
		}
		w0, w1, w2, w3, w4 := wr[0], wr[1], wr[2], wr[3], wr[4]
		var s0, s1, s2, s3, s4 float32
		for p, v := range x {
			a := float32(v)
			s0 += a * w0[p]
			s1 += a * w1[p]
			s2 += a * w2[p]
			s3 += a * w3[p]
			s4 += a * w4[p]
		}
		s := [5]float32{s0, s1, s2, s3, s4}
		for j := range nj {
			z[j0+j] = float32(alpha*s[j]) + bias[j0+j]
		}
	}
}
