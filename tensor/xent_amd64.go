//go:build !purego

package tensor

// xent10 runs the active level's softmaxXent10, which on amd64 can only be
// softmaxXent10AVX2. SoftmaxXent10 calls it instead of the kernelSet's func
// value because a direct call to a noescape function lets the caller keep
// s and shift on its stack (a call through a func value makes every slice
// escape to the heap: an allocation per call in the training step).
func xent10(z []float32, labels []uint8, scale float32, s []float32, shift, cs []float64) int {
	return softmaxXent10AVX2(z, labels, scale, s, shift, cs)
}
