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

// Dataset is a set of labelled examples, either uint8 images or float32
// feature vectors: row i of Images (one image of Inputs() pixels per row) or
// of Features (one vector of Inputs() values per row), possibly picked by
// the matrix's Index, has class Labels[i]. Exactly one of Images and
// Features is set (neither: an empty set); a model of images (Dense.Features
// false) takes only images, a model of features only features.
type Dataset struct {
	Images   *tensor.U8Matrix
	Features *tensor.F32Matrix
	Labels   []uint8
}

// Len returns the number of examples.
func (d Dataset) Len() int {
	switch {
	case d.Images != nil:
		return d.Images.Rows
	case d.Features != nil:
		return d.Features.Rows
	}
	return 0
}

// has reports whether d holds a matrix (of images or features), empty or not.
func (d Dataset) has() bool { return d.Images != nil || d.Features != nil }

// rowOf returns the row of the data matrix that holds example i.
func (d Dataset) rowOf(i int) int32 {
	var index []int32
	if d.Images != nil {
		index = d.Images.Index
	} else {
		index = d.Features.Index
	}
	if index != nil {
		return index[i]
	}
	return int32(i)
}

// check validates d against a model with the given inputs and classes, of
// features or of images.
func (d Dataset) check(name string, inputs, classes int, features bool) error {
	if d.Images != nil && d.Features != nil {
		return fmt.Errorf("%w: %s set has both images and features", ErrData, name)
	}
	if features {
		if err := checkFeatures(name, d.Features, d.Images != nil, inputs); err != nil {
			return err
		}
	} else if err := checkImages(name, d.Images, d.Features != nil, inputs); err != nil {
		return err
	}
	if d.Len() != len(d.Labels) {
		return fmt.Errorf("%w: %s set has %d examples but %d labels", ErrData, name, d.Len(), len(d.Labels))
	}
	for i, y := range d.Labels {
		if int(y) >= classes {
			return fmt.Errorf("%w: %s label %d is %d, want < %d classes", ErrLabel, name, i, y, classes)
		}
	}
	return nil
}

