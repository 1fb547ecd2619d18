//go:build linux

package tensor

import (
	"fmt"
	"syscall"
	"testing"
	"unsafe"
)

// Guard-page tests: every kernel runs on slices placed flush against an
// unreadable page (PROT_NONE), after their end and before their start, so a
// read or write past a slice faults instead of passing silently.

// guardArena is a mapping of data pages between two PROT_NONE pages.
type guardArena struct {
	mem  []byte
	data []byte // the accessible pages
}

func newGuardArena(t *testing.T, dataBytes int) *guardArena {
	t.Helper()
	ps := syscall.Getpagesize()
	dataBytes = (dataBytes + ps - 1) / ps * ps
	mem, err := syscall.Mmap(-1, 0, dataBytes+2*ps, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Fatalf("mmap: %v", err)
	}
	t.Cleanup(func() { syscall.Munmap(mem) })
	if err := syscall.Mprotect(mem[:ps], syscall.PROT_NONE); err != nil {
		t.Fatalf("mprotect: %v", err)
	}
	if err := syscall.Mprotect(mem[ps+dataBytes:], syscall.PROT_NONE); err != nil {
		t.Fatalf("mprotect: %v", err)
	}
	return &guardArena{mem: mem, data: mem[ps : ps+dataBytes]}
}

// f32 returns n float32s that end at the back guard (front=false) or start at
// the front guard (front=true), filled with fill.
func (g *guardArena) f32(n int, front bool, fill float32) []float32 {
	all := unsafe.Slice((*float32)(unsafe.Pointer(&g.data[0])), len(g.data)/4)
	s := all[len(all)-n:]
	if front {
		s = all[:n]
	}
	for i := range s {
		s[i] = fill
	}
	return s[:n:n]
}

// u8 returns n bytes against the back or front guard, filled with a pattern.
func (g *guardArena) u8(n int, front bool) []uint8 {
	s := g.data[len(g.data)-n:]
	if front {
		s = g.data[:n]
	}
	for i := range s {
		s[i] = uint8(i*7 + 3)
	}
	return s[:n:n]
}

// guardRows returns n elements of data rows against the back or front
// guard: bytes as u8, or float32s of both signs.
func guardRows[E elem](g *guardArena, n int, front bool) []E {
	var z E
	if _, ok := any(z).(uint8); ok {
		return any(g.u8(n, front)).([]E)
	}
	s := g.f32(n, front, 0)
	for i := range s {
		s[i] = float32(i%13)*0.25 - 1.5
	}
	return any(s).([]E)
}

// guardInts returns n integers of type T against the back or front guard,
// zeroed.
func guardInts[T int | int32](g *guardArena, n int, front bool) []T {
	var z T
	sz := int(unsafe.Sizeof(z))
	all := unsafe.Slice((*T)(unsafe.Pointer(&g.data[0])), len(g.data)/sz)
	s := all[len(all)-n:]
	if front {
		s = all[:n]
	}
	clear(s)
	return s[:n:n]
}

