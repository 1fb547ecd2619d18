package softmax

import (
	"errors"
	"fmt"
	"math"

	"github.com/softmax-fast/softmax-fast/tensor"
)

// SGD configures minibatch stochastic gradient descent. The zero value is
// plain SGD with learning rate 0.1, no momentum, no weight decay and a
// constant learning rate: the recipe of the Gluon chapter.
//
// With momentum μ and weight decay λ, each step with learning rate lr and
// gradient g of the mean batch loss does
//
//	v = μ·v + g + λ·W;  W -= lr·v   (and v = μ·v + g_b;  b -= lr·v for the bias)
//
// or, with Nesterov momentum, W -= lr·(g + λ·W + μ·v) with the new v (the
// bias likewise). For μ = 0 both are W = (1 - lr·λ)·W - lr·g. The weight
// decay is an L2 penalty (λ/2)·|W|² on the weights only, not on the bias.
// Without momentum the update is fused into the product that computes g
// (tensor.MatMulTU8Fill), so the gradient of W is never stored, unless the
// minibatch is larger than a block of rows (about 512 KB of pixels: 640
// images of 784 pixels); then the step runs block by block and sums g over
// the blocks before one update.
type SGD struct {
	// LR is the learning rate of the first epoch; 0 means 0.1.
	LR float64
	// Momentum is the momentum coefficient μ in [0, 1); 0 is plain SGD.
	Momentum float64
	// Nesterov selects Nesterov's form of momentum (it needs Momentum > 0).
	Nesterov bool
	// WeightDecay is the L2 coefficient λ >= 0 on the weights.
	WeightDecay float64
	// LRDecay multiplies the learning rate every DecayEvery epochs; it must
	// be in (0, 1], and 0 means 1 (a constant learning rate). For example
	// LRDecay 0.5 with DecayEvery 2 halves it after epochs 2, 4, 6, ...
	LRDecay float64
	// DecayEvery is the number of epochs between decays; 0 means 1.
	DecayEvery int
	// Cosine, instead of LRDecay, lowers the learning rate at every step
	// along half a cosine, from LR at the first step of training to 0 after
	// the last: lr = LR·(1 + cos(π·t/T))/2 at step t of T.
	Cosine bool
}

// withDefaults returns o with the zero fields that have a default filled in.
func (o SGD) withDefaults() SGD {
	if o.LR == 0 {
		o.LR = 0.1
	}
	if o.LRDecay == 0 {
		o.LRDecay = 1
	}
	if o.DecayEvery == 0 {
		o.DecayEvery = 1
	}
	return o
}

// Validate reports an option out of range.
func (o SGD) Validate() error {
	o = o.withDefaults()
	switch {
	case !(o.LR > 0) || math.IsInf(o.LR, 0):
		return fmt.Errorf("%w: learning rate %v is not a finite number > 0", ErrOption, o.LR)
	case !(o.Momentum >= 0 && o.Momentum < 1):
		return fmt.Errorf("%w: momentum %v is not in [0, 1)", ErrOption, o.Momentum)
	case o.Nesterov && o.Momentum == 0:
		return fmt.Errorf("%w: Nesterov momentum needs a momentum > 0", ErrOption)
	case !(o.WeightDecay >= 0) || math.IsInf(o.WeightDecay, 0):
		return fmt.Errorf("%w: weight decay %v is not a finite number >= 0", ErrOption, o.WeightDecay)
	case !(o.LRDecay > 0 && o.LRDecay <= 1):
		return fmt.Errorf("%w: learning-rate decay %v is not in (0, 1]", ErrOption, o.LRDecay)
	case o.DecayEvery < 0:
		return fmt.Errorf("%w: decay interval %d is negative", ErrOption, o.DecayEvery)
	case o.Cosine && o.LRDecay != 1:
		return fmt.Errorf("%w: a cosine schedule and a learning-rate decay of %v together", ErrOption, o.LRDecay)
	}
	return nil
}

