package features

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/softmax-fast/softmax-fast/softmax"
)

// checkSet fails unless a Set read with opt keeps its invariants: sizes
// that agree, labels in range (-1 only for Unknown labels), finite values.
func checkSet(t *testing.T, s *Set, opt Options) {
	t.Helper()
	if s.N < 1 || s.D < 0 || s.D > MaxFeatures || s.N*s.D != len(s.X) || len(s.Labels) != s.N {
		t.Fatalf("N=%d D=%d len(X)=%d len(Labels)=%d", s.N, s.D, len(s.X), len(s.Labels))
	}
	if opt.Features > 0 && s.D != opt.Features {
		t.Fatalf("D=%d, Options.Features %d", s.D, opt.Features)
	}
	if s.Features != nil && len(s.Features) != s.D {
		t.Fatalf("%d feature names, D=%d", len(s.Features), s.D)
	}
	if opt.NoLabel || opt.IgnoreLabels {
		for i, l := range s.Labels {
			if l != -1 {
				t.Fatalf("label %d of example %d with NoLabel", l, i)
			}
		}
		if !slices.Equal(s.Classes, opt.Classes) || (s.Classes == nil) != (opt.Classes == nil) || s.Unknown != nil || opt.NoLabel && s.Label != "" {
			t.Fatalf("NoLabel: classes %q (given %q), unknown %q, label %q", s.Classes, opt.Classes, s.Unknown, s.Label)
		}
		for _, w := range s.Warnings {
			if strings.Contains(w, "label") {
				t.Fatalf("NoLabel: warning %q", w)
			}
		}
		for i, v := range s.X {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				t.Fatalf("X[%d] = %v", i, v)
			}
		}
		return
	}
	unknown := false
	for i, l := range s.Labels {
		if l == -1 && opt.Classes != nil {
			unknown = true
			continue
		}
		if l < 0 || int(l) >= len(s.Classes) {
			t.Fatalf("label %d of example %d, %d classes", l, i, len(s.Classes))
		}
	}
	if unknown != (len(s.Unknown) > 0) {
		t.Fatalf("unknown labels %v, but Unknown %q", unknown, s.Unknown)
	}
	for i, v := range s.X {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			t.Fatalf("X[%d] = %v", i, v)
		}
	}
	if opt.Classes == nil {
		used := make([]bool, len(s.Classes))
		for _, l := range s.Labels {
			used[l] = true
		}
		if slices.Contains(used, false) {
			t.Fatalf("a class without examples: %q", s.Classes)
		}
	}
}

func mustRead(t *testing.T, in string, opt Options) *Set {
	t.Helper()
	s, err := Read(strings.NewReader(in), "test", opt)
	if err != nil {
		t.Fatalf("%q: %v", in, err)
	}
	checkSet(t, s, opt)
	return s
}

func TestMaxFeatures(t *testing.T) {
	if MaxFeatures != softmax.MaxInputs {
		t.Fatalf("MaxFeatures %d, softmax.MaxInputs %d", MaxFeatures, softmax.MaxInputs)
	}
}

const libsvmSample = "\xef\xbb\xbf# a comment line\n" +
	"1 1:0.5 3:2\n" +
	"\n" +
	"   \t\n" +
	"-1\t2:1e-3   # a comment, with a comma\r\n" +
	"+1 qid:7 1:1 4:-0\n" +
	"10 # no features\n" +
	"2.0 2:.25#c\n" +
	"1e0 3:3"

