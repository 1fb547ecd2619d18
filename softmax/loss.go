package softmax

import (
	"fmt"
	"math"
	"unsafe"

	"github.com/softmax-fast/softmax-fast/tensor"
)

// SoftmaxCrossEntropy computes, in one pass over each row of logits (one row
// per example, labels[i] the class of row i), the mean cross-entropy loss of
// the softmax of the rows and its gradient with respect to the logits:
//
//	loss    = (1/n) sum_i [log(sum_j e**(z[i][j]-m_i)) + m_i - z[i][labels[i]]]
//	grad[i] = (softmax(z[i]) - onehot(labels[i])) / n
//
// with n = logits.Rows and m_i the largest logit of row i. correct counts the
// rows whose largest logit (the first one on ties) is at the label, i.e. the
// accuracy before any update. grad must have the shape of logits; it may be
// logits itself (computed in place), but must not overlap it otherwise.
//
// The computation is stable for any finite logits: every exponent is at most
// 0 and the loss is never the log of a probability, so logits of 1e4 or
// ±3e38 give a finite loss and gradient. The sums are in float64. A NaN or
// infinite logit gives a NaN loss (and gradient) for its row. Gradient
// entries below 2**-64 in magnitude are set to 0: they change no weight, and
// their products with the inputs would be subnormal, which x86 computes
// about 100 times slower.
func SoftmaxCrossEntropy(grad, logits *tensor.Matrix, labels []uint8) (loss float64, correct int, err error) {
	if err := checkLoss(grad, logits, labels); err != nil {
		return 0, 0, err
	}
	sum, correct := lossGradParts(grad, logits, labels, crossEntropy, nil, nil)
	if logits.Rows == 0 {
		return 0, 0, nil
	}
	return sum / float64(logits.Rows), correct, nil
}

func checkLoss(grad, logits *tensor.Matrix, labels []uint8) error {
	for _, m := range []*tensor.Matrix{grad, logits} {
		if m == nil {
			return fmt.Errorf("%w: nil matrix", tensor.ErrShape)
		}
		if err := m.Validate(); err != nil {
			return err
		}
	}
	if grad.Rows != logits.Rows || grad.Cols != logits.Cols || len(labels) != logits.Rows {
		return fmt.Errorf("%w: logits %dx%d, grad %dx%d, %d labels", tensor.ErrShape,
			logits.Rows, logits.Cols, grad.Rows, grad.Cols, len(labels))
	}
	if logits.Rows > 0 && logits.Cols == 0 {
		return fmt.Errorf("%w: logits have no columns", tensor.ErrShape)
	}
	for i, y := range labels {
		if int(y) >= logits.Cols {
			return fmt.Errorf("%w: label %d of row %d is not below %d classes", ErrLabel, y, i, logits.Cols)
		}
	}
	if logits.Rows > 0 && overlap(grad.Data[:(grad.Rows-1)*grad.Stride+grad.Cols], logits.Data[:(logits.Rows-1)*logits.Stride+logits.Cols]) &&
		(&grad.Data[0] != &logits.Data[0] || grad.Stride != logits.Stride) {
		return fmt.Errorf("%w: grad overlaps logits without being logits", tensor.ErrShape)
	}
	return nil
}

// lossChunk is the number of rows of a part of the loss: parts are computed
// independently (in parallel during training) and their sums added in
// order, so the result does not depend on how many run at once.
const lossChunk = 32

// lossPart holds the sums of one part of the loss.
type lossPart struct {
	loss    float64   // sum of the row losses
	ce      float64   // sum of their cross-entropies (smoothed with label smoothing; = loss but for the GCE mix)
	correct int       // rows whose argmax is the label
	cs      []float64 // column sums of the part's gradient rows, if asked for
}

// lossKind selects the training loss of the softmax of a row z with label
// y, p = softmax(z), from the cross-entropy family:
//
//	smoothed cross-entropy: -Σ_j t_j·log p_j with t = (1-eps)·onehot(y) + eps/k,
//	                        gradient p - t (eps = 0: the plain cross-entropy);
//	GCE mix (q > 0):        beta·(-log p_y) + (1-beta)·(1 - p_y**q)/q,
//	                        gradient (beta + (1-beta)·p_y**q)·(p - onehot(y)).
//
// The GCE mix is the generalized cross-entropy of Zhang and Sabuncu (2018)
// mixed with a share beta of the cross-entropy; eps and q are not both used.
type lossKind struct {
	eps     float64 // label smoothing
	q, beta float64 // generalized cross-entropy
}

var crossEntropy = lossKind{}