// checkImages validates the header (and index) of a set of images for a
// model with the given inputs; hasFeatures tells a set of the other kind.
func checkImages(name string, x *tensor.U8Matrix, hasFeatures bool, inputs int) error {
	if x == nil {
		if hasFeatures {
			return fmt.Errorf("%w: %s set holds feature vectors, but the model reads images", ErrData, name)
		}
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

// checkFeatures validates the header (and index) of a set of feature
// vectors for a model with the given inputs; hasImages tells a set of the
// other kind.
func checkFeatures(name string, x *tensor.F32Matrix, hasImages bool, inputs int) error {
	if x == nil {
		if hasImages {
			return fmt.Errorf("%w: %s set holds images, but the model reads feature vectors", ErrData, name)
		}
		return fmt.Errorf("%w: %s set has no feature vectors", ErrData, name)
	}
	if x.Cols != inputs {
		return fmt.Errorf("%w: %s set has %d features, the model %d inputs", ErrData, name, x.Cols, inputs)
	}
	if err := x.Validate(); err != nil {
		return fmt.Errorf("%w: %s features: %w", ErrData, name, err)
	}
	return nil
}

// EpochStats are the metrics of one epoch of training.
type EpochStats struct {
	Epoch    int     // counted from 1
	LR       float64 // the learning rate used in this epoch
	Loss     float64 // mean training loss, accumulated during the epoch
	TrainAcc float64 // training accuracy, each batch before its update
	TestAcc  float64 // test accuracy after the epoch; NaN without a test set
	ValAcc   float64 // validation accuracy after the epoch; NaN without a validation set
	// Best reports that the epoch's validation accuracy is the best so far
	// (strictly above every earlier epoch's), so that with EarlyStop its
	// weights are the ones kept.
	Best bool
	// TrainTime is the time of the epoch's training steps (shuffling
	// included); EvalTime that of the validation and test evaluations.
	TrainTime, EvalTime time.Duration
}

// divergedLoss is the mean cross-entropy of a minibatch above which training
// is taken to have diverged, whatever the training loss (the GCE is bounded
// by 1/q, so it cannot tell). The fused loss is stable, so a learning rate
// that is far too large (1e30, say) need not produce Inf or NaN: the weights
// just grow
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
	// Threads is the number of threads Fit runs on; 0 means GOMAXPROCS.
	// Each Fit has threads of its own (a tensor.Workers that lives as long
	// as the Fit), so concurrent Fits do not share them. The trained
	// weights do not depend on it.
	Threads int
	// OnEpoch, if not nil, is called after each epoch with its metrics;
	// an error from it stops training and Fit returns that error.
	OnEpoch func(EpochStats) error
	// OnStep, if not nil, is called after every step with the epoch
	// (counted from 1), the steps done in that epoch and the steps of an
	// epoch. It runs on Fit's goroutine between steps, so it should be
	// quick (a progress line, say).
	OnStep func(epoch, step, steps int)

	// Validation, if it has examples, is a held-out set whose accuracy is
	// measured after every epoch (EpochStats.ValAcc); see Dataset.Split.
	Validation Dataset
	// EarlyStop, when > 0, stops training after EarlyStop epochs in a row
	// without a validation accuracy above the best so far, and leaves m
	// with the weights of the best epoch (the first of equal ones). It
	// needs a non-empty Validation set, and is not used with Average.
	EarlyStop int
	// LabelSmoothing eps in [0, 1) trains on the targets
	// (1-eps)·onehot(label) + eps/classes instead of the labels alone.
	LabelSmoothing float64
	// GCE, when > 0, is the exponent q in (0, 1] of the generalized
	// cross-entropy (1 - p_y**q)/q of Zhang and Sabuncu (2018), mixed with
	// a share CEShare of the cross-entropy: the loss of an example whose
	// label has probability p_y is
	//
	//	CEShare·(-log p_y) + (1-CEShare)·(1 - p_y**q)/q
	//
	// and its gradient is that of the cross-entropy times
	// CEShare + (1-CEShare)·p_y**q. Examples the model finds very unlikely
	// (ambiguous or mislabelled ones, as some shirts and T-shirts are) pull
	// less than with the cross-entropy; the small share of cross-entropy
	// keeps every example pulling a little, so that no class is given up.
	// EpochStats.Loss is then the mean of that mix. GCE and LabelSmoothing
	// are not used together.
	GCE float64
	// CEShare, in [0, 1], is the share of cross-entropy in the GCE loss.
	CEShare float64
	// NoStandardize, for a model of features without a standardization,
	// trains on the feature values as they are. Otherwise Fit sets the
	// model's Mean and Scale from the training set (see Standardization)
	// and trains and evaluates on standardized copies of the feature
	// vectors (four bytes per value of every set, for the time of the Fit);
	// a model that has a standardization keeps it.
	NoStandardize bool
	// Average, when > 0, keeps the running mean of the weights after every
	// step of the last Average epochs (tail iterate averaging, a form of
	// Polyak-Ruppert averaging) and makes it the model: the metrics of
	// those epochs (but the training loss and accuracy) are those of the
	// mean, and m holds the mean when Fit returns. Average must not exceed
	// the epochs.
	Average int
}

// epochsAndBatch returns t's epochs and batch size, defaults filled in.
func (t *Trainer) epochsAndBatch() (epochs, batch int) {
	epochs, batch = t.Epochs, t.BatchSize
	if epochs == 0 {
		epochs = 5
	}
	if batch == 0 {
		batch = 256
	}
	return epochs, batch
}

// Validate reports whether t's options are in range and fit together (zero
// fields taking their defaults): nil, or an error wrapping ErrOption that
// names the option. Fit calls it before anything else; a command can call
// it to reject bad flags before loading any data.
func (t *Trainer) Validate() error {
	epochs, batch := t.epochsAndBatch()
	switch {
	case epochs < 0:
		return fmt.Errorf("%w: %d epochs", ErrOption, epochs)
	case batch < 0:
		return fmt.Errorf("%w: batch size %d", ErrOption, batch)
	case t.Threads < 0:
		return fmt.Errorf("%w: %d threads", ErrOption, t.Threads)
	}
	if err := t.SGD.Validate(); err != nil {
		return err
	}
	switch {
	case t.EarlyStop < 0:
		return fmt.Errorf("%w: early stop after %d epochs", ErrOption, t.EarlyStop)
	case t.EarlyStop > 0 && t.Validation.Len() == 0:
		return fmt.Errorf("%w: early stopping needs a validation set with images", ErrOption)
	case t.EarlyStop > 0 && t.Average > 0:
		return fmt.Errorf("%w: early stopping and averaging together (averaging may never begin)", ErrOption)
	case !(t.LabelSmoothing >= 0 && t.LabelSmoothing < 1):
		return fmt.Errorf("%w: label smoothing %v is not in [0, 1)", ErrOption, t.LabelSmoothing)
	case !(t.GCE >= 0 && t.GCE <= 1):
		return fmt.Errorf("%w: GCE exponent %v is not in [0, 1]", ErrOption, t.GCE)
	case !(t.CEShare >= 0 && t.CEShare <= 1):
		return fmt.Errorf("%w: cross-entropy share %v is not in [0, 1]", ErrOption, t.CEShare)
	case t.CEShare != 0 && t.GCE == 0:
		return fmt.Errorf("%w: a cross-entropy share without a GCE exponent", ErrOption)
	case t.GCE != 0 && t.LabelSmoothing != 0:
		return fmt.Errorf("%w: GCE and label smoothing together", ErrOption)
	case t.Average < 0 || t.Average > epochs:
		return fmt.Errorf("%w: averaging the last %d of %d epochs", ErrOption, t.Average, epochs)
	}
	return nil
}

// checkData checks the training, test and validation sets against m: the
// training set must have images, the others may be empty (no images: not
// measured).
func (t *Trainer) checkData(m *Dense, train, test Dataset) error {
	if err := train.check("training", m.Inputs(), m.Classes(), m.Features); err != nil {
		return err
	}
	if train.Len() == 0 {
		return fmt.Errorf("%w: empty training set", ErrData)
	}
	if test.has() {
		if err := test.check("test", m.Inputs(), m.Classes(), m.Features); err != nil {
			return err
		}
	}
	if t.Validation.has() {
		if err := t.Validation.check("validation", m.Inputs(), m.Classes(), m.Features); err != nil {
			return err
		}
	}
	return nil
}

// Fit trains m on train for t.Epochs epochs and returns the metrics of each
// epoch. If test has images, its accuracy is measured after every epoch.
//
// Every step checks ctx and stops with ctx.Err() (after completing the step
// in progress) once it is done. A non-finite loss or weights stop training
// with an error wrapping ErrDiverged; m then holds the weights of the last
// step. On any error Fit returns the metrics of the epochs completed so far.
//
// When Fit returns for any other reason, m holds the model it reports: the
// best epoch's weights with EarlyStop, else the running mean with Average
// (once an averaged epoch has completed; the mean then includes the steps
// of an interrupted epoch), else the weights of the last step.
//
// Training is deterministic: the same model, data, options and Seed give
// bitwise-identical weights whatever the number of threads (on one ISA
// level; see package tensor). Fit runs on t.Threads threads of its own,
// which end when it returns; several Fits may run at once on distinct
// models, but Fit must not run concurrently with other uses of m.
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
	if err := t.Validate(); err != nil {
		return nil, err
	}
	if err := t.checkData(m, train, test); err != nil {
		return nil, err
	}
	// The workers of every product of the steps and evaluations, waiting
	// between them (a step's products are shorter than waking a thread).
	ws := tensor.NewWorkers(t.Threads)
	defer ws.Close()
	if testHookWorkers != nil {
		testHookWorkers(t, ws)
	}
	val := t.Validation
	if m.Features && m.Mean == nil && !t.NoStandardize {
		mean, scale, err := standardization(ws, train)
		if err != nil {
			return nil, err
		}
		m.Mean, m.Scale = mean, scale
	}
	if m.Mean != nil {
		train = standardized(ws, train, m.Mean, m.Scale)
		if test.has() {
			test = standardized(ws, test, m.Mean, m.Scale)
		}
		if val.has() {
			val = standardized(ws, val, m.Mean, m.Scale)
		}
	}
	f := t.newFit(ws, m, train, test, val)
	for e := 1; e <= f.epochs; e++ {
		es, err := f.epoch(ctx, e)
		if err == nil {
			err = f.measure(&es)
		}
		if err != nil {
			return f.stats, t.finish(m, f.eval, f.best, err)
		}
		f.stats = append(f.stats, es)
		if t.OnEpoch != nil {
			if err := t.OnEpoch(es); err != nil {
				return f.stats, t.finish(m, f.eval, f.best, err)
			}
		}
		if t.EarlyStop > 0 && f.sinceBest >= t.EarlyStop {
			break
		}
	}
	return f.stats, t.finish(m, f.eval, f.best, nil)
}

