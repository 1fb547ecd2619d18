//go:build amd64 && !purego

package tensor

import (
	"fmt"
	"math"
	"testing"
)

var expExperiments = []struct {
	name string
	f    func(dst, src []float32)
}{
	{"expXR1", expXR1},
	{"expXR2", expXR2},
	{"expXR4", expXR4},
	{"expXM1", expXM1},
	{"expXM2", expXM2},
	{"expXC2", expXC2},
	{"expXB2", expXB2},
}

func TestExpExperiments(t *testing.T) {
	needAVX512(t)
	rng := newRNG(t)
	for _, e := range expExperiments {
		for _, n := range avx512Lengths() {
			x := expInputs(rng, n)
			got := make([]float32, n)
			want := make([]float32, n)
			e.f(got, x)
			expAVX512(want, x)
			for i := range x {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					t.Fatalf("%s n=%d: %d: %v vs %v", e.name, n, i, got[i], want[i])
				}
			}
		}
	}
}

func BenchmarkExpExperiments(b *testing.B) {
	rng := benchRNG()
	for _, n := range []int{10, 2560, 16384} {
		src := make([]float32, n)
		for i := range src {
			src[i] = float32(rng.NormFloat64() * 10)
		}
		dst := make([]float32, n)
		for _, e := range expExperiments {
			b.Run(fmt.Sprintf("n=%d/isa=%s", n, e.name), func(b *testing.B) {
				b.SetBytes(int64(4 * n))
				for b.Loop() {
					e.f(dst, src)
				}
			})
		}
	}
}
