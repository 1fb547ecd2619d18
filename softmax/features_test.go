package softmax

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/softmax-fast/softmax-fast/tensor"
)

// synthFeatures returns n labelled feature vectors of d values in classes
// classes, each class a random centre plus Gaussian noise, with feature p
// on the scale scales[p%len(scales)] around an offset of the same size, so
// that features differ by orders of magnitude.
func synthFeatures(n, d, classes int, noise float64, scales []float64, seed uint64) Dataset {
	r := rand.New(rand.NewPCG(seed, 7))
	centres := make([][]float64, classes)
	for c := range centres {
		centres[c] = make([]float64, d)
		for p := range centres[c] {
			centres[c][p] = r.NormFloat64()
		}
	}
	x := &tensor.F32Matrix{Rows: n, Cols: d, Stride: d, Data: make([]float32, n*d)}
	labels := make([]uint8, n)
	for i := range n {
		c := r.IntN(classes)
		labels[i] = uint8(c)
		for p := range d {
			s := scales[p%len(scales)]
			x.Data[i*d+p] = float32(s * (3 + centres[c][p] + noise*r.NormFloat64()))
		}
	}
	return Dataset{Features: x, Labels: labels}
}

// A model of features learns separable data on wildly different scales once
// standardized, at every level, and its predictions agree with each other:
// Accuracy on raw features, PredictFeatures, PredictBatchFeatures.
func TestFitFeatures(t *testing.T) {
	scales := []float64{1, 1000, 0.001, 50}
	// One draw for both sets, so that they share the classes' centres.
	all := synthFeatures(3600, 37, 5, 0.5, scales, 3)
	train := Dataset{Features: &tensor.F32Matrix{Rows: 3000, Cols: 37, Stride: 37, Data: all.Features.Data[:3000*37]}, Labels: all.Labels[:3000]}
	test := Dataset{Features: &tensor.F32Matrix{Rows: 600, Cols: 37, Stride: 37, Data: all.Features.Data[3000*37:]}, Labels: all.Labels[3000:]}
	withISA(t, func(t *testing.T) {
		m, _ := NewDense(37, 5, 0.01, 1)
		m.Features = true
		tr := &Trainer{Epochs: 4, BatchSize: 64, Seed: 3}
		stats, err := tr.Fit(context.Background(), m, train, test)
		if err != nil {
			t.Fatal(err)
		}
		if m.Mean == nil || len(m.Scale) != 37 {
			t.Fatal("Fit set no standardization")
		}
		last := stats[len(stats)-1]
		if last.TestAcc < 0.95 {
			t.Errorf("test accuracy %v on separable data", last.TestAcc)
		}
		acc, err := m.Accuracy(test) // raw features: the model standardizes them
		if err != nil || math.Abs(acc-last.TestAcc) > 0.005 {
			t.Errorf("Accuracy on raw features %v (%v), Fit's %v", acc, err, last.TestAcc)
		}
		classes := make([]int, test.Len())
		probs := make([]float32, test.Len())
		if err := m.PredictBatchFeatures(test.Features, classes, probs); err != nil {
			t.Fatal(err)
		}
		differ := 0
		for i := range test.Len() {
			c, p, err := m.PredictFeatures(test.Features.Row(i))
			if err != nil {
				t.Fatal(err)
			}
			if c != classes[i] || math.Abs(float64(p-probs[i])) > 1e-4 {
				differ++
			}
		}
		if differ > 2 { // the two sum in different orders: ties may break apart
			t.Errorf("PredictFeatures and PredictBatchFeatures differ on %d of %d", differ, test.Len())
		}
	})
}

// Without standardization, the same data on raw scales does not train well
// at the same learning rate: the option really turns it off.
func TestFitFeaturesNoStandardize(t *testing.T) {
	d := synthFeatures(2000, 20, 4, 0.5, []float64{1, 1000}, 4)
	m, _ := NewDense(20, 4, 0.01, 1)
	m.Features = true
	tr := &Trainer{Epochs: 2, BatchSize: 64, NoStandardize: true}
	_, err := tr.Fit(context.Background(), m, d, Dataset{})
	if m.Mean != nil {
		t.Error("NoStandardize set a standardization")
	}
	if err == nil {
		if acc, _ := m.Accuracy(d); acc > 0.9 {
			t.Errorf("raw features in the thousands trained to %v at lr 0.1; expected divergence or poor accuracy", acc)
		}
	} else if !errors.Is(err, ErrDiverged) {
		t.Fatal(err)
	}
}

// Training on features is bitwise the same on 1 and 2 threads, on a set
// picked by an index (a Split) as on a compact one, and with blocks of rows
// (a batch of 1000 rows of 300 values is two blocks).
func TestFitFeaturesDeterministic(t *testing.T) {
	whole := synthFeatures(1700, 300, 10, 0.8, []float64{1, 10}, 5)
	d, _, err := whole.Split(200, 1) // an index into whole's rows
	if err != nil {
		t.Fatal(err)
	}
	withISA(t, func(t *testing.T) {
		ref := map[int][]byte{}
		for _, threads := range []int{1, 2} {
			for _, batch := range []int{100, 1000} {
				m, _ := NewDense(300, 10, 0.01, 2)
				m.Features = true
				tr := &Trainer{Epochs: 2, BatchSize: batch, Seed: 9, Threads: threads}
				if _, err := tr.Fit(context.Background(), m, d, Dataset{}); err != nil {
					t.Fatal(err)
				}
				b, err := m.MarshalBinary()
				if err != nil {
					t.Fatal(err)
				}
				if ref[batch] == nil {
					ref[batch] = b
				} else if !bytes.Equal(ref[batch], b) {
					t.Errorf("batch %d, threads %d: the model differs from 1 thread's", batch, threads)
				}
			}
		}
	})
}

