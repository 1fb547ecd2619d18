// Package softmaxfast is the front page of softmax-fast: a softmax-regression
// trainer and library in pure Go, with hand-written SIMD kernels (AVX-512 and
// AVX2+FMA on amd64, NEON on arm64, portable Go everywhere) chosen at run
// time, and no cgo. It trains the model of the Gluon chapter "Softmax
// Regression" (Fashion-MNIST, one dense layer 784 -> 10, minibatch SGD) and
// any model of that form on uint8 images.
//
// The packages:
//
//   - softmax: the model (Dense), training (Trainer, SGD), the model file,
//     and prediction (Predict, PredictBatch, Accuracy, Confusion).
//   - tensor: the float32 matrices and the kernels: GEMM, the products that
//     read uint8 images directly, exp, softmax and the fused softmax
//     cross-entropy, at every ISA level (tensor.Available).
//   - mnist: the IDX files of (Fashion-)MNIST, a decoded-data cache, PNG
//     images.
//   - plot: learning curves (SVG), confusion matrices and weight templates
//     (PNG).
//   - cmd/softmax-fast: the command (train, eval, predict, sweep, bench,
//     info).
//
// This package holds no code of its own: its benchmarks are the headline
// comparisons, run from the repository root with
//
//	go test -bench=.
//
// in about a minute: a training epoch of the chapter's recipe, the forward
// and the gradient product of a training step, and the prediction of one
// image, each at every ISA level this CPU can run, named
// <Op>/<shape>/isa=<level> so that benchstat can set the levels side by
// side:
//
//	go test -bench=. -count=10 > new.txt && benchstat -col /isa new.txt
//
// The data are random images of Fashion-MNIST's shape (60,000 of 28x28
// pixels, 10 classes): speed does not depend on the pixels' values. The
// command's bench subcommand and bench/compare.sh (peers such as NumPy and
// PyTorch on the real data) measure more; docs/performance.md explains the
// method and the figures.
package softmaxfast
