package softmax

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"testing"

	"github.com/softmax-fast/softmax-fast/tensor"
)

func TestNewDense(t *testing.T) {
	a, err := NewDense(784, 10, 0.01, 42)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := NewDense(784, 10, 0.01, 42)
	c, _ := NewDense(784, 10, 0.01, 43)
	if a.Inputs() != 784 || a.Classes() != 10 || len(a.Bias) != 10 {
		t.Fatalf("sizes %d %d %d", a.Inputs(), a.Classes(), len(a.Bias))
	}
	var sum, sq float64
	for i, v := range a.W.Data {
		if v != b.W.Data[i] {
			t.Fatal("the same seed gave different weights")
		}
		sum += float64(v)
		sq += float64(v) * float64(v)
	}
	if bytes.Equal(f32bytes(a.W.Data), f32bytes(c.W.Data)) {
		t.Error("different seeds gave the same weights")
	}
	n := float64(len(a.W.Data))
	if mean, sd := sum/n, math.Sqrt(sq/n); math.Abs(mean) > 0.001 || math.Abs(sd-0.01) > 0.0005 {
		t.Errorf("weights have mean %v and sd %v, want 0 and 0.01", mean, sd)
	}
	for _, v := range a.Bias {
		if v != 0 {
			t.Fatal("bias not zero")
		}
	}
	for _, tc := range []struct {
		inputs, classes int
		sigma           float64
	}{{0, 10, 0.01}, {784, 0, 0.01}, {784, 10, -1}, {784, 10, math.NaN()}, {784, 10, math.Inf(1)},
		{MaxInputs + 1, 1, 0}, {1, MaxClasses + 1, 0}, {MaxInputs, 8, 0}} {
		if _, err := NewDense(tc.inputs, tc.classes, tc.sigma, 1); !errors.Is(err, ErrModel) {
			t.Errorf("NewDense(%d, %d, %v): err = %v, want ErrModel", tc.inputs, tc.classes, tc.sigma, err)
		}
	}
}

func f32bytes(v []float32) []byte {
	b := make([]byte, 0, 4*len(v))
	for _, x := range v {
		u := math.Float32bits(x)
		b = append(b, byte(u), byte(u>>8), byte(u>>16), byte(u>>24))
	}
	return b
}

func TestFitSeparable(t *testing.T) {
	cases := []struct {
		name                   string
		inputs, classes, batch int
		sgd                    SGD
	}{
		{"784x10 chapter", 784, 10, 0, SGD{}},
		{"784x10 momentum", 784, 10, 64, SGD{LR: 0.05, Momentum: 0.9, WeightDecay: 1e-4, LRDecay: 0.5, DecayEvery: 2}},
		{"5x3", 5, 3, 16, SGD{LR: 0.5}},
		{"33x37", 33, 37, 20, SGD{LR: 2}},
		{"1x2", 1, 2, 7, SGD{LR: 1}},
	}
	withISA(t, func(t *testing.T) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				noise := 0.5 // of 784 pixels: still far apart
				if tc.inputs < 100 {
					noise = 0.1
				}
				if tc.inputs < 10 {
					noise = 0
				}
				data := synth(3000, tc.inputs, tc.classes, noise, 1)
				train := Dataset{Images: &tensor.U8Matrix{Rows: 2000, Cols: tc.inputs, Stride: tc.inputs, Data: data.Images.Data}, Labels: data.Labels[:2000]}
				test := Dataset{Images: &tensor.U8Matrix{Rows: 1000, Cols: tc.inputs, Stride: tc.inputs, Data: data.Images.Data[2000*tc.inputs:]}, Labels: data.Labels[2000:]}
				m, err := NewDense(tc.inputs, tc.classes, 0.01, 3)
				if err != nil {
					t.Fatal(err)
				}
				var seen []int
				tr := &Trainer{BatchSize: tc.batch, Seed: 5, SGD: tc.sgd, OnEpoch: func(s EpochStats) error {
					seen = append(seen, s.Epoch)
					return nil
				}}
				stats, err := tr.Fit(context.Background(), m, train, test)
				if err != nil {
					t.Fatal(err)
				}
				if len(stats) != 5 || len(seen) != 5 || seen[4] != 5 {
					t.Fatalf("%d epochs of stats, OnEpoch saw %v; want 5", len(stats), seen)
				}
				for i, s := range stats {
					if s.Epoch != i+1 || !(s.Loss >= 0) || s.TrainAcc < 0 || s.TrainAcc > 1 || s.TrainTime <= 0 {
						t.Errorf("epoch %d: bad stats %+v", i+1, s)
					}
					if want := tc.sgd.LRAt(i + 1); s.LR != want {
						t.Errorf("epoch %d: lr %v, want %v", i+1, s.LR, want)
					}
				}
				last := stats[4]
				if last.Loss >= stats[0].Loss {
					t.Errorf("loss did not fall: %v -> %v", stats[0].Loss, last.Loss)
				}
				if tc.classes <= 10 && last.TestAcc < 0.95 || last.TestAcc < 0.8 {
					t.Errorf("test accuracy %v after 5 epochs (stats %+v)", last.TestAcc, stats)
				}
				acc, err := m.Accuracy(test)
				if err != nil || acc != last.TestAcc {
					t.Errorf("Accuracy = %v, %v; the last epoch measured %v", acc, err, last.TestAcc)
				}
			})
		}
	})
}