func TestGuardPages(t *testing.T) {
	// Each buffer gets its own arena, so every one can touch a guard.
	ar := make([]*guardArena, 8)
	for i := range ar {
		ar[i] = newGuardArena(t, 64<<10)
	}
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		for _, front := range []bool{false, true} {
			for n := 0; n <= 40; n++ {
				name := fmt.Sprintf("n=%d front=%v", n, front)
				src := ar[0].f32(n, front, 0.5)
				dst := ar[1].f32(n, front, poison)
				ks.exp(dst, src)
				ks.expShiftSum(dst, src, 1)
				ks.exp(src, src)
				y := ar[1].f32(n, front, 1)
				ks.axpy(2, src, y)
				ks.scale(3, y)
				_ = ks.dot(src, y)
				if n > 0 {
					_ = ks.max(src)
				}
				for i, v := range dst {
					if isPoison(v) {
						t.Fatalf("%s: exp left dst[%d] unwritten", name, i)
					}
				}
			}
			for n := 0; n <= 200; n++ { // a hint that must never fault
				ks.prefetch(ar[0].u8(n, front))
			}
			testGuardFwd(t, "fwdU8Rows10", ks.fwdU8Rows10, ar, front)
			testGuardGrad(t, "gradU8x10", ks.gradU8x10, ar, front)
			testGuardFwd(t, "fwdF32Rows10", ks.fwdF32Rows10, ar, front)
			testGuardGrad(t, "gradF32x10", ks.gradF32x10, ar, front)
			mr, nr := ks.gemmMR, ks.gemmNR
			for k := 1; k <= 20; k++ {
				ap := ar[0].f32(mr*k, front, 1)
				bp := ar[1].f32(nr*k, front, 1)
				tile := ar[2].f32(mr*nr, front, poison)
				ks.gemmTile(k, ap, bp, tile)
				for i, v := range tile {
					if v != float32(k) {
						t.Fatalf("gemmTile k=%d front=%v: tile[%d] = %v, want %d", k, front, i, v, k)
					}
				}
			}
		}
		// The exported operations on matrices that end at a guard page.
		for _, front := range []bool{false, true} {
			for _, s := range [][3]int{{1, 1, 1}, {7, 10, 33}, {13, 3, 17}, {9, 10, 800}, {1, 10, 8}, {3, 10, 16}, {5, 20, 24},
				// groups of ten classes and a rest, k%8 tails
				{7, 11, 17}, {5, 21, 196}, {3, 10, 9}, {9, 19, 785}, {2, 19, 15}, {3, 100, 13}} { // within the 64 KiB arenas
				m, n, k := s[0], s[1], s[2]
				a := &Matrix{Rows: m, Cols: k, Stride: k, Data: ar[0].f32(m*k, front, 1)}
				b := &Matrix{Rows: k, Cols: n, Stride: n, Data: ar[1].f32(k*n, front, 1)}
				bt := &Matrix{Rows: n, Cols: k, Stride: k, Data: ar[2].f32(k*n, front, 1)}
				c := &Matrix{Rows: m, Cols: n, Stride: n, Data: ar[3].f32(m*n, front, poison)}
				for _, tr := range []Transpose{NoTrans, Trans} {
					bb := b
					if tr {
						bb = bt
					}
					if err := MatMul(NoTrans, tr, 1, a, bb, 0, c); err != nil {
						t.Fatal(err)
					}
				}
				x := &U8Matrix{Rows: m, Cols: k, Stride: k, Data: ar[4].u8(m*k, front)}
				if err := MatMulU8T(1, x, bt, 0, c); err != nil {
					t.Fatal(err)
				}
				g := &Matrix{Rows: m, Cols: n, Stride: n, Data: ar[5].f32(m*n, front, 0.5)}
				if err := MatMulTU8(1, g, x, 1, bt); err != nil {
					t.Fatal(err)
				}
				xf := &F32Matrix{Rows: m, Cols: k, Stride: k, Data: guardRows[float32](ar[7], m*k, front)}
				if err := MatMulF32TBias(1, xf, bt, ar[6].f32(n, front, 0.5), c); err != nil {
					t.Fatal(err)
				}
				if err := MatMulTF32(0.5, g, xf, 1, bt); err != nil {
					t.Fatal(err)
				}
				checkNoNaN(t, fmt.Sprintf("F32 m=%d n=%d k=%d front=%v", m, n, k, front), bt.Data)
				res := ar[6].f32(m, front, poison)
				if err := LogSumExpRows(res, c); err != nil {
					t.Fatal(err)
				}
				if err := SoftmaxRows(c, c); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}

// testGuardFwd runs the forward kernel fwd (kernelSet.fwdU8Rows10 or
// fwdF32Rows10) with every operand flush against a PROT_NONE page, after its end and before its start: the rows of X (the
// last row of x ends, or the first starts, at the guard), the index, W, C
// and the bias; beta 0 (C poisoned: it must not be read) and 1, with and
// without a bias; every k tail. Every element of C must be written.
func testGuardFwd[E elem](t *testing.T, kname string, fwd fwdKernel[E], ar []*guardArena, front bool) {
	for _, k := range []int{1, 2, 3, 7, 8, 9, 15, 16, 17, 23, 31, 32, 33, 47, 48, 49, 196, 784, 785} {
		for m := 1; m <= 5; m++ {
			for _, beta := range []float32{0, 1} {
				for _, withBias := range []bool{false, true} {
					name := fmt.Sprintf("%s k=%d m=%d beta=%v bias=%v front=%v", kname, k, m, beta, withBias, front)
					stride := k + m%3
					x := guardRows[E](ar[0], (m-1)*stride+k, front)
					index := guardInts[int32](ar[1], m, front)
					for i := range index {
						index[i] = int32(m - 1 - i) // the rows backwards: the first and last rows are read
					}
					wstride := k + (k+m)%2
					w := ar[2].f32(9*wstride+k, front, 0.25)
					cstride := 10 + m%2
					fill := float32(1)
					if beta == 0 {
						fill = poison
					}
					c := ar[3].f32((m-1)*cstride+10, front, fill)
					var bias []float32
					if withBias {
						bias = ar[4].f32(10, front, 0.5)
					}
					fwd(x, index, stride, w, wstride, c, cstride, m, k, 1, beta, bias)
					for i := range m {
						checkNoNaN(t, name, c[i*cstride:i*cstride+10])
					}
				}
			}
		}
	}
}

// guardGradOperands returns X (rows of 8*nch+8 elements, the last 8*nch
// of each used), the row offsets, G and C (stride 8*nch, so C ends with the
// last chunk) of the merging gradient kernels, each flush against a guard
// page; C is poison when beta is 0.
func guardGradOperands[E elem](ar []*guardArena, nch, m int, beta float32, front bool) (x []E, offs []int, gp, c []float32) {
	rowLen := 8*nch + 8
	x = guardRows[E](ar[0], m*rowLen, front)
	offs = guardInts[int](ar[1], m, front)
	for i := range offs {
		offs[i] = i*rowLen + 8
	}
	offs[0] = 0
	gp = ar[2].f32(10*m, front, 0.5)
	c = ar[3].f32(10*8*nch, front, 1)
	if beta == 0 {
		for i := range c {
			c[i] = poison
		}
	}
	return x, offs, gp, c
}

// testGuardGrad runs the gradient kernel grad (kernelSet.gradU8x10 or
// gradF32x10) with every operand flush against a guard page: as one block, and as two blocks with the sums in a buffer
// against a guard page too.
func testGuardGrad[E elem](t *testing.T, kname string, grad gradKernel[E], ar []*guardArena, front bool) {
	for _, nch := range []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 33, 98} {
		for _, m := range []int{1, 2, 3, 20} {
			for _, beta := range []float32{0, 1} {
				name := fmt.Sprintf("%s nch=%d m=%d beta=%v front=%v", kname, nch, m, beta, front)
				x, offs, gp, c := guardGradOperands[E](ar, nch, m, beta, front)
				grad(x, offs, gp, c, 8*nch, nch, 1, beta, nil, 2)
				checkNoNaN(t, name+" one block", c)
				x, offs, gp, c = guardGradOperands[E](ar, nch, m, beta, front)
				acc := ar[4].f32(80*nch, front, 1)
				h := m / 2
				if h > 0 {
					grad(x, offs[:h], gp[:10*h], c, 8*nch, nch, 1, beta, acc, 0)
				}
				grad(x, offs[h:], gp[10*h:], c, 8*nch, nch, 1, beta, acc, 3)
				checkNoNaN(t, name+" two blocks", c)
			}
		}
	}
}

// checkNoNaN fails if any element of c is NaN (poison left unwritten).
func checkNoNaN(t *testing.T, name string, c []float32) {
	t.Helper()
	for i, v := range c {
		if v != v {
			t.Fatalf("%s: c[%d] = %v", name, i, v)
		}
	}
}
