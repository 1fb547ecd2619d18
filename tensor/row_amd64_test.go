//go:build !purego

package tensor

import (
	"math"
	"testing"

	"golang.org/x/sys/cpu"
)

func rowKernels() []rowKernel {
	return []rowKernel{
		{"avx2", dotU8RowAVX2, 8, cpu.X86.HasAVX2 && cpu.X86.HasFMA},
		{"avx512", dotU8RowAVX512, 1, hasAVX512},
	}
}

// predictRowAVX2 and predictRowAVX512 are Predict of one image of 784
// pixels and 10 classes on a dotU8Row kernel (direct calls, so that z stays
// on the stack): the checks, the kernel, argmax (rowPick), and the
// probability in float32 (exp32) or with expShiftSumAVX2 (ess).
func predictRowAVX2(image []uint8, w, bias []float32, ess bool) (int, float32) {
	if len(image) != 784 || len(w) != 7840 || len(bias) != 10 {
		panic("shape")
	}
	var zbuf, e [10]float32
	z := zbuf[:]
	dotU8RowAVX2(image, w, 784, 1.0/255, bias, z)
	arg, m := rowPick(&zbuf)
	if !ess {
		return arg, rowProb32(z, m)
	}
	if m != m || math.IsInf(float64(m), 0) {
		return arg, float32(math.NaN())
	}
	return arg, 1 / expShiftSumAVX2(e[:], z, m)
}

func predictRowAVX512(image []uint8, w, bias []float32, ess bool) (int, float32) {
	if len(image) != 784 || len(w) != 7840 || len(bias) != 10 {
		panic("shape")
	}
	var zbuf, e [10]float32
	z := zbuf[:]
	dotU8RowAVX512(image, w, 784, 1.0/255, bias, z)
	arg, m := rowPick(&zbuf)
	if !ess {
		return arg, rowProb32(z, m)
	}
	if m != m || math.IsInf(float64(m), 0) {
		return arg, float32(math.NaN())
	}
	return arg, 1 / expShiftSumAVX2(e[:], z, m)
}

// BenchmarkPredictRow times Predict of one image (cycling through 10000)
// today (predictToday) and on the dotU8Row kernels, with the probability in
// Go float32 (go32) or by expShiftSumAVX2 (ess).
func BenchmarkPredictRow(b *testing.B) {
	images, w, bias := predictImages()
	type variant struct {
		name string
		ok   bool
		f    func(x []uint8) (int, float32)
	}
	avx2 := cpu.X86.HasAVX2 && cpu.X86.HasFMA
	for _, v := range []variant{
		{"today", avx2, func(x []uint8) (int, float32) { return predictToday(x, w, bias) }},
		{"avx2+go32", avx2, func(x []uint8) (int, float32) { return predictRowAVX2(x, w, bias, false) }},
		{"avx2+ess", avx2, func(x []uint8) (int, float32) { return predictRowAVX2(x, w, bias, true) }},
		{"avx512+go32", hasAVX512, func(x []uint8) (int, float32) { return predictRowAVX512(x, w, bias, false) }},
		{"avx512+ess", hasAVX512, func(x []uint8) (int, float32) { return predictRowAVX512(x, w, bias, true) }},
	} {
		b.Run("impl="+v.name, func(b *testing.B) {
			if !v.ok {
				b.Skip("not on this CPU")
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				v.f(images[i*784 : (i+1)*784])
				i = (i + 1) % 10000
			}
		})
	}
}