// LRAt returns the learning rate at the start of epoch (counted from 1):
// LR · LRDecay^⌊(epoch-1)/DecayEvery⌋, with the defaults of zero fields. With
// Cosine it returns LR, the rate of the first step: the cosine schedule
// depends on the length of the training, see LRAtStep (EpochStats.LR
// reports the rate of each epoch's first step).
func (o SGD) LRAt(epoch int) float64 {
	o = o.withDefaults()
	if o.Cosine || epoch < 1 || o.DecayEvery < 1 {
		return o.LR
	}
	return o.LR * math.Pow(o.LRDecay, float64((epoch-1)/o.DecayEvery))
}

// LRAtStep returns the learning rate of step t (counted from 0) of a
// training of T steps, in epoch (counted from 1): the cosine schedule if
// Cosine is set, else LRAt(epoch).
func (o SGD) LRAtStep(epoch, t, T int) float64 {
	if !o.Cosine {
		return o.LRAt(epoch)
	}
	o = o.withDefaults()
	if T < 1 || t < 0 {
		return o.LR
	}
	return o.LR * (1 + math.Cos(math.Pi*float64(min(t, T))/float64(T))) / 2
}

// lossWork is the cost of the loss per logit, in floating-point operations
// of the products, for tensor.Workers.For's decision.
const lossWork = 180

// blockBytes bounds the uint8 rows of the minibatch that a training step
// takes at a time. A minibatch stays in L2 between the forward and the
// gradient product when it fits (512 KiB: a Zen3's L2 per core, half of a
// Zen4's); a larger one is run in blocks of rows, each block's gradient
// product right after its forward product and loss, the gradient summed over
// the blocks before W is updated. Without blocks the gradient product reads a
// large minibatch back from L3 (docs/performance.md, "How cost grows").
const blockBytes = 512 << 10

// minBlockRows is the fewest rows a block may have. Each block reads and
// writes the whole gradient of W (4·classes·inputs bytes, twice) and each
// tile of ten classes reads the block's rows (rows·inputs bytes); an
// unblocked step instead reads the rows back from L3 once per tile. Blocks
// pay for themselves from about 8·10 = 80 rows whatever the classes.
const minBlockRows = 128

// blockRows is how many rows of rowBytes bytes a block holds (a whole number
// of loss parts of lossChunk rows), or 0 when a minibatch is not worth
// splitting: fewer than minBlockRows rows fit in blockBytes (images wider
// than 4096 pixels, feature vectors of more than 1024 values).
func blockRows(rowBytes int) int {
	r := blockBytes / max(1, rowBytes) / lossChunk * lossChunk
	if r < minBlockRows {
		return 0
	}
	return r
}

// stepper holds the buffers of training steps on one model and data set, so
// that a step allocates little (the bookkeeping of the parallel products).
type stepper struct {
	ws     *tensor.Workers // the threads of every product and of the loss
	m      *Dense
	opt    SGD // with defaults
	loss   lossKind
	block  int              // rows per block of a minibatch (blockRows; a whole minibatch if 0)
	bgrad  []float64        // the bias gradient with s.grad (summed over blocks)
	x      tensor.U8Matrix  // the batch of images: rows of the data set picked by idx
	xf     tensor.F32Matrix // the batch of feature vectors, likewise
	feat   bool             // the data set holds feature vectors (xf), not images (x)
	g      tensor.Matrix    // the logits, then (in place) their gradient
	buf    []float32        // storage of g
	idx    []int32          // rows of x.Data in the batch
	labels []uint8          // their labels
	colsum []float64        // bias gradient
	parts  []lossPart       // the loss of each part of the batch
	ce     float64          // the cross-entropy sum of the last step (its loss may be another)
	grad   *tensor.Matrix   // gradient of W (nil without momentum or blocks)
	vel    *tensor.Matrix   // momentum velocity of W (nil without momentum)
	velB   []float32        // momentum velocity of the bias
	norm   int              // rows of the current minibatch (the loss is their mean)
	lo     int              // the current block's first row in the minibatch

	// fillFn is s.fill, made once: a method value allocates.
	fillFn func(w *tensor.Workers, lo, hi int) error
}

