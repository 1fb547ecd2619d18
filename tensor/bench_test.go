package tensor

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
)

// Benchmarks are named <Op>/<shape>/impl=<level> so that
// `benchstat -col /impl` puts the levels (and the peers of bench/) side by
// side. Unless a name says threads=N, they run on one thread.

// setLevel makes k active and returns a function restoring the old level.
func setLevel(k *kernelSet) func() {
	saved := active
	active = k
	return func() { active = saved }
}

func benchRNG() *rand.Rand { return rand.New(rand.NewPCG(1, 2)) }

func randMat(rng *rand.Rand, rows, cols int) *Matrix {
	m := NewMatrix(rows, cols)
	for i := range m.Data {
		m.Data[i] = rng.Float32() - 0.5
	}
	return m
}

func reportGFLOPS(b *testing.B, flop float64) {
	b.ReportMetric(flop*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

func BenchmarkGEMM(b *testing.B) {
	rng := benchRNG()
	for _, s := range []struct {
		tA, tB     Transpose
		m, n, k, p int
	}{
		{NoTrans, NoTrans, 256, 10, 784, 1}, // forward, float32 pixels
		{Trans, NoTrans, 784, 10, 256, 1},   // weight gradient Xᵀ·G
		{NoTrans, NoTrans, 10000, 10, 784, 1},
		{NoTrans, NoTrans, 10000, 10, 784, 2},
		{NoTrans, NoTrans, 256, 256, 256, 1},
		{NoTrans, NoTrans, 1024, 1024, 1024, 1},
		{NoTrans, NoTrans, 1024, 1024, 1024, 2},
	} {
		ar, ac := s.m, s.k
		if s.tA {
			ar, ac = ac, ar
		}
		br, bc := s.k, s.n
		if s.tB {
			br, bc = bc, br
		}
		a, bm, c := randMat(rng, ar, ac), randMat(rng, br, bc), NewMatrix(s.m, s.n)
		for _, k := range levels {
			name := fmt.Sprintf("ta=%v/tb=%v/m=%d/n=%d/k=%d/threads=%d/impl=%v", s.tA, s.tB, s.m, s.n, s.k, s.p, k.isa)
			b.Run(name, func(b *testing.B) {
				if k.isa == Generic && s.m*s.n*s.k > 1<<27 {
					b.Skip("slow at the generic level")
				}
				defer setLevel(k)()
				ws := NewWorkers(s.p)
				defer ws.Close()
				for b.Loop() {
					if err := ws.MatMul(s.tA, s.tB, 1, a, bm, 0, c); err != nil {
						b.Fatal(err)
					}
				}
				reportGFLOPS(b, 2*float64(s.m*s.n*s.k))
			})
		}
	}
}

// fashionLike is a 60000 x 784 uint8 data set of random pixels, the size of
// Fashion-MNIST's training set, so that minibatch rows come from DRAM as in
// training.
var fashionLike = sync.OnceValue(func() []uint8 {
	rng := benchRNG()
	d := make([]uint8, 60000*784)
	for i := range d {
		d[i] = uint8(rng.UintN(256))
	}
	return d
})

// batch returns rows picked at random from fashionLike, as in a minibatch.
func batch(rng *rand.Rand, rows int) *U8Matrix {
	return (*U8Matrix)(batchRows(rng, fashionLike(), rows))
}

// batchRows returns rows picked at random from a 60000 x 784 data set, as
// in a minibatch.
func batchRows[E elem](rng *rand.Rand, data []E, rows int) *dataRows[E] {
	idx := make([]int32, rows)
	for i := range idx {
		idx[i] = int32(rng.IntN(60000))
	}
	return &dataRows[E]{Rows: rows, Cols: 784, Stride: 784, Data: data, Index: idx}
}

// BenchmarkGEMMU8 measures the products of softmax regression on uint8
// images: fwd is logits = X·Wᵀ (X a minibatch of B images picked at random
// from a 60000-image set, W class-major 10 x 784), grad is dWᵀ = Gᵀ·X.
// With batch=fresh each iteration takes the next of 16 random minibatches
// (3.2 MB of rows, from L3 or DRAM), as the forward product of a training
// step does; with batch=reused every iteration uses the same minibatch, whose
// 200 KB of rows stay in L2, as the gradient product of a training step
// finds them right after the forward one.
//
// BenchmarkGEMMF32 is BenchmarkGEMMU8 on float32 rows (fashionLikeF32):
// the same shapes, names and minibatches (fresh: the next of 16 random
// ones, 12.5 MB of rows; reused: one, whose 800 KB stay in L2), so that
// benchstat can set the two side by side.
func BenchmarkGEMMU8(b *testing.B)  { benchGEMMRows(b, u8Rows, 1.0/255, 1.0/255) }
func BenchmarkGEMMF32(b *testing.B) { benchGEMMRows(b, f32Rows, 1, -0.001) }

func benchGEMMRows[E elem](b *testing.B, rt rowsType[E], fwdAlpha, gradAlpha float32) {
	rng := benchRNG()
	for _, s := range []struct {
		op      string
		m, n, k int
		bsz, p  int
	}{
		{"fwd", 256, 10, 784, 256, 1},
		{"grad", 784, 10, 256, 256, 1},
		{"fwd", 256, 10, 784, 256, 2},
		{"grad", 784, 10, 256, 256, 2},
		{"fwd", 10000, 10, 784, 10000, 1},
		{"fwd", 10000, 10, 784, 10000, 2},
		{"grad", 784, 10, 4096, 4096, 2},
	} {
		for _, reuse := range []bool{false, true} {
			if reuse && s.bsz > 256 {
				continue
			}
			batches := make([]*dataRows[E], 16)
			if reuse {
				batches = batches[:1]
			}
			for i := range batches {
				batches[i] = batchRows(rng, rt.benchData(), s.bsz)
			}
			w := randMat(rng, 10, 784)
			g := randMat(rng, s.bsz, 10)
			out := NewMatrix(s.bsz, 10)
			for _, k := range levels {
				mode := "fresh"
				if reuse {
					mode = "reused"
				}
				name := fmt.Sprintf("%s/batch=%s/m=%d/n=%d/k=%d/threads=%d/impl=%v", s.op, mode, s.m, s.n, s.k, s.p, k.isa)
				b.Run(name, func(b *testing.B) {
					defer setLevel(k)()
					ws := NewWorkers(s.p) // a persistent pool, as training uses
					defer ws.Close()
					i := 0
					for b.Loop() {
						x := batches[i%len(batches)]
						i++
						var err error
						if s.op == "fwd" {
							err = rt.matMulT(ws, fwdAlpha, x, w, 0, out)
						} else {
							err = rt.matMulTX(ws, gradAlpha, g, x, 0, w)
						}
						if err != nil {
							b.Fatal(err)
						}
					}
					reportGFLOPS(b, 2*float64(s.m*s.n*s.k))
				})
			}
		}
	}
}

func BenchmarkExp(b *testing.B) {
	rng := benchRNG()
	for _, n := range []int{10, 2560, 4096, 65536} {
		src := make([]float32, n)
		for i := range src {
			src[i] = float32(rng.NormFloat64() * 10)
		}
		dst := make([]float32, n)
		for _, k := range levels {
			b.Run(fmt.Sprintf("n=%d/impl=%v", n, k.isa), func(b *testing.B) {
				defer setLevel(k)()
				for b.Loop() {
					k.exp(dst, src)
				}
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gelem/s")
			})
		}
	}
}

func BenchmarkRows(b *testing.B) {
	rng := benchRNG()
	for _, s := range [][2]int{{256, 10}, {64, 1000}} {
		x := randMat(rng, s[0], s[1])
		for i := range x.Data {
			x.Data[i] *= 20
		}
		y := NewMatrix(s[0], s[1])
		lse := make([]float32, s[0])
		for _, k := range levels {
			b.Run(fmt.Sprintf("op=softmax/m=%d/n=%d/impl=%v", s[0], s[1], k.isa), func(b *testing.B) {
				defer setLevel(k)()
				for b.Loop() {
					SoftmaxRows(y, x)
				}
				b.ReportMetric(float64(s[0]*s[1])*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gelem/s")
			})
			b.Run(fmt.Sprintf("op=logsumexp/m=%d/n=%d/impl=%v", s[0], s[1], k.isa), func(b *testing.B) {
				defer setLevel(k)()
				for b.Loop() {
					LogSumExpRows(lse, x)
				}
				b.ReportMetric(float64(s[0]*s[1])*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gelem/s")
			})
		}
	}
}

func BenchmarkDot(b *testing.B) {
	rng := benchRNG()
	for _, n := range []int{10, 784, 4096} {
		x, y := randMat(rng, 1, n).Data, randMat(rng, 1, n).Data
		for _, k := range levels {
			b.Run(fmt.Sprintf("n=%d/impl=%v", n, k.isa), func(b *testing.B) {
				defer setLevel(k)()
				var s float32
				for b.Loop() {
					s += k.dot(x, y)
				}
				reportGFLOPS(b, 2*float64(n))
			})
		}
	}
}

// fashionLikeF32 is fashionLike as float32 features (pixel/255): a
// 60000 x 784 float32 data set (188 MB), so that minibatch rows come from
// L3 or DRAM as in training.
var fashionLikeF32 = sync.OnceValue(func() []float32 {
	d := fashionLike()
	f := make([]float32, len(d))
	for i, v := range d {
		f[i] = float32(v) / 255
	}
	return f
})

// BenchmarkGEMMStep measures the two products of a training step on uint8
// images and on float32 features of the same shape, for a per-sample
// comparison (benchstat -col /data): the forward product with the bias on
// the next minibatch of an epoch (256 rows, consecutive in a random
// permutation of the 60000 x 784 data set: fashionLike, 47 MB, or
// fashionLikeF32, 188 MB), then the gradient product merged into W (beta 1)
// on the same rows, as a step runs them (the loss between them, the same
// for both, is left out). GFLOP/s counts both products; ns/sample is the
// time per row.
func BenchmarkGEMMStep(b *testing.B) {
	const m, n, k = 256, 10, 784
	rng := benchRNG()
	perm := rng.Perm(60000)
	nb := len(perm) / m
	xu := make([]*U8Matrix, nb)
	xf := make([]*F32Matrix, nb)
	for i := range nb {
		idx := make([]int32, m)
		for r := range idx {
			idx[r] = int32(perm[i*m+r])
		}
		xu[i] = &U8Matrix{Rows: m, Cols: k, Stride: k, Data: fashionLike(), Index: idx}
		xf[i] = &F32Matrix{Rows: m, Cols: k, Stride: k, Data: fashionLikeF32(), Index: idx}
	}
	w := randMat(rng, n, k)
	bias := randSlice(rng, n, -1, 1)
	g := randMat(rng, m, n)
	logits := NewMatrix(m, n)
	for _, p := range []int{1, 2} {
		for _, ks := range levels {
			for _, data := range []string{"u8", "f32"} {
				name := fmt.Sprintf("data=%s/batch=epoch/m=%d/n=%d/k=%d/threads=%d/impl=%v", data, m, n, k, p, ks.isa)
				b.Run(name, func(b *testing.B) {
					defer setLevel(ks)()
					ws := NewWorkers(p)
					defer ws.Close()
					i := 0
					for b.Loop() {
						var err error
						if data == "u8" {
							x := xu[i%nb]
							err = errors.Join(ws.MatMulU8TBias(1.0/255, x, w, bias, logits), ws.MatMulTU8(-1e-6, g, x, 1, w))
						} else {
							x := xf[i%nb]
							err = errors.Join(ws.MatMulF32TBias(1, x, w, bias, logits), ws.MatMulTF32(-1e-6, g, x, 1, w))
						}
						if err != nil {
							b.Fatal(err)
						}
						i++
					}
					reportGFLOPS(b, 4*float64(m*n*k))
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/m, "ns/sample")
				})
			}
		}
	}
}
