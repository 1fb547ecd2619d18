package tensor

import "fmt"

// SoftmaxXent10 computes, in place, the softmax cross-entropy gradient of
// n = len(labels) rows of 10 logits stored compactly (row i is
// z[10i:10i+10], its class labels[i] < 10), scaled by scale (1/batch size
// for the gradient of a mean loss):
//
//	m_i        = max_j z_i[j]
//	s[i]       = sum_j e**(z_i[j] - m_i)               (float32)
//	shift[i]   = float64(m_i) - float64(z_i[labels[i]])
//	z_i[j]     = scale*e**(z_i[j]-m_i)/s[i] - (scale if j == labels[i])
//
// so that the loss of row i is log(s[i]) + shift[i], and it returns correct,
// the count of rows whose first largest logit is at the label. If colsum is
// not empty (it must then hold 10 values), colsum[j] receives the float64
// sum over the rows, in order, of the new z_i[j] (the bias gradient).
//
// Every finite logit gives finite results (no exponent is above 0). A NaN or
// +Inf logit makes its row's s NaN; a -Inf one is an exp of 0, unless it is
// the label's, whose shift is then +Inf.
//
// ok is false, and nothing is changed, when the active level has no such
// kernel (generic and NEON): the caller computes it itself. Results are
// those of the level's exp and differ from a float64 computation by a few
// float32 roundings; for a given level they depend only on the row.
// err reports operands of the wrong lengths or a label not below 10.
func SoftmaxXent10(z []float32, labels []uint8, scale float32, s []float32, shift []float64, colsum []float64) (correct int, ok bool, err error) {
	if active.softmaxXent10 == nil {
		return 0, false, nil
	}
	n := len(labels)
	if len(z) != 10*n || len(s) < n || len(shift) < n || (len(colsum) != 0 && len(colsum) != 10) {
		return 0, false, fmt.Errorf("%w: SoftmaxXent10 of %d logits, %d labels, %d s, %d shifts, %d column sums",
			ErrShape, len(z), n, len(s), len(shift), len(colsum))
	}
	for i, y := range labels {
		if y >= 10 {
			return 0, false, fmt.Errorf("%w: SoftmaxXent10: label %d of row %d is not below 10", ErrShape, y, i)
		}
	}
	return xent10(z, labels, scale, s, shift, colsum), true, nil // = active.softmaxXent10, called directly
}
