//go:build !purego

package tensor

import "golang.org/x/sys/cpu"

// The amd64 levels. x/sys/cpu reports AVX2 only when the OS saves the YMM
// state, and the AVX-512 subsets only when it saves the opmask and ZMM
// state.
var (
	hasAVX2   = cpu.X86.HasAVX2 && cpu.X86.HasFMA && cpu.X86.HasAVX
	hasAVX512 = hasAVX2 && cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512DQ && cpu.X86.HasAVX512VL
)

// avx2Set is the AVX2+FMA kernel set (gemm_amd64.s, u8_amd64.s and
// f32_amd64.s with rows_amd64.h and rows_amd64.go, exp_amd64.s, vec_amd64.s,
// xent_amd64.s).
var avx2Set = kernelSet{
	isa:           AVX2,
	gemmMR:        gemmMRAVX2,
	gemmNR:        gemmNRAVX2,
	gemmTile:      gemmTileAVX2,
	fwdU8Rows10:   fwdRows10AVX2Go[uint8],
	gradU8x10:     gradx10AVX2[uint8],
	gradGrain:     2,
	dotU8Row:      dotU8RowAVX2Go,
	fwdF32Rows10:  fwdRows10AVX2Go[float32],
	gradF32x10:    gradx10AVX2[float32],
	dotF32Row:     dotF32RowAVX2Go,
	exp:           expAVX2,
	max:           maxAVX2,
	expShiftSum:   expShiftSumAVX2,
	dot:           dotAVX2,
	axpy:          axpyAVX2,
	scale:         scaleAVX2,
	prefetch:      prefetchAVX2,
	softmaxXent10: softmaxXent10AVX2Go,
}

// avx512Set is the AVX-512 (F, BW, DQ, VL) kernel set, in the same files.
var avx512Set = kernelSet{
	isa:           AVX512,
	gemmMR:        gemmMRAVX512,
	gemmNR:        gemmNRAVX512,
	gemmTile:      gemmTileAVX512,
	fwdU8Rows10:   fwdU8Rows10AVX512,
	gradU8x10:     gradU8x10BlkAVX512,
	gradGrain:     4,
	dotU8Row:      dotU8RowAVX512,
	fwdF32Rows10:  fwdF32Rows10AVX512,
	gradF32x10:    gradF32x10BlkAVX512,
	dotF32Row:     dotF32RowAVX512,
	exp:           expAVX512,
	max:           maxAVX512,
	expShiftSum:   expShiftSumAVX512,
	dot:           dotAVX512,
	axpy:          axpyAVX512,
	scale:         scaleAVX512,
	prefetch:      prefetchAVX2,
	softmaxXent10: softmaxXent10AVX512Go,
}

var (
	_ = register(&avx2Set, hasAVX2)
	_ = register(&avx512Set, hasAVX512)
)