// newStepper returns a stepper for batches of up to batch rows of data's
// images or feature vectors, with the options opt (defaults filled in) and
// the loss kind, run on the threads of ws.
func newStepper(ws *tensor.Workers, m *Dense, data Dataset, batch int, opt SGD, loss lossKind) *stepper {
	k := m.Classes()
	var x tensor.U8Matrix
	var xf tensor.F32Matrix
	rowBytes := 0
	if f := data.Features; f != nil {
		rowBytes = 4 * f.Cols
		xf = tensor.F32Matrix{Cols: f.Cols, Stride: f.Stride, Data: f.Data}
	} else {
		img := data.Images
		rowBytes = img.Cols
		x = tensor.U8Matrix{Cols: img.Cols, Stride: img.Stride, Data: img.Data}
	}
	s := &stepper{
		ws:     ws,
		m:      m,
		opt:    opt,
		loss:   loss,
		x:      x,
		xf:     xf,
		feat:   data.Features != nil,
		g:      tensor.Matrix{Cols: k, Stride: k},
		buf:    make([]float32, batch*k),
		idx:    make([]int32, batch),
		labels: make([]uint8, batch),
		colsum: make([]float64, k),
		parts:  make([]lossPart, (batch+lossChunk-1)/lossChunk),
		block:  blockRows(rowBytes),
	}
	cs := make([]float64, len(s.parts)*k)
	for p := range s.parts {
		s.parts[p].cs = cs[p*k : (p+1)*k : (p+1)*k]
	}
	if s.block == 0 {
		s.block = batch
	}
	s.fillFn = s.fill
	if opt.Momentum != 0 || batch > s.block {
		s.grad = tensor.NewMatrix(k, m.Inputs())
	}
	if s.grad != nil {
		s.bgrad = make([]float64, k)
	}
	if opt.Momentum != 0 {
		s.vel = tensor.NewMatrix(k, m.Inputs())
		s.velB = make([]float32, k)
	}
	return s
}

// step trains on the first n rows of s.idx and s.labels (labels already
// checked against the classes) with learning rate lr: forward, fused loss
// and gradient, update. It returns the sum of the losses and the count of
// correct predictions before the update. A non-finite loss is returned
// without updating the model.
//
// The forward product and the loss of each half of the rows run inside
// the gradient product (tensor.MatMulTU8Fill), on the thread that then
// sums that half's gradient, cut at a multiple of lossChunk rows so that
// the loss parts are the same whatever the threads.
//
// A minibatch of more than s.block rows goes block by block: forward
// product, loss and gradient product of each block (whose rows are still in
// L2 when the gradient product reads them again), the gradient of W summed
// over the blocks in s.grad and the bias gradient in s.bgrad, then one
// update. Every block uses the weights before the step, so this is the same
// minibatch step with the sums over rows taken per block (their rounding
// differs; where the blocks are cut depends on n and the inputs only, not on
// the threads).
func (s *stepper) step(n int, lr float64) (loss float64, correct int, err error) {
	m, k := s.m, s.g.Cols
	blk := min(n, s.block)
	s.ce = 0
	for lo := 0; lo < n; lo += blk {
		hi := min(lo+blk, n)
		rows := hi - lo
		s.g.Rows, s.g.Data = rows, s.buf[:rows*k]
		s.x.Rows, s.x.Index = rows, s.idx[lo:hi]
		s.xf.Rows, s.xf.Index = rows, s.idx[lo:hi]
		s.norm, s.lo = n, lo
		// W = (1 - lr·λ)·W - lr·Gᵀ·X/255 (images) or - lr·Gᵀ·X (features),
		// in one pass, when the step is one block without momentum; else
		// the block's gradient goes into s.grad.
		single := rows == n && s.vel == nil
		scale, beta, c := -lr, float32(1-lr*s.opt.WeightDecay), m.W
		if !single {
			scale, beta, c = 1, 1, s.grad
			if lo == 0 {
				beta = 0
			}
		}
		err := s.gradient(scale, beta, c)
		np := (rows + lossChunk - 1) / lossChunk
		l, cc := sumParts(s.parts[:np], s.colsum)
		loss += l
		correct += cc
		for _, p := range s.parts[:np] {
			s.ce += p.ce
		}
		if errors.Is(err, errNonFinite) {
			return loss, correct, nil // no update: the caller stops
		}
		if err != nil {
			return 0, 0, err
		}
		if single {
			for j, v := range s.colsum {
				m.Bias[j] -= float32(lr * v)
			}
			return loss, correct, nil
		}
		if lo == 0 {
			clear(s.bgrad)
		}
		for j, v := range s.colsum {
			s.bgrad[j] += v
		}
	}
	s.update(lr, s.bgrad)
	return loss, correct, nil
}

