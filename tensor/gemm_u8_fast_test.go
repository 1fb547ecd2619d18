package tensor

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// Tests of the whole-range uint8 kernels (kernelSet.dotU8Rows10 and
// gradU8x10Merge) through MatMulU8T and MatMulTU8, at every level: against
// the float64 oracle, bitwise against the per-tile path of the same level
// (which they replace), bitwise across thread counts, with C strided and
// poisoned around, and C full of NaN garbage when beta is 0.

// perTile returns a copy of ks without the whole-range uint8 kernels, so
// that MatMulU8T and MatMulTU8 take the per-tile path (dotU8T, gradU8's
// loop with mergeRow8).
func perTile(ks *kernelSet) *kernelSet {
	r := *ks
	r.dotU8Rows10 = nil
	r.gradU8x10Merge = nil
	r.gradU8x10Blk = nil
	return &r
}

// garbage is a quiet NaN that is not the poison marker: C is filled with it
// when beta is 0, which must not read C.
var garbage = math.Float32frombits(0x7fc0dead)

// cloneMat returns a copy of tm with its own buffer (same offset, stride
// and poison).
func (tm testMat) clone() testMat {
	buf := append([]float32(nil), tm.buf...)
	m := *tm.m
	if len(tm.m.Data) > 0 {
		m.Data = buf[tm.off : tm.off+len(tm.m.Data)]
	}
	return testMat{&m, buf, tm.off}
}

// fillGarbage sets every element of the matrix (not the gaps) to garbage.
func (tm testMat) fillGarbage() {
	for i := range tm.m.Rows {
		for j := range tm.m.Cols {
			tm.m.Data[i*tm.m.Stride+j] = garbage
		}
	}
}

// sameBits fails unless a and b hold the same bits.
func sameBits(t *testing.T, name string, a, b []float32) {
	t.Helper()
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			t.Fatalf("%s: element %d of the buffer is %v (%#x), want %v (%#x)", name, i, a[i], math.Float32bits(a[i]), b[i], math.Float32bits(b[i]))
		}
	}
}

// fastU8Betas are the betas of the tests: 0 (C not read), 1 (training's
// forward, and its update without weight decay) and others.
var fastU8Betas = []float32{0, 1, -0.5, 0.999}

func TestMatMulU8TRows10(t *testing.T) {
	rng := newRNG(t)
	defer SetThreads(0)
	type size struct{ m, k int }
	var sizes []size
	for _, m := range []int{1, 2, 3, 4, 5, 7, 9} {
		for _, k := range []int{8, 16, 24, 40, 56, 392, 7, 9, 15, 17} {
			sizes = append(sizes, size{m, k})
		}
	}
	for _, m := range []int{255, 257, 600} { // 600: three calls of at most rowsPerCall rows
		for _, k := range []int{8, 784, 785} {
			sizes = append(sizes, size{m, k})
		}
	}
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		for _, s := range sizes {
			for _, indexed := range []bool{false, true} {
				for _, beta := range fastU8Betas {
					if s.m > 9 && (beta == -0.5 || testing.Short() && (beta != 1 || s.m != 257)) {
						continue
					}
					testU8TRows10(t, rng, ks, s.m, 10, s.k, indexed, beta)
				}
			}
		}
		// More classes: groups of ten through the whole-range kernel, the
		// rest (if any) by tiles.
		for _, n := range []int{20, 13, 29, 11} {
			for _, k := range []int{8, 24, 9, 196, 784} {
				for _, m := range []int{1, 6, 33} {
					testU8TRows10(t, rng, ks, m, n, k, m%2 == 0, fastU8Betas[(n+k+m)%len(fastU8Betas)])
				}
			}
		}
	})
}

