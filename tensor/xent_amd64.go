//go:build !purego

package tensor

// softmaxXent10AVX2 is kernelSet.softmaxXent10 in AVX2+FMA, with scale in
// float32: 4 rows at a time (see xent_amd64.s).
//
//go:noescape
func softmaxXent10AVX2(z []float32, labels []uint8, scale float32, s []float32, shift []float64, cs []float64) (correct int)

// softmaxXent10AVX512 is softmaxXent10AVX2 in AVX-512: 16 rows at a time in
// class-major form; each row gets bitwise the results softmaxXent10AVX2
// gives it.
//
//go:noescape
func softmaxXent10AVX512(z []float32, labels []uint8, scale float32, s []float32, shift []float64, cs []float64) (correct int)

// expXentAVX512 sets dst[i] = e**src[i] for i < len(src) with the exp of
// softmaxXent10AVX512 (EXPM16, exp_amd64.h), so that tests can compare it
// with expAVX2 on every input. len(dst) >= len(src).
//
//go:noescape
func expXentAVX512(dst, src []float32)

func softmaxXent10AVX2Go(z []float32, labels []uint8, scale float64, s []float32, shift []float64, cs []float64) int {
	return softmaxXent10AVX2(z, labels, float32(scale), s, shift, cs)
}

func softmaxXent10AVX512Go(z []float32, labels []uint8, scale float64, s []float32, shift []float64, cs []float64) int {
	return softmaxXent10AVX512(z, labels, float32(scale), s, shift, cs)
}
