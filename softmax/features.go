package softmax

import (
	"fmt"
	"math"
	"sync"

	"github.com/softmax-fast/softmax-fast/tensor"
)

// Models of float32 feature vectors: the standardization of their inputs,
// their forward product, and their predictions.

// checkStandardization is the part of Validate about Mean and Scale.
func (m *Dense) checkStandardization() error {
	if m.Mean == nil && m.Scale == nil {
		return nil
	}
	if !m.Features {
		return fmt.Errorf("%w: a standardization (Mean, Scale) in a model of images", ErrModel)
	}
	if len(m.Mean) != m.W.Cols || len(m.Scale) != m.W.Cols {
		return fmt.Errorf("%w: a standardization of %d means and %d scales for %d inputs", ErrModel, len(m.Mean), len(m.Scale), m.W.Cols)
	}
	return nil
}

// Standardization returns the mean of every feature of d over its examples
// and the scale 1/σ that makes its standard deviation σ one (the population
// deviation, summed in float64); a feature that never varies gets the scale
// 1, so that it standardizes to 0. d must hold at least one feature vector.
//
// Standardized features all vary on the same scale, which a fixed learning
// rate needs: without it a feature in the thousands beside one in [0, 1]
// makes SGD diverge or crawl. It changes what the weights mean: W[c][p]
// weighs feature p in units of its standard deviation, away from its mean,
// so the weights of different features can be compared with each other,
// but not with the raw values.
func Standardization(d Dataset) (mean, scale []float32, err error) {
	return standardization(nil, d)
}

// statRows is the number of rows summed together, in order, by one worker:
// the sums of these chunks are then added in chunk order, so that the
// result does not depend on the number of threads.
const statRows = 256

// standardization is Standardization on the workers ws.
func standardization(ws *tensor.Workers, d Dataset) (mean, scale []float32, err error) {
	x := d.Features
	if x == nil || x.Rows == 0 {
		return nil, nil, fmt.Errorf("%w: standardization needs feature vectors", ErrData)
	}
	if err := x.Validate(); err != nil {
		return nil, nil, fmt.Errorf("%w: features: %w", ErrData, err)
	}
	n, k := x.Rows, x.Cols
	mu := make([]float64, k)
	// The first pass sums the values; the second sums squares around the
	// mean, which loses nothing to cancellation when the mean is large
	// against the deviation.
	sumRows(ws, x, mu, nil)
	for p := range mu {
		mu[p] /= float64(n)
	}
	ss := make([]float64, k)
	sumRows(ws, x, ss, mu)
	mean, scale = make([]float32, k), make([]float32, k)
	for p := range mean {
		sd := math.Sqrt(ss[p] / float64(n))
		mean[p], scale[p] = float32(mu[p]), 1
		if s := float32(1 / sd); sd > 0 && isFinite32(s) && s != 0 {
			scale[p] = s
		}
		if !isFinite32(mean[p]) {
			return nil, nil, fmt.Errorf("%w: feature %d has a mean of %v, beyond float32", ErrData, p, mu[p])
		}
	}
	return mean, scale, nil
}

// sumRows sets sum[p] to the sum over the rows of x of x[i][p] or, when mu
// is not nil, of (x[i][p] - mu[p])², in chunks of statRows rows on ws.
func sumRows(ws *tensor.Workers, x *tensor.F32Matrix, sum, mu []float64) {
	n, k := x.Rows, x.Cols
	chunks := (n + statRows - 1) / statRows
	part := make([]float64, chunks*k)
	ws.For(chunks, 1, 2*float64(n)*float64(k), func(lo, hi int) {
		for c := lo; c < hi; c++ {
			s := part[c*k : (c+1)*k]
			for i := c * statRows; i < min(n, (c+1)*statRows); i++ {
				row := x.Row(i)[:k]
				if mu == nil {
					for p, v := range row {
						s[p] += float64(v)
					}
					continue
				}
				for p, v := range row {
					d := float64(v) - mu[p]
					s[p] += d * d
				}
			}
		}
	})
	for c := range chunks {
		for p, v := range part[c*k : (c+1)*k] {
			sum[p] += v
		}
	}
}