// testHookWorkers, if not nil, is called by Fit with its Trainer and the
// Workers it runs on (tests check that each Fit has its own).
var testHookWorkers func(*Trainer, *tensor.Workers)

// fit is the state of one Fit between its epochs.
type fit struct {
	t             *Trainer
	ws            *tensor.Workers
	m             *Dense
	train, test   Dataset
	val           Dataset // t.Validation, standardized as train is
	epochs, batch int
	steps         int // per epoch
	opt           SGD // with defaults
	st            *stepper
	src           *rand.PCG
	perm          []int32 // positions in train, reshuffled every epoch
	avg           *averager
	// eval is the model whose metrics are reported and which Fit leaves in
	// m: m itself, or the running mean of its weights.
	eval      *Dense
	best      *Dense // the weights of the best epoch, with EarlyStop
	bestAcc   float64
	sinceBest int // epochs since the best validation accuracy
	stats     []EpochStats
}

// newFit prepares the training of m on train with t's (valid) options and
// data sets checked by checkData.
func (t *Trainer) newFit(ws *tensor.Workers, m *Dense, train, test, val Dataset) *fit {
	epochs, batch := t.epochsAndBatch()
	n := train.Len()
	batch = min(batch, n)
	f := &fit{
		t: t, ws: ws, m: m, train: train, test: test, val: val,
		epochs: epochs, batch: batch,
		steps:   (n + batch - 1) / batch,
		opt:     t.SGD.withDefaults(),
		src:     rand.NewPCG(t.Seed, shuffleStream),
		perm:    make([]int32, n),
		eval:    m,
		bestAcc: math.Inf(-1),
	}
	f.st = newStepper(ws, m, train, batch, f.opt, lossKind{eps: t.LabelSmoothing, q: t.GCE, beta: t.CEShare})
	for i := range f.perm {
		f.perm[i] = int32(i)
	}
	if t.Average > 0 {
		f.avg = newAverager(m)
	}
	return f
}

