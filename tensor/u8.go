package tensor

// The uint8 products read pixels as bytes and convert them in registers, so
// that a data set of images never needs a float32 copy.

// MatMulU8T computes C = alpha * X * Wᵀ + beta*C for a uint8 matrix X (m x k,
// its rows possibly picked by X.Index), a float32 matrix W (n x k) and C
// (m x n): C[i][j] = alpha * sum_p float32(X[i][p]) * W[j][p] + beta*C[i][j].
// This is the forward pass of a dense layer with class-major weights: X holds
// one image per row and W one row of weights per class. When beta is 0 C is
// not read. C must not overlap W.
//
// The rows of W go by groups of ten (the last group padded); the work is
// split by rows of X across up to GOMAXPROCS goroutines (Workers choose the
// threads), and each element of C is computed in the same order whatever
// the thread count.
func MatMulU8T(alpha float32, x *U8Matrix, w *Matrix, beta float32, c *Matrix) error {
	return matMulT(nil, u8Kernels(active), alpha, (*dataRows[uint8])(x), w, beta, nil, c)
}

// MatMulU8T is the package's MatMulU8T on the threads of ws.
func (ws *Workers) MatMulU8T(alpha float32, x *U8Matrix, w *Matrix, beta float32, c *Matrix) error {
	return matMulT(ws, u8Kernels(active), alpha, (*dataRows[uint8])(x), w, beta, nil, c)
}

// MatMulU8TBias computes C = alpha * X * Wᵀ + bias, the forward pass of a
// dense layer: C[i][j] = alpha * sum_p float32(X[i][p]) * W[j][p] + bias[j],
// with X, W and C as in MatMulU8T and bias of length n, rounded as
// float32(alpha*sum) + bias[j]: the result of MatMulU8T with beta = 0, then
// bias added to every row. C is not read, and must not overlap W or bias.
//
// The kernel adds the bias as it stores each row, on the thread that
// computed it: setting C's rows to the bias beforehand on one thread would
// wait for cache lines that both threads had just read.
func MatMulU8TBias(alpha float32, x *U8Matrix, w *Matrix, bias []float32, c *Matrix) error {
	return (*Workers)(nil).MatMulU8TBias(alpha, x, w, bias, c)
}

// MatMulU8TBias is the package's MatMulU8TBias on the threads of ws.
func (ws *Workers) MatMulU8TBias(alpha float32, x *U8Matrix, w *Matrix, bias []float32, c *Matrix) error {
	if bias == nil {
		bias = []float32{} // checked like any other bias (nil means none below)
	}
	return matMulT(ws, u8Kernels(active), alpha, (*dataRows[uint8])(x), w, 0, bias, c)
}

// MatMulTU8 computes C = alpha * Gᵀ * X + beta*C for a float32 matrix G
// (m x n), a uint8 matrix X (m x k, its rows possibly picked by X.Index) and
// C (n x k): C[j][p] = alpha * sum_i G[i][j] * float32(X[i][p]) + beta*C[j][p].
// This is the weight gradient of a dense layer with class-major weights: G
// holds the gradient of the loss with respect to the logits, one row per
// image. When beta is 0 C is not read. C must not overlap G.
//
// Columns of X go by chunks of eight against ten columns of G, the rows by
// blocks of 32 (a minibatch's rows lie on as many pages as rows, and a
// block stays within the first-level TLB). From 64 rows on, with C of at
// most 32768 elements (a layer of 784 inputs and 41 classes), the two halves
// of the rows are summed apart (on two threads when there are two: each
// half's rows are then read by one core only) and their sums added before
// they are merged into C (alpha*T + beta*C with one fused rounding when
// beta is 1); with fewer rows, the work is split by columns of C. Either
// way each element of C is summed in a fixed order, whatever the thread
// count.
func MatMulTU8(alpha float32, g *Matrix, x *U8Matrix, beta float32, c *Matrix) error {
	return (*Workers)(nil).MatMulTU8(alpha, g, x, beta, c)
}

// MatMulTU8 is the package's MatMulTU8 on the threads of ws.
func (ws *Workers) MatMulTU8(alpha float32, g *Matrix, x *U8Matrix, beta float32, c *Matrix) error {
	return matMulTRows(ws, u8Kernels(active), alpha, g, (*dataRows[uint8])(x), beta, c)
}

// MatVecU8Bias computes z = alpha * W·x + bias for one uint8 vector x (one
// image): z[j] = alpha * sum_p float32(x[p]) * W[j][p] + bias[j], rounded
// as float32(alpha*sum) + bias[j], with len(x) = W.Cols and
// len(z) = len(bias) = W.Rows. It reads the pixels as bytes, ten classes per
// pass over them, on the calling goroutine; it allocates nothing and may
// run on many goroutines at once (z must not overlap W or bias). The sums
// are in the level's order for one row, which may differ in the last bits
// from MatMulU8TBias's for the same image.
func MatVecU8Bias(alpha float32, x []uint8, w *Matrix, bias, z []float32) error {
	if done, err := matVecCheck(alpha, len(x), overlaps(z, x), w, bias, z); done {
		return err
	}
	dotU8RowOf(active, x, w.Data, w.Stride, alpha, bias, z)
	return nil
}