// lossGradParts is SoftmaxCrossEntropy on valid operands, for the loss
// kind; it returns the sum of the row losses (not the mean) and the count of
// correct rows. parts, if not nil, is scratch space for one lossPart per
// lossChunk rows, computed one after another. (A training step computes its
// parts on the threads of each half instead: stepper.fill.)
//
// If colsum is not nil (of length logits.Cols), it receives the column sums
// of the gradient (the bias gradient), added in a fixed order: each part's
// rows in order, then the parts in order (each part's cs holds its sums;
// one is allocated where missing).
func lossGradParts(grad, logits *tensor.Matrix, labels []uint8, kind lossKind, parts []lossPart, colsum []float64) (sum float64, correct int) {
	n := logits.Rows
	if n == 0 {
		return 0, 0
	}
	np := (n + lossChunk - 1) / lossChunk
	if len(parts) < np {
		parts = make([]lossPart, np)
	}
	parts = parts[:np]
	for p := range parts {
		var cs []float64
		if colsum != nil {
			if len(parts[p].cs) != len(colsum) {
				parts[p].cs = make([]float64, len(colsum))
			}
			cs = parts[p].cs
		}
		parts[p].loss, parts[p].ce, parts[p].correct = lossRows(grad, logits, labels, kind, cs, n, p*lossChunk, min(n, (p+1)*lossChunk))
	}
	return sumParts(parts, colsum)
}

// sumParts returns the sums of the parts' losses and correct counts, and
// sets colsum (if not nil) to the sum of their column sums, added in
// order.
func sumParts(parts []lossPart, colsum []float64) (sum float64, correct int) {
	if colsum != nil {
		clear(colsum)
	}
	for i := range parts {
		p := &parts[i]
		sum += p.loss
		correct += p.correct
		if colsum != nil {
			for j, v := range p.cs {
				colsum[j] += v
			}
		}
	}
	return sum, correct
}

// lossRows computes rows [lo, hi) of a batch of n rows: their loss sum, the
// count of correct rows, and their gradient rows, for the loss kind.
//
// Pass 1, per row: the max m, the count of a correct argmax, the
// (m - z_y) part of the loss (m - (1-eps)·z_y - eps·mean(z) with label
// smoothing), and the shifted logits z - m into grad.
// Pass 2: e**(z - m) for the rows in one tensor.Exp call when grad is
// contiguous (a call per row costs far more than the 10 exps in it).
// Pass 3, per row: s = sum of the exps, the log(s) part of the loss, and
// grad = (e/s - onehot)/n (times the row's weight for the GCE mix), its
// entries below 2**-64 in magnitude set to +0 (flushTiny), and, if cs is
// not nil, the column sums of those gradient rows into cs.
//
// The common case, the plain cross-entropy of 10 classes in compact rows,
// goes to tensor.SoftmaxXent10, the level's fused kernel: one call does all
// three passes (the flush and the column sums too); lossRows then adds up
// the row losses in float64.
func lossRows(grad, logits *tensor.Matrix, labels []uint8, kind lossKind, cs []float64, n, lo, hi int) (loss, ce float64, correct int) {
	k := logits.Cols
	if k == 10 && kind.eps == 0 && logits.Stride == 10 && grad.Stride == 10 && hi-lo <= lossChunk {
		if kind.q > 0 {
			return lossRowsGCE10(grad, logits, labels, kind, cs, n, lo, hi)
		}
		loss, correct := lossRowsXent10(grad, logits, labels, cs, n, lo, hi)
		return loss, loss, correct
	}
	if cs != nil {
		clear(cs)
	}
	shift, correct := shiftRows(grad, logits, labels, kind.eps, lo, hi)
	if grad.Stride == k {
		tensor.Exp(grad.Data[lo*k:hi*k], grad.Data[lo*k:hi*k])
	} else {
		for i := lo; i < hi; i++ {
			g := grad.Data[i*grad.Stride : i*grad.Stride+k]
			tensor.Exp(g, g)
		}
	}
	logSum, gce := normalizeRows(grad, labels, kind, cs, n, lo, hi)
	ce = logSum + shift
	if kind.q > 0 {
		return kind.beta*ce + (1-kind.beta)*gce, ce, correct
	}
	return ce, ce, correct
}

// tinyBits is the bit pattern of 2**-64 as a float32: a gradient entry
// below it in magnitude changes no weight (lr·g·x is far below a weight's
// last place), but its products with the inputs can be subnormal, and on
// x86 every operation with a subnormal result takes a microcode assist,
// 100 times slower: a model with very confident logits (a high learning
// rate on standardized features) trained 3.6 times slower. The fused
// kernel (tensor.SoftmaxXent10) flushes its entries alike.
const tinyBits = (127 - 64) << 23

// scaleFlush returns float32(float64(v)*w), or +0 if that is below 2**-64
// in magnitude (as flushTiny), without a branch: in a confident model's
// gradient, which entries are tiny is hard to predict.
func scaleFlush(v float32, w float64) float32 {
	b := math.Float32bits(float32(float64(v) * w))
	keep := ^uint32(int32((b&0x7fffffff)-tinyBits) >> 31) // 0 if tiny, else all ones
	return math.Float32frombits(b & keep)
}

