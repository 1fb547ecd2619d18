package softmax

import (
	"fmt"
	"sync"

	"github.com/softmax-fast/softmax-fast/tensor"
)

// chunkRows is the number of images whose logits are computed at once by
// the batch functions: a test set of 10,000 in one product (one start and
// join of the threads instead of one per few hundred images), its logits
// (640 KB at most for ten classes) still in L2.
const chunkRows = 16384

// pickWork is the cost of picking the class of one row of logits, in
// floating-point operations at full speed, for tensor.Workers.For's decision
// to split the rows between threads.
const pickWork = 1000

// scratch holds the buffers of one batch call (or a Predict with many
// classes); it comes from a pool so that calls rarely allocate.
type scratch struct {
	z  []float32 // logits: one image's, or chunkRows images'
	c  tensor.Matrix
	v  tensor.U8Matrix
	fv tensor.F32Matrix
	xs []float32 // a chunk's standardized feature vectors
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// predsPool holds the predicted classes of a chunk of an evaluation.
var predsPool = sync.Pool{New: func() any { return new([]int32) }}

func getPreds(n int) *[]int32 {
	p := predsPool.Get().(*[]int32)
	if cap(*p) < n {
		*p = make([]int32, n)
	}
	*p = (*p)[:n]
	return p
}

func getScratch(nz int) *scratch {
	s := scratchPool.Get().(*scratch)
	if cap(s.z) < nz {
		s.z = make([]float32, nz)
	}
	s.z = s.z[:nz]
	return s
}

func putScratch(s *scratch) {
	s.v.Data, s.v.Index, s.c.Data = nil, nil, nil // keep no data set alive
	s.fv.Data, s.fv.Index = nil, nil
	scratchPool.Put(s)
}

// checkShape is the part of Validate that the hot paths need.
func (m *Dense) checkShape() error {
	if m == nil || m.W == nil {
		return fmt.Errorf("%w: no weights", ErrModel)
	}
	w := m.W
	if w.Rows < 1 || w.Cols < 1 || w.Validate() != nil || len(m.Bias) != w.Rows {
		return m.Validate()
	}
	return nil
}

// stackClasses is the most classes whose logits Predict keeps on the stack.
const stackClasses = 64

// Predict returns the most likely class of one image of Inputs() pixels and
// its probability. It is safe for concurrent use and allocates nothing once
// warm (the logits stay on the stack up to 64 classes): one pass of
// tensor.MatVecU8Bias over the pixels per ten classes, then
// tensor.ArgmaxProb. Its logits are summed in a different order from those
// of PredictBatch, so the two agree up to rounding.
func (m *Dense) Predict(image []uint8) (class int, prob float32, err error) {
	if err := m.checkShape(); err != nil {
		return 0, 0, err
	}
	if m.Features {
		return 0, 0, fmt.Errorf("%w: an image given to a model of feature vectors", ErrData)
	}
	n, k := m.W.Cols, m.W.Rows
	if len(image) != n {
		return 0, 0, fmt.Errorf("%w: image of %d pixels for a %d-input model", ErrData, len(image), n)
	}
	var zbuf [stackClasses]float32
	z := zbuf[:min(k, stackClasses)]
	if k > stackClasses {
		s := getScratch(k)
		defer putScratch(s)
		z = s.z[:k:k]
	}
	if err := tensor.MatVecU8Bias(1.0/255, image, m.W, m.Bias, z); err != nil {
		return 0, 0, fmt.Errorf("%w: %w", ErrData, err)
	}
	class, prob = pick(z)
	return class, prob, nil
}

// pick returns the index of the largest value of z (the first one on ties,
// the first NaN if any) and its softmax probability (NaN if that value is
// NaN or infinite).
func pick(z []float32) (int, float32) {
	arg, p, _ := tensor.ArgmaxProb(z) // z is never empty: a model has classes
	return arg, p
}

// argmax returns the index and value of the largest element of z (the first
// one on ties; the first NaN if z holds one).
func argmax(z []float32) (int, float32) {
	arg, m := 0, z[0]
	for j, v := range z {
		if v > m || v != v && m == m {
			arg, m = j, v
		}
	}
	return arg, m
}

// PredictBatch sets classes[i] to the most likely class of image i of x
// (one image of Inputs() pixels per row, possibly picked by x.Index) and, if
// probs is not nil, probs[i] to its probability. It uses the same products
// as training (tensor.MatMulU8TBias) and is safe for concurrent use.
func (m *Dense) PredictBatch(x *tensor.U8Matrix, classes []int, probs []float32) error {
	if err := m.checkShape(); err != nil {
		return err
	}
	if m.Features {
		return fmt.Errorf("%w: images given to a model of feature vectors", ErrData)
	}
	if err := checkImages("prediction", x, false, m.W.Cols); err != nil {
		return err
	}
	return m.predictBatch(Dataset{Images: x}, classes, probs)
}

// PredictBatchFeatures is PredictBatch for a model of features: x holds one
// feature vector of Inputs() values per row, standardized as the model says
// before the product (tensor.MatMulF32TBias).
func (m *Dense) PredictBatchFeatures(x *tensor.F32Matrix, classes []int, probs []float32) error {
	if err := m.checkShape(); err != nil {
		return err
	}
	if !m.Features {
		return fmt.Errorf("%w: feature vectors given to a model of images", ErrData)
	}
	if err := checkFeatures("prediction", x, false, m.W.Cols); err != nil {
		return err
	}
	return m.predictBatch(Dataset{Features: x}, classes, probs)
}

// predictBatch is PredictBatch and PredictBatchFeatures on checked data.
func (m *Dense) predictBatch(d Dataset, classes []int, probs []float32) error {
	n := d.Len()
	if len(classes) != n || probs != nil && len(probs) != n {
		return fmt.Errorf("%w: %d examples but %d classes and %d probabilities", ErrData, n, len(classes), len(probs))
	}
	var ws *tensor.Workers // GOMAXPROCS goroutines
	return m.chunks(ws, d, false, func(lo int, z *tensor.Matrix) {
		ws.For(z.Rows, 64, float64(z.Rows)*pickWork, func(a, b int) {
			for i := a; i < b; i++ {
				row := z.Row(i)
				if probs == nil {
					classes[lo+i], _ = argmax(row)
				} else {
					classes[lo+i], probs[lo+i] = pick(row)
				}
			}
		})
	})
}

// featureChunkBytes bounds the standardized copy of a chunk of feature
// vectors (so that it stays in L2 until the product reads it).
const featureChunkBytes = 1 << 20

// chunks computes the logits of d's examples a chunk at a time, on the
// threads of ws, and calls f with the index of each chunk's first example
// and its logits. Feature vectors are standardized as the model says first,
// unless prepared (Fit's sets, standardized once beforehand).
func (m *Dense) chunks(ws *tensor.Workers, d Dataset, prepared bool, f func(lo int, z *tensor.Matrix)) error {
	if d.Features != nil {
		return m.chunksF32(ws, d.Features, prepared, f)
	}
	x, k := d.Images, m.W.Rows
	if x.Rows == 0 {
		return nil
	}
	s := getScratch(min(chunkRows, x.Rows) * k)
	defer putScratch(s)
	for lo := 0; lo < x.Rows; lo += chunkRows {
		hi := min(lo+chunkRows, x.Rows)
		s.v = *x
		s.v.Rows = hi - lo
		if x.Index != nil {
			s.v.Index = x.Index[lo:hi]
		} else {
			s.v.Data = x.Data[lo*x.Stride:]
		}
		s.c = tensor.Matrix{Rows: hi - lo, Cols: k, Stride: k, Data: s.z[:(hi-lo)*k]}
		if err := m.forward(ws, &s.c, &s.v); err != nil {
			return fmt.Errorf("%w: %w", ErrData, err)
		}
		f(lo, &s.c)
	}
	return nil
}

// Accuracy returns the fraction of the examples of d that m classifies
// correctly (0 for an empty set). Like PredictBatch it is batched on the
// training kernels and safe for concurrent use.
func (m *Dense) Accuracy(d Dataset) (float64, error) {
	c, err := m.evaluate(nil, d, nil, false)
	if err != nil || d.Len() == 0 {
		return 0, err
	}
	return float64(c) / float64(d.Len()), nil
}

// Confusion returns the confusion matrix of m on d: counts[y][p] is the
// number of examples of class y predicted as class p. The diagonal sums to
// the number of correct predictions.
func (m *Dense) Confusion(d Dataset) (counts [][]int, err error) {
	if err := m.checkShape(); err != nil {
		return nil, err
	}
	k := m.W.Rows
	counts = make([][]int, k)
	flat := make([]int, k*k)
	for i := range counts {
		counts[i] = flat[i*k : (i+1)*k : (i+1)*k]
	}
	if _, err := m.evaluate(nil, d, counts, false); err != nil {
		return nil, err
	}
	return counts, nil
}

// evaluate counts the correct predictions of m on d and, if counts is not
// nil, adds each (label, prediction) pair to it, on the threads of ws. With
// prepared, d's feature vectors are already standardized.
func (m *Dense) evaluate(ws *tensor.Workers, d Dataset, counts [][]int, prepared bool) (correct int, err error) {
	if err := m.checkShape(); err != nil {
		return 0, err
	}
	if err := d.check("evaluation", m.W.Cols, m.W.Rows, m.Features); err != nil {
		return 0, err
	}
	err = m.chunks(ws, d, prepared, func(lo int, z *tensor.Matrix) {
		s := getPreds(z.Rows)
		defer predsPool.Put(s)
		preds := *s
		ws.For(z.Rows, 64, float64(z.Rows)*pickWork, func(a, b int) {
			for i := a; i < b; i++ {
				p, _ := argmax(z.Row(i))
				preds[i] = int32(p)
			}
		})
		for i, p := range preds {
			y := int(d.Labels[lo+i])
			if int(p) == y {
				correct++
			}
			if counts != nil {
				counts[y][p]++
			}
		}
	})
	return correct, err
}

// chunksF32 is chunks for feature vectors.
func (m *Dense) chunksF32(ws *tensor.Workers, x *tensor.F32Matrix, prepared bool, f func(lo int, z *tensor.Matrix)) error {
	k, n := m.W.Rows, x.Cols
	if x.Rows == 0 {
		return nil
	}
	std := m.Mean != nil && !prepared
	step := chunkRows
	if std {
		step = max(1, min(chunkRows, featureChunkBytes/(4*n)))
	}
	s := getScratch(min(step, x.Rows) * k)
	defer putScratch(s)
	if std && cap(s.xs) < min(step, x.Rows)*n {
		s.xs = make([]float32, min(step, x.Rows)*n)
	}
	for lo := 0; lo < x.Rows; lo += step {
		hi := min(lo+step, x.Rows)
		s.fv = *x
		s.fv.Rows = hi - lo
		switch {
		case std:
			for i := lo; i < hi; i++ {
				standardizeRow(s.xs[(i-lo)*n:(i-lo+1)*n], x.Row(i), m.Mean, m.Scale)
			}
			s.fv = tensor.F32Matrix{Rows: hi - lo, Cols: n, Stride: n, Data: s.xs[:(hi-lo)*n]}
		case x.Index != nil:
			s.fv.Index = x.Index[lo:hi]
		default:
			s.fv.Data = x.Data[lo*x.Stride:]
		}
		s.c = tensor.Matrix{Rows: hi - lo, Cols: k, Stride: k, Data: s.z[:(hi-lo)*k]}
		if err := m.forwardF32(ws, &s.c, &s.fv); err != nil {
			return fmt.Errorf("%w: %w", ErrData, err)
		}
		f(lo, &s.c)
	}
	return nil
}
