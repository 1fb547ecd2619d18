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
			for k := 0; k <= 48; k += 8 {
				x0, x1 := ar[0].u8(k, front), ar[1].u8(k, front)
				var w [5][]float32
				for j := range w {
					w[j] = ar[2+j].f32(k, front, 0.25)
				}
				var out [10]float32
				ks.dotU8x2x5(x0, x1, w[0], w[1], w[2], w[3], w[4], &out)
			}
			for m := 1; m <= 20; m++ {
				const rowLen = 16
				x := ar[0].u8(m*rowLen, front)
				offs := make([]int, m)
				for i := range offs {
					offs[i] = i*rowLen + rowLen - 8 // the last 8 bytes of each row
				}
				offs[0] = 0
				gp := ar[1].f32(10*m, front, 0.5)
				var tile [80]float32
				ks.gradU8x10x8(x, offs, gp, &tile)
			}
			if ks.dotU8Rows10 != nil {
				testGuardDotU8Rows10(t, ks, ar, front)
			}
			if ks.gradU8x10Merge != nil {
				testGuardGradU8x10Merge(t, ks, ar, front)
			}
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

// testGuardDotU8Rows10 runs kernelSet.dotU8Rows10 with the rows of X, the
// index, W, C and the bias each flush against a guard page (C at the guard
// element C[m-1][9], with stride 10), beta 0 and 1 (with a bias for beta 0),
// and checks every element of C was written.
func testGuardDotU8Rows10(t *testing.T, ks *kernelSet, ar []*guardArena, front bool) {
	for _, k := range []int{8, 16, 24, 48, 784, 9, 15, 23, 196} { // and k%8 tails
		for m := 1; m <= 6; m++ {
			for _, beta := range []float32{0, 1} {
				var bias []float32
				if beta == 0 {
					bias = ar[4].f32(10, front, 0.5)
				}
				x := ar[0].u8(m*k, front)
				index := guardInts[int32](ar[1], m, front)
				for i := range index {
					index[i] = int32(m - 1 - i) // the rows backwards: the first and last rows of x are read
				}
				w := ar[2].f32(10*k, front, 0.25)
				c := ar[3].f32((m-1)*10+10, front, 1)
				if beta == 0 {
					for i := range c {
						c[i] = poison
					}
				}
				ks.dotU8Rows10(x, index, k, w, k, c, 10, m, k, 1, beta, bias)
				for i, v := range c {
					if v != v {
						t.Fatalf("dotU8Rows10 k=%d m=%d beta=%v front=%v: c[%d] = %v", k, m, beta, front, i, v)
					}
				}
			}
		}
	}
}

// guardGradOperands returns X (rows of 8*nch+8 bytes, the last 8*nch of
// each used), the row offsets, G and C (stride 8*nch, so C ends with the
// last chunk) of the merging gradient kernels, each flush against a guard
// page; C is poison when beta is 0.
func guardGradOperands(ar []*guardArena, nch, m int, beta float32, front bool) (x []uint8, offs []int, gp, c []float32) {
	rowLen := 8*nch + 8
	x = ar[0].u8(m*rowLen, front)
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

// testGuardGradU8x10Merge runs kernelSet.gradU8x10Merge, and
// kernelSet.gradU8x10Blk in two blocks (the sums flush against a guard page
// too) if the level has it, with every operand flush against a guard page.
func testGuardGradU8x10Merge(t *testing.T, ks *kernelSet, ar []*guardArena, front bool) {
	for _, nch := range []int{1, 2, 3, 4, 98} {
		for _, m := range []int{1, 2, 3, 20} {
			for _, beta := range []float32{0, 1} {
				x, offs, gp, c := guardGradOperands(ar, nch, m, beta, front)
				ks.gradU8x10Merge(x, offs, gp, c, 8*nch, nch, 1, beta)
				checkNoNaN(t, fmt.Sprintf("gradU8x10Merge nch=%d m=%d beta=%v front=%v", nch, m, beta, front), c)
				if ks.gradU8x10Blk == nil || nch%2 != 0 || m < 2 {
					continue
				}
				x, offs, gp, c = guardGradOperands(ar, nch, m, beta, front)
				acc := ar[4].f32(80*nch, front, 1)
				h := m / 2
				ks.gradU8x10Blk(x, offs[:h], gp[:10*h], c, 8*nch, nch, 1, beta, acc, 0)
				ks.gradU8x10Blk(x, offs[h:], gp[10*h:], c, 8*nch, nch, 1, beta, acc, 3)
				checkNoNaN(t, fmt.Sprintf("gradU8x10Blk nch=%d m=%d beta=%v front=%v", nch, m, beta, front), c)
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