func TestReadLIBSVM(t *testing.T) {
	s := mustRead(t, libsvmSample, Options{})
	if s.Format != LIBSVM || s.Path != "test" || s.N != 6 || s.D != 4 {
		t.Fatalf("%v %q N=%d D=%d", s.Format, s.Path, s.N, s.D)
	}
	if want := []string{"-1", "1", "2", "10"}; !slices.Equal(s.Classes, want) {
		t.Fatalf("classes %q, want %q", s.Classes, want)
	}
	if want := []int32{1, 0, 1, 3, 2, 1}; !slices.Equal(s.Labels, want) {
		t.Fatalf("labels %v, want %v", s.Labels, want)
	}
	negZero := float32(math.Copysign(0, -1))
	want := []float32{
		0.5, 0, 2, 0,
		0, 0.001, 0, 0,
		1, 0, 0, negZero,
		0, 0, 0, 0,
		0, 0.25, 0, 0,
		0, 0, 3, 0,
	}
	for i := range want {
		if math.Float32bits(s.X[i]) != math.Float32bits(want[i]) {
			t.Fatalf("X = %v, want %v", s.X, want)
		}
	}
	if s.Features != nil || s.Warnings != nil || s.Unknown != nil {
		t.Fatalf("Features %q, Warnings %q, Unknown %q", s.Features, s.Warnings, s.Unknown)
	}
}

// TestReadOrder checks that the rows' order does not change the classes.
func TestReadOrder(t *testing.T) {
	lines := []string{"3 1:1", "-2 2:1", "10 1:2", "1 2:2", "3 1:3"}
	first := mustRead(t, strings.Join(lines, "\n"), Options{})
	slices.Reverse(lines)
	second := mustRead(t, strings.Join(lines, "\n"), Options{})
	if !slices.Equal(first.Classes, second.Classes) || !slices.Equal(first.Classes, []string{"-2", "1", "3", "10"}) {
		t.Fatalf("classes %q and %q", first.Classes, second.Classes)
	}
	csv := []string{"b,1", "a,2", "B,3", "10,4"}
	if s := mustRead(t, strings.Join(csv, "\n"), Options{}); !slices.Equal(s.Classes, []string{"10", "B", "a", "b"}) {
		t.Fatalf("lexical classes %q", s.Classes)
	}
	csv = []string{"10,1", "9,2", "1.0,3", "1,4", "-1e1,5"}
	if s := mustRead(t, strings.Join(csv, "\n"), Options{}); !slices.Equal(s.Classes, []string{"-1e1", "1", "1.0", "9", "10"}) {
		t.Fatalf("numeric classes %q", s.Classes)
	}
}

const csvSample = "\xef\xbb\xbfid, \"sepal, length\" ,width,species\r\n" +
	"1,5.1,3.5,setosa\r\n" +
	"\r\n" +
	"2, 4.9 ,\"3\", \"Iris \"\"setosa\"\"\"\r\n" +
	"3,-0,1e2,\"two\nlines\"\n" +
	"4,.5,5.,setosa"