func testU8TRows10(t *testing.T, rng *rand.Rand, ks *kernelSet, m, n, k int, indexed bool, beta float32) {
	t.Helper()
	const alpha = 1.0 / 255
	x := u8Mat(rng, m, k, indexed)
	w := newTestMat(rng, n, k, true)
	c := newTestMat(rng, m, n, true) // random stride: poisoned gaps
	if beta == 0 {
		c.fillGarbage()
	}
	c0 := append([]float32(nil), c.m.Data...)
	name := fmt.Sprintf("U8T m=%d n=%d k=%d indexed=%v beta=%v", m, n, k, indexed, beta)

	ref := c.clone() // the per-tile path of this level
	active = perTile(ks)
	SetThreads(1)
	err := MatMulU8T(alpha, x, w.m, beta, ref.m)
	active = ks
	if err != nil {
		t.Fatalf("%s per tile: %v", name, err)
	}
	xf := u8ToMatrix(x)
	var first testMat
	for _, th := range []int{1, 2} {
		SetThreads(th)
		got := c.clone()
		nameT := fmt.Sprintf("%s threads=%d", name, th)
		if err := MatMulU8T(alpha, x, w.m, beta, got.m); err != nil {
			t.Fatalf("%s: %v", nameT, err)
		}
		checkGemm(t, nameT, NoTrans, Trans, alpha, xf, w.m, beta, c0, got.m)
		got.checkOutside(t, nameT)
		if k%8 == 0 || ks.dotU8Rows10 == nil {
			sameBits(t, nameT+" vs the per-tile path", got.buf, ref.buf)
		}
		// With a k%8 tail the whole-range kernel adds the last pixels
		// before the sum of the lanes, the per-tile path after it: only
		// the bound above holds between them. Thread counts still agree.
		if th == 1 {
			first = got
		} else {
			sameBits(t, nameT+" vs threads=1", got.buf, first.buf)
		}
	}
}

func TestMatMulTU8Merge(t *testing.T) {
	rng := newRNG(t)
	defer SetThreads(0)
	type size struct{ m, n, k int }
	var sizes []size
	for _, m := range []int{1, 2, 3, 7, 8} {
		for _, n := range []int{10, 20, 13, 9} { // 13: a full tile and a partial one; 9: none
			for _, k := range []int{8, 16, 24, 7, 9, 23, 41} {
				sizes = append(sizes, size{m, n, k})
			}
		}
	}
	for _, m := range []int{255, 257} {
		for _, k := range []int{8, 784, 785} {
			sizes = append(sizes, size{m, 10, k})
		}
	}
	sizes = append(sizes, size{1000, 10, 784}) // several calls per tile (mergeWork)
	sizes = append(sizes, size{33, 20, 800}, size{33, 23, 263})
	// Blocks of rows (gradRowBlock) over more than gradAccChunks chunks, an
	// odd chunk left to the merging kernel (k = 1100: 137 chunks, 4 more
	// columns), and three tiles of ten classes.
	sizes = append(sizes, size{70, 10, 1100}, size{65, 30, 2048})
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		for _, s := range sizes {
			for _, indexed := range []bool{false, true} {
				for _, beta := range fastU8Betas {
					if s.m > 33 && (beta == -0.5 || testing.Short() && (beta != 1 || s.k != 784)) {
						continue
					}
					testTU8Merge(t, rng, ks, s.m, s.n, s.k, indexed, beta)
				}
			}
		}
	})
}

func testTU8Merge(t *testing.T, rng *rand.Rand, ks *kernelSet, m, n, k int, indexed bool, beta float32) {
	t.Helper()
	const alpha = -0.1 / 255
	g := newTestMat(rng, m, n, true)
	x := u8Mat(rng, m, k, indexed)
	c := newTestMat(rng, n, k, true)
	if beta == 0 {
		c.fillGarbage()
	}
	c0 := append([]float32(nil), c.m.Data...)
	name := fmt.Sprintf("TU8 m=%d n=%d k=%d indexed=%v beta=%v", m, n, k, indexed, beta)

	ref := c.clone()
	active = perTile(ks)
	SetThreads(1)
	err := MatMulTU8(alpha, g.m, x, beta, ref.m)
	active = ks
	if err != nil {
		t.Fatalf("%s per tile: %v", name, err)
	}
	xf := u8ToMatrix(x)
	for _, th := range []int{1, 2} {
		SetThreads(th)
		got := c.clone()
		nameT := fmt.Sprintf("%s threads=%d", name, th)
		if err := MatMulTU8(alpha, g.m, x, beta, got.m); err != nil {
			t.Fatalf("%s: %v", nameT, err)
		}
		checkGemm(t, nameT, Trans, NoTrans, alpha, g.m, xf, beta, c0, got.m)
		got.checkOutside(t, nameT)
		sameBits(t, nameT+" vs the per-tile path", got.buf, ref.buf)
	}
}

