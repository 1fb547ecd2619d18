package softmax

import (
	"errors"
	"math"
	"sync"
	"testing"

	"github.com/softmax-fast/softmax-fast/tensor"
)

func trained(t testing.TB, inputs, classes int) (*Dense, Dataset) {
	t.Helper()
	data := synth(1200, inputs, classes, 0.3, 21)
	m, err := NewDense(inputs, classes, 0.01, 2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&Trainer{Epochs: 2, BatchSize: 64}).Fit(t.Context(), m, data, Dataset{}); err != nil {
		t.Fatal(err)
	}
	return m, data
}

// Predict, PredictBatch, Accuracy and Confusion agree with each other and
// with a float64 computation of the probabilities.
func TestPredictAgrees(t *testing.T) {
	for _, sh := range []struct{ inputs, classes int }{{784, 10}, {9, 70}, {3, 1}} {
		m, data := trained(t, sh.inputs, sh.classes)
		n := data.Len()
		classes := make([]int, n)
		probs := make([]float32, n)
		if err := m.PredictBatch(data.Images, classes, probs); err != nil {
			t.Fatal(err)
		}
		classesOnly := make([]int, n)
		if err := m.PredictBatch(data.Images, classesOnly, nil); err != nil {
			t.Fatal(err)
		}
		correct := 0
		for i := range n {
			img := data.Images.Row(i)
			c, p, err := m.Predict(img)
			if err != nil {
				t.Fatal(err)
			}
			// float64 reference
			z := make([]float64, sh.classes)
			for k := range z {
				z[k] = float64(m.Bias[k])
				for q, px := range img {
					z[k] += float64(px) / 255 * float64(m.W.At(k, q))
				}
			}
			pr := softmax64(f32(z))
			best := 0
			for k := range pr {
				if pr[k] > pr[best] {
					best = k
				}
			}
			if c != classes[i] || c != classesOnly[i] {
				if math.Abs(pr[c]-pr[classes[i]]) > 1e-5 {
					t.Errorf("%dx%d image %d: Predict %d, PredictBatch %d (%d)", sh.classes, sh.inputs, i, c, classes[i], classesOnly[i])
				}
			}
			if math.Abs(float64(p)-pr[best]) > 1e-5 || math.Abs(float64(probs[i])-pr[best]) > 1e-5 {
				t.Errorf("image %d: probabilities %v and %v, reference %v", i, p, probs[i], pr[best])
			}
			if classes[i] == int(data.Labels[i]) {
				correct++
			}
		}
		acc, err := m.Accuracy(data)
		if err != nil || acc != float64(correct)/float64(n) {
			t.Errorf("Accuracy %v (%v), want %v", acc, err, float64(correct)/float64(n))
		}
		conf, err := m.Confusion(data)
		if err != nil {
			t.Fatal(err)
		}
		diag, total := 0, 0
		for y, row := range conf {
			for p, c := range row {
				total += c
				if y == p {
					diag += c
				}
			}
		}
		if diag != correct || total != n {
			t.Errorf("confusion diagonal %d of %d, want %d of %d", diag, total, correct, n)
		}
	}
}

func TestPredictAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under -race")
	}
	m, data := trained(t, 784, 10)
	img := data.Images.Row(0)
	if a := testing.AllocsPerRun(100, func() { m.Predict(img) }); a != 0 {
		t.Errorf("Predict: %v allocations per call, want 0", a)
	}
}

// Concurrent Predict and PredictBatch calls give the results of serial ones
// (run with -race at SOFTMAX_FAST_ISA=generic, where the detector sees all).
func TestPredictConcurrent(t *testing.T) {
	m, data := trained(t, 784, 10)
	n := 300
	want := make([]int, n)
	for i := range n {
		want[i], _, _ = m.Predict(data.Images.Row(i))
	}
	wantBatch := make([]int, data.Len())
	m.PredictBatch(data.Images, wantBatch, nil)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Go(func() {
			if g%2 == 0 {
				for i := range n {
					if c, _, err := m.Predict(data.Images.Row(i)); err != nil || c != want[i] {
						errs <- errors.New("concurrent Predict differs")
						return
					}
				}
				return
			}
			got := make([]int, data.Len())
			if err := m.PredictBatch(data.Images, got, make([]float32, data.Len())); err != nil {
				errs <- err
				return
			}
			for i := range got {
				if got[i] != wantBatch[i] {
					errs <- errors.New("concurrent PredictBatch differs")
					return
				}
			}
			if _, err := m.Accuracy(data); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestPredictErrors(t *testing.T) {
	m, _ := NewDense(4, 3, 0.01, 1)
	if _, _, err := m.Predict(make([]uint8, 5)); !errors.Is(err, ErrData) {
		t.Errorf("wrong image size: %v", err)
	}
	if _, _, err := (&Dense{}).Predict(make([]uint8, 4)); !errors.Is(err, ErrModel) {
		t.Errorf("empty model: %v", err)
	}
	var nilModel *Dense
	if _, _, err := nilModel.Predict(nil); !errors.Is(err, ErrModel) {
		t.Errorf("nil model: %v", err)
	}
	x := &tensor.U8Matrix{Rows: 2, Cols: 4, Stride: 4, Data: make([]uint8, 8)}
	for _, tc := range []struct {
		name    string
		x       *tensor.U8Matrix
		classes []int
		probs   []float32
	}{
		{"nil images", nil, nil, nil},
		{"classes length", x, make([]int, 1), nil},
		{"probs length", x, make([]int, 2), make([]float32, 3)},
		{"short data", &tensor.U8Matrix{Rows: 3, Cols: 4, Stride: 4, Data: make([]uint8, 8)}, make([]int, 3), nil},
		{"overflowing header", &tensor.U8Matrix{Rows: math.MaxInt / 4, Cols: 4, Stride: math.MaxInt / 4, Data: make([]uint8, 8)}, make([]int, 1<<10)[:0], nil},
		{"negative stride", &tensor.U8Matrix{Rows: 2, Cols: 4, Stride: -4, Data: make([]uint8, 8)}, make([]int, 2), nil},
		{"bad index", &tensor.U8Matrix{Rows: 1, Cols: 4, Stride: 4, Data: make([]uint8, 8), Index: []int32{2}}, make([]int, 1), nil},
		{"wrong width", &tensor.U8Matrix{Rows: 2, Cols: 3, Stride: 4, Data: make([]uint8, 8)}, make([]int, 2), nil},
	} {
		if err := m.PredictBatch(tc.x, tc.classes, tc.probs); !errors.Is(err, ErrData) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	if err := m.PredictBatch(&tensor.U8Matrix{Cols: 4, Stride: 4}, nil, nil); err != nil {
		t.Errorf("no images: %v", err)
	}
	if acc, err := m.Accuracy(Dataset{Images: &tensor.U8Matrix{Cols: 4, Stride: 4}}); acc != 0 || err != nil {
		t.Errorf("empty Accuracy: %v %v", acc, err)
	}
	if _, err := m.Confusion(Dataset{Images: x, Labels: []uint8{0, 3}}); !errors.Is(err, ErrLabel) {
		t.Errorf("Confusion with a bad label: %v", err)
	}
}
