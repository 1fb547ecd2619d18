package softmax

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"unicode/utf8"

	"github.com/softmax-fast/softmax-fast/tensor"
)

// Limits on a model's size, enforced by NewDense, Validate and the model
// reader (which checks them before allocating anything).
const (
	MaxInputs     = 1 << 24 // inputs (pixels) per example
	MaxClasses    = 1 << 16 // output classes
	MaxWeights    = 1 << 26 // inputs*classes (256 MiB of float32)
	MaxNameLength = 1 << 10 // bytes of UTF-8 in one class name
)

// ErrModel is returned (wrapped, with the reason) when a Dense is not
// internally consistent: nil weights, a bias of the wrong length, sizes out
// of range.
var ErrModel = errors.New("softmax: invalid model")

// Dense is a dense layer with softmax output: for an input x of Inputs()
// values, the logits are z = W·x' + Bias and the class probabilities
// softmax(z), where x' is the input scaled. A model of images (Features
// false) reads uint8 pixels and x' = x/255, the usual scaling of pixels to
// [0, 1], folded into the products. A model of features (Features true)
// reads float32 values and x' = (x - Mean)·Scale, element by element, when
// it has a standardization (Mean and Scale, see Standardization), else
// x' = x.
//
// W is class-major: row c holds the weights of class c (W.Rows == classes,
// W.Cols == inputs), so that each class's weights are contiguous.
//
// A Dense may be read from many goroutines at once (Predict, PredictBatch,
// Accuracy, Confusion, Save), but not while it is being trained.
type Dense struct {
	W     *tensor.Matrix // classes x inputs
	Bias  []float32      // one per class
	Names []string       // optional class names: nil, or one per class

	// Features makes the model one of float32 feature vectors
	// (Dataset.Features, PredictFeatures) instead of uint8 images; each
	// kind refuses the other's data.
	Features bool
	// Mean and Scale, in a model of features, are nil or one finite value
	// per input each: the standardization applied to every input before the
	// layer. Fit sets them from the training set (see Trainer.NoStandardize).
	Mean, Scale []float32
}

// NewDense returns a layer with inputs inputs and classes classes, its
// weights drawn from a normal distribution with mean 0 and standard
// deviation sigma by a PCG generator seeded with seed (math/rand/v2), row by
// row, and its bias zero. The same arguments always give the same weights.
func NewDense(inputs, classes int, sigma float64, seed uint64) (*Dense, error) {
	if err := checkSize(inputs, classes); err != nil {
		return nil, err
	}
	if !(sigma >= 0) || math.IsInf(sigma, 0) {
		return nil, fmt.Errorf("%w: sigma %v is not a finite number >= 0", ErrModel, sigma)
	}
	m := &Dense{W: tensor.NewMatrix(classes, inputs), Bias: make([]float32, classes)}
	r := rand.New(rand.NewPCG(seed, initStream))
	for i := range m.W.Data {
		m.W.Data[i] = float32(r.NormFloat64() * sigma)
	}
	return m, nil
}

// Streams of the PCG generators, so that the weights and the shuffling of a
// run drawn from the same seed are independent.
const (
	initStream    = 0x736d782d696e6974 // "smx-init"
	shuffleStream = 0x736d782d73687566 // "smx-shuf"
)

func checkSize(inputs, classes int) error {
	if inputs < 1 || inputs > MaxInputs {
		return fmt.Errorf("%w: %d inputs, want 1..%d", ErrModel, inputs, MaxInputs)
	}
	if classes < 1 || classes > MaxClasses {
		return fmt.Errorf("%w: %d classes, want 1..%d", ErrModel, classes, MaxClasses)
	}
	if inputs*classes > MaxWeights {
		return fmt.Errorf("%w: %d inputs x %d classes is more than %d weights", ErrModel, inputs, classes, MaxWeights)
	}
	return nil
}

// Inputs returns the number of inputs (W.Cols), 0 for an invalid model.
func (m *Dense) Inputs() int {
	if m == nil || m.W == nil {
		return 0
	}
	return m.W.Cols
}

// Classes returns the number of classes (W.Rows), 0 for an invalid model.
func (m *Dense) Classes() int {
	if m == nil || m.W == nil {
		return 0
	}
	return m.W.Rows
}

