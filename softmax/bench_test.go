package softmax

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/softmax-fast/softmax-fast/tensor"
)

// benchData is a random data set of Fashion-MNIST's shape (60000 images of
// 784 pixels), made once.
var benchData = sync.OnceValue(func() Dataset {
	const n, k = 60000, 784
	r := rand.New(rand.NewPCG(1, 2))
	x := &tensor.U8Matrix{Rows: n, Cols: k, Stride: k, Data: make([]uint8, n*k)}
	for i := range x.Data {
		x.Data[i] = uint8(r.Uint32())
	}
	labels := make([]uint8, n)
	for i := range labels {
		labels[i] = uint8(r.IntN(10))
	}
	return Dataset{Images: x, Labels: labels}
})

// setISA selects level l for a benchmark and restores the previous one
// after it.
func setISA(b *testing.B, l tensor.ISA) {
	saved, _ := tensor.CurrentISA()
	if err := tensor.SetISA(l); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { tensor.SetISA(saved) })
}

// BenchmarkStep times one training step (forward, fused loss, backward and
// update) on a random minibatch of 256 rows of a 60000x784 data set.
func BenchmarkStep(b *testing.B) {
	data := benchData()
	const batch = 256
	for _, threads := range []int{1, 2} {
		for _, l := range tensor.Available() {
			b.Run(fmt.Sprintf("b=%d/threads=%d/impl=%s", batch, threads, l), func(b *testing.B) {
				setISA(b, l)
				ws := tensor.NewWorkers(threads) // as Fit does
				defer ws.Close()
				m, _ := NewDense(784, 10, 0.01, 1)
				st := newStepper(ws, m, data, batch, SGD{}.withDefaults(), crossEntropy)
				r := rand.New(rand.NewPCG(3, 4))
				perm := r.Perm(data.Len())
				pos := 0
				for b.Loop() {
					if pos+batch > len(perm) {
						pos = 0
					}
					for i, p := range perm[pos : pos+batch] {
						st.idx[i], st.labels[i] = int32(p), data.Labels[p]
					}
					pos += batch
					if _, _, err := st.step(batch, 0.1); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(batch)*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
			})
		}
	}
}

// BenchmarkPredict times the prediction of one image at every level, the
// images taken in turn from a set of 10000 (7.8 MB: in L3, not in L1).
func BenchmarkPredict(b *testing.B) {
	data := benchData()
	m, _ := NewDense(784, 10, 0.01, 1)
	for _, l := range tensor.Available() {
		b.Run(fmt.Sprintf("inputs=784/classes=10/impl=%s", l), func(b *testing.B) {
			setISA(b, l)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, _, err := m.Predict(data.Images.Row(i)); err != nil {
					b.Fatal(err)
				}
				i = (i + 1) % 10000
			}
		})
	}
}

// BenchmarkAccuracy times the evaluation of a 10000-image test set.
func BenchmarkAccuracy(b *testing.B) {
	data := benchData()
	test := Dataset{Images: &tensor.U8Matrix{Rows: 10000, Cols: 784, Stride: 784, Data: data.Images.Data}, Labels: data.Labels[:10000]}
	for _, pool := range []bool{false, true} {
		for _, l := range tensor.Available() {
			// workers=pool: with the worker pool Fit runs (its evaluations
			// after each epoch); workers=spawn: goroutines started per call.
			name := map[bool]string{false: "spawn", true: "pool"}[pool]
			b.Run(fmt.Sprintf("n=10000/workers=%s/impl=%s", name, l), func(b *testing.B) {
				setISA(b, l)
				var ws *tensor.Workers // Accuracy's
				if pool {
					ws = tensor.NewWorkers(0)
					defer ws.Close()
				}
				m, _ := NewDense(784, 10, 0.01, 1)
				for b.Loop() {
					if _, err := m.evaluate(ws, test, nil, false); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(10000*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
			})
		}
	}
}

// BenchmarkLoss times the fused softmax cross-entropy and gradient of a
// batch of logits, in place, with the bias gradient (the column sums) as in
// training: the cross-entropy, and the GCE mix of -recipe best.
func BenchmarkLoss(b *testing.B) {
	kinds := []struct {
		name string
		kind lossKind
	}{{"ce", crossEntropy}, {"gce", lossKind{q: 0.7, beta: 0.05}}}
	for _, sh := range []struct{ n, k int }{{256, 10}} {
		for _, kd := range kinds {
			for _, l := range tensor.Available() {
				b.Run(fmt.Sprintf("b=%d/k=%d/loss=%s/impl=%s", sh.n, sh.k, kd.name, l), func(b *testing.B) {
					setISA(b, l)
					r := rand.New(rand.NewPCG(5, 6))
					z := tensor.NewMatrix(sh.n, sh.k)
					src := make([]float32, len(z.Data))
					for i := range src {
						src[i] = float32(r.NormFloat64() * 3)
					}
					labels := make([]uint8, sh.n)
					for i := range labels {
						labels[i] = uint8(r.IntN(sh.k))
					}
					parts := make([]lossPart, (sh.n+lossChunk-1)/lossChunk)
					colsum := make([]float64, sh.k)
					for b.Loop() {
						copy(z.Data, src)
						lossGradParts(z, z, labels, kd.kind, parts, colsum)
					}
					b.ReportMetric(float64(sh.n)*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
				})
			}
		}
	}
}

// BenchmarkEpochAlternated trains one epoch (the chapter's recipe, 60000
// random images of 784 pixels) at each SIMD level the machine has in turn, every
// iteration of the loop, so that each level sees the same state of a shared
// host; it reports each level's median ms/epoch and the best level's speed-up
// over each other level (the ratio of the medians).
func BenchmarkEpochAlternated(b *testing.B) {
	data := benchData()
	levels := tensor.Available()
	if len(levels) > 1 {
		levels = levels[1:] // the SIMD levels: generic takes ten times longer
	}
	for _, threads := range []int{1, 2} {
		b.Run(fmt.Sprintf("threads=%d", threads), func(b *testing.B) {
			saved, _ := tensor.CurrentISA()
			defer tensor.SetISA(saved)
			times := make([][]float64, len(levels))
			models := make([]*Dense, len(levels))
			for i := range levels {
				models[i], _ = NewDense(784, 10, 0.01, 1)
			}
			for b.Loop() {
				for i, l := range levels {
					tensor.SetISA(l)
					tr := &Trainer{Epochs: 1, Threads: threads}
					st, err := tr.Fit(context.Background(), models[i], data, Dataset{})
					if err != nil {
						b.Fatal(err)
					}
					times[i] = append(times[i], 1000*st[0].TrainTime.Seconds())
				}
			}
			best := len(levels) - 1
			for i, l := range levels {
				slices.Sort(times[i])
				b.ReportMetric(times[i][len(times[i])/2], "ms/epoch-"+l.String())
			}
			for i, l := range levels[:best] {
				b.ReportMetric(times[i][len(times[i])/2]/times[best][len(times[best])/2], levels[best].String()+"-speedup-vs-"+l.String())
			}
		})
	}
}