// epoch runs the steps of epoch e (counted from 1) on a fresh shuffle and
// returns its training metrics. It stops at the first step that finds ctx
// done, fails or diverges, with that error.
func (f *fit) epoch(ctx context.Context, e int) (EpochStats, error) {
	start := time.Now()
	t, m, train, n, batch := f.t, f.m, f.train, len(f.perm), f.batch
	shuffle(f.src, f.perm)
	averaging := f.avg != nil && e > f.epochs-t.Average
	var lossSum float64
	var correct int
	for lo, step := 0, 1; lo < n; lo, step = lo+batch, step+1 {
		if err := ctx.Err(); err != nil {
			return EpochStats{}, err
		}
		hi := min(lo+batch, n)
		for i, p := range f.perm[lo:hi] {
			f.st.idx[i] = train.rowOf(int(p))
			f.st.labels[i] = train.Labels[p]
		}
		lr := f.opt.LRAtStep(e, (e-1)*f.steps+step-1, f.epochs*f.steps)
		loss, c, err := f.st.step(hi-lo, lr)
		if err != nil {
			return EpochStats{}, err
		}
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			return EpochStats{}, fmt.Errorf("%w: epoch %d, step %d: the loss is %v (learning rate %g)", ErrDiverged, e, step, loss, lr)
		}
		// The cross-entropy, not a bounded loss such as the GCE.
		if mean := f.st.ce / float64(hi-lo); mean > divergedLoss || math.IsNaN(mean) {
			return EpochStats{}, fmt.Errorf("%w: epoch %d, step %d: the mean cross-entropy is %.3g, above %v (learning rate %g)", ErrDiverged, e, step, mean, float64(divergedLoss), lr)
		}
		lossSum += loss
		correct += c
		if averaging {
			f.avg.add(m)
		}
		if t.OnStep != nil {
			t.OnStep(e, step, f.steps)
		}
	}
	es := EpochStats{
		Epoch:     e,
		LR:        f.opt.LRAtStep(e, (e-1)*f.steps, f.epochs*f.steps),
		Loss:      lossSum / float64(n),
		TrainAcc:  float64(correct) / float64(n),
		TestAcc:   math.NaN(),
		ValAcc:    math.NaN(),
		TrainTime: time.Since(start),
	}
	if !m.Finite() {
		return EpochStats{}, fmt.Errorf("%w: epoch %d: the weights are no longer finite (learning rate %g)", ErrDiverged, e, es.LR)
	}
	if averaging {
		f.eval = f.avg.mean
	}
	return es, nil
}

