package features

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// fashionLike returns a Set like Fashion-MNIST: 784 features, half of them
// 0, the others i/255 for i in 1..255, and 10 classes.
func fashionLike(n int) *Set {
	rng := rand.New(rand.NewPCG(1, 2))
	s := &Set{N: n, D: 784, X: make([]float32, n*784), Labels: make([]int32, n)}
	for c := range 10 {
		s.Classes = append(s.Classes, string(rune('0'+c)))
	}
	for i := range s.X {
		if rng.IntN(2) == 0 {
			s.X[i] = float32(1+rng.IntN(255)) / 255
		}
	}
	for i := range s.Labels {
		s.Labels[i] = int32(rng.IntN(10))
	}
	return s
}

// benchRead measures Read on a text written by write, in MB/s of text.
func benchRead(b *testing.B, write func(*bytes.Buffer, *Set) error, format Format) {
	s := fashionLike(2000)
	var buf bytes.Buffer
	if err := write(&buf, s); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	// A b.N loop, not b.Loop: with b.Loop the first run, made before the
	// testing package sets GOMAXPROCS to the first value of -cpu, is the
	// one reported for it (golang.org/issue/49980), and Read's goroutines
	// follow GOMAXPROCS.
	for range b.N {
		got, err := Read(bytes.NewReader(data), "bench", Options{Format: format})
		if err != nil || got.N != s.N {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(data))/float64(s.N), "bytes/line")
}

// BenchmarkReadLIBSVM reads 2000 Fashion-MNIST-like lines of LIBSVM text
// (values i/255 in the shortest float32 form, zeros left out, about 5.6 KB
// a line, as Fashion-MNIST's images give).
func BenchmarkReadLIBSVM(b *testing.B) {
	benchRead(b, func(w *bytes.Buffer, s *Set) error { return WriteLIBSVM(w, s) }, LIBSVM)
}

// BenchmarkReadCSV reads the same data as CSV (zeros written as "0").
func BenchmarkReadCSV(b *testing.B) {
	benchRead(b, func(w *bytes.Buffer, s *Set) error { return WriteCSV(w, s) }, CSV)
}

// BenchmarkParseFloat32 parses the value of Fashion-MNIST-like files, for
// comparison with strconv.ParseFloat.
func BenchmarkParseFloat32(b *testing.B) {
	tok := []byte("0.003921569")
	for b.Loop() {
		if _, err := parseFloat32(tok); err != nil {
			b.Fatal(err)
		}
	}
}
