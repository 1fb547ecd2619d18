package tensor

import "math"

// softmaxXent10Generic is kernelSet.softmaxXent10 in Go, with the generic
// exp.
func softmaxXent10Generic(z []float32, labels []uint8, scale float64, s []float32, shift []float64, cs []float64) int {
	return softmaxXent10Go(expGeneric, z, labels, scale, s, shift, cs)
}

// softmaxXent10Go is kernelSet.softmaxXent10 with the exp kernel exp, for
// the levels that have no fused kernel: per row the max (the first
// largest), the shift, the shifted logits; their exps in one call of exp;
// then per row the sum s in float64 and the gradient
// float32(e*(1/s)*scale) (minus scale at the label, before the rounding),
// all in float64 (s is stored rounded to float32), then entries below
// 2**-64 in magnitude set to +0.
func softmaxXent10Go(exp func(dst, src []float32), z []float32, labels []uint8, scale float64, s []float32, shift []float64, cs []float64) (correct int) {
	n := len(labels)
	z = z[:10*n]
	for i, y := range labels {
		r := z[10*i : 10*i+10 : 10*i+10]
		m, arg := r[0], 0
		for j := 1; j < 10; j++ {
			if r[j] > m { // NaN: never larger, but it makes its row's s NaN
				m, arg = r[j], j
			}
		}
		if arg == int(y) {
			correct++
		}
		shift[i] = float64(m) - float64(r[y])
		for j, v := range r {
			r[j] = v - m
		}
	}
	exp(z, z) // one call: a call per row costs more than its 10 exps
	if len(cs) > 0 {
		cs = cs[:10]
		clear(cs)
	}
	for i, y := range labels {
		r := z[10*i : 10*i+10 : 10*i+10]
		var sum float64
		for _, e := range r {
			sum += float64(e)
		}
		s[i] = float32(sum)
		inv := 1 / sum
		ey := float64(r[y])
		for j, e := range r {
			r[j] = float32(float64(e) * inv * scale)
		}
		r[y] = float32((ey*inv - 1) * scale)
		flushTiny(r)
		if len(cs) > 0 {
			for j, v := range r {
				cs[j] += float64(v)
			}
		}
	}
	return correct
}

// tinyBits is the bit pattern of 2**-64 as a float32 (see
// kernelSet.softmaxXent10).
const tinyBits = (127 - 64) << 23

// flushTiny sets the entries of g below 2**-64 in magnitude to +0: their
// bits below tinyBits once the sign is cleared (a NaN's are above).
func flushTiny(g []float32) {
	for j, v := range g {
		if math.Float32bits(v)&0x7fffffff < tinyBits {
			g[j] = 0
		}
	}
}
