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
	z []float32 // logits: one image's, or chunkRows images'
	c tensor.Matrix
	v tensor.U8Matrix
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
	if err := checkImages("prediction", x, m.W.Cols); err != nil {
		return err
	}
	if len(classes) != x.Rows || probs != nil && len(probs) != x.Rows {
		return fmt.Errorf("%w: %d images but %d classes and %d probabilities", ErrData, x.Rows, len(classes), len(probs))
	}
	var ws *tensor.Workers // GOMAXPROCS goroutines
	return m.chunks(ws, x, func(lo int, z *tensor.Matrix) {
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

// chunks computes the logits of x chunkRows images at a time, on the
// threads of ws, and calls f with the index of each chunk's first image and
// its logits.
func (m *Dense) chunks(ws *tensor.Workers, x *tensor.U8Matrix, f func(lo int, z *tensor.Matrix)) error {
	k := m.W.Rows
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
	c, err := m.evaluate(nil, d, nil)
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
	if _, err := m.evaluate(nil, d, counts); err != nil {
		return nil, err
	}
	return counts, nil
}

// evaluate counts the correct predictions of m on d and, if counts is not
// nil, adds each (label, prediction) pair to it, on the threads of ws.
func (m *Dense) evaluate(ws *tensor.Workers, d Dataset, counts [][]int) (correct int, err error) {
	if err := m.checkShape(); err != nil {
		return 0, err
	}
	if err := d.check("evaluation", m.W.Cols, m.W.Rows); err != nil {
		return 0, err
	}
	err = m.chunks(ws, d.Images, func(lo int, z *tensor.Matrix) {
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
