package features

import (
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
)

// TestReadNoLabelCSV reads CSV files without a label column, with and
// without a header: every column is a feature.
func TestReadNoLabelCSV(t *testing.T) {
	for _, c := range []struct {
		name, in string
		opt      Options
		names    []string
	}{
		{"header", "a,\"b, c\",d\n1,2,3\r\n\n4, 5 ,\"6\"\n", Options{NoLabel: true}, []string{"a", "b, c", "d"}},
		{"no header", "1,2,3\n4,5,6", Options{NoLabel: true}, nil},
		{"header absent", "1,2,3\n4,5,6\n", Options{NoLabel: true, Header: HeaderAbsent, Format: CSV}, nil},
		{"test file", "a,b,c\n1,2,3\n4,5,6\n", Options{NoLabel: true, Classes: []string{"cat", "dog"}, Features: 3}, []string{"a", "b", "c"}},
	} {
		s := mustRead(t, c.in, c.opt)
		if s.Format != CSV || s.N != 2 || s.D != 3 || !slices.Equal(s.X, []float32{1, 2, 3, 4, 5, 6}) {
			t.Errorf("%s: %v N=%d D=%d X=%v", c.name, s.Format, s.N, s.D, s.X)
		}
		if !slices.Equal(s.Labels, []int32{-1, -1}) || !slices.Equal(s.Classes, c.opt.Classes) || s.Unknown != nil || s.Warnings != nil || s.Label != "" {
			t.Errorf("%s: labels %v classes %q unknown %q warnings %q label %q", c.name, s.Labels, s.Classes, s.Unknown, s.Warnings, s.Label)
		}
		if !slices.Equal(s.Features, c.names) || (s.Features == nil) != (c.names == nil) {
			t.Errorf("%s: features %q, want %q", c.name, s.Features, c.names)
		}
	}
	// One column, a header of numbers when present.
	s := mustRead(t, "7\n8\n", Options{NoLabel: true, Format: CSV, Header: HeaderPresent})
	if s.N != 1 || s.D != 1 || !slices.Equal(s.X, []float32{8}) || !slices.Equal(s.Features, []string{"7"}) {
		t.Errorf("one column: N=%d D=%d X=%v features %q", s.N, s.D, s.X, s.Features)
	}
	// The labelled file of the same features reads the same matrix.
	lab := mustRead(t, "y,a,b,c\ncat,1,2,3\ndog,4,5,6\n", Options{})
	if s := mustRead(t, "a,b,c\n1,2,3\n4,5,6\n", Options{NoLabel: true}); !slices.Equal(s.X, lab.X) || !slices.Equal(s.Features, lab.Features) {
		t.Errorf("X %v features %q; labelled X %v features %q", s.X, s.Features, lab.X, lab.Features)
	}
}

// TestReadNoLabelLIBSVM reads LIBSVM files without labels, and with labels
// on some lines, which are ignored.
func TestReadNoLabelLIBSVM(t *testing.T) {
	unlabelled := "# new examples\n1:0.5 3:2\n2:1e-3\n\n1:1 4:-0 # c\n \t\n2:0.25\r\nqid:3 3:3\n"
	labelled := "# new examples\n1 1:0.5 3:2\n-1 2:1e-3\n\n+1 1:1 4:-0 # c\n \t\n10 2:0.25\r\n2 qid:3 3:3\n"
	mixed := "# new examples\n1:0.5 3:2\nx 2:1e-3\n\n1:1 4:-0 # c\n \t\n1.5 2:0.25\r\n2 qid:3 3:3\n"
	want := mustRead(t, labelled, Options{})
	for _, in := range []string{unlabelled, labelled, mixed} {
		for _, opt := range []Options{{NoLabel: true}, {NoLabel: true, Format: LIBSVM, Classes: want.Classes, Features: 4}} {
			s := mustRead(t, in, opt)
			if s.Format != LIBSVM || s.N != 5 || s.D != 4 || !slices.Equal(s.X, want.X) {
				t.Fatalf("%q: %v N=%d D=%d X=%v, want X=%v", in, s.Format, s.N, s.D, s.X, want.X)
			}
			if !slices.Equal(s.Labels, []int32{-1, -1, -1, -1, -1}) || s.Unknown != nil || s.Warnings != nil || s.Features != nil {
				t.Fatalf("%q: labels %v unknown %q warnings %q features %q", in, s.Labels, s.Unknown, s.Warnings, s.Features)
			}
		}
	}
	// A line of only a label, or only a qid, is an example of zeros;
	// indices above Features are ignored with a warning, as when labelled.
	s := mustRead(t, "7\nqid:1\n1:1 9:2\n", Options{NoLabel: true, Features: 2})
	if s.N != 3 || s.D != 2 || !slices.Equal(s.X, []float32{0, 0, 0, 0, 1, 0}) || len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], "the largest, 9, on line 3") {
		t.Fatalf("N=%d D=%d X=%v warnings %q", s.N, s.D, s.X, s.Warnings)
	}
}

