//go:build purego || !(amd64 || arm64)

package tensor

// Without assembly only the generic level exists; see xent_amd64.go and
// u8_amd64.go for why these call the level's function directly.

func xent10(ks *kernelSet, z []float32, labels []uint8, scale float64, s []float32, shift, cs []float64) int {
	return softmaxXent10Generic(z, labels, scale, s, shift, cs)
}

func dotU8RowOf(ks *kernelSet, x []uint8, w []float32, wstride int, alpha float32, bias []float32, z []float32) {
	dotU8RowGeneric(x, w, wstride, alpha, bias, z)
}
