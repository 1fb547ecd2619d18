package tensor

import "fmt"

// SoftmaxXent10 computes, in place, the softmax cross-entropy gradient of
// n = len(labels) rows of 10 logits stored compactly (row i is
// z[10i:10i+10], its class labels[i] < 10), scaled by scale (1/batch size
// for the gradient of a mean loss):
//
//	m_i        = max_j z_i[j]
//	s[i]       = sum_j e**(z_i[j] - m_i)
//	shift[i]   = float64(m_i) - float64(z_i[labels[i]])
//	z_i[j]     = scale*e**(z_i[j]-m_i)/s[i] - (scale if j == labels[i])
//
// with every new z_i[j] below 2**-64 in magnitude then set to +0 (such an
// entry changes no weight, and its products with the inputs can be
// subnormal, which is slow on x86). The loss of row i is log(s[i]) +
// shift[i]. It returns correct, the count of rows whose first largest
// logit is at the label. If colsum is
// not empty (it must then hold 10 values), colsum[j] receives the float64
// sum over the rows, in order, of the new z_i[j] (the bias gradient).
//
// Every finite logit gives finite results (no exponent is above 0). A NaN or
// +Inf logit makes its row's s NaN; a -Inf one is an exp of 0, unless it is
// the label's, whose shift is then +Inf.
//
// Every level has its own kernel: the generic one (and NEON's) sums s and
// scales the gradient in float64, AVX2 and AVX-512 in float32 (the scale
// rounded to float32) with bitwise the same results as each other. Results
// use the level's exp and differ from a float64 computation by a few
// float32 roundings; for a given level they depend only on the row.
// err reports operands of the wrong lengths or a label not below 10.
func SoftmaxXent10(z []float32, labels []uint8, scale float64, s []float32, shift []float64, colsum []float64) (correct int, err error) {
	n := len(labels)
	if len(z) != 10*n || len(s) < n || len(shift) < n || (len(colsum) != 0 && len(colsum) != 10) {
		return 0, fmt.Errorf("%w: SoftmaxXent10 of %d logits, %d labels, %d s, %d shifts, %d column sums",
			ErrShape, len(z), n, len(s), len(shift), len(colsum))
	}
	for i, y := range labels {
		if y >= 10 {
			return 0, fmt.Errorf("%w: SoftmaxXent10: label %d of row %d is not below 10", ErrShape, y, i)
		}
	}
	return xent10(active, z, labels, scale, s, shift, colsum), nil
}
