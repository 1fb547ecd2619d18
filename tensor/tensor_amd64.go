//go:build !purego

package tensor

import "golang.org/x/sys/cpu"

// avx2Set is the AVX2+FMA kernel set; its kernels are in gemm_amd64.s and
// vec_amd64.s. x/sys/cpu reports AVX2 only when the OS saves the YMM state.
var avx2Set = kernelSet{
	isa:         AVX2,
	gemmMR:      gemmMRAVX2,
	gemmNR:      gemmNRAVX2,
	gemmTile:    gemmTileAVX2,
	dotU8x2x5:   dotU8x2x5AVX2,
	gradU8x10x8: gradU8x10x8AVX2,

	dotU8Rows10:    dotU8Rows10AVX2,
	gradU8x10Merge: gradU8x10MergeAVX2,
	gradU8x10Blk:   gradU8x10BlkAVX2,

	exp:         expAVX2,
	max:         maxAVX2,
	expShiftSum: expShiftSumAVX2,
	dot:         dotAVX2,
	axpy:        axpyAVX2,
	scale:       scaleAVX2,
	prefetch:    prefetchAVX2,

	softmaxXent10: softmaxXent10AVX2,
}

var _ = register(&avx2Set, cpu.X86.HasAVX2 && cpu.X86.HasFMA && cpu.X86.HasAVX)

// prefetchAVX2 asks for the cache lines of p to be loaded into L2
// (prefetch_amd64.s); it never faults.
//
//go:noescape
func prefetchAVX2(p []uint8)