// Each kind of model refuses the other kind's data with ErrData.
func TestFeaturesKindMismatch(t *testing.T) {
	img := synth(50, 20, 3, 0.3, 1)
	feat := synthFeatures(50, 20, 3, 0.3, []float64{1}, 1)
	mi, _ := NewDense(20, 3, 0.01, 1)
	mf, _ := NewDense(20, 3, 0.01, 1)
	mf.Features = true
	checks := map[string]error{}
	_, checks["Fit images on features model"] = (&Trainer{Epochs: 1}).Fit(context.Background(), mf, img, Dataset{})
	_, checks["Fit features on images model"] = (&Trainer{Epochs: 1}).Fit(context.Background(), mi, feat, Dataset{})
	_, checks["Accuracy"] = mi.Accuracy(feat)
	_, _, checks["Predict"] = mf.Predict(img.Images.Row(0))
	_, _, checks["PredictFeatures"] = mi.PredictFeatures(feat.Features.Row(0))
	checks["PredictBatch"] = mf.PredictBatch(img.Images, make([]int, 50), nil)
	checks["PredictBatchFeatures"] = mi.PredictBatchFeatures(feat.Features, make([]int, 50), nil)
	for name, err := range checks {
		if !errors.Is(err, ErrData) {
			t.Errorf("%s: err %v, want ErrData", name, err)
		}
	}
	both := Dataset{Images: img.Images, Features: feat.Features, Labels: img.Labels}
	if _, err := mi.Accuracy(both); !errors.Is(err, ErrData) || !strings.Contains(err.Error(), "both") {
		t.Errorf("a set with images and features: %v", err)
	}
}

// Standardization: mean and 1/σ per feature in float64, 1 for a constant
// feature, over the rows an index picks.
func TestStandardization(t *testing.T) {
	x := &tensor.F32Matrix{Rows: 3, Cols: 3, Stride: 4, Data: []float32{
		1, 5, 1000, -1, // the stride's gap is never read
		3, 5, 1002, -1,
		99, 99, 99, 99,
	}, Index: []int32{0, 1, 0}}
	mean, scale, err := Standardization(Dataset{Features: x, Labels: []uint8{0, 0, 0}})
	if err != nil {
		t.Fatal(err)
	}
	wantMean := []float32{5.0 / 3, 5, 3002.0 / 3}
	sd := math.Sqrt(8.0 / 9) // of 1, 3, 1 and of 1000, 1002, 1000
	wantScale := []float32{float32(1 / sd), 1, float32(1 / sd)}
	for p := range 3 {
		if mean[p] != wantMean[p] || math.Abs(float64(scale[p]-wantScale[p])) > 1e-6*float64(wantScale[p]) {
			t.Errorf("feature %d: mean %v scale %v, want %v %v", p, mean[p], scale[p], wantMean[p], wantScale[p])
		}
	}
	if _, _, err := Standardization(Dataset{}); !errors.Is(err, ErrData) {
		t.Errorf("no features: %v", err)
	}
}

// A model of features goes through the file format (version 2) and back
// bitwise, standardized or not; a model of images is still written as
// version 1; bad kinds and non-finite standardization values are rejected.
func TestFeaturesModelFile(t *testing.T) {
	m, _ := NewDense(7, 3, 0.5, 1)
	m.Names = []string{"a", "b", "c"}
	img, _ := m.MarshalBinary()
	if v := binary.LittleEndian.Uint32(img[4:]); v != 1 {
		t.Errorf("a model of images is written as version %d", v)
	}
	m.Features = true
	for _, std := range []bool{false, true} {
		if std {
			m.Mean = []float32{1, 2, 3, 4, 5, 6, 7}
			m.Scale = []float32{0.5, 1, 2, 1, 1, 1e-3, 1e3}
		}
		b, err := m.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if v := binary.LittleEndian.Uint32(b[4:]); v != 2 {
			t.Errorf("a model of features is written as version %d", v)
		}
		got, err := Read(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		again, _ := got.MarshalBinary()
		if !bytes.Equal(b, again) || !got.Features || (got.Mean != nil) != std {
			t.Errorf("standardized %v: the model did not survive the file", std)
		}
	}
	good, _ := m.MarshalBinary()
	le := binary.LittleEndian
	kindOff := len(good) - 4 - 56 - 4
	for _, c := range []struct {
		name string
		off  int
		v    uint32
		text string
	}{
		{"kind 0", kindOff, 0, "model kind"},
		{"kind 2", kindOff, 2, "model kind"},
		{"unknown flag", kindOff, 7, "model kind"},
		{"NaN mean", kindOff + 4, math.Float32bits(float32(math.NaN())), "standardization value 0"},
		{"Inf scale", kindOff + 4 + 28 + 8, math.Float32bits(float32(math.Inf(1))), "standardization value 9"},
	} {
		b := append([]byte(nil), good...)
		le.PutUint32(b[c.off:], c.v)
		le.PutUint32(b[len(b)-4:], crc32.Checksum(b[:len(b)-4], crc32.MakeTable(crc32.Castagnoli)))
		_, err := Read(bytes.NewReader(b))
		var fe *FormatError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), c.text) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	bad := m.Clone()
	bad.Features = false
	if err := bad.Validate(); !errors.Is(err, ErrModel) {
		t.Errorf("a standardization in a model of images: %v", err)
	}
}
