//go:build linux && amd64 && !purego

package tensor

import "testing"

// TestGuardSoftmaxXent10AVX512 runs softmaxXent10AVX512 with the logits,
// the labels, s, shift and the column sums each flush against a guard page,
// for every n up to 49 (every remainder of a group of 16), and checks that
// every output was written and agrees bitwise with softmaxXent10AVX2.
func TestGuardSoftmaxXent10AVX512(t *testing.T) {
	needAVX512(t)
	ar := make([]*guardArena, 5)
	for i := range ar {
		ar[i] = newGuardArena(t, 16<<10)
	}
	for _, front := range []bool{false, true} {
		for n := 0; n <= 49; n++ {
			z := ar[0].f32(10*n, front, 0)
			for i := range z {
				z[i] = float32(i%13) - 6
			}
			want := append([]float32(nil), z...)
			labels := ar[1].u8(n, front)
			for i := range labels {
				labels[i] = uint8(i*7) % 10
			}
			ws, wsh, wcs := make([]float32, n), make([]float64, n), make([]float64, 10)
			wc := softmaxXent10AVX2(want, labels, 0.125, ws, wsh, wcs)
			s := ar[2].f32(n, front, poison)
			shift := guardF64(ar[3], n, front)
			cs := guardF64(ar[4], 10, front)
			c := softmaxXent10AVX512(z, labels, 0.125, s, shift, cs)
			if c != wc {
				t.Fatalf("n=%d front=%v: correct %d, AVX2 %d", n, front, c, wc)
			}
			for i := range n {
				if s[i] != ws[i] || shift[i] != wsh[i] {
					t.Fatalf("n=%d front=%v: row %d: s %v shift %v, AVX2 %v %v", n, front, i, s[i], shift[i], ws[i], wsh[i])
				}
			}
			for i, v := range z {
				if v != want[i] {
					t.Fatalf("n=%d front=%v: z[%d] = %v, AVX2 %v", n, front, i, v, want[i])
				}
			}
			for j, v := range cs {
				if v != wcs[j] {
					t.Fatalf("n=%d front=%v: cs[%d] = %v, AVX2 %v", n, front, j, v, wcs[j])
				}
			}
			// Without column sums: cs is not touched.
			softmaxXent10AVX512(ar[0].f32(10*n, front, 1), labels, 0.125, s, shift, nil)
		}
	}
}
