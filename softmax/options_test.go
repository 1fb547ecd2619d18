package softmax

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/softmax-fast/softmax-fast/tensor"
)

func TestLRAtStepCosine(t *testing.T) {
	o := SGD{LR: 2, Cosine: true}
	for _, tc := range []struct {
		t, T int
		want float64
	}{{0, 100, 2}, {50, 100, 1}, {25, 100, 1 + math.Sqrt(0.5)}, {100, 100, 0}, {200, 100, 0}, {0, 0, 2}} {
		if got := o.LRAtStep(1, tc.t, tc.T); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("LRAtStep(t=%d, T=%d) = %v, want %v", tc.t, tc.T, got, tc.want)
		}
	}
	step := SGD{LR: 1, LRDecay: 0.5}
	if got := step.LRAtStep(3, 77, 100); got != 0.25 {
		t.Errorf("step decay: LRAtStep in epoch 3 = %v, want 0.25", got)
	}
	if got := o.LRAt(4); got != 2 {
		t.Errorf("cosine LRAt = %v, want LR", got)
	}
}

func TestSplit(t *testing.T) {
	data := synth(1000, 5, 4, 0.3, 2)
	rest, held, err := data.Split(300, 9)
	if err != nil {
		t.Fatal(err)
	}
	if rest.Len() != 700 || held.Len() != 300 || len(rest.Labels) != 700 || len(held.Labels) != 300 {
		t.Fatalf("sizes %d and %d", rest.Len(), held.Len())
	}
	var rows []int32
	for _, d := range []Dataset{rest, held} {
		if err := d.check("part", 5, 4, false); err != nil {
			t.Fatal(err)
		}
		if !slices.IsSorted(d.Images.Index) {
			t.Error("a part is not in the order of the set")
		}
		for i, r := range d.Images.Index {
			if d.Labels[i] != data.Labels[r] {
				t.Fatalf("label of row %d does not follow it", r)
			}
		}
		rows = append(rows, d.Images.Index...)
	}
	slices.Sort(rows)
	for i, r := range rows {
		if r != int32(i) {
			t.Fatalf("the parts do not cover the set once: row %d at %d", r, i)
		}
	}
	_, again, _ := data.Split(300, 9)
	_, other, _ := data.Split(300, 10)
	if !slices.Equal(again.Images.Index, held.Images.Index) || slices.Equal(other.Images.Index, held.Images.Index) {
		t.Error("the split is not a function of the seed")
	}
	// A split of a split picks rows of the original data.
	_, sub, err := held.Split(100, 1)
	if err != nil || sub.Len() != 100 {
		t.Fatal(err)
	}
	for i, r := range sub.Images.Index {
		if !slices.Contains(held.Images.Index, r) || sub.Labels[i] != data.Labels[r] {
			t.Fatalf("split of a split: row %d is not in the held-out part", r)
		}
	}
	for _, n := range []int{-1, 1001} {
		if _, _, err := data.Split(n, 1); err == nil {
			t.Errorf("Split(%d) of 1000: no error", n)
		}
	}
	if _, _, err := (Dataset{}).Split(0, 1); err == nil {
		t.Error("Split of an empty Dataset: no error")
	}
	if r, h, err := data.Split(0, 1); err != nil || r.Len() != 1000 || h.Len() != 0 {
		t.Errorf("Split(0): %d and %d, %v", r.Len(), h.Len(), err)
	}
}

// Early stopping keeps the weights of the best validation epoch and stops
// EarlyStop epochs after it.
func TestFitEarlyStop(t *testing.T) {
	data := synth(1200, 30, 5, 0.85, 3) // noisy: the validation accuracy wanders
	train, val, err := data.Split(400, 1)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := NewDense(30, 5, 0.01, 1)
	tr := &Trainer{Epochs: 60, BatchSize: 32, SGD: SGD{LR: 3}, Validation: val, EarlyStop: 3}
	stats, err := tr.Fit(context.Background(), m, train, Dataset{})
	if err != nil {
		t.Fatal(err)
	}
	best, bestAcc := 0, math.Inf(-1)
	for i, s := range stats {
		if math.IsNaN(s.ValAcc) || !math.IsNaN(s.TestAcc) {
			t.Fatalf("epoch %d: val acc %v, test acc %v", s.Epoch, s.ValAcc, s.TestAcc)
		}
		if s.Best != (s.ValAcc > bestAcc) {
			t.Errorf("epoch %d: Best %v with val acc %v after a best of %v", s.Epoch, s.Best, s.ValAcc, bestAcc)
		}
		if s.ValAcc > bestAcc {
			best, bestAcc = i, s.ValAcc
		}
	}
	if len(stats) == 60 {
		t.Fatalf("no early stop in 60 epochs (val acc %v)", stats[len(stats)-1].ValAcc)
	}
	if len(stats)-1-best != 3 {
		t.Errorf("stopped at epoch %d, best epoch %d: want 3 epochs after the best", len(stats), best+1)
	}
	if acc, _ := m.Accuracy(val); acc != bestAcc {
		t.Errorf("kept model has val acc %v, the best epoch %v", acc, bestAcc)
	}
}

