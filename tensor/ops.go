package tensor

import (
	"fmt"
	"math"
)

// Exp computes dst[i] = e**src[i] for every element, within 2 ulp of the
// exactly rounded result, subnormal results included; exp(±0) = 1,
// exp(-Inf) = 0, exp(+Inf) = +Inf, NaN gives NaN and every x above
// 88.72283 overflows to +Inf. dst and src must have the same length; they
// may be the same slice.
func Exp(dst, src []float32) error {
	if len(dst) != len(src) {
		return fmt.Errorf("%w: Exp of %d elements into %d", ErrShape, len(src), len(dst))
	}
	active.exp(dst, src)
	return nil
}

// Dot returns the sum of x[i]*y[i]. x and y must have the same length.
func Dot(x, y []float32) (float32, error) {
	if len(x) != len(y) {
		return 0, fmt.Errorf("%w: Dot of lengths %d and %d", ErrShape, len(x), len(y))
	}
	return active.dot(x, y), nil
}

// Axpy computes y[i] += a*x[i]. x and y must have the same length.
func Axpy(a float32, x, y []float32) error {
	if len(x) != len(y) {
		return fmt.Errorf("%w: Axpy of lengths %d and %d", ErrShape, len(x), len(y))
	}
	active.axpy(a, x, y)
	return nil
}

// Scale computes x[i] *= a.
func Scale(a float32, x []float32) {
	active.scale(a, x)
}

// Max returns the largest element of x, NaN if x holds a NaN. x must not be
// empty.
func Max(x []float32) (float32, error) {
	if len(x) == 0 {
		return 0, fmt.Errorf("%w: Max of an empty slice", ErrShape)
	}
	return active.max(x), nil
}

// checkRows validates a row-wise operation on x with one result per row.
func checkRows(op string, x *Matrix, n int) error {
	if err := x.check("X"); err != nil {
		return err
	}
	if n != x.Rows {
		return fmt.Errorf("%w: %s of %d rows into %d results", ErrShape, op, x.Rows, n)
	}
	if x.Rows > 0 && x.Cols == 0 {
		return fmt.Errorf("%w: %s of rows with no columns", ErrShape, op)
	}
	return nil
}

// MaxRows sets dst[i] to the largest element of row i of x (NaN if the row
// holds a NaN).
func MaxRows(dst []float32, x *Matrix) error {
	if err := checkRows("MaxRows", x, len(dst)); err != nil {
		return err
	}
	for i := range x.Rows {
		dst[i] = active.max(x.Row(i))
	}
	return nil
}

// ArgmaxRows sets dst[i] to the column of the largest element of row i of x,
// the first one on ties; a row holding NaN gives the column of its first NaN.
func ArgmaxRows(dst []int, x *Matrix) error {
	if err := checkRows("ArgmaxRows", x, len(dst)); err != nil {
		return err
	}
	for i := range x.Rows {
		row := x.Row(i)
		m := active.max(row)
		dst[i] = argOf(row, m)
	}
	return nil
}

// argOf returns the first index of m in row, or of the first NaN if m is NaN.
func argOf(row []float32, m float32) int {
	for j, v := range row {
		if v == m || (m != m && v != v) {
			return j
		}
	}
	return 0
}

// LogSumExpRows sets dst[i] = log(sum_j e**x[i][j]) for each row, computed
// stably as max + log(sum_j e**(x[i][j]-max)): no overflow for any finite
// logits (±3e38 included). A row of all -Inf gives -Inf, a row holding +Inf
// (and no NaN) gives +Inf, a row holding NaN gives NaN.
func LogSumExpRows(dst []float32, x *Matrix) error {
	if err := checkRows("LogSumExpRows", x, len(dst)); err != nil {
		return err
	}
	bp := getBuf(x.Cols)
	defer gemmPool.Put(bp)
	tmp := *bp
	for i := range x.Rows {
		row := x.Row(i)
		m := active.max(row)
		if math.IsInf(float64(m), 0) || m != m {
			dst[i] = m // -Inf: all -Inf; +Inf; NaN
			continue
		}
		s := active.expShiftSum(tmp, row, m)
		dst[i] = m + float32(math.Log(float64(s)))
	}
	return nil
}

// SoftmaxRows sets each row of dst to the softmax of the same row of x:
// dst[i][j] = e**(x[i][j]-max_i) / sum_j e**(x[i][j]-max_i), stable for any
// finite logits; each row sums to 1 within a few ulp. A row holding NaN or
// +Inf, or of all -Inf, has no defined softmax and gives a row of NaN.
// dst and x must have the same shape; dst may be x itself.
func SoftmaxRows(dst, x *Matrix) error {
	if err := x.check("X"); err != nil {
		return err
	}
	if err := dst.check("dst"); err != nil {
		return err
	}
	if dst.Rows != x.Rows || dst.Cols != x.Cols {
		return fmt.Errorf("%w: SoftmaxRows of %dx%d into %dx%d", ErrShape, x.Rows, x.Cols, dst.Rows, dst.Cols)
	}
	if overlaps(dst.Data, x.Data) && (&dst.Data[0] != &x.Data[0] || dst.Stride != x.Stride) {
		return fmt.Errorf("%w: SoftmaxRows dst overlaps x without being x", ErrShape)
	}
	for i := range x.Rows {
		row, out := x.Row(i), dst.Row(i)
		m := active.max(row)
		if math.IsInf(float64(m), 0) || m != m {
			nan := float32(math.NaN())
			for j := range out {
				out[j] = nan
			}
			continue
		}
		active.expShiftSum(out, row, m)
		// Normalise by a float64 sum of the stored values, so that the row
		// sums to 1 within a few ulp however long it is.
		var s float64
		for _, v := range out {
			s += float64(v)
		}
		active.scale(float32(1/s), out)
	}
	return nil
}

// stackProb is the most values ArgmaxProb keeps on the stack; more use a
// pooled buffer.
const stackProb = 64

// ArgmaxProb returns the index of the largest element of z (the first one
// on ties, the first NaN if z holds one) and its softmax probability,
// 1 / sum_j e**(z[j]-max), with the level's exp and a float32 sum (within
// a few ulp of the exact value). The probability is NaN when the largest
// element is NaN or infinite (no softmax is defined). z must not be empty.
// It allocates nothing and may run on many goroutines at once.
func ArgmaxProb(z []float32) (arg int, p float32, err error) {
	if len(z) == 0 {
		return 0, 0, fmt.Errorf("%w: ArgmaxProb of an empty slice", ErrShape)
	}
	m := z[0]
	for j, v := range z {
		if v > m || v != v && m == m {
			arg, m = j, v
		}
	}
	if m != m || math.IsInf(float64(m), 0) {
		return arg, float32(math.NaN()), nil
	}
	// The exps go to a stack buffer, of 16 values for the common few classes
	// (a smaller frame to clear).
	if len(z) <= 16 {
		var buf [16]float32
		return arg, 1 / expShiftSumOf(active, buf[:len(z)], z, m), nil
	}
	if len(z) <= stackProb {
		var buf [stackProb]float32
		return arg, 1 / expShiftSumOf(active, buf[:len(z)], z, m), nil
	}
	bp := getBuf(len(z))
	p = 1 / expShiftSumOf(active, (*bp)[:len(z)], z, m)
	gemmPool.Put(bp)
	return arg, p, nil
}