func TestReadCSV(t *testing.T) {
	s := mustRead(t, csvSample, Options{LabelColumn: "species"})
	if s.Format != CSV || s.N != 4 || s.D != 3 || s.Label != "species" {
		t.Fatalf("%v N=%d D=%d label %q", s.Format, s.N, s.D, s.Label)
	}
	if want := []string{"id", "sepal, length", "width"}; !slices.Equal(s.Features, want) {
		t.Fatalf("features %q, want %q", s.Features, want)
	}
	if want := []string{"Iris \"setosa\"", "setosa", "two\nlines"}; !slices.Equal(s.Classes, want) {
		t.Fatalf("classes %q, want %q", s.Classes, want)
	}
	if want := []int32{1, 0, 2, 1}; !slices.Equal(s.Labels, want) {
		t.Fatalf("labels %v, want %v", s.Labels, want)
	}
	want := []float32{1, 5.1, 3.5, 2, 4.9, 3, 3, float32(math.Copysign(0, -1)), 100, 4, 0.5, 5}
	for i := range want {
		if math.Float32bits(s.X[i]) != math.Float32bits(want[i]) {
			t.Fatalf("X = %v, want %v", s.X, want)
		}
	}

	// The same label column by number, from the end, and the default
	// (first) column; auto-detected headers and none.
	for _, c := range []struct {
		in, col string
		header  HeaderMode
		classes []string
		x       []float32
		names   []string
	}{
		{"a,b,y\n1,2,p\n3,4,q\n", "3", HeaderAuto, []string{"p", "q"}, []float32{1, 2, 3, 4}, []string{"a", "b"}},
		{"a,b,y\n1,2,p\n3,4,q\n", "-1", HeaderAuto, []string{"p", "q"}, []float32{1, 2, 3, 4}, []string{"a", "b"}},
		{"a,b,y\n1,2,p\n3,4,q\n", "y", HeaderAuto, []string{"p", "q"}, []float32{1, 2, 3, 4}, []string{"a", "b"}},
		{"y,1,2\np,1,2\n", "", HeaderAuto, []string{"p", "y"}, []float32{1, 2, 1, 2}, nil}, // "1" and "2" are numbers
		{"y,1,x\np,1,2\n", "", HeaderAuto, []string{"p"}, []float32{1, 2}, []string{"1", "x"}},
		{"y,1,2\np,1,2\n", "", HeaderAbsent, []string{"p", "y"}, []float32{1, 2, 1, 2}, nil},
		{"7,1,2\n8,3,4\n", "", HeaderAuto, []string{"7", "8"}, []float32{1, 2, 3, 4}, nil},
		{"7,1,2\n8,3,4\n", "", HeaderPresent, []string{"8"}, []float32{3, 4}, []string{"1", "2"}},
		{"2,1,3\n8,3,4\n", "2", HeaderPresent, []string{"8"}, []float32{3, 4}, []string{"1", "3"}}, // names first
		{"2,1,3\n8,3,4\n", "2", HeaderAbsent, []string{"1", "3"}, []float32{2, 3, 8, 4}, nil},
		{"label\ncat\ndog\n", "", HeaderPresent, []string{"cat", "dog"}, nil, []string{}},
	} {
		s := mustRead(t, c.in, Options{Format: CSV, LabelColumn: c.col, Header: c.header})
		if !slices.Equal(s.Classes, c.classes) || !slices.Equal(s.X, c.x) || !slices.Equal(s.Features, c.names) || (s.Features == nil) != (c.names == nil) {
			t.Errorf("%q, column %q, header %d: classes %q, X %v, features %q", c.in, c.col, c.header, s.Classes, s.X, s.Features)
		}
	}
}

func TestReadTestFile(t *testing.T) {
	train := mustRead(t, "1 1:1\n2 2:1\n3 3:1\n", Options{})
	opt := Options{Classes: train.Classes, Features: train.D}
	s := mustRead(t, "1.0 1:1 5:7\n+3 2:1\n7 3:1 4:2 6:1\n-4 1:1\n7 3:1\n", opt)
	if s.D != 3 || !slices.Equal(s.X, []float32{1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1}) {
		t.Fatalf("D=%d X=%v", s.D, s.X)
	}
	if !slices.Equal(s.Labels, []int32{0, 2, -1, -1, -1}) || !slices.Equal(s.Unknown, []string{"-4", "7"}) || !slices.Equal(s.Classes, train.Classes) {
		t.Fatalf("labels %v, unknown %q, classes %q", s.Labels, s.Unknown, s.Classes)
	}
	want := []string{
		`ignored 3 values with indices above 3, the training set's features (Options.Features); the largest, 6, on line 3`,
		`3 examples (the first on line 3) have labels not among the training set's classes (Options.Classes): "-4", "7"`,
	}
	if !slices.Equal(s.Warnings, want) {
		t.Fatalf("warnings\n%q\nwant\n%q", s.Warnings, want)
	}
	// A test file with fewer features than the training set: D stays.
	if s := mustRead(t, "1 1:1\n", opt); s.D != 3 || !slices.Equal(s.X, []float32{1, 0, 0}) {
		t.Fatalf("D=%d X=%v", s.D, s.X)
	}

	csvTrain := mustRead(t, "y,a,b\ncat,1,2\ndog,3,4\n", Options{})
	opt = Options{Classes: csvTrain.Classes, Features: csvTrain.D}
	s = mustRead(t, "y,a,b\ndog,1,2\nemu,3,4\n", opt)
	if !slices.Equal(s.Labels, []int32{1, -1}) || !slices.Equal(s.Unknown, []string{"emu"}) {
		t.Fatalf("labels %v, unknown %q", s.Labels, s.Unknown)
	}
	_, err := Read(strings.NewReader("y,a,b,c\ndog,1,2,3\n"), "test.csv", opt)
	if !errors.Is(err, ErrMismatch) || err.Error() != "features: test.csv:1: 3 feature columns, want 2 (Options.Features)" {
		t.Fatalf("got %v", err)
	}
	_, err = Read(strings.NewReader("1 1:1\n"), "t", Options{Classes: []string{"1", "+1"}})
	if err == nil || errors.As(err, new(*ParseError)) {
		t.Fatalf("duplicate Options.Classes: %v", err)
	}
}

