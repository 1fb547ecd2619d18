package softmax

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/softmax-fast/softmax-fast/tensor"
)

var (
	// ErrDiverged is returned (wrapped, with the epoch and step) when
	// training produces a non-finite loss or non-finite weights; a smaller
	// learning rate usually helps.
	ErrDiverged = errors.New("softmax: training diverged")
	// ErrOption is returned (wrapped) for a Trainer or SGD option out of
	// range.
	ErrOption = errors.New("softmax: invalid option")
	// ErrData is returned (wrapped) for a data set that does not fit the
	// model: wrong image size, labels and images of different counts.
	ErrData = errors.New("softmax: invalid data")
	// ErrLabel is returned (wrapped) for a label that is not below the
	// number of classes.
	ErrLabel = errors.New("softmax: label out of range")
)

// Dataset is a set of labelled images: row i of Images (one image of
// Inputs() pixels per row, possibly picked by Images.Index) has class
// Labels[i].
type Dataset struct {
	Images *tensor.U8Matrix
	Labels []uint8
}

// Len returns the number of examples.
func (d Dataset) Len() int {
	if d.Images == nil {
		return 0
	}
	return d.Images.Rows
}

// check validates d against a model with the given inputs and classes.
func (d Dataset) check(name string, inputs, classes int) error {
	if err := checkImages(name, d.Images, inputs); err != nil {
		return err
	}
	if d.Images.Rows != len(d.Labels) {
		return fmt.Errorf("%w: %s set has %d images but %d labels", ErrData, name, d.Images.Rows, len(d.Labels))
	}
	for i, y := range d.Labels {
		if int(y) >= classes {
			return fmt.Errorf("%w: %s label %d is %d, want < %d classes", ErrLabel, name, i, y, classes)
		}
	}
	return nil
}

// checkImages validates the header (and index) of a set of images for a
// model with the given inputs.
func checkImages(name string, x *tensor.U8Matrix, inputs int) error {
	if x == nil {
		return fmt.Errorf("%w: %s set has no images", ErrData, name)
	}
	if x.Cols != inputs {
		return fmt.Errorf("%w: %s images have %d pixels, the model %d inputs", ErrData, name, x.Cols, inputs)
	}
	if err := x.Validate(); err != nil {
		return fmt.Errorf("%w: %s images: %w", ErrData, name, err)
	}
	return nil
}

// rowOf returns the row of x.Data that holds example i.
func rowOf(x *tensor.U8Matrix, i int) int32 {
	if x.Index != nil {
		return x.Index[i]
	}
	return int32(i)
}

// EpochStats are the metrics of one epoch of training.
type EpochStats struct {
	Epoch    int     // counted from 1
	LR       float64 // the learning rate used in this epoch
	Loss     float64 // mean training loss, accumulated during the epoch
	TrainAcc float64 // training accuracy, each batch before its update
	TestAcc  float64 // test accuracy after the epoch; NaN without a test set
	// TrainTime is the time of the epoch's training steps (shuffling
	// included); EvalTime that of the test-set evaluation.
	TrainTime, EvalTime time.Duration
}

// divergedLoss is the mean loss of a minibatch above which training is taken
// to have diverged. The fused loss is stable, so a learning rate that is far
// too large (1e30, say) need not produce Inf or NaN: the weights just grow
// and the loss with them. A mean of 1000 nats gives the true class a
// probability of e**-1000 on average, which takes logits in the thousands;
// a useful run starts near ln(classes) and goes down.
const divergedLoss = 1000

// Trainer trains a Dense layer by minibatch SGD on the fused softmax
// cross-entropy. The zero value follows the Gluon chapter "Softmax
// Regression": 5 epochs of minibatches of 256, reshuffled every epoch, plain
// SGD with learning rate 0.1.
type Trainer struct {
	// Epochs is the number of passes over the training set; 0 means 5.
	Epochs int
	// BatchSize is the number of examples per step; 0 means 256. The last
	// batch of an epoch holds the remainder (its loss is the mean over its
	// own examples).
	BatchSize int
	// Seed seeds the PCG generator (math/rand/v2) that shuffles the
	// examples before every epoch.
	Seed uint64
	// SGD holds the learning rate and the optimizer's options.
	SGD SGD
	// Threads, when > 0, is the most goroutines a product may use during
	// Fit: Fit calls tensor.SetThreads(Threads) and restores the previous
	// value of tensor.Threads() when it returns. That setting is
	// process-wide, so concurrent Fits (or other users of tensor) should
	// agree on it. The trained weights do not depend on it.
	Threads int
	// OnEpoch, if not nil, is called after each epoch with its metrics;
	// an error from it stops training and Fit returns that error.
	OnEpoch func(EpochStats) error
}