// TestFitConcurrent: two Fits at once in one process, one on 1 thread and
// one on 2, each run on Workers of their own with the threads their Trainer
// names, and each gives the bytes it gives alone (run under -race in CI).
func TestFitConcurrent(t *testing.T) {
	data := synth(1200, 784, 10, 0.6, 21)
	test := synth(300, 784, 10, 0.6, 22)
	trainers := []*Trainer{
		{Epochs: 2, Seed: 5, Threads: 1, BatchSize: 100},
		{Epochs: 2, Seed: 6, Threads: 2, BatchSize: 300, SGD: SGD{Momentum: 0.9, LR: 0.05}},
	}
	fit := func(tr *Trainer) []byte {
		m, _ := NewDense(784, 10, 0.01, 3)
		if _, err := tr.Fit(context.Background(), m, data, test); err != nil {
			t.Error(err)
			return nil
		}
		b, err := m.MarshalBinary()
		if err != nil {
			t.Error(err)
		}
		return b
	}
	alone := make([][]byte, len(trainers))
	for i, tr := range trainers {
		alone[i] = fit(tr)
	}
	var mu sync.Mutex
	seen := map[*Trainer]*tensor.Workers{}
	testHookWorkers = func(tr *Trainer, ws *tensor.Workers) {
		mu.Lock()
		defer mu.Unlock()
		seen[tr] = ws
	}
	defer func() { testHookWorkers = nil }()
	for round := range 3 {
		together := make([][]byte, len(trainers))
		var wg sync.WaitGroup
		for i, tr := range trainers {
			wg.Go(func() { together[i] = fit(tr) })
		}
		wg.Wait()
		for i, tr := range trainers {
			if !bytes.Equal(together[i], alone[i]) {
				t.Errorf("round %d: the %d-thread model trained beside another differs from the one trained alone", round, tr.Threads)
			}
			if ws := seen[tr]; ws == nil || ws.Threads() != tr.Threads {
				t.Errorf("round %d: Trainer{Threads: %d} ran on %v threads", round, tr.Threads, ws.Threads())
			}
		}
		if seen[trainers[0]] == seen[trainers[1]] {
			t.Errorf("round %d: two Fits shared their Workers", round)
		}
	}
}

// The same seed gives bitwise-identical weights with 1 and 2 threads.
func TestFitDeterministicThreads(t *testing.T) {
	data := synth(1500, 784, 10, 0.6, 11)
	// Batches of 1000 run in blocks of 640 and 360 rows (blockRows), the
	// last batch of each epoch (500 rows) in one.
	for _, c := range []struct {
		opt   SGD
		batch int
	}{{SGD{}, 0}, {SGD{LR: 0.05, Momentum: 0.9, WeightDecay: 1e-3, LRDecay: 0.7}, 0},
		{SGD{WeightDecay: 1e-3}, 1000}, {SGD{LR: 0.05, Momentum: 0.9}, 1000}} {
		opt := c.opt
		var files [][]byte
		var losses []float64
		for _, threads := range []int{1, 2, 1} {
			m, _ := NewDense(784, 10, 0.01, 9)
			tr := &Trainer{Epochs: 2, Seed: 17, SGD: opt, Threads: threads, BatchSize: c.batch}
			stats, err := tr.Fit(context.Background(), m, data, Dataset{})
			if err != nil {
				t.Fatal(err)
			}
			if !math.IsNaN(stats[0].TestAcc) || stats[0].EvalTime != 0 {
				t.Errorf("no test set but TestAcc %v EvalTime %v", stats[0].TestAcc, stats[0].EvalTime)
			}
			b, err := m.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, b)
			losses = append(losses, stats[1].Loss)
		}
		for i := 1; i < len(files); i++ {
			if !bytes.Equal(files[0], files[i]) || losses[0] != losses[i] {
				t.Errorf("%+v, batch %d: run %d differs from run 0 (losses %v)", opt, c.batch, i, losses)
			}
		}
	}
}