// The kernels themselves, on the levels that have them: strides, an index
// with repeated rows, and poison around every output.

// checkOutsideC fails if an element of cbuf outside C (n elements from coff,
// rows of width used elements every cstride) is not poison.
func checkOutsideC(t *testing.T, name string, cbuf []float32, coff, n, cstride, width int) {
	t.Helper()
	for i, v := range cbuf {
		r := i - coff
		if (r < 0 || r >= n || r%cstride >= width) && !isPoison(v) {
			t.Fatalf("%s: element %d of the buffer outside C was written (%v)", name, i, v)
		}
	}
}

// gradOperands are the operands of the merging gradient kernels for m rows
// and nch chunks: rows at any alignment (the first two the same, ending at
// the data's last byte), G at an odd offset, C (10 rows of cstride) inside
// a poisoned buffer at offset coff, full of NaN garbage when beta is 0.
type gradOperands struct {
	data          []uint8
	offs          []int
	gp, c, cbuf   []float32
	coff, cstride int
}

func newGradOperands(rng *rand.Rand, m, nch int, beta float32) gradOperands {
	rowLen := 8*nch + rng.IntN(9)
	off := rng.IntN(8)
	data := randU8(rng, off+(m+2)*rowLen)
	offs := make([]int, m)
	for i := range offs {
		offs[i] = off + rng.IntN(len(data)-off-8*nch+1) // any alignment
	}
	offs[0] = len(data) - 8*nch // reads up to the last byte
	if m > 1 {
		offs[1] = offs[0]
	}
	gp := randSlice(rng, 10*m+off, -1, 1)[off:]
	cstride := 8*nch + rng.IntN(5)
	coff := rng.IntN(8)
	cbuf := poisoned(coff + 9*cstride + 8*nch + 5)
	c := cbuf[coff : coff+9*cstride+8*nch]
	for r := range 10 {
		for j := range 8 * nch {
			c[r*cstride+j] = 2*rng.Float32() - 1
			if beta == 0 {
				c[r*cstride+j] = garbage
			}
		}
	}
	return gradOperands{data, offs, gp, c, cbuf, coff, cstride}
}