// Average makes the model the mean of the weights after every step of the
// last Average epochs; its metrics are those of the mean.
func TestFitAverage(t *testing.T) {
	data := synth(64, 20, 3, 0.5, 4)
	run := func(tr Trainer) (*Dense, []*Dense, []EpochStats) {
		m, _ := NewDense(20, 3, 0.1, 2)
		var snaps []*Dense
		tr.BatchSize, tr.Epochs, tr.SGD = 64, 4, SGD{LR: 0.5, Momentum: 0.5} // a step per epoch
		tr.OnEpoch = func(EpochStats) error { snaps = append(snaps, m.Clone()); return nil }
		stats, err := tr.Fit(context.Background(), m, data, data)
		if err != nil {
			t.Fatal(err)
		}
		return m, snaps, stats
	}
	_, plain, _ := run(Trainer{})
	avg, _, stats := run(Trainer{Average: 2})
	for c := range 3 {
		for p := range 20 {
			want := (float64(plain[2].W.At(c, p)) + float64(plain[3].W.At(c, p))) / 2
			if got := float64(avg.W.At(c, p)); math.Abs(got-want) > 1e-6 {
				t.Fatalf("W[%d][%d] = %v, want the mean of epochs 3 and 4, %v", c, p, got, want)
			}
		}
		want := (float64(plain[2].Bias[c]) + float64(plain[3].Bias[c])) / 2
		if got := float64(avg.Bias[c]); math.Abs(got-want) > 1e-6 {
			t.Fatalf("bias[%d] = %v, want %v", c, got, want)
		}
	}
	if acc, _ := avg.Accuracy(data); stats[3].TestAcc != acc {
		t.Errorf("last epoch's test acc %v is not the averaged model's %v", stats[3].TestAcc, acc)
	}
	if acc, _ := plain[1].Accuracy(data); stats[1].TestAcc != acc {
		t.Errorf("epoch 2 (before averaging) test acc %v, the model's %v", stats[1].TestAcc, acc)
	}
}

// Every combination of the new options trains a separable problem, on
// every ISA level.
func TestFitRecipes(t *testing.T) {
	data := synth(3000, 784, 10, 0.5, 1)
	train := Dataset{Images: &tensor.U8Matrix{Rows: 2000, Cols: 784, Stride: 784, Data: data.Images.Data}, Labels: data.Labels[:2000]}
	test := Dataset{Images: &tensor.U8Matrix{Rows: 1000, Cols: 784, Stride: 784, Data: data.Images.Data[2000*784:]}, Labels: data.Labels[2000:]}
	cases := map[string]Trainer{
		"nesterov cosine": {SGD: SGD{LR: 0.5, Momentum: 0.9, Nesterov: true, Cosine: true}},
		"label smoothing": {LabelSmoothing: 0.1},
		"gce":             {GCE: 0.7, CEShare: 0.05, SGD: SGD{LR: 0.3, Momentum: 0.5, Nesterov: true}},
		"average":         {Average: 2, SGD: SGD{LR: 0.3}},
	}
	withISA(t, func(t *testing.T) {
		for name, tr := range cases {
			m, _ := NewDense(784, 10, 0.01, 1)
			tr.Epochs = 4
			stats, err := tr.Fit(context.Background(), m, train, test)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			last := stats[len(stats)-1]
			if last.TestAcc < 0.95 || !(last.Loss < stats[0].Loss) {
				t.Errorf("%s: test acc %v, loss %v after %v", name, last.TestAcc, last.Loss, stats[0].Loss)
			}
		}
	})
}