// Training on images picked through an index gives the same model as on a
// compact copy.
func TestFitIndexedImages(t *testing.T) {
	data := synth(600, 20, 4, 0.3, 2)
	// Reverse the rows into a copy, and pick them back through an index.
	rev := make([]uint8, len(data.Images.Data))
	idx := make([]int32, 600)
	for i := range 600 {
		copy(rev[(599-i)*20:(600-i)*20], data.Images.Data[i*20:(i+1)*20])
		idx[i] = int32(599 - i)
	}
	indexed := Dataset{Images: &tensor.U8Matrix{Rows: 600, Cols: 20, Stride: 20, Data: rev, Index: idx}, Labels: data.Labels}
	var out [][]byte
	for _, d := range []Dataset{data, indexed} {
		m, _ := NewDense(20, 4, 0.01, 1)
		tr := &Trainer{Epochs: 2, BatchSize: 50, Seed: 3}
		if _, err := tr.Fit(context.Background(), m, d, d); err != nil {
			t.Fatal(err)
		}
		b, _ := m.MarshalBinary()
		out = append(out, b)
	}
	if !bytes.Equal(out[0], out[1]) {
		t.Error("indexed and compact training differ")
	}
}

// One step matches a float64 reference of the same update, for plain SGD,
// weight decay, and momentum (two steps).
func TestStepReference(t *testing.T) {
	// The second shape's minibatch is larger than a block (128 rows of 4096
	// inputs): the step runs in two blocks, of 128 and 72 rows.
	for _, sh := range []struct {
		n, k, b int
		sigma   float64
	}{{13, 3, 5, 0.5}, {4096, 10, 200, 0.02}} {
		if blocks := sh.b > blockRows(sh.n); blocks != (sh.n == 4096) {
			t.Fatalf("%d x %d, batch %d: blocks %v (block of %d rows)", sh.n, sh.k, sh.b, blocks, blockRows(sh.n))
		}
		stepReference(t, sh.n, sh.k, sh.b, sh.sigma)
	}
}

