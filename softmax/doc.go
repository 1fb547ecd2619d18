// Package softmax provides softmax regression on uint8 images or float32
// feature vectors: a dense layer (Dense) from Inputs() values to Classes()
// classes, trained by minibatch SGD on the fused softmax cross-entropy
// (Trainer), evaluated, saved to and loaded from a small checked file, and
// used for prediction.
//
// It is built on the kernels of package tensor and never converts a data set
// of images to float32: the images of a minibatch are picked from the data
// set by an index (tensor.U8Matrix.Index), and the scaling of pixels by
// 1/255 is folded into the products. A model of features (Dense.Features)
// takes the rows of a tensor.F32Matrix the same way, through the float32
// twins of the products (tensor.MatMulF32TBias, tensor.MatMulTF32); Fit
// standardizes its features first, and the model keeps the standardization
// (Dense.Mean, Dense.Scale) so that prediction applies it to raw values.
//
// # Training step
//
// For a batch X of B images (one per row) with labels y, one step computes
//
//	Z = X·Wᵀ/255 + b                      tensor.MatMulU8TBias
//	loss = mean_i [log Σ_j e^(Z_ij - m_i) + m_i - Z_i,y_i],  m_i = max_j Z_ij
//	G = (softmax(Z) - onehot(y)) / B      in place of Z, in the same pass
//	W = (1 - lr·λ)·W - lr·Gᵀ·X/255        tensor.MatMulTU8 with beta = 1 - lr·λ
//	b = b - lr·Σ_i G_i
//
// so the gradient of W is never stored (with momentum it is, then folded into
// the velocity; see SGD). A minibatch larger than 512 KB of pixels (640
// images of 784 pixels) runs in blocks of rows: the three first lines per
// block, while its rows are still in L2, the block's Gᵀ·X/255 added to a
// stored gradient, then one update of W and b. The loss is never the log of
// a probability, and every exponent is at most 0, so the loss is finite for
// any finite logits.
//
// The recipe of the Gluon chapter "Softmax Regression" is the zero Trainer
// on a layer from NewDense(784, 10, 0.01, seed): 5 epochs of minibatches of
// 256 examples, reshuffled every epoch, SGD with learning rate 0.1. On
// Fashion-MNIST it reaches about 0.82 test accuracy.
//
// # Beyond the chapter
//
// Trainer and SGD also offer Nesterov momentum, a cosine learning-rate
// schedule, weight decay, label smoothing, the generalized cross-entropy mixed
// with the cross-entropy (Trainer.GCE, Trainer.CEShare), iterate averaging
// over the last epochs (Trainer.Average), and a validation set
// (Dataset.Split, Trainer.Validation) with early stopping that keeps the
// best epoch's weights (Trainer.EarlyStop). The command's "-recipe best"
// (30 epochs, Nesterov momentum 0.9, cosine from lr 1, GCE q = 0.7 with 5 %
// cross-entropy) reaches about 0.851 test accuracy on Fashion-MNIST in under
// a second on two cores; docs/recipe.md tells how it was chosen.
//
// # Determinism and threads
//
// The same seed, data and options give bitwise-identical weights whatever
// the number of threads: the products of package tensor compute every output
// in the same order for any thread count, and the reductions of this package
// (losses, bias gradient) run in a fixed order on one goroutine. Results of
// different ISA levels (tensor.SetISA) agree only up to rounding.
//
// Each Fit runs on threads of its own (Trainer.Threads, GOMAXPROCS by
// default; a tensor.Workers that lives as long as the Fit): two models
// trained at once in one process neither share threads nor see each other's
// setting. Predict runs on the calling goroutine; PredictBatch, Accuracy,
// Confusion and Forward split large sets across up to GOMAXPROCS
// goroutines.
//
// # Concurrency
//
// Predict, PredictBatch, Accuracy, Confusion, MarshalBinary and Save only read
// the model and may run concurrently with each other, but not with Fit on
// the same model. No function of the package starts a goroutine that
// outlives it.
//
// # Model file format
//
// A model file (Save, Load, Read, MarshalBinary) holds, in this order, with
// every integer an unsigned 32-bit little-endian value and every real an
// IEEE-754 float32 stored as its bits in little-endian order:
//
//	offset  size      field
//	0       4         magic: the bytes "SMXF" (0x53 0x4d 0x58 0x46)
//	4       4         format version: 1 for a model of images, 2 for one of features
//	8       4         inputs n, 1 <= n <= MaxInputs
//	12      4         classes k, 1 <= k <= MaxClasses, n·k <= MaxWeights
//	16      4         number of class names: 0 (no names) or k
//	20      ...       each class name, in class order: its length L
//	                  (4 bytes, L <= MaxNameLength) then L bytes of UTF-8
//	N       4·n·k     weights W, class-major: W[0][0..n-1], then W[1][0..n-1], ...
//	N+4nk   4·k       bias b[0..k-1]
//	                  version 2 only:
//	M       4         model kind: 1 (features), or 3 (features, standardized)
//	M+4     4·n, 4·n  kind 3 only: Mean[0..n-1], then Scale[0..n-1]
//	end-4   4         CRC-32C (Castagnoli polynomial) of every byte before it
//
// where N = 20 + Σ(4 + L) over the names (N = 20 without names) and
// M = N + 4nk + 4k. A model of images is always written as version 1, so
// its file is the one earlier releases wrote and read. The file
// holds nothing else (no time, no host), so the same model always gives the
// same bytes. Weights, biases and the standardization must be finite. A reader rejects, with a
// *FormatError that names the file, the byte offset and the problem: a wrong
// magic number, any other version (ErrVersion), sizes out of range (checked
// before anything is allocated), data that ends early or (for Load) goes on
// after the checksum, a checksum mismatch (ErrChecksum), names that are not
// UTF-8, and NaN or infinite values.
package softmax
