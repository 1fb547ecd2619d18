package tensor

// MatMulTU8Fill is MatMulTU8 (C = alpha * Gᵀ * X + beta*C) for a G whose
// rows are computed from X's by fill, as in a training step: the logits of
// a minibatch from its images (the forward product), then their gradient
// (the loss). fill(w, lo, hi) must set rows [lo, hi) of G, and read or
// write no other row of G; any product it runs of its own goes through w.
//
// Where MatMulTU8 sums the two halves of the rows apart (see there), the
// halves are [0, h) and [h, m), h being m/2 rounded up to a multiple of
// align (at most m), and each half's fill runs just before that half's
// sums, on the same thread: the half's rows of X are then read from that
// core's caches, and a step runs as two independent halves, with one
// hand-off between threads before the merge instead of one per product.
// w is then a one-thread Workers (the half already has its thread). With
// fewer rows, a larger C or one thread in ws, fill(ws, 0, m) runs once, on
// the calling goroutine, before the product.
//
// If fill returns an error, C is left unchanged and MatMulTU8Fill returns
// it (the first half's if both fail). The sums, and so C, are those of
// MatMulTU8 with the same halves, whatever the threads of ws.
func (ws *Workers) MatMulTU8Fill(alpha float32, g *Matrix, x *U8Matrix, beta float32, c *Matrix, align int, fill func(w *Workers, lo, hi int) error) error {
	return matMulTFill(ws, u8Kernels(active), alpha, g, (*dataRows[uint8])(x), beta, c, align, fill)
}

// MatMulTF32Fill is MatMulTU8Fill for float32 rows of X (MatMulTF32).
func (ws *Workers) MatMulTF32Fill(alpha float32, g *Matrix, x *F32Matrix, beta float32, c *Matrix, align int, fill func(w *Workers, lo, hi int) error) error {
	return matMulTFill(ws, f32Kernels(active), alpha, g, (*dataRows[float32])(x), beta, c, align, fill)
}