// TestKernelGradU8x10Blk runs kernelSet.gradU8x10Blk block by block (blocks
// of random sizes, the sums in a buffer of NaN garbage to begin with, and
// poisoned past its end) and checks the result bitwise against one
// gradU8x10Merge call on all the rows, C untouched before the last block
// and nothing written outside C and the sums.
func TestKernelGradU8x10Blk(t *testing.T) {
	rng := newRNG(t)
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		if ks.gradU8x10Blk == nil {
			t.Skip("no gradU8x10Blk at this level")
		}
		for _, m := range []int{1, 2, 3, 7, 32, 33, 64, 65, 256} {
			for _, nch := range []int{2, 4, 6, 14, 98} {
				for _, beta := range fastU8Betas {
					g := newGradOperands(rng, m, nch, beta)
					data, offs, gp, c, cbuf, coff, cstride := g.data, g.offs, g.gp, g.c, g.cbuf, g.coff, g.cstride
					want := append([]float32(nil), c...)
					const alpha = -0.1 / 255
					ks.gradU8x10Merge(data, offs, gp, want, cstride, nch, alpha, beta)

					accbuf := poisoned(80*nch + 7)
					acc := accbuf[:80*nch]
					for i := range acc {
						acc[i] = garbage // never read by the first block
					}
					c0 := append([]float32(nil), c...)
					name := fmt.Sprintf("m=%d nch=%d beta=%v", m, nch, beta)
					var blocks []int
					for r := 0; r < m; {
						b := min(m-r, []int{1, 2, 3, 5, 32}[rng.IntN(5)])
						mode := 0
						if r > 0 {
							mode |= 1
						}
						if r+b == m {
							mode |= 2
						}
						ks.gradU8x10Blk(data, offs[r:r+b], gp[10*r:10*(r+b)], c, cstride, nch, alpha, beta, acc, mode)
						blocks = append(blocks, b)
						if mode&2 == 0 {
							sameBits(t, fmt.Sprintf("%s: C after block %d of %v", name, len(blocks), blocks), c, c0)
						}
						r += b
					}
					name += fmt.Sprintf(" blocks %v", blocks)
					sameBits(t, name+" vs gradU8x10Merge", c, want)
					checkOutsideC(t, name, cbuf, coff, len(c), cstride, 8*nch)
					for i, v := range accbuf[80*nch:] {
						if !isPoison(v) {
							t.Fatalf("%s: element %d past the sums was written (%v)", name, 80*nch+i, v)
						}
					}
				}
			}
		}
	})
}

func TestKernelDotU8Rows10(t *testing.T) {
	rng := newRNG(t)
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		if ks.dotU8Rows10 == nil {
			t.Skip("no dotU8Rows10 at this level")
		}
		for _, m := range []int{1, 2, 3, 4, 5, 6, 7, 31, 32, 33} {
			for _, k := range []int{8, 16, 24, 32, 40, 104, 112, 784, 9, 12, 15, 17, 23, 196, 785} {
				for _, beta := range fastU8Betas {
					stride := k + rng.IntN(9)
					rows := m + 3
					data := randU8(rng, (rows-1)*stride+k)
					index := make([]int32, m+rng.IntN(3)) // longer than m: only [:m] is used
					for i := range index {
						index[i] = int32(rng.IntN(rows))
					}
					index[0] = int32(rows - 1) // the last row of the data
					if m > 1 {
						index[1] = index[0] // a repeated row
					}
					wstride, cstride := k+rng.IntN(5), 10+rng.IntN(4)
					woff, coff := rng.IntN(8), rng.IntN(8)
					wbuf := randSlice(rng, woff+9*wstride+k, -0.1, 0.1)
					w := wbuf[woff:]
					cbuf := poisoned(coff + (m-1)*cstride + 10 + 5)
					c := cbuf[coff : coff+(m-1)*cstride+10]
					for i := range m {
						for j := range 10 {
							c[i*cstride+j] = 2*rng.Float32() - 1
							if beta == 0 {
								c[i*cstride+j] = garbage
							}
						}
					}
					c0 := append([]float32(nil), c...)
					const alpha = 1.0 / 255
					var bias []float32 // every other case: nil, or 10 values and poison past them
					if rng.IntN(2) == 0 {
						bias = append(randSlice(rng, 10, -2, 2), poisoned(3)...)[:10]
						bias[rng.IntN(10)] = float32(math.Copysign(0, -1))
					}
					ks.dotU8Rows10(data, index, stride, w, wstride, c, cstride, m, k, alpha, beta, bias)
					name := fmt.Sprintf("m=%d k=%d beta=%v bias=%v", m, k, beta, bias != nil)
					var out [10]float32
					for i := range m {
						xi := data[int(index[i])*stride:][:k]
						ks.dotU8x2x5(xi, xi, w[:k], w[wstride:][:k], w[2*wstride:][:k], w[3*wstride:][:k], w[4*wstride:][:k], &out)
						lo := out
						ks.dotU8x2x5(xi, xi, w[5*wstride:][:k], w[6*wstride:][:k], w[7*wstride:][:k], w[8*wstride:][:k], w[9*wstride:][:k], &out)
						for j := range 10 {
							s := lo[j%5]
							if j >= 5 {
								s = out[j-5]
							}
							var want, sa float64
							for p := range k {
								v := float64(xi[p]) * float64(w[j*wstride+p])
								want += v
								sa += math.Abs(v)
							}
							want = alpha * want
							bound := float64(k+4) * eps32 * alpha * sa
							// The same two roundings as dotU8T's Go epilogue.
							exact := alpha * s
							if beta != 0 {
								cv := beta * c0[i*cstride+j]
								exact = alpha*s + cv
								want += float64(cv)
								bound += 4 * eps32 * math.Abs(float64(cv))
							}
							if bias != nil { // added last, a third rounding (addBias's)
								exact += bias[j]
								want += float64(bias[j])
								bound += 2 * eps32 * (math.Abs(want) + math.Abs(float64(bias[j])))
							}
							got := c[i*cstride+j]
							if math.Abs(float64(got)-want) > bound+1e-30 || math.IsNaN(float64(got)) {
								t.Fatalf("%s: c[%d][%d] = %v, want %v (bound %g)", name, i, j, got, want, bound)
							}
							if math.Float32bits(got) != math.Float32bits(exact) && k%8 == 0 { // a k%8 tail sums in another order
								t.Fatalf("%s: c[%d][%d] = %v, want %v bitwise (dotU8x2x5 and the Go epilogue)", name, i, j, got, exact)
							}
						}
					}
					checkOutsideC(t, name, cbuf, coff, len(c), cstride, 10)
				}
			}
		}
	})
}