// Validate reports whether m is consistent: W present with a valid header
// and sizes within the limits, Bias of one value per class, Names nil or
// one valid UTF-8 string of at most MaxNameLength bytes per class. It does
// not look at the values (see Finite).
func (m *Dense) Validate() error {
	if m == nil || m.W == nil {
		return fmt.Errorf("%w: no weights", ErrModel)
	}
	w := m.W
	if err := checkSize(w.Cols, w.Rows); err != nil {
		return err
	}
	if err := w.Validate(); err != nil {
		return fmt.Errorf("%w: W: %w", ErrModel, err)
	}
	if len(m.Bias) != w.Rows {
		return fmt.Errorf("%w: %d bias values for %d classes", ErrModel, len(m.Bias), w.Rows)
	}
	if err := m.checkStandardization(); err != nil {
		return err
	}
	if m.Names != nil {
		if len(m.Names) != w.Rows {
			return fmt.Errorf("%w: %d class names for %d classes", ErrModel, len(m.Names), w.Rows)
		}
		for i, s := range m.Names {
			if len(s) > MaxNameLength || !utf8.ValidString(s) {
				return fmt.Errorf("%w: class name %d is not valid UTF-8 of at most %d bytes", ErrModel, i, MaxNameLength)
			}
		}
	}
	return nil
}

// Finite reports whether every weight and bias is finite (no NaN or Inf);
// it is false for an invalid model.
func (m *Dense) Finite() bool {
	if m.Validate() != nil {
		return false
	}
	for c := range m.W.Rows {
		for _, v := range m.W.Row(c) {
			if !isFinite32(v) {
				return false
			}
		}
	}
	for _, s := range [][]float32{m.Bias, m.Mean, m.Scale} {
		for _, v := range s {
			if !isFinite32(v) {
				return false
			}
		}
	}
	return true
}

func isFinite32(v float32) bool { return v-v == 0 }

// Clone returns a deep copy of m (with a compact W), or nil if m is not
// valid (see Validate).
func (m *Dense) Clone() *Dense {
	if m.Validate() != nil {
		return nil
	}
	c := &Dense{W: tensor.NewMatrix(m.W.Rows, m.W.Cols), Bias: append([]float32(nil), m.Bias...)}
	for i := range m.W.Rows {
		copy(c.W.Row(i), m.W.Row(i))
	}
	if m.Names != nil {
		c.Names = append([]string(nil), m.Names...)
	}
	c.Features = m.Features
	if m.Mean != nil {
		c.Mean, c.Scale = append([]float32(nil), m.Mean...), append([]float32(nil), m.Scale...)
	}
	return c
}

// Forward computes the logits of the images in x into logits:
// logits[i][c] = sum_p x[i][p]*W[c][p]/255 + Bias[c]. x has one image of
// Inputs() pixels per row (its rows may be picked by x.Index), logits is
// x.Rows x Classes(). The product runs on tensor.MatMulU8TBias, across up to
// GOMAXPROCS goroutines, with a result independent of that number.
func (m *Dense) Forward(logits *tensor.Matrix, x *tensor.U8Matrix) error {
	if err := m.Validate(); err != nil {
		return err
	}
	if m.Features {
		return fmt.Errorf("%w: images given to a model of feature vectors", ErrData)
	}
	return m.forward(nil, logits, x)
}

// forward is Forward on a valid model, on the threads of ws.
func (m *Dense) forward(ws *tensor.Workers, logits *tensor.Matrix, x *tensor.U8Matrix) error {
	if logits == nil || x == nil {
		return fmt.Errorf("%w: nil logits or images", tensor.ErrShape)
	}
	if logits.Cols != m.W.Rows || x.Cols != m.W.Cols || logits.Rows != x.Rows {
		return fmt.Errorf("%w: images %dx%d and logits %dx%d for a %d-input %d-class layer",
			tensor.ErrShape, x.Rows, x.Cols, logits.Rows, logits.Cols, m.W.Cols, m.W.Rows)
	}
	if err := logits.Validate(); err != nil {
		return fmt.Errorf("logits: %w", err)
	}
	return ws.MatMulU8TBias(1.0/255, x, m.W, m.Bias, logits)
}