// TestReadNoLabelErrors checks that errors keep their line and column
// without labels, and what is no longer an error.
func TestReadNoLabelErrors(t *testing.T) {
	for _, c := range []struct {
		in   string
		opt  Options
		want string
		kind error
	}{
		{"1:1\n2:1 1:1\n", Options{NoLabel: true}, `test:2:5: index 1 after 2: indices must increase`, ErrSyntax},
		{"1 1:1\n1:1 2:x\n", Options{NoLabel: true}, `test:2:7: bad value "x" of index 2`, ErrSyntax},
		{"1:1 2\n", Options{NoLabel: true}, `test:1:5: "2" is not index:value (no colon)`, ErrSyntax},
		{"1 1 1:1\n", Options{NoLabel: true}, `test:1:3: "1" is not index:value (no colon)`, ErrSyntax},
		{"qid:x 1:1\n", Options{NoLabel: true}, `test:1:1: bad query id "qid:x": want qid:N, N an unsigned integer`, ErrSyntax},
		{"1:1 0:1\n", Options{NoLabel: true}, `test:1:5: index 0: indices start at 1`, ErrSyntax},
		{"# nothing\n", Options{NoLabel: true}, `test: no examples`, ErrEmpty},
		{"a,b\n1,2\n3\n", Options{NoLabel: true}, `test:3: 1 fields, want 2 as on line 1`, ErrSyntax},
		{"a,b\n1,2\n3,x\n", Options{NoLabel: true}, `test:3:3: field 2 ("b"): bad number "x"`, ErrSyntax},
		{"1,2\n3,\"4\n", Options{NoLabel: true}, `test:2:3: unterminated quoted field`, ErrSyntax},
		{"a,b\n", Options{NoLabel: true}, `test: no examples, only a header`, ErrEmpty},
		{"a,b\n1,2\n", Options{NoLabel: true, Features: 1}, `test:1: 2 feature columns, want 1 (Options.Features)`, ErrMismatch},
		{"y,a,b\n1,2,3\n", Options{IgnoreLabels: true, Features: 3}, `test:1: 2 feature columns, want 3 (Options.Features)`, ErrMismatch},
	} {
		_, err := Read(strings.NewReader(c.in), "test", c.opt)
		var pe *ParseError
		if !errors.As(err, &pe) || !errors.Is(err, c.kind) || err.Error() != "features: "+c.want {
			t.Errorf("%q:\n got %v\nwant features: %s (%v)", c.in, err, c.want, c.kind)
		}
		// The counts of a column mismatch, for a caller's hint.
		if cols := strings.Count(strings.SplitN(c.in, "\n", 2)[0], ",") + 1; c.kind == ErrMismatch && pe != nil &&
			(pe.Columns != cols-btoi(!c.opt.NoLabel) || pe.WantColumns != c.opt.Features) {
			t.Errorf("%q: Columns %d WantColumns %d", c.in, pe.Columns, pe.WantColumns)
		}
		if c.kind != ErrMismatch && pe != nil && (pe.Columns != 0 || pe.WantColumns != 0) {
			t.Errorf("%q: Columns %d WantColumns %d, want 0 0", c.in, pe.Columns, pe.WantColumns)
		}
	}
}

