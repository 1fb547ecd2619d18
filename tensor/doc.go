// Package tensor provides float32 matrices and the kernels softmax-fast is
// built on: GEMM in every transpose combination, products that read uint8
// images directly (converting pixels in registers, so a data set never needs
// a float32 copy) and their twins for float32 feature rows, a vectorized
// exp within 2 ulp, and row-wise max, argmax,
// log-sum-exp and softmax that are stable for any finite input.
//
// Matrices are row-major with a stride, so a Matrix may be a view into a
// larger one (see Matrix.View); a U8Matrix or an F32Matrix may also pick
// its rows from a larger one through an index, which is how a minibatch of
// a data set is used without copying it.
//
// # ISA selection
//
// Each operation runs on one of several kernel sets, one per level: AVX2+FMA
// and AVX-512 (F, BW, DQ, VL) hand-written assembly on amd64, NEON on arm64,
// and a pure-Go set that runs everywhere. Every level supplies every kernel,
// so each operation has one driver whatever the level. The best level the
// CPU supports (per golang.org/x/sys/cpu, which also checks that the OS
// saves the vector state) is chosen when the package is initialised. The
// environment variable SOFTMAX_FAST_ISA (generic, avx2, avx512, neon or
// best) or SetISA chooses another; a level that is unknown or that this CPU
// cannot run is an error, never a silent fallback: ParseISA and SetISA
// return it, and CurrentISA reports a bad SOFTMAX_FAST_ISA. Available lists
// the levels this process can run.
//
// Results of different levels agree within the documented error bounds but
// not bit for bit: fused multiply-adds and the order of additions differ.
// Within one level, results do not depend on the number of threads, nor on
// where the work is cut between them.
//
// # From the API to the kernels
//
// The files are named by operation, each operation's levels side by side:
// op.go (or op's exported function) is the driver, op_generic.go the Go
// kernels that define what each kernel computes, op_amd64.s and op_arm64.s
// the assembly of every level of that architecture, op_amd64.go and
// op_arm64.go their declarations; isa_*.go hold the kernel sets. The
// products of data rows share their drivers (rows.go) and generic kernels
// (rows_generic.go, over the element type) between uint8 and float32 rows,
// and per architecture the Go around the assembly (rows_amd64.go,
// rows_arm64.go, over the element type) and the assembly's bodies
// (rows_amd64.h, rows_arm64.h), which u8_*.s and f32_*.s instantiate with
// their loads of the rows.
//
//	MatMulU8T, MatMulU8TBias (u8.go)   -> matMulT -> fwdRows (rows.go): groups of ten classes, 256 rows a call
//	                                   -> kernelSet.fwdU8Rows10: fwdRows10Generic, fwdU8Rows10{AVX2,AVX512}, fwdRows10NEON
//	MatMulTU8 (u8.go),
//	MatMulTU8Fill (fill.go)            -> matMulTFill -> gradCols -> gradBlocks (rows.go): blocks of 32 rows, 64 chunks a call
//	                                   -> kernelSet.gradU8x10: gradx10Generic, gradx10{AVX2,NEON}, gradU8x10BlkAVX512
//	MatVecU8Bias (u8.go)               -> matVecCheck (rows.go), dotU8RowOf (direct_*.go) -> dotRowGeneric, dotU8Row{AVX2,AVX512,NEON}
//	MatMulF32T,
//	MatMulF32TBias (f32.go)            -> matMulT -> fwdRows (rows.go)
//	                                   -> kernelSet.fwdF32Rows10: fwdRows10Generic, fwdF32Rows10{AVX2,AVX512}, fwdRows10NEON
//	MatMulTF32 (f32.go),
//	MatMulTF32Fill (fill.go)           -> matMulTFill -> gradCols -> gradBlocks (rows.go)
//	                                   -> kernelSet.gradF32x10: gradx10Generic, gradx10{AVX2,NEON}, gradF32x10BlkAVX512
//	MatVecF32Bias (f32.go)             -> matVecCheck (rows.go), dotF32RowOf (direct_*.go) -> dotRowGeneric, dotF32Row{AVX2,AVX512,NEON}
//	SoftmaxXent10 (xent.go)            -> softmaxXent10{Generic,AVX2,AVX512,NEON}
//	MatMul (gemm.go)                   -> packing and blocking -> kernelSet.gemmTile: gemmTile{Generic,AVX2,AVX512,NEON}
//	Exp, LogSumExpRows, SoftmaxRows,
//	ArgmaxProb (ops.go)                -> exp, expShiftSum, max (exp_*, vec_*)
//	Dot, Axpy, Scale, Max (ops.go)     -> dot, axpy, scale, max (vec_*)
//
// # Build tags
//
// With -tags purego no assembly is built and only the generic level exists;
// the same happens on every GOARCH other than amd64 and arm64. Add the noasm
// tag (-tags purego,noasm) for binaries with no assembly at all, since
// github.com/klauspost/cpuid/v2 gates its own assembly on it.
//
// # Concurrency
//
// All operations may be called from many goroutines at once on distinct
// outputs. The package-level products split large work across up to
// GOMAXPROCS goroutines, started for the call and ended before it returns.
// A Workers value chooses the threads instead and keeps them between
// products (NewWorkers), for a loop of short products such as training;
// each Workers is its own, so two loops in one process do not share
// settings. With two threads the cut between the two parts follows the
// threads' measured speeds, so that a thread slowed by another process gets
// less of the next products of the same size. There is no process-wide
// thread setting; the only process-wide state is the ISA level, and SetISA
// must not run concurrently with other calls of the package.
//
// # Errors
//
// Operations validate their operands and return an error wrapping ErrShape
// on a mismatch; they never panic on bad shapes.
package tensor