func TestKernelGradU8x10Merge(t *testing.T) {
	rng := newRNG(t)
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		if ks.gradU8x10Merge == nil {
			t.Skip("no gradU8x10Merge at this level")
		}
		for _, m := range []int{1, 2, 3, 7, 8, 9, 33, 256} {
			for _, nch := range []int{1, 2, 3, 5, 13} {
				for _, beta := range fastU8Betas {
					g := newGradOperands(rng, m, nch, beta)
					data, offs, gp, c, cbuf, coff, cstride := g.data, g.offs, g.gp, g.c, g.cbuf, g.coff, g.cstride
					c0 := append([]float32(nil), c...)
					const alpha = -0.1 / 255
					ks.gradU8x10Merge(data, offs, gp, c, cstride, nch, alpha, beta)
					name := fmt.Sprintf("m=%d nch=%d beta=%v", m, nch, beta)
					var tile [80]float32
					for q := range nch {
						ks.gradU8x10x8(data[8*q:], offs, gp, &tile)
						for r := range 10 {
							for j := range 8 {
								idx := r*cstride + 8*q + j
								var want, sa float64
								for i, o := range offs {
									v := float64(gp[i*10+r]) * float64(data[o+8*q+j])
									want += v
									sa += math.Abs(v)
								}
								want *= alpha
								bound := float64(m+4) * eps32 * -alpha * sa
								exact := alpha * tile[r*8+j] // mergeRow8's roundings
								if beta != 0 {
									cv := beta * c0[idx]
									exact = alpha*tile[r*8+j] + cv
									want += float64(cv)
									bound += 4 * eps32 * math.Abs(float64(cv))
								}
								got := c[idx]
								if math.Abs(float64(got)-want) > bound+1e-30 || math.IsNaN(float64(got)) {
									t.Fatalf("%s: c[%d][%d] = %v, want %v (bound %g)", name, r, 8*q+j, got, want, bound)
								}
								if got != exact {
									t.Fatalf("%s: c[%d][%d] = %v, want %v bitwise (gradU8x10x8 and mergeRow8)", name, r, 8*q+j, got, exact)
								}
							}
						}
					}
					checkOutsideC(t, name, cbuf, coff, len(c), cstride, 8*nch)
				}
			}
		}
	})
}