// TestReadErrors checks the errors of malformed input: the message (the
// line, column and problem) and the kind.
func TestReadErrors(t *testing.T) {
	for _, c := range []struct {
		in   string
		opt  Options
		want string
		kind error
	}{
		{"", Options{}, "test: no examples", ErrEmpty},
		{"# nothing\n\n  \n", Options{}, "test: no examples", ErrEmpty},
		{"a,b\n", Options{}, "test: no examples, only a header", ErrEmpty},
		{"1 1:1\n3:1 4:1\n", Options{}, `test:2:1: missing label before "3:1"`, ErrSyntax},
		{"x 1:1\n", Options{}, `test:1:1: bad label "x": want a number`, ErrSyntax},
		{"1.5 1:1\n", Options{}, `test:1:1: label "1.5" is not an integer (of at most 2^53)`, ErrSyntax},
		{"1 1:1 1.5\n", Options{}, `test:1:7: "1.5" is not index:value (no colon)`, ErrSyntax},
		{"1 :5\n", Options{}, `test:1:3: missing index before the colon in ":5"`, ErrSyntax},
		{"1 -3:5\n", Options{}, `test:1:3: bad index "-3" in "-3:5": want a positive integer`, ErrSyntax},
		{"1 x:5\n", Options{}, `test:1:3: bad index "x" in "x:5": want a positive integer`, ErrSyntax},
		{"1 0:5\n", Options{}, `test:1:3: index 0: indices start at 1`, ErrSyntax},
		{"1 2:1 2:5\n", Options{}, `test:1:7: index 2 repeated`, ErrSyntax},
		{"1 1:1\n1 2:1  1:5\n", Options{}, `test:2:8: index 1 after 2: indices must increase`, ErrSyntax},
		{"1 3:\n", Options{}, `test:1:5: missing value after "3:"`, ErrSyntax},
		{"1 3:1.2.3\n", Options{}, `test:1:5: bad value "1.2.3" of index 3`, ErrSyntax},
		{"1 3:1,5\n", Options{Format: LIBSVM}, `test:1:5: bad value "1,5" of index 3`, ErrSyntax},
		{"1 3:NaN\n", Options{}, `test:1:5: value "NaN" of index 3 is NaN or infinite`, ErrSyntax},
		{"1 3:-inf\n", Options{}, `test:1:5: value "-inf" of index 3 is NaN or infinite`, ErrSyntax},
		{"1 3:1e39\n", Options{}, `test:1:5: value "1e39" of index 3 is beyond float32's range`, ErrSyntax},
		{"1 qid:x 1:1\n", Options{}, `test:1:3: bad query id "qid:x": want qid:N, N an unsigned integer`, ErrSyntax},
		{"1 1:1 qid:3\n", Options{}, `test:1:7: bad index "qid" in "qid:3": want a positive integer`, ErrSyntax},
		{"1 16777217:1\n", Options{}, `test:1:3: index 16777217 above the limit 16777216 (MaxFeatures)`, ErrTooLarge},
		{"1 4000000000:1\n", Options{}, `test:1:3: index 4000000000 above the limit 16777216 (MaxFeatures)`, ErrTooLarge},
		{"1 99999999999999999999999:1\n", Options{}, `test:1:3: index 99999999999999999999999 above the limit 16777216 (MaxFeatures)`, ErrTooLarge},

		{"y,a\ncat,1\ndog,2,3\n", Options{}, `test:3: 3 fields, want 2 as on line 1`, ErrSyntax},
		{"y,a\ncat,1\ndog\n", Options{}, `test:3: 1 fields, want 2 as on line 1`, ErrSyntax},
		{"y,a,b\ncat,1,x\n", Options{}, `test:2:7: field 3 ("b"): bad number "x"`, ErrSyntax},
		{"cat,1,x\n", Options{Header: HeaderAbsent}, `test:1:7: field 3: bad number "x"`, ErrSyntax},
		{"y,a,b\ncat,1,\n", Options{}, `test:2:7: field 3 ("b"): missing value`, ErrSyntax},
		{"y,a,b\ncat, ,1\n", Options{}, `test:2:5: field 2 ("a"): missing value`, ErrSyntax},
		{"y,a,b\ncat,1,nan\n", Options{}, `test:2:7: field 3 ("b"): "nan" is NaN or infinite`, ErrSyntax},
		{"y,a,b\ncat,1,1e40\n", Options{}, `test:2:7: field 3 ("b"): "1e40" is beyond float32's range`, ErrSyntax},
		{"y,a\n,1\n", Options{}, `test:2:1: field 1 ("y"): empty label`, ErrSyntax},
		{"y,a\n\"\",1\n", Options{}, `test:2:1: field 1 ("y"): empty label`, ErrSyntax},
		{"y,a\n\"cat\nx,1\n", Options{}, `test:2:1: unterminated quoted field`, ErrSyntax},
		{"y,a\n\"ca\nt\"x,1\n", Options{}, `test:3:3: text after the closing quote of a field`, ErrSyntax},
		{"y,a\nca\"t,1\n", Options{}, `test:2:3: a quote inside an unquoted field`, ErrSyntax},
		{"y,a\n\"multi\nline\",1\ncat,x\n", Options{}, `test:4:5: field 2 ("a"): bad number "x"`, ErrSyntax},
		{"y,a\ncat,1\n", Options{LabelColumn: "z"}, `test:1: no column named "z" (Options.LabelColumn) in the header`, ErrMismatch},
		{"y,a\ncat,1\n", Options{LabelColumn: "3"}, `test:1: label column 3 (Options.LabelColumn), but the first row has 2 fields`, ErrMismatch},
		{"y,a\ncat,1\n", Options{LabelColumn: "-3"}, `test:1: label column -3 (Options.LabelColumn), but the first row has 2 fields`, ErrMismatch},
		{"y,y\ncat,1\n", Options{LabelColumn: "y"}, `test:1: the header names two columns "y" (1 and 2)`, ErrMismatch},
	} {
		_, err := Read(strings.NewReader(c.in), "test", c.opt)
		var pe *ParseError
		if !errors.As(err, &pe) || !errors.Is(err, c.kind) || err.Error() != "features: "+c.want {
			t.Errorf("%q:\n got %v\nwant features: %s (%v)", c.in, err, c.want, c.kind)
		}
	}
}