// Fit trains m on train for t.Epochs epochs and returns the metrics of each
// epoch. If test has images, its accuracy is measured after every epoch.
//
// Every step checks ctx and stops with ctx.Err() (after completing the step
// in progress) once it is done. A non-finite loss or weights stop training
// with an error wrapping ErrDiverged. On any error Fit returns the metrics of
// the epochs completed so far; m then holds the weights of the last step.
//
// Training is deterministic: the same model, data, options and Seed give
// bitwise-identical weights whatever the number of threads (on one ISA
// level; see package tensor). Fit must not run concurrently with other uses
// of m.
func (t *Trainer) Fit(ctx context.Context, m *Dense, train, test Dataset) ([]EpochStats, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if t == nil {
		t = &Trainer{}
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	epochs, batch := t.Epochs, t.BatchSize
	if epochs == 0 {
		epochs = 5
	}
	if batch == 0 {
		batch = 256
	}
	if epochs < 0 {
		return nil, fmt.Errorf("%w: %d epochs", ErrOption, epochs)
	}
	if batch < 0 {
		return nil, fmt.Errorf("%w: batch size %d", ErrOption, batch)
	}
	if t.Threads < 0 {
		return nil, fmt.Errorf("%w: %d threads", ErrOption, t.Threads)
	}
	if err := t.SGD.Validate(); err != nil {
		return nil, err
	}
	if err := train.check("training", m.Inputs(), m.Classes()); err != nil {
		return nil, err
	}
	n := train.Images.Rows
	if n == 0 {
		return nil, fmt.Errorf("%w: empty training set", ErrData)
	}
	hasTest := test.Images != nil
	if hasTest {
		if err := test.check("test", m.Inputs(), m.Classes()); err != nil {
			return nil, err
		}
	}
	if t.Threads > 0 {
		prev := tensor.Threads()
		tensor.SetThreads(t.Threads)
		defer tensor.SetThreads(prev)
	}
	// A persistent pool of workers for the products of every step, stopped
	// when Fit returns (see tensor.StartWorkers).
	defer tensor.StartWorkers(tensor.Threads())()
	batch = min(batch, n)
	opt := t.SGD.withDefaults()
	st := newStepper(m, train.Images, batch, opt.Momentum != 0)
	rng := rand.New(rand.NewPCG(t.Seed, shuffleStream))
	perm := make([]int32, n) // positions in train, reshuffled every epoch
	for i := range perm {
		perm[i] = int32(i)
	}
	var stats []EpochStats
	for e := 1; e <= epochs; e++ {
		lr := opt.LRAt(e)
		start := time.Now()
		rng.Shuffle(n, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		var lossSum float64
		var correct int
		for lo, step := 0, 1; lo < n; lo, step = lo+batch, step+1 {
			if err := ctx.Err(); err != nil {
				return stats, err
			}
			hi := min(lo+batch, n)
			for i, p := range perm[lo:hi] {
				st.idx[i] = rowOf(train.Images, int(p))
				st.labels[i] = train.Labels[p]
			}
			loss, c, err := st.step(hi-lo, lr, opt.Momentum, opt.WeightDecay)
			if err != nil {
				return stats, err
			}
			if math.IsNaN(loss) || math.IsInf(loss, 0) {
				return stats, fmt.Errorf("%w: epoch %d, step %d: the loss is %v (learning rate %g)", ErrDiverged, e, step, loss, lr)
			}
			if mean := loss / float64(hi-lo); mean > divergedLoss {
				return stats, fmt.Errorf("%w: epoch %d, step %d: the mean loss is %.3g, above %v (learning rate %g)", ErrDiverged, e, step, mean, float64(divergedLoss), lr)
			}
			lossSum += loss
			correct += c
		}
		es := EpochStats{
			Epoch:     e,
			LR:        lr,
			Loss:      lossSum / float64(n),
			TrainAcc:  float64(correct) / float64(n),
			TestAcc:   math.NaN(),
			TrainTime: time.Since(start),
		}
		if !m.Finite() {
			return stats, fmt.Errorf("%w: epoch %d: the weights are no longer finite (learning rate %g)", ErrDiverged, e, lr)
		}
		if hasTest {
			start := time.Now()
			c, err := m.evaluate(test, nil)
			if err != nil {
				return stats, err
			}
			es.EvalTime = time.Since(start)
			if test.Len() > 0 {
				es.TestAcc = float64(c) / float64(test.Len())
			}
		}
		stats = append(stats, es)
		if t.OnEpoch != nil {
			if err := t.OnEpoch(es); err != nil {
				return stats, err
			}
		}
	}
	return stats, nil
}
