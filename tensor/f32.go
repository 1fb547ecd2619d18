package tensor

// The float32 products of data rows: the uint8 products' design (u8.go,
// the drivers of rows.go) for data sets of float32 features, whose rows a
// minibatch picks by index (F32Matrix) as it picks images. Nothing is
// scaled: alpha is the caller's.

// MatMulF32T computes C = alpha * X * Wᵀ + beta*C for a float32 matrix of
// data rows X (m x k, its rows possibly picked by X.Index), a float32
// matrix W (n x k) and C (m x n): C[i][j] = alpha * sum_p X[i][p] * W[j][p]
// + beta*C[i][j]. This is the forward pass of a dense layer with
// class-major weights on float32 features: X holds one sample per row and
// W one row of weights per class. When beta is 0 C is not read. C must not
// overlap W or X.
//
// The rows of W go by groups of ten (the last group padded); the work is
// split by rows of X across up to GOMAXPROCS goroutines (Workers choose the
// threads), and each element of C is computed in the same order whatever
// the thread count.
func MatMulF32T(alpha float32, x *F32Matrix, w *Matrix, beta float32, c *Matrix) error {
	return (*Workers)(nil).MatMulF32T(alpha, x, w, beta, c)
}

// MatMulF32T is the package's MatMulF32T on the threads of ws.
func (ws *Workers) MatMulF32T(alpha float32, x *F32Matrix, w *Matrix, beta float32, c *Matrix) error {
	return matMulT(ws, f32Kernels(active), alpha, (*dataRows[float32])(x), w, beta, nil, c)
}

// MatMulF32TBias computes C = alpha * X * Wᵀ + bias, the forward pass of a
// dense layer: C[i][j] = alpha * sum_p X[i][p] * W[j][p] + bias[j], with X,
// W and C as in MatMulF32T and bias of length n, rounded as
// float32(alpha*sum) + bias[j]: the result of MatMulF32T with beta = 0,
// then bias added to every row. C is not read, and must not overlap W, X
// or bias. As MatMulU8TBias, the kernel adds the bias as it stores each
// row.
func MatMulF32TBias(alpha float32, x *F32Matrix, w *Matrix, bias []float32, c *Matrix) error {
	return (*Workers)(nil).MatMulF32TBias(alpha, x, w, bias, c)
}

// MatMulF32TBias is the package's MatMulF32TBias on the threads of ws.
func (ws *Workers) MatMulF32TBias(alpha float32, x *F32Matrix, w *Matrix, bias []float32, c *Matrix) error {
	if bias == nil {
		bias = []float32{} // checked like any other bias (nil means none below)
	}
	return matMulT(ws, f32Kernels(active), alpha, (*dataRows[float32])(x), w, 0, bias, c)
}

// MatMulTF32 computes C = alpha * Gᵀ * X + beta*C for a float32 matrix G
// (m x n), a float32 matrix of data rows X (m x k, its rows possibly
// picked by X.Index) and C (n x k): C[j][p] = alpha * sum_i G[i][j] *
// X[i][p] + beta*C[j][p]. This is the weight gradient of a dense layer
// with class-major weights, with the SGD update fused when C is W (beta
// the weight decay's factor, alpha minus the learning rate over the batch
// size). When beta is 0 C is not read. C must not overlap G or X.
//
// As MatMulTU8: columns of X by chunks of eight against ten columns of G,
// rows by blocks of 32; from 64 rows on, with C of at most 32768 elements,
// the two halves of the rows summed apart (on two threads when there are
// two) and added before they are merged into C; with fewer rows, the work
// split by columns of C. Each element of C is summed in a fixed order,
// whatever the thread count.
func MatMulTF32(alpha float32, g *Matrix, x *F32Matrix, beta float32, c *Matrix) error {
	return (*Workers)(nil).MatMulTF32(alpha, g, x, beta, c)
}

// MatMulTF32 is the package's MatMulTF32 on the threads of ws.
func (ws *Workers) MatMulTF32(alpha float32, g *Matrix, x *F32Matrix, beta float32, c *Matrix) error {
	return matMulTRows(ws, f32Kernels(active), alpha, g, (*dataRows[float32])(x), beta, c)
}

// MatVecF32Bias computes z = alpha * W·x + bias for one float32 vector x
// (one sample): z[j] = alpha * sum_p x[p] * W[j][p] + bias[j], rounded as
// float32(alpha*sum) + bias[j], with len(x) = W.Cols and
// len(z) = len(bias) = W.Rows. It reads x once per ten classes, on the
// calling goroutine; it allocates nothing and may run on many goroutines
// at once (z must not overlap W, x or bias). The sums are in the level's
// order for one row, which may differ in the last bits from
// MatMulF32TBias's for the same sample.
func MatVecF32Bias(alpha float32, x []float32, w *Matrix, bias, z []float32) error {
	if done, err := matVecCheck(alpha, len(x), overlaps(z, x), w, bias, z); done {
		return err
	}
	dotF32RowOf(active, x, w.Data, w.Stride, alpha, bias, z)
	return nil
}