// standardized returns a copy of d's feature vectors (compact, the rows
// picked by its index in order) standardized with mean and scale, made on
// ws; d itself is not changed.
func standardized(ws *tensor.Workers, d Dataset, mean, scale []float32) Dataset {
	x := d.Features
	out := &tensor.F32Matrix{Rows: x.Rows, Cols: x.Cols, Stride: x.Cols, Data: make([]float32, x.Rows*x.Cols)}
	ws.For(x.Rows, 1, 2*float64(x.Rows)*float64(x.Cols), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			standardizeRow(out.Data[i*x.Cols:(i+1)*x.Cols], x.Row(i), mean, scale)
		}
	})
	return Dataset{Features: out, Labels: d.Labels}
}

// standardizeRow sets dst[p] = (src[p] - mean[p]) * scale[p].
func standardizeRow(dst, src, mean, scale []float32) {
	dst = dst[:len(src)]
	mean, scale = mean[:len(src)], scale[:len(src)]
	for p, v := range src {
		dst[p] = (v - mean[p]) * scale[p]
	}
}

// forwardF32 is forward for feature vectors already standardized (or of a
// model without a standardization).
func (m *Dense) forwardF32(ws *tensor.Workers, logits *tensor.Matrix, x *tensor.F32Matrix) error {
	if logits == nil || x == nil {
		return fmt.Errorf("%w: nil logits or features", tensor.ErrShape)
	}
	if logits.Cols != m.W.Rows || x.Cols != m.W.Cols || logits.Rows != x.Rows {
		return fmt.Errorf("%w: features %dx%d and logits %dx%d for a %d-input %d-class layer",
			tensor.ErrShape, x.Rows, x.Cols, logits.Rows, logits.Cols, m.W.Cols, m.W.Rows)
	}
	if err := logits.Validate(); err != nil {
		return fmt.Errorf("logits: %w", err)
	}
	return ws.MatMulF32TBias(1, x, m.W, m.Bias, logits)
}

// rowPool holds buffers of one standardized feature vector for
// PredictFeatures.
var rowPool sync.Pool

// PredictFeatures returns the most likely class of one feature vector of
// Inputs() values and its probability, for a model of features: the vector
// is standardized with the model's Mean and Scale (if any), then goes
// through tensor.MatVecF32Bias and tensor.ArgmaxProb. It is safe for
// concurrent use and allocates nothing once warm.
func (m *Dense) PredictFeatures(x []float32) (class int, prob float32, err error) {
	if err := m.checkShape(); err != nil {
		return 0, 0, err
	}
	if !m.Features {
		return 0, 0, fmt.Errorf("%w: a feature vector given to a model of images", ErrData)
	}
	n, k := m.W.Cols, m.W.Rows
	if len(x) != n {
		return 0, 0, fmt.Errorf("%w: %d features for a %d-input model", ErrData, len(x), n)
	}
	if m.Mean != nil {
		b, _ := rowPool.Get().(*[]float32)
		if b == nil || cap(*b) < n {
			b = new([]float32)
			*b = make([]float32, n)
		}
		defer rowPool.Put(b)
		xs := (*b)[:n]
		standardizeRow(xs, x, m.Mean, m.Scale)
		x = xs
	}
	var zbuf [stackClasses]float32
	z := zbuf[:min(k, stackClasses)]
	if k > stackClasses {
		s := getScratch(k)
		defer putScratch(s)
		z = s.z[:k:k]
	}
	if err := tensor.MatVecF32Bias(1, x, m.W, m.Bias, z); err != nil {
		return 0, 0, fmt.Errorf("%w: %w", ErrData, err)
	}
	class, prob = pick(z)
	return class, prob, nil
}
