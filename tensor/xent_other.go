//go:build purego || !amd64

package tensor

// xent10 is never called here: no level of this build has softmaxXent10
// (see xent_amd64.go).
func xent10(z []float32, labels []uint8, scale float32, s []float32, shift, cs []float64) int {
	panic("tensor: no softmaxXent10 kernel in this build")
}