func TestReadOptionsErrors(t *testing.T) {
	for _, opt := range []Options{
		{Format: 3}, {Header: -1}, {Features: -1}, {Features: MaxFeatures + 1}, {MaxDenseBytes: -1},
		{LabelColumn: "species", Header: HeaderAbsent}, {LabelColumn: "1", NoLabel: true}, {LabelColumn: "y", NoLabel: true, Format: CSV},
	} {
		_, err := Read(strings.NewReader("1 1:1\n"), "t", opt)
		if err == nil || errors.As(err, new(*ParseError)) || !strings.HasPrefix(err.Error(), "features: ") {
			t.Errorf("%+v: %v", opt, err)
		}
	}
}

// TestReadMemoryRule checks the bound on the dense matrix of a LIBSVM file.
func TestReadMemoryRule(t *testing.T) {
	// Many short lines and one with a large index: 1001 x 16000000 would
	// take 64 GB for 1001 values.
	var b strings.Builder
	for range 1000 {
		b.WriteString("1 1:1\n")
	}
	b.WriteString("2 5:1 16000000:1\n")
	_, err := Read(strings.NewReader(b.String()), "big.svm", Options{})
	want := "features: big.svm:1001: a dense matrix of 1001 x 16000000 float32 (59.7 GiB) for 1002 stored values is too large (see Options.MaxDenseBytes); the largest index, 16000000, is on line 1001"
	if !errors.Is(err, ErrTooLarge) || err.Error() != want {
		t.Fatalf("got  %v\nwant %s", err, want)
	}

	// Within 256 MiB: fine whatever the density.
	s := mustRead(t, "1 1:1\n2 1000000:1\n", Options{})
	if s.D != 1000000 || s.X[s.D+999999] != 1 {
		t.Fatalf("D=%d", s.D)
	}
	// Beyond 256 MiB, at most 32 elements per stored value: fine.
	b.Reset()
	for range 70 {
		b.WriteString("1")
		for j := 1; j <= 1<<20; j += 32 {
			b.WriteString(" ")
			b.WriteString(itoa(j))
			b.WriteString(":1")
		}
		b.WriteString("\n")
	}
	s = mustRead(t, b.String(), Options{})
	if s.N*s.D <= 64<<20 || s.D != 1<<20-31 {
		t.Fatalf("N=%d D=%d", s.N, s.D)
	}
	// A fixed bound replaces the rule.
	_, err = Read(strings.NewReader("1 1:1\n2 1000:1\n"), "t", Options{MaxDenseBytes: 7999})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("MaxDenseBytes 7999 for 8000 bytes: %v", err)
	}
	mustRead(t, "1 1:1\n2 1000:1\n", Options{MaxDenseBytes: 8000})
	// Options.Features makes the matrix as wide, and is named.
	_, err = Read(strings.NewReader("1 1:1\n2 1:1\n"), "t", Options{Features: 1000, MaxDenseBytes: 4000})
	if !errors.Is(err, ErrTooLarge) || !strings.HasSuffix(err.Error(), "Options.Features is 1000") {
		t.Fatalf("got %v", err)
	}
}