// TestReadIgnoreLabels reads files whose labels do not matter: LIBSVM
// lines with labels, without, or some of each, and CSV files with their
// label column, from a reader whose size is unknown (a pipe) as from one
// whose size is known, in both formats detected.
func TestReadIgnoreLabels(t *testing.T) {
	unlabelled := "1:0.5 3:2\n2:1e-3\n"
	labelled := "1 1:0.5 3:2\n-1 2:1e-3\n"
	mixed := "1:0.5 3:2\nx 2:1e-3\n"
	csv := "y,a,b,c\ncat,0.5,0,2\nbird,0,1e-3,0\n"
	want := []float32{0.5, 0, 2, 0, 1e-3, 0}
	for _, in := range []string{unlabelled, labelled, mixed, csv} {
		for _, opt := range []Options{{IgnoreLabels: true}, {IgnoreLabels: true, Classes: []string{"cat", "dog"}, Features: 3}} {
			for _, pipe := range []bool{false, true} {
				var r io.Reader = strings.NewReader(in)
				if pipe {
					r = struct{ io.Reader }{r} // no Len
				}
				s, err := Read(r, "test", opt)
				if err != nil {
					t.Fatalf("%q %+v pipe=%v: %v", in, opt, pipe, err)
				}
				checkSet(t, s, opt)
				if s.N != 2 || s.D != 3 || !slices.Equal(s.X, want) || s.Warnings != nil {
					t.Fatalf("%q %+v pipe=%v: N=%d D=%d X=%v warnings %q, want X=%v", in, opt, pipe, s.N, s.D, s.X, s.Warnings, want)
				}
				if in == csv && (s.Format != CSV || s.Label != "y" || !slices.Equal(s.Features, []string{"a", "b", "c"})) {
					t.Fatalf("%q: %v label %q features %q", in, s.Format, s.Label, s.Features)
				}
			}
		}
	}
	// A CSV file's label column is still where Options.LabelColumn says.
	s := mustRead(t, "1,2,x\n3,4,y\n", Options{IgnoreLabels: true, LabelColumn: "-1"})
	if !slices.Equal(s.X, []float32{1, 2, 3, 4}) {
		t.Fatalf("label column -1: X=%v", s.X)
	}
	// Options that cannot work.
	for _, opt := range []Options{{IgnoreLabels: true, NoLabel: true}, {IgnoreLabels: true, Classes: []string{"a", "b", "a"}}, {NoLabel: true, Classes: []string{"1", "1"}}, {Classes: []string{"x", "x"}}} {
		if _, err := Read(strings.NewReader(labelled), "test", opt); err == nil || errors.As(err, new(*ParseError)) {
			t.Errorf("%+v: err %v, want an error in the options", opt, err)
		}
	}
}

// TestDatasetNoLabel checks the view of a set read without labels: no
// rows, and no panic.
func TestDatasetNoLabel(t *testing.T) {
	for _, opt := range []Options{{NoLabel: true}, {NoLabel: true, Classes: []string{"1", "2"}, Features: 3}} {
		s := mustRead(t, "1:1 3:2\n2:5\n", opt)
		d, err := s.Dataset()
		if err != nil {
			t.Fatal(err)
		}
		x := d.Features
		if x.Rows != 0 || x.Index == nil || len(x.Index) != 0 || len(d.Labels) != 0 || x.Cols != s.D || d.Images != nil {
			t.Fatalf("%+v: rows %d index %v labels %v cols %d; want an empty view of %d columns", opt, x.Rows, x.Index, d.Labels, x.Cols, s.D)
		}
	}
}

// TestDetectExported checks Detect: the format Read takes.
func TestDetectExported(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Format
	}{
		{libsvmSample, LIBSVM}, {csvSample, CSV}, {"", LIBSVM}, {"# a, b\n", LIBSVM}, {"\xef\xbb\xbf\"a\"\n", CSV},
		{"1:1 2:2\n", LIBSVM}, {"#x\n\n 1,2\n", CSV}, {"1,2", CSV}, {"1:1 # a,b\n3,4\n", LIBSVM},
		{strings.Repeat(" ", 2<<20) + ",\n", LIBSVM}, // beyond the first MiB, as Read
	} {
		f, err := Detect(strings.NewReader(c.in), "t")
		if err != nil || f != c.want {
			t.Errorf("%.20q: Detect %v, %v; want %v", c.in, f, err, c.want)
		}
		if s, err := Read(strings.NewReader(c.in), "t", Options{NoLabel: true}); err == nil && s.Format != f {
			t.Errorf("%.20q: Detect %v, Read %v", c.in, f, s.Format)
		}
	}
	if _, err := Detect(iotestErr{}, "t"); !errors.As(err, new(*ParseError)) || !strings.Contains(err.Error(), "boom") {
		t.Errorf("read error: %v", err)
	}
}

type iotestErr struct{}

func (iotestErr) Read([]byte) (int, error) { return 0, errors.New("boom") }

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
