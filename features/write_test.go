package features

import (
	"bytes"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// randomValue returns a finite float32 of one of several kinds: 0, -0,
// i/255, any bit pattern (subnormals and extremes included).
func randomValue(rng *rand.Rand) float32 {
	switch rng.IntN(6) {
	case 0, 1:
		return 0
	case 2:
		return float32(math.Copysign(0, -1))
	case 3:
		return float32(rng.IntN(256)) / 255
	}
	for {
		v := math.Float32frombits(rng.Uint32())
		if !math.IsNaN(float64(v)) && !math.IsInf(float64(v), 0) {
			return v
		}
	}
}

// randomSet returns a Set of random size and values, with class names made
// by name.
func randomSet(rng *rand.Rand, name func(int) string) *Set {
	s := &Set{N: 1 + rng.IntN(30), D: rng.IntN(12)}
	for c := range 1 + rng.IntN(5) {
		s.Classes = append(s.Classes, name(c))
	}
	for range s.N {
		s.Labels = append(s.Labels, int32(rng.IntN(len(s.Classes))))
	}
	for range s.N * s.D {
		s.X = append(s.X, randomValue(rng))
	}
	return s
}

// sameSet fails unless two sets hold bitwise the same values and labels.
func sameSet(t *testing.T, got, want *Set) {
	t.Helper()
	if got.N != want.N || got.D != want.D || !slices.Equal(got.Labels, want.Labels) || !slices.Equal(got.Classes, want.Classes) {
		t.Fatalf("N=%d D=%d labels %v classes %q, want N=%d D=%d labels %v classes %q",
			got.N, got.D, got.Labels, got.Classes, want.N, want.D, want.Labels, want.Classes)
	}
	for i := range want.X {
		if math.Float32bits(got.X[i]) != math.Float32bits(want.X[i]) {
			t.Fatalf("X[%d] = %g (%#x), want %g (%#x)", i, got.X[i], math.Float32bits(got.X[i]), want.X[i], math.Float32bits(want.X[i]))
		}
	}
}

func TestWriteLIBSVMRoundTrip(t *testing.T) {
	rng := newRNG(t)
	for range 300 {
		s := randomSet(rng, func(c int) string { return strconv.Itoa(c*7 - 10) })
		var buf bytes.Buffer
		if err := WriteLIBSVM(&buf, s); err != nil {
			t.Fatal(err)
		}
		// Options.Features keeps trailing features that are all zero,
		// Options.Classes classes without examples.
		opt := Options{Format: LIBSVM, Classes: s.Classes, Features: s.D}
		if s.D == 0 {
			opt.Features = 0
		}
		got, err := Read(&buf, "t", opt)
		if err != nil {
			t.Fatalf("%v\n%s", err, buf.String())
		}
		sameSet(t, got, s)
	}
}

func TestWriteCSVRoundTrip(t *testing.T) {
	rng := newRNG(t)
	names := []string{"cat", " spaced ", "a,b", `say "hi"`, "two\nlines", "\r", "#", "1", "-0.5", "é"}
	for k := range 300 {
		s := randomSet(rng, func(c int) string { return names[(c+k)%len(names)] })
		if k%2 == 0 {
			s.Label = names[k%len(names)]
			s.Features = []string{}
			for j := range s.D {
				s.Features = append(s.Features, names[(j+k)%len(names)]+strconv.Itoa(j))
			}
		}
		var buf bytes.Buffer
		if err := WriteCSV(&buf, s); err != nil {
			t.Fatal(err)
		}
		opt := Options{Format: CSV, Classes: s.Classes, Header: HeaderAbsent}
		if s.Features != nil {
			opt.Header = HeaderPresent
		}
		text := buf.String()
		got, err := Read(&buf, "t", opt)
		if err != nil {
			t.Fatalf("%v\n%s", err, text)
		}
		sameSet(t, got, s)
		if s.Features != nil && (!slices.Equal(got.Features, s.Features) || got.Label != s.Label) {
			t.Fatalf("header %q %q, want %q %q", got.Label, got.Features, s.Label, s.Features)
		}
	}
}

// TestWriteRead checks a round trip without options: the classes read back
// are sorted, as Read makes them.
func TestWriteRead(t *testing.T) {
	s := mustRead(t, libsvmSample, Options{})
	var lib, csv bytes.Buffer
	if err := WriteLIBSVM(&lib, s); err != nil {
		t.Fatal(err)
	}
	if want := "1 1:0.5 3:2\n-1 2:0.001\n1 1:1 4:-0\n10\n2 2:0.25\n1 3:3\n"; lib.String() != want {
		t.Fatalf("LIBSVM\n%s\nwant\n%s", lib.String(), want)
	}
	if err := WriteCSV(&csv, s); err != nil {
		t.Fatal(err)
	}
	if want := "1,0.5,0,2,0\n-1,0,0.001,0,0\n1,1,0,0,-0\n10,0,0,0,0\n2,0,0.25,0,0\n1,0,0,3,0\n"; csv.String() != want {
		t.Fatalf("CSV\n%s\nwant\n%s", csv.String(), want)
	}
	sameSet(t, mustRead(t, lib.String(), Options{}), s)
	sameSet(t, mustRead(t, csv.String(), Options{}), s)
}

func TestWriteErrors(t *testing.T) {
	ok := func() *Set {
		return &Set{X: []float32{1, 2}, N: 1, D: 2, Labels: []int32{0}, Classes: []string{"1"}}
	}
	for _, c := range []struct {
		edit func(*Set)
		want string
		csv  bool // CSV can write it
	}{
		{func(s *Set) { s.N = 2 }, "features: a Set of N=2, D=2 with 1 labels and 2 values", false},
		{func(s *Set) { s.X = s.X[:1] }, "features: a Set of N=1, D=2 with 1 labels and 1 values", false},
		{func(s *Set) { s.Labels[0] = -1 }, "features: example 1 has label -1, want 0..0", false},
		{func(s *Set) { s.X[1] = float32(math.NaN()) }, "features: example 1, feature 2 is NaN", false},
		{func(s *Set) { s.Features = []string{"a"} }, "features: 1 feature names for D=2", false},
		{func(s *Set) { s.Classes[0] = "cat" }, `features: class "cat": LIBSVM labels are integers`, true},
	} {
		s := ok()
		c.edit(s)
		err := WriteLIBSVM(&bytes.Buffer{}, s)
		if err == nil || err.Error() != c.want {
			t.Errorf("WriteLIBSVM: got %v, want %s", err, c.want)
		}
		err = WriteCSV(&bytes.Buffer{}, s)
		if (err == nil) != c.csv || (err != nil && err.Error() != c.want) {
			t.Errorf("WriteCSV: got %v", err)
		}
	}
	s := ok()
	s.Classes[0] = ""
	if err := WriteCSV(&bytes.Buffer{}, s); err == nil || !strings.Contains(err.Error(), "empty class name") {
		t.Errorf("WriteCSV of an empty class: %v", err)
	}
}