func itoa(i int) string { return string(appendInt(nil, i)) }

func appendInt(b []byte, i int) []byte {
	if i >= 10 {
		b = appendInt(b, i/10)
	}
	return append(b, byte('0'+i%10))
}

// TestReadPieces checks that reading through a reader that returns a byte,
// or half of what is asked, at a time gives the same result as reading at
// once, for long lines (beyond the 1 MiB buffer) and records spanning
// lines.
func TestReadPieces(t *testing.T) {
	rng := newRNG(t)
	var lib, csv bytes.Buffer
	for r := range 50 {
		lib.WriteString(itoa(r % 3))
		csv.WriteString("\"class\n" + itoa(r%3) + "\"")
		n := 20
		if r == 7 {
			n = 200000 // a line of about 3 MB
		}
		for j := 1; j <= n; j++ {
			v := strconv.AppendFloat(nil, float64(rng.Float32()), 'g', -1, 32)
			lib.WriteString(" " + itoa(j) + ":")
			lib.Write(v)
			csv.WriteString(",")
			csv.Write(v)
		}
		lib.WriteString("\n")
		csv.WriteString("\r\n")
	}
	for _, in := range []struct {
		name string
		data []byte
	}{{"libsvm", lib.Bytes()}, {"csv", csv.Bytes()[:len(csv.Bytes())-2]}} {
		if in.name == "csv" {
			in.data = padCSV(in.data, 200001) // as many fields as line 7
		}
		whole, err := Read(bytes.NewReader(in.data), in.name, Options{})
		if err != nil {
			t.Fatal(err)
		}
		checkSet(t, whole, Options{})
		for _, r := range []io.Reader{iotest.HalfReader(bytes.NewReader(in.data)), iotest.DataErrReader(bytes.NewReader(in.data))} {
			s, err := Read(r, in.name, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(s.X, whole.X) || !slices.Equal(s.Labels, whole.Labels) || !slices.Equal(s.Classes, whole.Classes) {
				t.Fatalf("%s: read in pieces differs", in.name)
			}
		}
	}
	for _, in := range []string{libsvmSample, csvSample} {
		a, err1 := Read(strings.NewReader(in), "t", Options{LabelColumn: "-1"})
		b, err2 := Read(iotest.OneByteReader(strings.NewReader(in)), "t", Options{LabelColumn: "-1"})
		if err1 != nil || err2 != nil || !slices.Equal(a.X, b.X) || !slices.Equal(a.Labels, b.Labels) {
			t.Fatalf("%q a byte at a time: %v %v", in, err1, err2)
		}
	}
}

// padCSV gives every record of a CSV text (records end in "\r\n") fields
// fields, the missing ones "0".
func padCSV(data []byte, fields int) []byte {
	var out []byte
	for rec := range bytes.SplitSeq(data, []byte("\r\n")) {
		n := bytes.Count(rec, []byte{','}) + 1
		out = append(out, rec...)
		for range fields - n {
			out = append(out, ",0"...)
		}
		out = append(out, "\r\n"...)
	}
	return out
}

func TestReadIOError(t *testing.T) {
	boom := errors.New("boom")
	r := io.MultiReader(strings.NewReader("1 1:1\n2 2:1\n3 3"), iotest.ErrReader(boom))
	_, err := Read(r, "t", Options{})
	var pe *ParseError
	if !errors.Is(err, boom) || !errors.As(err, &pe) || pe.Line != 3 || err.Error() != "features: t:3: read error: boom" {
		t.Fatalf("got %v", err)
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "train.csv")
	if err := os.WriteFile(path, []byte("y,a\ncat,1\ndog,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := ReadFile(path, Options{})
	if err != nil || s.Path != path || s.Format != CSV || s.N != 2 {
		t.Fatalf("%v %+v", err, s)
	}
	if _, err := ReadFile(filepath.Join(dir, "none"), Options{}); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
	if err := os.WriteFile(path, []byte("y,a\ncat,x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(path, Options{}); err == nil || !strings.HasPrefix(err.Error(), "features: "+path+":2:5: ") {
		t.Fatalf("got %v", err)
	}
}

func TestDetect(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Format
	}{
		{"1 1:1\n", LIBSVM},
		{"1 1:1 # a, b\n", LIBSVM},
		{"# a, comment\n\n1 1:1\n", LIBSVM},
		{"1\n", LIBSVM},
		{"y,a\ncat,1\n", CSV},
		{"  \r\n1,2\n", CSV},
		{"\"cat\"\n", CSV},
		{"\"two\nlines\",1\n", CSV},
		{"\xef\xbb\xbfy,a\nb,1\n", CSV},
	} {
		s, err := Read(iotest.OneByteReader(strings.NewReader(c.in)), "t", Options{})
		if err != nil || s.Format != c.want {
			t.Errorf("%q: %v, want %v (%v)", c.in, s, c.want, err)
		}
	}
}
