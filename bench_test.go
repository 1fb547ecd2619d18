package softmaxfast

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/softmax-fast/softmax-fast/softmax"
	"github.com/softmax-fast/softmax-fast/tensor"
)

// The shape of the chapter's model and data.
const (
	images  = 60000
	inputs  = 784
	classes = 10
	batch   = 256
)

// data is a random data set of the chapter's shape, made once: the speed of
// every kernel is independent of the pixels' values.
var data = sync.OnceValue(func() softmax.Dataset {
	r := rand.New(rand.NewPCG(1, 2))
	x := &tensor.U8Matrix{Rows: images, Cols: inputs, Stride: inputs, Data: make([]uint8, images*inputs)}
	for i := range x.Data {
		x.Data[i] = uint8(r.Uint32())
	}
	labels := make([]uint8, images)
	for i := range labels {
		labels[i] = uint8(r.IntN(classes))
	}
	return softmax.Dataset{Images: x, Labels: labels}
})

// features is data as float32 feature vectors, the pixels scaled to [0, 1].
var features = sync.OnceValue(func() softmax.Dataset {
	d := data()
	x := &tensor.F32Matrix{Rows: images, Cols: inputs, Stride: inputs, Data: make([]float32, images*inputs)}
	for i, v := range d.Images.Data {
		x.Data[i] = float32(v) / 255
	}
	return softmax.Dataset{Features: x, Labels: d.Labels}
})

// eachLevel runs f as a sub-benchmark isa=<level> for every ISA level this
// CPU can run, with that level selected.
func eachLevel(b *testing.B, f func(b *testing.B)) {
	saved, _ := tensor.CurrentISA()
	defer tensor.SetISA(saved)
	for _, l := range tensor.Available() {
		b.Run("isa="+l.String(), func(b *testing.B) {
			if err := tensor.SetISA(l); err != nil {
				b.Fatal(err)
			}
			f(b)
		})
	}
}

// minibatches returns count random minibatches of the data set's rows, as
// index views (a training step reads its rows from the whole set).
func minibatches(count int) []*tensor.U8Matrix {
	d := data()
	r := rand.New(rand.NewPCG(3, 4))
	out := make([]*tensor.U8Matrix, count)
	for i := range out {
		x := *d.Images
		x.Rows = batch
		x.Index = make([]int32, batch)
		for j := range x.Index {
			x.Index[j] = int32(r.IntN(images))
		}
		out[i] = &x
	}
	return out
}

// BenchmarkEpoch trains one epoch of the chapter's recipe (60,000 images,
// minibatches of 256, plain SGD at 0.1) on 1 and 2 threads: samples/s.
func BenchmarkEpoch(b *testing.B) {
	d := data()
	for _, threads := range []int{1, 2} {
		b.Run(fmt.Sprintf("%dx%d-b%d-t%d", images, inputs, batch, threads), func(b *testing.B) {
			eachLevel(b, func(b *testing.B) {
				m, err := softmax.NewDense(inputs, classes, 0.01, 1)
				if err != nil {
					b.Fatal(err)
				}
				tr := &softmax.Trainer{Epochs: 1, Threads: threads}
				for b.Loop() {
					if _, err := tr.Fit(context.Background(), m, d, softmax.Dataset{}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(images*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
			})
		})
	}
}

// BenchmarkEpochFeatures is BenchmarkEpoch on the same data as float32
// feature vectors (4 times the bytes per row), not standardized
// (Trainer.NoStandardize: Fit would otherwise copy the data set each time).
func BenchmarkEpochFeatures(b *testing.B) {
	d := features()
	for _, threads := range []int{1, 2} {
		b.Run(fmt.Sprintf("%dx%d-b%d-t%d", images, inputs, batch, threads), func(b *testing.B) {
			eachLevel(b, func(b *testing.B) {
				m, err := softmax.NewDense(inputs, classes, 0.01, 1)
				if err != nil {
					b.Fatal(err)
				}
				m.Features = true
				tr := &softmax.Trainer{Epochs: 1, Threads: threads, NoStandardize: true}
				for b.Loop() {
					if _, err := tr.Fit(context.Background(), m, d, softmax.Dataset{}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(images*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
			})
		})
	}
}

// BenchmarkForward times the forward product of a training step, the logits
// of a fresh random minibatch of 256 images (tensor.MatMulU8TBias), on 1 and
// 2 threads: GFLOP/s.
func BenchmarkForward(b *testing.B) {
	xs := minibatches(16)
	w := tensor.NewMatrix(classes, inputs)
	bias := make([]float32, classes)
	z := tensor.NewMatrix(batch, classes)
	for _, threads := range []int{1, 2} {
		b.Run(fmt.Sprintf("%dx%dx%d-t%d", batch, inputs, classes, threads), func(b *testing.B) {
			eachLevel(b, func(b *testing.B) {
				ws := tensor.NewWorkers(threads)
				defer ws.Close()
				i := 0
				for b.Loop() {
					if err := ws.MatMulU8TBias(1.0/255, xs[i%len(xs)], w, bias, z); err != nil {
						b.Fatal(err)
					}
					i++
				}
				b.ReportMetric(2*batch*inputs*classes*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		})
	}
}

// BenchmarkGradient times the gradient product of a training step with the
// SGD update fused in (W = W - lr·Gᵀ·X/255, tensor.MatMulTU8) on a random
// minibatch of 256 images, on 1 and 2 threads: GFLOP/s.
func BenchmarkGradient(b *testing.B) {
	xs := minibatches(16)
	w := tensor.NewMatrix(classes, inputs)
	g := tensor.NewMatrix(batch, classes)
	r := rand.New(rand.NewPCG(5, 6))
	for i := range g.Data {
		g.Data[i] = float32(r.NormFloat64()) * 1e-3
	}
	for _, threads := range []int{1, 2} {
		b.Run(fmt.Sprintf("%dx%dx%d-t%d", batch, inputs, classes, threads), func(b *testing.B) {
			eachLevel(b, func(b *testing.B) {
				ws := tensor.NewWorkers(threads)
				defer ws.Close()
				i := 0
				for b.Loop() {
					if err := ws.MatMulTU8(-0.1/255, g, xs[i%len(xs)], 1, w); err != nil {
						b.Fatal(err)
					}
					i++
				}
				b.ReportMetric(2*batch*inputs*classes*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		})
	}
}

// BenchmarkPredict times the prediction of one image (softmax.Dense.Predict:
// class and probability), the images taken in turn from the data set.
func BenchmarkPredict(b *testing.B) {
	d := data()
	m, err := softmax.NewDense(inputs, classes, 0.01, 1)
	if err != nil {
		b.Fatal(err)
	}
	b.Run(fmt.Sprintf("%dx%d", inputs, classes), func(b *testing.B) {
		eachLevel(b, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, _, err := m.Predict(d.Images.Row(i % images)); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	})
}
