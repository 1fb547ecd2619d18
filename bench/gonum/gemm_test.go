package gonum

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/gonum"
)

func randGeneral(rng *rand.Rand, rows, cols int) blas32.General {
	g := blas32.General{Rows: rows, Cols: cols, Stride: cols, Data: make([]float32, rows*cols)}
	for i := range g.Data {
		g.Data[i] = rng.Float32() - 0.5
	}
	return g
}

// BenchmarkGEMM mirrors tensor's BenchmarkGEMM for the shapes of softmax
// regression. gonum splits work across GOMAXPROCS goroutines: threads=N
// runs with GOMAXPROCS=N.
func BenchmarkGEMM(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	blas32.Use(gonum.Implementation{})
	for _, s := range []struct {
		tA, tB     blas.Transpose
		m, n, k, p int
	}{
		{blas.NoTrans, blas.NoTrans, 256, 10, 784, 1},
		{blas.Trans, blas.NoTrans, 784, 10, 256, 1},
		{blas.NoTrans, blas.NoTrans, 10000, 10, 784, 1},
		{blas.NoTrans, blas.NoTrans, 10000, 10, 784, 2},
		{blas.NoTrans, blas.NoTrans, 256, 256, 256, 1},
	} {
		ar, ac := s.m, s.k
		if s.tA == blas.Trans {
			ar, ac = ac, ar
		}
		br, bc := s.k, s.n
		if s.tB == blas.Trans {
			br, bc = bc, br
		}
		a, bm := randGeneral(rng, ar, ac), randGeneral(rng, br, bc)
		c := blas32.General{Rows: s.m, Cols: s.n, Stride: s.n, Data: make([]float32, s.m*s.n)}
		name := fmt.Sprintf("ta=%s/tb=%s/m=%d/n=%d/k=%d/threads=%d/impl=gonum", tr(s.tA), tr(s.tB), s.m, s.n, s.k, s.p)
		b.Run(name, func(b *testing.B) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(s.p))
			for b.Loop() {
				blas32.Gemm(s.tA, s.tB, 1, a, bm, 0, c)
			}
			b.ReportMetric(2*float64(s.m*s.n*s.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

func tr(t blas.Transpose) string {
	if t == blas.Trans {
		return "T"
	}
	return "N"
}