// flushTiny sets the entries of g below 2**-64 in magnitude to +0.
func flushTiny(g []float32) {
	for j, v := range g {
		if math.Float32bits(v)&0x7fffffff < tinyBits {
			g[j] = 0
		}
	}
}

// shiftRows is pass 1 of lossRows: for each row, its max m, whether its
// first largest logit is at the label, the (m - z_y) part of its loss
// (m - (1-eps)·z_y - eps·mean(z) with label smoothing), summed into shift,
// and z - m into the gradient row.
func shiftRows(grad, logits *tensor.Matrix, labels []uint8, eps float64, lo, hi int) (shift float64, correct int) {
	k := logits.Cols
	off := eps / float64(k) // the smoothed target of a wrong class
	zs, gs := logits.Stride, grad.Stride
	for i := lo; i < hi; i++ {
		y := labels[i]
		z := logits.Data[i*zs : i*zs+k]
		g := grad.Data[i*gs : i*gs+k]
		// A NaN or +Inf needs no special case: it makes the row's shifted
		// values, hence its loss, NaN.
		m, arg := z[0], 0
		for j := 1; j < len(z); j++ {
			if z[j] > m {
				m, arg = z[j], j
			}
		}
		if arg == int(y) {
			correct++
		}
		if eps == 0 {
			shift += float64(m) - float64(z[y])
		} else {
			var zs float64
			for _, v := range z {
				zs += float64(v)
			}
			shift += float64(m) - (1-eps)*float64(z[y]) - off*zs
		}
		for j, v := range z {
			g[j] = v - m
		}
	}
	return shift, correct
}

// normalizeRows is pass 3 of lossRows, on gradient rows that hold
// e = e**(z - m): for each row, s = sum of e, the log(s) part of the loss
// (summed into logSum), the GCE part (1 - p_y**q)/q with kind.q > 0 (summed
// into gce), grad = (e/s - target)/n times the row's weight, flushed
// (flushTiny), and, if cs is not nil, the column sums of the gradient rows
// added into cs.
func normalizeRows(grad *tensor.Matrix, labels []uint8, kind lossKind, cs []float64, n, lo, hi int) (logSum, gce float64) {
	k, gs, eps := grad.Cols, grad.Stride, kind.eps
	off := eps / float64(k)
	// The sum of log(s_i) is taken as the log of their product, kept as
	// prod·2^exp2 (renormalised every 16 rows: each s_i is in [1, k], at most
	// 2^16), so that the part needs one math.Log instead of one per row.
	prod, exp2 := 1.0, 0
	invN := 1 / float64(n)
	for i := lo; i < hi; i++ {
		y := labels[i]
		g := grad.Data[i*gs : i*gs+k]
		var s float64
		for _, e := range g {
			s += float64(e)
		}
		prod *= s
		if (i-lo)&15 == 15 {
			var e int
			prod, e = math.Frexp(prod)
			exp2 += e
		}
		inv := 1 / s
		ey := float64(g[y])
		w := invN // the row's weight
		if kind.q > 0 {
			pq := math.Pow(ey*inv, kind.q)
			gce += (1 - pq) / kind.q
			w *= kind.beta + (1-kind.beta)*pq
		}
		for j, e := range g {
			g[j] = float32((float64(e)*inv - off) * w)
		}
		g[y] = float32((ey*inv - off - (1 - eps)) * w)
		flushTiny(g)
		if cs != nil {
			for j, v := range g[:len(cs)] {
				cs[j] += float64(v)
			}
		}
	}
	return math.Log(prod) + float64(exp2)*math.Ln2, gce
}

// lossRowsXent10 is lossRows for the plain cross-entropy of 10 classes, both
// strides 10, hi-lo <= lossChunk, with tensor.SoftmaxXent10.
// The loss of row i is log(s_i) + shift_i; the logs are taken as the log of
// the product of the s_i, as in lossRows. s and shift stay on the stack
// (SoftmaxXent10 lets no slice escape).
func lossRowsXent10(grad, logits *tensor.Matrix, labels []uint8, cs []float64, n, lo, hi int) (loss float64, correct int) {
	var ss [lossChunk]float32
	var shifts [lossChunk]float64
	m := hi - lo
	_, correct = xent10Rows(grad, logits, labels, cs, n, lo, hi, ss[:m], shifts[:m])
	// Each s_i is in [1, 10] (its largest term is e**0 = 1), so the product
	// of at most 32 of them is below 1e32: no renormalisation is needed.
	// Four products and four sums, combined in a fixed order, shorten the
	// chains of dependent multiplications and additions.
	var p [4]float64
	var sh [4]float64
	p[0], p[1], p[2], p[3] = 1, 1, 1, 1
	i := 0
	for ; i+4 <= m; i += 4 {
		p[0] *= float64(ss[i])
		p[1] *= float64(ss[i+1])
		p[2] *= float64(ss[i+2])
		p[3] *= float64(ss[i+3])
		sh[0] += shifts[i]
		sh[1] += shifts[i+1]
		sh[2] += shifts[i+2]
		sh[3] += shifts[i+3]
	}
	for ; i < m; i++ {
		p[0] *= float64(ss[i])
		sh[0] += shifts[i]
	}
	return math.Log((p[0]*p[1])*(p[2]*p[3])) + ((sh[0] + sh[1]) + (sh[2] + sh[3])), correct
}

