//go:build !purego

package tensor

//go:noescape
func expXR1(dst, src []float32)

//go:noescape
func expXR2(dst, src []float32)

//go:noescape
func expXR4(dst, src []float32)

//go:noescape
func expXM1(dst, src []float32)

//go:noescape
func expXM2(dst, src []float32)

//go:noescape
func expXC2(dst, src []float32)

//go:noescape
func expXB2(dst, src []float32)