// errNonFinite stops a step whose loss is not finite before it changes
// the model.
var errNonFinite = errors.New("softmax: non-finite loss")

// fill computes rows [r0, r1) of the current block's logits (s.g) on the
// threads of w, then in place their gradient, the loss of the minibatch of
// s.norm rows, by parts of lossChunk rows (r0 is a multiple of it) into
// s.parts. It returns errNonFinite if a part's loss is not finite.
func (s *stepper) fill(w *tensor.Workers, r0, r1 int) error {
	k := s.g.Cols
	g := tensor.Matrix{Rows: r1 - r0, Cols: k, Stride: k, Data: s.g.Data[r0*k : r1*k]}
	var err error
	if s.feat {
		x := s.xf
		x.Rows, x.Index = r1-r0, x.Index[r0:r1]
		err = s.m.forwardF32(w, &g, &x)
	} else {
		x := s.x
		x.Rows, x.Index = r1-r0, x.Index[r0:r1]
		err = s.m.forward(w, &g, &x)
	}
	if err != nil {
		return err
	}
	p0, p1 := r0/lossChunk, (r1+lossChunk-1)/lossChunk
	labels := s.labels[s.lo : s.lo+s.g.Rows]
	w.For(p1-p0, 1, float64((r1-r0)*k)*lossWork, func(a, b int) {
		for p := p0 + a; p < p0+b; p++ {
			pt := &s.parts[p]
			pt.loss, pt.ce, pt.correct = lossRows(&s.g, &s.g, labels, s.loss, pt.cs, s.norm, p*lossChunk, min(r1, (p+1)*lossChunk))
		}
	})
	for _, pt := range s.parts[p0:p1] {
		if math.IsNaN(pt.loss) || math.IsInf(pt.loss, 0) {
			return errNonFinite
		}
	}
	return nil
}

// gradient computes the current block's logits and loss (s.fill), then
// sets c = beta·c + scale·Gᵀ·X for its rows (X/255 for images, the pixels'
// scaling folded in), Gᵀ·X summed in float32 by the level's kernel.
func (s *stepper) gradient(scale float64, beta float32, c *tensor.Matrix) error {
	if s.feat {
		return s.ws.MatMulTF32Fill(float32(scale), &s.g, &s.xf, beta, c, lossChunk, s.fillFn)
	}
	return s.ws.MatMulTU8Fill(float32(scale/255), &s.g, &s.x, beta, c, lossChunk, s.fillFn)
}

// update applies the gradient of W in s.grad (of the mean loss, without the
// weight decay) and the bias gradient cs with learning rate lr.
func (s *stepper) update(lr float64, cs []float64) {
	m := s.m
	mu, decay := s.opt.Momentum, s.opt.WeightDecay
	if s.vel == nil {
		// W = (1 - lr·λ)·W - lr·g.
		for c := range m.W.Rows {
			w := m.W.Row(c)
			if decay != 0 {
				tensor.Scale(float32(1-lr*decay), w)
			}
			tensor.Axpy(float32(-lr), s.grad.Row(c), w)
		}
		for j, v := range cs {
			m.Bias[j] -= float32(lr * v)
		}
		return
	}
	// g += λ·W; v = μ·v + g; W -= lr·v, or lr·(g + μ·v) (Nesterov).
	for c := range m.W.Rows {
		w, v, g := m.W.Row(c), s.vel.Row(c), s.grad.Row(c)
		if decay != 0 {
			tensor.Axpy(float32(decay), w, g)
		}
		tensor.Scale(float32(mu), v)
		tensor.Axpy(1, g, v)
		if s.opt.Nesterov {
			tensor.Axpy(float32(-lr), g, w)
			tensor.Axpy(float32(-lr*mu), v, w)
		} else {
			tensor.Axpy(float32(-lr), v, w)
		}
	}
	for j, v := range cs {
		s.velB[j] = float32(mu)*s.velB[j] + float32(v)
		if s.opt.Nesterov {
			m.Bias[j] -= float32(lr) * (float32(v) + float32(mu)*s.velB[j])
		} else {
			m.Bias[j] -= float32(lr) * s.velB[j]
		}
	}
}