// measure sets the validation and test accuracy of the model f reports
// (f.eval) in es, and keeps the best epoch's weights with EarlyStop.
func (f *fit) measure(es *EpochStats) error {
	t := f.t
	hasVal, hasTest := f.val.has(), f.test.has()
	start := time.Now()
	if hasVal {
		c, err := f.eval.evaluate(f.ws, f.val, nil, true)
		if err != nil {
			return err
		}
		if f.val.Len() > 0 {
			es.ValAcc = float64(c) / float64(f.val.Len())
		}
		if es.ValAcc > f.bestAcc {
			f.bestAcc, f.sinceBest, es.Best = es.ValAcc, 0, true
			if t.EarlyStop > 0 {
				f.best = f.eval.Clone()
			}
		} else {
			f.sinceBest++
		}
	}
	if hasTest {
		c, err := f.eval.evaluate(f.ws, f.test, nil, true)
		if err != nil {
			return err
		}
		if f.test.Len() > 0 {
			es.TestAcc = float64(c) / float64(f.test.Len())
		}
	}
	if hasVal || hasTest {
		es.EvalTime = time.Since(start)
	}
	return nil
}

// finish leaves in m the model Fit returns: the best epoch's weights with
// early stopping, else the running mean if averaging began (eval), else m's
// own; it returns err. After a divergence m keeps the weights of the failed
// step, whatever the options.
func (t *Trainer) finish(m, eval, best *Dense, err error) error {
	if errors.Is(err, ErrDiverged) {
		return err
	}
	src := eval
	if best != nil {
		src = best
	}
	if src != m {
		for c := range m.W.Rows {
			copy(m.W.Row(c), src.W.Row(c))
		}
		copy(m.Bias, src.Bias)
	}

	return err
}

// averager keeps the running mean of a model's weights.
type averager struct {
	mean *Dense
	n    int // the number of weights averaged
}

func newAverager(m *Dense) *averager {
	return &averager{mean: m.Clone()}
}

// add folds m's weights into the mean: mean += (m - mean)/n.
func (a *averager) add(m *Dense) {
	a.n++
	f := 1 / float32(a.n)
	for c := range m.W.Rows {
		mr, ar := m.W.Row(c), a.mean.W.Row(c)
		tensor.Scale(1-f, ar)
		tensor.Axpy(f, mr, ar)
	}
	for j, b := range m.Bias {
		a.mean.Bias[j] += (b - a.mean.Bias[j]) * f
	}
}

// splitStream is the PCG stream of Dataset.Split, apart from the shuffling's.
const splitStream = 0x5e1ec7

// Split holds out n examples of d, picked at random from seed, and returns
// the rest and the held-out ones, in their order in d. Both share d's pixels
// (through their Images.Index), so nothing is copied. The same d, n and seed
// give the same split.
func (d Dataset) Split(n int, seed uint64) (rest, held Dataset, err error) {
	if !d.has() {
		return Dataset{}, Dataset{}, fmt.Errorf("%w: split set has no examples", ErrData)
	}
	cols := 0
	if d.Images != nil {
		cols = d.Images.Cols
	} else {
		cols = d.Features.Cols
	}
	if err := d.check("split", cols, 256, d.Features != nil); err != nil {
		return Dataset{}, Dataset{}, err
	}
	total := d.Len()
	if n < 0 || n > total {
		return Dataset{}, Dataset{}, fmt.Errorf("%w: cannot hold out %d of %d examples", ErrData, n, total)
	}
	pick := make([]bool, total)
	rng := rand.New(rand.NewPCG(seed, splitStream))
	for _, i := range rng.Perm(total)[:n] {
		pick[i] = true
	}
	sub := func(m int, want bool) Dataset {
		index := make([]int32, 0, m)
		labels := make([]uint8, 0, m)
		for i, p := range pick {
			if p == want {
				index = append(index, d.rowOf(i))
				labels = append(labels, d.Labels[i])
			}
		}
		if d.Images != nil {
			x := *d.Images
			x.Index, x.Rows = index, m
			return Dataset{Images: &x, Labels: labels}
		}
		x := *d.Features
		x.Index, x.Rows = index, m
		return Dataset{Features: &x, Labels: labels}
	}
	return sub(total-n, false), sub(n, true), nil
}