// stepReference checks two steps of a batch of b rows of a layer of n inputs
// and k classes against a float64 reference, for several SGD options.
func stepReference(t *testing.T, n, k, b int, sigma float64) {
	t.Helper()
	data := synth(b, n, k, 0.5, 4)
	for _, opt := range []SGD{{LR: 0.3}, {LR: 0.3, WeightDecay: 0.1}, {LR: 0.2, Momentum: 0.8, WeightDecay: 0.05},
		{LR: 0.2, Momentum: 0.8, Nesterov: true, WeightDecay: 0.05}, {LR: 0.2, Momentum: 0.5, Nesterov: true}} {
		m, _ := NewDense(n, k, sigma, 8)
		for j := range m.Bias {
			m.Bias[j] = float32(j) * 0.1
		}
		// float64 reference state
		w := make([][]float64, k)
		for c := range w {
			w[c] = make([]float64, n)
			for p := range w[c] {
				w[c][p] = float64(m.W.At(c, p))
			}
		}
		bias := make([]float64, k)
		for j := range bias {
			bias[j] = float64(m.Bias[j])
		}
		vw := make([][]float64, k)
		for c := range vw {
			vw[c] = make([]float64, n)
		}
		vb := make([]float64, k)
		opt := opt.withDefaults()
		st := newStepper(nil, m, data, b, opt, crossEntropy)
		for step := range 2 {
			for i := range b {
				st.idx[i], st.labels[i] = int32(i), data.Labels[i]
			}
			loss, _, err := st.step(b, opt.LR)
			if err != nil {
				t.Fatal(err)
			}
			// reference: logits, loss, gradient, update
			z := make([][]float64, b)
			for i := range b {
				z[i] = make([]float64, k)
				for c := range k {
					s := bias[c]
					for p, px := range data.Images.Row(i) {
						s += float64(px) / 255 * w[c][p]
					}
					z[i][c] = s
				}
			}
			want := loss64(z, data.Labels) * float64(b)
			if math.Abs(loss-want) > 1e-5*math.Max(1, math.Abs(want)) {
				t.Errorf("%dx%d batch %d, %+v step %d: loss sum %v, reference %v", n, k, b, opt, step, loss, want)
			}
			gw := make([][]float64, k)
			gb := make([]float64, k)
			for c := range k {
				gw[c] = make([]float64, n)
			}
			for i := range b {
				p := softmax64(f32(z[i]))
				for c := range k {
					g := p[c]
					if c == int(data.Labels[i]) {
						g--
					}
					g /= float64(b)
					gb[c] += g
					for q, px := range data.Images.Row(i) {
						gw[c][q] += g * float64(px) / 255
					}
				}
			}
			for c := range k {
				for q := range n {
					g := gw[c][q] + opt.WeightDecay*w[c][q]
					vw[c][q] = opt.Momentum*vw[c][q] + g
					if opt.Nesterov {
						w[c][q] -= opt.LR * (g + opt.Momentum*vw[c][q])
					} else {
						w[c][q] -= opt.LR * vw[c][q]
					}
				}
				vb[c] = opt.Momentum*vb[c] + gb[c]
				if opt.Nesterov {
					bias[c] -= opt.LR * (gb[c] + opt.Momentum*vb[c])
				} else {
					bias[c] -= opt.LR * vb[c]
				}
			}
			for c := range k {
				for q := range n {
					if got := float64(m.W.At(c, q)); math.Abs(got-w[c][q]) > 1e-5 {
						t.Errorf("%dx%d batch %d, %+v step %d: W[%d][%d] = %v, reference %v", n, k, b, opt, step, c, q, got, w[c][q])
					}
				}
				if got := float64(m.Bias[c]); math.Abs(got-bias[c]) > 1e-6 {
					t.Errorf("%dx%d batch %d, %+v step %d: b[%d] = %v, reference %v", n, k, b, opt, step, c, got, bias[c])
				}
			}
		}
	}
}

func f32(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}

// TestFitDivergesFinite: a learning rate of 1e30 keeps every value finite
// (the loss is stable) but the loss explodes: that is divergence too.
func TestFitDivergesFinite(t *testing.T) {
	data := synth(512, 784, 10, 0.5, 1)
	m, _ := NewDense(784, 10, 0.01, 1)
	tr := &Trainer{Epochs: 3, SGD: SGD{LR: 1e30}}
	_, err := tr.Fit(context.Background(), m, data, Dataset{})
	if !errors.Is(err, ErrDiverged) {
		t.Fatalf("err = %v, want ErrDiverged", err)
	}
	// The GCE is bounded by 1/q, so divergence is judged on the cross-entropy.
	for _, share := range []float64{0, 0.05} {
		m, _ := NewDense(784, 10, 0.01, 1)
		tr := &Trainer{Epochs: 3, GCE: 0.7, CEShare: share, SGD: SGD{LR: 1e30}}
		if _, err := tr.Fit(context.Background(), m, data, Dataset{}); !errors.Is(err, ErrDiverged) {
			t.Errorf("GCE, %v cross-entropy: err = %v, want ErrDiverged", share, err)
		}
	}
	t.Log(err)
	// A large but workable learning rate must not be taken for divergence.
	m, _ = NewDense(784, 10, 0.01, 1)
	tr = &Trainer{Epochs: 3, SGD: SGD{LR: 2}}
	if _, err := tr.Fit(context.Background(), m, data, Dataset{}); err != nil {
		t.Fatalf("lr 2: %v", err)
	}
}

func TestFitDiverges(t *testing.T) {
	data := synth(512, 784, 10, 0.5, 1)
	m, _ := NewDense(784, 10, 0.01, 1)
	tr := &Trainer{Epochs: 3, SGD: SGD{LR: 1e37}}
	stats, err := tr.Fit(context.Background(), m, data, Dataset{})
	if !errors.Is(err, ErrDiverged) {
		t.Fatalf("err = %v, want ErrDiverged", err)
	}
	t.Log(err)
	if len(stats) != 0 {
		t.Errorf("%d epochs of stats, want none", len(stats))
	}
	if _, err := m.MarshalBinary(); err == nil && !m.Finite() {
		t.Error("a non-finite model can be marshalled")
	}
}