// xent10Rows runs tensor.SoftmaxXent10 on rows [lo, hi) of a batch of n
// (checked operands, both strides 10), in place in grad (the logits copied
// there first unless grad is logits), and returns the gradient rows and the
// count of correct rows; ss and shift receive s and the shifts.
func xent10Rows(grad, logits *tensor.Matrix, labels []uint8, cs []float64, n, lo, hi int, ss []float32, shifts []float64) (g []float32, correct int) {
	g = grad.Data[lo*10 : hi*10]
	if &grad.Data[0] != &logits.Data[0] {
		copy(g, logits.Data[lo*10:hi*10]) // the kernel works in place
	}
	correct, err := tensor.SoftmaxXent10(g, labels[lo:hi], 1/float64(n), ss, shifts, cs)
	if err != nil {
		panic("softmax: " + err.Error()) // the operands were checked: a bug, not bad input
	}
	return g, correct
}

// lossRowsGCE10 is lossRows for the GCE mix of 10 classes, both strides 10,
// hi-lo <= lossChunk: the cross-entropy gradient of tensor.SoftmaxXent10,
// each row then scaled by its weight beta + (1-beta)·p_y**q (a second
// rounding), with p_y**q = e**(-q·ce) from the row's cross-entropy
// ce = log(s) + shift (one log and one exp per row instead of a power and
// a pass of float64 arithmetic over the row); the column sums are those
// of the scaled rows.
func lossRowsGCE10(grad, logits *tensor.Matrix, labels []uint8, kind lossKind, cs []float64, n, lo, hi int) (loss, ce float64, correct int) {
	var ss [lossChunk]float32
	var shifts [lossChunk]float64
	m := hi - lo
	g, correct := xent10Rows(grad, logits, labels, nil, n, lo, hi, ss[:m], shifts[:m])
	// Three passes, so that the rows' logs and exps overlap, then each row
	// scaled with its column sums in registers (cs[j] summed in the order
	// of a loop over the rows into cs).
	var ces, pqs [lossChunk]float64
	for i := range m {
		ces[i] = math.Log(float64(ss[i])) + shifts[i]
	}
	for i := range m {
		pqs[i] = math.Exp(-kind.q * ces[i])
	}
	var gce float64
	var c [10]float64
	for i := range m {
		cei, pq := ces[i], pqs[i]
		ce += cei
		gce += (1 - pq) / kind.q
		w := kind.beta + (1-kind.beta)*pq
		r := (*[10]float32)(g[10*i : 10*i+10])
		r[0], r[1], r[2], r[3], r[4] = scaleFlush(r[0], w), scaleFlush(r[1], w), scaleFlush(r[2], w), scaleFlush(r[3], w), scaleFlush(r[4], w)
		r[5], r[6], r[7], r[8], r[9] = scaleFlush(r[5], w), scaleFlush(r[6], w), scaleFlush(r[7], w), scaleFlush(r[8], w), scaleFlush(r[9], w)
		c[0], c[1], c[2], c[3], c[4] = c[0]+float64(r[0]), c[1]+float64(r[1]), c[2]+float64(r[2]), c[3]+float64(r[3]), c[4]+float64(r[4])
		c[5], c[6], c[7], c[8], c[9] = c[5]+float64(r[5]), c[6]+float64(r[6]), c[7]+float64(r[7]), c[8]+float64(r[8]), c[9]+float64(r[9])
	}
	if cs != nil {
		copy(cs, c[:])
	}
	return kind.beta*ce + (1-kind.beta)*gce, ce, correct
}

// overlap reports whether a and b share memory.
func overlap(a, b []float32) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	a0, a1 := &a[0], &a[len(a)-1]
	b0, b1 := &b[0], &b[len(b)-1]
	return !(uintptr(unsafe.Pointer(a1)) < uintptr(unsafe.Pointer(b0)) ||
		uintptr(unsafe.Pointer(b1)) < uintptr(unsafe.Pointer(a0)))
}
