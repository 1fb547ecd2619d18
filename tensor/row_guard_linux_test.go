//go:build linux

package tensor

import (
	"math"
	"testing"
)

// TestGuardDotU8Row runs each dotU8Row kernel with x, W, bias and z each
// flush against a guard page, after their end and before their start, for
// every k up to 40 and 784, 785, and 1..23 classes, and checks the results
// against float64.
func TestGuardDotU8Row(t *testing.T) {
	ar := make([]*guardArena, 4)
	for i := range ar {
		ar[i] = newGuardArena(t, 128<<10)
	}
	forEachRowKernel(t, func(t *testing.T, rk rowKernel) {
		ks := []int{784, 785}
		for k := rk.minK; k <= 40; k++ {
			ks = append(ks, k)
		}
		for _, front := range []bool{false, true} {
			for _, k := range ks {
				for _, n := range []int{1, 2, 9, 10, 11, 19, 20, 23} {
					ws := k + n%3
					x := ar[0].u8(k, front)
					w := ar[1].f32((n-1)*ws+k, front, 0)
					for i := range w {
						w[i] = float32(i%17)*0.125 - 1
					}
					bias := ar[2].f32(n, front, 0.5)
					z := ar[3].f32(n, front, poison)
					rk.f(x, w, ws, 1.0/255, bias, z)
					for j, v := range z {
						want, tol := rowOracle(x, w, ws, 1.0/255, bias, j)
						if math.Abs(float64(v)-want) > tol {
							t.Fatalf("k=%d n=%d front=%v: z[%d] = %v, want %v", k, n, front, j, v, want)
						}
					}
				}
			}
		}
	})
}

// TestGuardDotF32Row is TestGuardDotU8Row for kernelSet.dotF32Row: x, W,
// bias and z each flush against a guard page, after their end and before
// their start, k from 1 to 40 and 784, 785, 1..23 classes.
func TestGuardDotF32Row(t *testing.T) {
	ar := make([]*guardArena, 4)
	for i := range ar {
		ar[i] = newGuardArena(t, 128<<10)
	}
	forEachISA(t, func(t *testing.T, ks *kernelSet) {
		kk := []int{784, 785}
		for k := 1; k <= 40; k++ {
			kk = append(kk, k)
		}
		for _, front := range []bool{false, true} {
			for _, k := range kk {
				for _, n := range []int{1, 2, 9, 10, 11, 19, 20, 23} {
					ws := k + n%3
					x := guardRows[float32](ar[0], k, front)
					w := ar[1].f32((n-1)*ws+k, front, 0)
					for i := range w {
						w[i] = float32(i%17)*0.125 - 1
					}
					bias := ar[2].f32(n, front, 0.5)
					z := ar[3].f32(n, front, poison)
					ks.dotF32Row(x, w, ws, 0.5, bias, z)
					for j, v := range z {
						want, tol := rowOracle(x, w, ws, 0.5, bias, j)
						if math.Abs(float64(v)-want) > tol {
							t.Fatalf("k=%d n=%d front=%v: z[%d] = %v, want %v", k, n, front, j, v, want)
						}
					}
				}
			}
		}
	})
}