func TestFitStops(t *testing.T) {
	data := synth(300, 16, 3, 0.3, 1)
	stop := errors.New("stop")
	t.Run("OnEpoch error", func(t *testing.T) {
		m, _ := NewDense(16, 3, 0.01, 1)
		tr := &Trainer{BatchSize: 32, OnEpoch: func(s EpochStats) error {
			if s.Epoch == 2 {
				return stop
			}
			return nil
		}}
		stats, err := tr.Fit(context.Background(), m, data, data)
		if !errors.Is(err, stop) || len(stats) != 2 {
			t.Errorf("err %v with %d epochs, want stop after 2", err, len(stats))
		}
	})
	t.Run("cancelled during training", func(t *testing.T) {
		m, _ := NewDense(16, 3, 0.01, 1)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		tr := &Trainer{BatchSize: 32, OnEpoch: func(s EpochStats) error {
			cancel()
			return nil
		}}
		stats, err := tr.Fit(ctx, m, data, Dataset{})
		if !errors.Is(err, context.Canceled) || len(stats) != 1 {
			t.Errorf("err %v with %d epochs, want Canceled after 1", err, len(stats))
		}
	})
	t.Run("cancelled before", func(t *testing.T) {
		m, _ := NewDense(16, 3, 0.01, 1)
		before, _ := m.MarshalBinary()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		stats, err := (&Trainer{}).Fit(ctx, m, data, Dataset{})
		after, _ := m.MarshalBinary()
		if !errors.Is(err, context.Canceled) || len(stats) != 0 || !bytes.Equal(before, after) {
			t.Errorf("err %v with %d epochs (model changed: %v)", err, len(stats), !bytes.Equal(before, after))
		}
	})
}

