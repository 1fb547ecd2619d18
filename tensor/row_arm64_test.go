//go:build !purego

package tensor

func rowKernels() []rowKernel {
	return []rowKernel{{"neon", dotU8RowNEON, 8, true}}
}
