//go:build !purego

package tensor

//go:noescape
func gemmTile12x32R(k int, ap, bp, tile []float32)

//go:noescape
func gemmTile12x32B(k int, ap, bp, tile []float32)

//go:noescape
func gemmTile14x32R(k int, ap, bp, tile []float32)

//go:noescape
func gemmTile14x32B(k int, ap, bp, tile []float32)