func TestFitErrors(t *testing.T) {
	data := synth(100, 8, 3, 0.3, 1)
	bad := synth(100, 8, 3, 0.3, 1)
	bad.Labels[7] = 3
	short := Dataset{Images: data.Images, Labels: data.Labels[:99]}
	wrongSize := synth(100, 9, 3, 0.3, 1)
	badIndex := Dataset{Images: &tensor.U8Matrix{Rows: 1, Cols: 8, Stride: 8, Data: data.Images.Data, Index: []int32{100}}, Labels: []uint8{0}}
	model := func() *Dense { m, _ := NewDense(8, 3, 0.01, 1); return m }
	cases := []struct {
		name        string
		tr          Trainer
		m           *Dense
		train, test Dataset
		want        error
	}{
		{"negative epochs", Trainer{Epochs: -1}, model(), data, Dataset{}, ErrOption},
		{"negative batch", Trainer{BatchSize: -1}, model(), data, Dataset{}, ErrOption},
		{"negative threads", Trainer{Threads: -1}, model(), data, Dataset{}, ErrOption},
		{"negative lr", Trainer{SGD: SGD{LR: -1}}, model(), data, Dataset{}, ErrOption},
		{"NaN lr", Trainer{SGD: SGD{LR: math.NaN()}}, model(), data, Dataset{}, ErrOption},
		{"momentum 1", Trainer{SGD: SGD{Momentum: 1}}, model(), data, Dataset{}, ErrOption},
		{"negative decay", Trainer{SGD: SGD{WeightDecay: -1}}, model(), data, Dataset{}, ErrOption},
		{"lr decay 2", Trainer{SGD: SGD{LRDecay: 2}}, model(), data, Dataset{}, ErrOption},
		{"nesterov without momentum", Trainer{SGD: SGD{Nesterov: true}}, model(), data, Dataset{}, ErrOption},
		{"cosine and decay", Trainer{SGD: SGD{Cosine: true, LRDecay: 0.5}}, model(), data, Dataset{}, ErrOption},
		{"early stop without validation", Trainer{EarlyStop: 2}, model(), data, Dataset{}, ErrOption},
		{"negative early stop", Trainer{EarlyStop: -1, Validation: data}, model(), data, Dataset{}, ErrOption},
		{"early stop with an empty validation set", Trainer{EarlyStop: 2, Validation: Dataset{Images: &tensor.U8Matrix{Cols: 8, Stride: 8}}}, model(), data, Dataset{}, ErrOption},
		{"early stop and average", Trainer{Epochs: 5, EarlyStop: 2, Average: 2, Validation: data}, model(), data, Dataset{}, ErrOption},
		{"label smoothing 1", Trainer{LabelSmoothing: 1}, model(), data, Dataset{}, ErrOption},
		{"NaN label smoothing", Trainer{LabelSmoothing: math.NaN()}, model(), data, Dataset{}, ErrOption},
		{"GCE 1.5", Trainer{GCE: 1.5}, model(), data, Dataset{}, ErrOption},
		{"CE share 2", Trainer{GCE: 0.5, CEShare: 2}, model(), data, Dataset{}, ErrOption},
		{"CE share without GCE", Trainer{CEShare: 0.1}, model(), data, Dataset{}, ErrOption},
		{"GCE and smoothing", Trainer{GCE: 0.5, LabelSmoothing: 0.1}, model(), data, Dataset{}, ErrOption},
		{"average beyond epochs", Trainer{Epochs: 3, Average: 4}, model(), data, Dataset{}, ErrOption},
		{"negative average", Trainer{Average: -1}, model(), data, Dataset{}, ErrOption},
		{"bad validation labels", Trainer{Validation: bad}, model(), data, Dataset{}, ErrLabel},
		{"validation image size", Trainer{Validation: wrongSize}, model(), data, Dataset{}, ErrData},
		{"decay every -1", Trainer{SGD: SGD{DecayEvery: -1}}, model(), data, Dataset{}, ErrOption},
		{"nil model", Trainer{}, nil, data, Dataset{}, ErrModel},
		{"bias length", Trainer{}, &Dense{W: tensor.NewMatrix(3, 8), Bias: make([]float32, 2)}, data, Dataset{}, ErrModel},
		{"no images", Trainer{}, model(), Dataset{}, Dataset{}, ErrData},
		{"empty", Trainer{}, model(), Dataset{Images: &tensor.U8Matrix{Cols: 8, Stride: 8}}, Dataset{}, ErrData},
		{"label count", Trainer{}, model(), short, Dataset{}, ErrData},
		{"label range", Trainer{}, model(), bad, Dataset{}, ErrLabel},
		{"test label range", Trainer{}, model(), data, bad, ErrLabel},
		{"image size", Trainer{}, model(), wrongSize, Dataset{}, ErrData},
		{"bad index", Trainer{}, model(), badIndex, Dataset{}, ErrData},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.tr.Fit(context.Background(), tc.m, tc.train, tc.test)
			if !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestLRAt(t *testing.T) {
	cases := []struct {
		sgd  SGD
		want []float64
	}{
		{SGD{}, []float64{0.1, 0.1, 0.1}},
		{SGD{LR: 1, LRDecay: 0.5}, []float64{1, 0.5, 0.25}},
		{SGD{LR: 1, LRDecay: 0.5, DecayEvery: 2}, []float64{1, 1, 0.5, 0.5, 0.25}},
	}
	for _, tc := range cases {
		for e, want := range tc.want {
			if got := tc.sgd.LRAt(e + 1); got != want {
				t.Errorf("%+v: LRAt(%d) = %v, want %v", tc.sgd, e+1, got, want)
			}
		}
	}
}

func TestCloneAndFinite(t *testing.T) {
	m := testModel(true)
	c := m.Clone()
	sameModel(t, c, m)
	c.W.Data[0]++
	c.Names[0] = "changed"
	if m.W.Data[0] == c.W.Data[0] || m.Names[0] == "changed" {
		t.Error("Clone shares storage")
	}
	var nilModel *Dense
	if nilModel.Clone() != nil || (&Dense{}).Clone() != nil || nilModel.Finite() || (&Dense{}).Finite() {
		t.Error("invalid models: Clone not nil or Finite true")
	}
	if nilModel.Inputs() != 0 || nilModel.Classes() != 0 {
		t.Error("nil model has sizes")
	}
	if !m.Finite() {
		t.Error("finite model reported not finite")
	}
	m.Bias[1] = float32(math.Inf(1))
	if m.Finite() {
		t.Error("infinite bias not seen")
	}
}

// A minibatch split into blocks gives the step of the whole minibatch (up to
// the rounding of the sums) for every loss kind and SGD option: the same
// loss, cross-entropy and correct count, the same update. A non-finite loss
// in a later block leaves the model and the velocity untouched.
func TestStepBlocksMatch(t *testing.T) {
	const n, k, b = 97, 10, 150 // odd sizes: blocks of 32 rows, the last of 22
	data := synth(b, n, k, 0.5, 6)
	kinds := []lossKind{crossEntropy, {eps: 0.1}, {q: 0.7, beta: 0.3}}
	opts := []SGD{{LR: 0.3}, {LR: 0.3, WeightDecay: 0.05}, {LR: 0.2, Momentum: 0.9},
		{LR: 0.2, Momentum: 0.8, Nesterov: true, WeightDecay: 0.05}}
	for _, kind := range kinds {
		for _, opt := range opts {
			opt = opt.withDefaults()
			m1, _ := NewDense(n, k, 0.05, 3)
			m2 := m1.Clone()
			whole := newStepper(nil, m1, data, b, opt, kind)
			whole.block = b
			blocks := newStepper(nil, m2, data, b, opt, kind)
			blocks.block = lossChunk
			if blocks.grad == nil || blocks.bgrad == nil {
				blocks.grad, blocks.bgrad = tensor.NewMatrix(k, n), make([]float64, k)
			}
			for step := range 3 {
				rows := b - 40*step // 150, 110, 70: a shorter last batch too
				for i := range rows {
					j := (i*7 + step) % b
					for _, s := range []*stepper{whole, blocks} {
						s.idx[i], s.labels[i] = int32(j), data.Labels[j]
					}
				}
				l1, c1, err1 := whole.step(rows, opt.LR)
				l2, c2, err2 := blocks.step(rows, opt.LR)
				if err1 != nil || err2 != nil {
					t.Fatal(err1, err2)
				}
				what := fmt.Sprintf("%+v %+v step %d", kind, opt, step)
				tol := 1e-12 // the same logits, summed in another order
				if step > 0 {
					tol = 1e-6 // after updates that differ in rounding
				}
				if c1 != c2 || math.Abs(l1-l2) > tol*math.Abs(l1) || math.Abs(whole.ce-blocks.ce) > tol*math.Abs(whole.ce) {
					t.Errorf("%s: loss %v ce %v correct %d in one, loss %v ce %v correct %d in blocks", what, l1, whole.ce, c1, l2, blocks.ce, c2)
				}
				for i := range m1.W.Data {
					if d := math.Abs(float64(m1.W.Data[i] - m2.W.Data[i])); d > 1e-6 {
						t.Fatalf("%s: W[%d] %v in one, %v in blocks", what, i, m1.W.Data[i], m2.W.Data[i])
					}
				}
				for j := range m1.Bias {
					if d := math.Abs(float64(m1.Bias[j] - m2.Bias[j])); d > 1e-6 {
						t.Fatalf("%s: b[%d] %v in one, %v in blocks", what, j, m1.Bias[j], m2.Bias[j])
					}
				}
			}
		}
	}

	// Rows 64 and after overflow to +Inf logits; the first two blocks are finite.
	x := &tensor.U8Matrix{Rows: b, Cols: n, Stride: n, Data: make([]uint8, b*n)}
	for i := 64 * n; i < len(x.Data); i++ {
		x.Data[i] = 255
	}
	for _, opt := range opts {
		opt = opt.withDefaults()
		m, _ := NewDense(n, k, 0.05, 3)
		for i := range m.W.Data {
			m.W.Data[i] = 1e38
		}
		s := newStepper(nil, m, Dataset{Images: x}, b, opt, crossEntropy)
		s.block = lossChunk
		if s.grad == nil || s.bgrad == nil {
			s.grad, s.bgrad = tensor.NewMatrix(k, n), make([]float64, k)
		}
		for i := range b {
			s.idx[i], s.labels[i] = int32(i), uint8(i%k)
		}
		before, bias := append([]float32(nil), m.W.Data...), append([]float32(nil), m.Bias...)
		loss, _, err := s.step(b, opt.LR)
		if err != nil || !math.IsNaN(loss) && !math.IsInf(loss, 0) {
			t.Fatalf("%+v: loss %v, err %v; want a non-finite loss", opt, loss, err)
		}
		if !slices.Equal(before, m.W.Data) || !slices.Equal(bias, m.Bias) {
			t.Errorf("%+v: the model changed after a non-finite loss", opt)
		}
		if s.vel != nil && (slices.ContainsFunc(s.vel.Data, func(v float32) bool { return v != 0 }) ||
			slices.ContainsFunc(s.velB, func(v float32) bool { return v != 0 })) {
			t.Errorf("%+v: the velocity changed after a non-finite loss", opt)
		}
	}
}
