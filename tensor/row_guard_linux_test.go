//go:build linux

package tensor

import (
	"math"
	"testing"
)

// TestGuardDotU8Row and TestGuardDotF32Row run each dotU8Row and dotF32Row
// kernel with x, W, bias and z each flush against a guard page, after
// their end and before their start, for every k up to 40 and 784, 785, and
// 1..23 classes, and check the results against float64.
func TestGuardDotU8Row(t *testing.T)  { testGuardDotRow(t, u8Rows, 1.0/255) }
func TestGuardDotF32Row(t *testing.T) { testGuardDotRow(t, f32Rows, 0.5) }

func testGuardDotRow[E elem](t *testing.T, rt rowsType[E], alpha float32) {
	ar := make([]*guardArena, 4)
	for i := range ar {
		ar[i] = newGuardArena(t, 128<<10)
	}
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		dot := rt.dotRow(ks)
		kk := []int{784, 785}
		for k := 1; k <= 40; k++ {
			kk = append(kk, k)
		}
		for _, front := range []bool{false, true} {
			for _, k := range kk {
				for _, n := range []int{1, 2, 9, 10, 11, 19, 20, 23} {
					ws := k + n%3
					x := guardRows[E](ar[0], k, front)
					w := ar[1].f32((n-1)*ws+k, front, 0)
					for i := range w {
						w[i] = float32(i%17)*0.125 - 1
					}
					bias := ar[2].f32(n, front, 0.5)
					z := ar[3].f32(n, front, poison)
					dot(x, w, ws, alpha, bias, z)
					for j, v := range z {
						want, tol := rowOracle(x, w, ws, alpha, bias, j)
						if math.Abs(float64(v)-want) > tol || v != v {
							t.Fatalf("k=%d n=%d front=%v: z[%d] = %v, want %v", k, n, front, j, v, want)
						}
					}
				}
			}
		}
	})
}
