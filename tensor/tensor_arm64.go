//go:build !purego

package tensor

// neonSet is the NEON (Advanced SIMD) kernel set; its kernels are in
// gemm_arm64.s and vec_arm64.s. Advanced SIMD is part of every arm64 CPU
// (x/sys/cpu's ARM64.HasASIMD is always true), so it is always registered.
var neonSet = kernelSet{
	isa:         NEON,
	gemmMR:      gemmMRNEON,
	gemmNR:      gemmNRNEON,
	gemmTile:    gemmTileNEON,
	dotU8x2x5:   dotU8x2x5NEON,
	gradU8x10x8: gradU8x10x8NEON,
	exp:         expNEON,
	max:         maxNEON,
	expShiftSum: expShiftSumNEON,
	dot:         dotNEON,
	axpy:        axpyNEON,
	scale:       scaleNEON,
	prefetch:    prefetchNEON,
}

var _ = register(&neonSet, true)

// prefetchNEON asks for the cache lines of p to be loaded into L2
// (prefetch_arm64.s); it never faults.
//
//go:noescape
func prefetchNEON(p []uint8)
