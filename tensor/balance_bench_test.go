package tensor

import (
	"slices"
	"testing"
	"time"
)

// BenchmarkSplit measures what the learnt cut of two-thread jobs gains:
// the products of a training step (the forward product of a fresh minibatch
// of 256 rows picked at random from a 60000 x 784 set, then the gradient
// product) on 2 threads with the worker pool, alternating every 16
// iterations between equal halves and the learnt cut, so that both see the
// same state of a shared host (run one after the other, they would not).
// It reports the median time of a step's two products with each:
// us/step-equal and us/step-learnt. On a machine whose two CPUs run at the
// same speed the two are the same; on one where another guest slows one CPU
// down, the learnt cut is faster.
func BenchmarkSplit(b *testing.B) {
	rng := benchRNG()
	ws := NewWorkers(2)
	defer ws.Close()
	p := ws.pool
	batches := make([]*U8Matrix, 16)
	for i := range batches {
		batches[i] = batch(rng, 256)
	}
	w := randMat(rng, 10, 784)
	g := randMat(rng, 256, 10)
	out := NewMatrix(256, 10)
	var times [2][]time.Duration // equal, learnt
	var learnt splitter
	// One untimed step first, so that the splitter has its entries for both
	// products (with their starting shares) before the equal side saves it.
	if err := ws.MatMulU8T(1.0/255, batches[0], w, 0, out); err != nil {
		b.Fatal(err)
	}
	if err := ws.MatMulTU8(1e-6, g, batches[0], 1, w); err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		equal := i/16%2 == 0
		x := batches[i%len(batches)]
		i++
		if equal { // equal halves; the learnt shares are kept for the other side
			p.busy.Lock()
			learnt = p.split
			for e := range p.split.share {
				p.split.share[e] = 0.5
			}
			p.busy.Unlock()
		}
		t0 := time.Now()
		if err := ws.MatMulU8T(1.0/255, x, w, 0, out); err != nil {
			b.Fatal(err)
		}
		if err := ws.MatMulTU8(1e-6, g, x, 1, w); err != nil {
			b.Fatal(err)
		}
		d := time.Since(t0)
		if equal {
			times[0] = append(times[0], d)
			p.busy.Lock()
			p.split = learnt
			p.busy.Unlock()
		} else {
			times[1] = append(times[1], d)
		}
	}
	for k, name := range []string{"us/step-equal", "us/step-learnt"} {
		if len(times[k]) > 0 {
			slices.Sort(times[k])
			b.ReportMetric(float64(times[k][len(times[k])/2])/1e3, name)
		}
	}
}
