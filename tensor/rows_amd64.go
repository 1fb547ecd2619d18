//go:build !purego

package tensor

// The Go around the amd64 products of data rows, for uint8 and float32 rows
// alike (E): the AVX2 level's forward rows and gradient blocks, and the
// one-row products of both levels as direct calls. The assembly (bodies in
// rows_amd64.h) is declared in u8_amd64.go and f32_amd64.go; each function
// here calls its element type's kernel by a switch on the type of x, a
// direct call, so that slice arguments on the caller's stack do not escape
// (see direct_amd64.go).

// fwdRows10AVX2Go is the AVX2 level's kernelSet.fwdU8Rows10 and
// fwdF32Rows10: the kernel (fwdU8Rows10AVX2, fwdF32Rows10AVX2) for k >= 8,
// the generic one for fewer elements (the kernel's tail step needs 8
// readable elements).
func fwdRows10AVX2Go[E elem](x []E, index []int32, stride int, w []float32, wstride int, c []float32, cstride int, m, k int, alpha, beta float32, bias []float32) {
	if k < 8 {
		fwdRows10Generic(x, index, stride, w, wstride, c, cstride, m, k, alpha, beta, bias)
		return
	}
	switch x := any(x).(type) {
	case []uint8:
		fwdU8Rows10AVX2(x, index, stride, w, wstride, c, cstride, m, k, alpha, beta, bias)
	case []float32:
		fwdF32Rows10AVX2(x, index, stride, w, wstride, c, cstride, m, k, alpha, beta, bias)
	}
}

// gradx10AVX2 is the AVX2 level's kernelSet.gradU8x10 and gradF32x10: pairs
// of chunks through gradx10BlkAVX2, an odd last chunk through
// gradx10OneAVX2, whose sums sit after the pairs' in acc (acc[80q:80q+80]
// for chunk q).
func gradx10AVX2[E elem](x []E, offs []int, gp []float32, c []float32, cstride, nch int, alpha, beta float32, acc []float32, mode int) {
	if p := nch &^ 1; p > 0 {
		gradx10BlkAVX2(x, offs, gp, c, cstride, p, alpha, beta, acc, mode)
	}
	if nch&1 != 0 {
		q := nch - 1
		var t []float32
		if mode != 2 {
			t = acc[80*q : 80*q+80]
		}
		gradx10OneAVX2(x[8*q:], offs, gp, c[8*q:], cstride, alpha, beta, t, mode)
	}
}

// gradx10BlkAVX2 is gradU8x10BlkAVX2 or gradF32x10BlkAVX2.
func gradx10BlkAVX2[E elem](x []E, offs []int, gp []float32, c []float32, cstride, nch int, alpha, beta float32, t []float32, mode int) {
	switch x := any(x).(type) {
	case []uint8:
		gradU8x10BlkAVX2(x, offs, gp, c, cstride, nch, alpha, beta, t, mode)
	case []float32:
		gradF32x10BlkAVX2(x, offs, gp, c, cstride, nch, alpha, beta, t, mode)
	}
}

// gradx10OneAVX2 is gradU8x10OneAVX2 or gradF32x10OneAVX2.
func gradx10OneAVX2[E elem](x []E, offs []int, gp []float32, c []float32, cstride int, alpha, beta float32, t []float32, mode int) {
	switch x := any(x).(type) {
	case []uint8:
		gradU8x10OneAVX2(x, offs, gp, c, cstride, alpha, beta, t, mode)
	case []float32:
		gradF32x10OneAVX2(x, offs, gp, c, cstride, alpha, beta, t, mode)
	}
}

// dotU8RowAVX2Go is the AVX2 level's kernelSet.dotU8Row and dotF32RowAVX2Go
// its dotF32Row: the kernel for k >= 8, the generic one for fewer elements.
// They are of one element type, not generic, so that dotU8RowOf and
// dotF32RowOf call them directly, without a dictionary or a type switch
// per image.
func dotU8RowAVX2Go(x []uint8, w []float32, wstride int, alpha float32, bias []float32, z []float32) {
	if len(x) < 8 {
		dotRowGeneric(x, w, wstride, alpha, bias, z)
		return
	}
	dotU8RowAVX2(x, w, wstride, alpha, bias, z)
}

func dotF32RowAVX2Go(x []float32, w []float32, wstride int, alpha float32, bias []float32, z []float32) {
	if len(x) < 8 {
		dotRowGeneric(x, w, wstride, alpha, bias, z)
		return
	}
	dotF32RowAVX2(x, w, wstride, alpha, bias, z)
}
