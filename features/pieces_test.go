package features

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
)

// sequential reads line by line on one goroutine, as Read did before
// it read in pieces.
var sequential = parallelism{workers: 1, piece: pieceSize}

// sameRead fails unless reading data in pieces with par gives what reading
// it sequentially gives: the same Set, bitwise, or the same error. newReader
// makes a reader of the data; size is the size hint (-1 if unknown).
func sameRead(t *testing.T, what string, data []byte, opt Options, newReader func([]byte) io.Reader, size int64, par parallelism) (*Set, error) {
	t.Helper()
	want, wantErr := read(newReader(data), "t", opt, size, sequential)
	got, err := read(newReader(data), "t", opt, size, par)
	if !sameSetOrError(got, err, want, wantErr) {
		t.Fatalf("%s, %d workers, pieces of %d bytes: got\n%s\nwant\n%s\ninput %q", what, par.workers, par.piece,
			describe(got, err), describe(want, wantErr), prefix(data, 2000))
	}
	return want, wantErr
}

func prefix(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

// sameSetOrError reports whether two results of read are the same: sets
// equal in every field (X bitwise) or errors equal in every field.
func sameSetOrError(got *Set, gotErr error, want *Set, wantErr error) bool {
	if (gotErr == nil) != (wantErr == nil) || (got == nil) != (want == nil) {
		return false
	}
	if wantErr != nil {
		return reflect.DeepEqual(gotErr, wantErr) && gotErr.Error() == wantErr.Error()
	}
	if len(got.X) != len(want.X) {
		return false
	}
	for i := range want.X {
		if math.Float32bits(got.X[i]) != math.Float32bits(want.X[i]) {
			return false
		}
	}
	g, w := *got, *want
	g.X, w.X = nil, nil
	return reflect.DeepEqual(g, w)
}

func describe(s *Set, err error) string {
	if err != nil {
		return fmt.Sprintf("error %#v: %v", err, err)
	}
	x := s.X
	if len(x) > 40 {
		x = x[:40]
	}
	return fmt.Sprintf("N=%d D=%d labels %v classes %q unknown %q warnings %q features %q label %q format %v X[:40] %v",
		s.N, s.D, cut32(s.Labels), s.Classes, s.Unknown, s.Warnings, s.Features, s.Label, s.Format, x)
}

func cut32(l []int32) []int32 {
	if len(l) > 40 {
		return l[:40]
	}
	return l
}

// readers make readers of the data: at once, a few bytes at a time, and
// with io.EOF with the last data.
var readers = []struct {
	name string
	make func([]byte) io.Reader
}{
	{"bytes", func(b []byte) io.Reader { return bytes.NewReader(b) }},
	{"half", func(b []byte) io.Reader { return iotest.HalfReader(bytes.NewReader(b)) }},
	{"dataerr", func(b []byte) io.Reader { return iotest.DataErrReader(bytes.NewReader(b)) }},
}

var libsvmLabels = []string{"1", "+1", "1.0", "-1", "2", "1e1", "10", "3", "-7", "0", "+2", "2.00"}

// randomLIBSVM returns a LIBSVM text of about n lines: examples of
// increasing indices up to about maxIndex, and now and then blank lines,
// comments, tabs, CRLF, a qid, a long line or a line without features.
func randomLIBSVM(rng *rand.Rand, n, maxIndex int, labels []string) []byte {
	var b []byte
	if rng.IntN(4) == 0 {
		b = append(b, "\xef\xbb\xbf"...)
	}
	sep := func() []byte {
		switch rng.IntN(8) {
		case 0:
			return []byte("\t")
		case 1:
			return []byte("  ")
		}
		return []byte(" ")
	}
	for r := range n {
		switch rng.IntN(20) {
		case 0:
			b = append(b, "# a comment, with a comma"...)
		case 1:
			b = append(b, " \t"...)
		case 2:
		default:
			b = append(b, labels[rng.IntN(len(labels))]...)
			if rng.IntN(10) == 0 {
				b = append(b, " qid:"...)
				b = strconv.AppendInt(b, int64(rng.IntN(100)), 10)
			}
			pairs := rng.IntN(8)
			if rng.IntN(30) == 0 {
				pairs = 100 + rng.IntN(300)
			}
			idx := 0
			for range pairs {
				idx += 1 + rng.IntN(1+2*maxIndex/max(pairs, 1))
				b = append(b, sep()...)
				b = strconv.AppendInt(b, int64(idx), 10)
				b = append(b, ':')
				b = appendValue(b, randomValue(rng))
			}
			if rng.IntN(10) == 0 {
				b = append(b, " # comment"...)
			}
		}
		if r < n-1 || rng.IntN(2) == 0 {
			if rng.IntN(5) == 0 {
				b = append(b, '\r')
			}
			b = append(b, '\n')
		}
	}
	return b
}

// badLIBSVM are lines that are errors.
var badLIBSVM = []string{
	"x 1:1", "1.5 1:1", "1 1:1 1.5", "1 :5", "1 -3:5", "1 0:5", "1 2:1 2:5", "1 3:1 2:1", "1 3:", "1 3:1.2.3",
	"1 3:NaN", "1 3:1e39", "1 qid:x 1:1", "1 16777217:1", "3:1 4:1", "1 1:1 99999999999999999999999:1",
}

// lineStarts returns where each line of b starts.
func lineStarts(b []byte) []int {
	starts := []int{0}
	for i, c := range b {
		if c == '\n' && i+1 < len(b) {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// replaceLine returns b with line l (1-based) replaced by s.
func replaceLine(b []byte, l int, s string) []byte {
	starts := lineStarts(b)
	start := starts[l-1]
	end := len(b)
	if l < len(starts) {
		end = starts[l] - 1
	}
	out := slices.Clone(b[:start])
	out = append(out, s...)
	return append(out, b[end:]...)
}

// pieceLines returns the lines that the pieces of data start on, as the
// chunker cuts it (the size hint being len(data)).
func pieceLines(t *testing.T, data []byte, size int, quotes bool) []int {
	t.Helper()
	src := newSource(bytes.NewReader(data), "t", int64(len(data)))
	if err := src.start(); err != nil {
		t.Fatal(err)
	}
	c := newChunker(src, size, quotes, 4)
	var lines []int
	for {
		text, _, line, err := c.next()
		if err != nil {
			t.Fatal(err)
		}
		if text == nil {
			return lines
		}
		lines = append(lines, line)
	}
}

// TestPiecesLIBSVM checks that reading LIBSVM text in pieces on several
// goroutines gives what reading it line by line gives, for valid texts
// and texts with errors, as training and as test files.
func TestPiecesLIBSVM(t *testing.T) {
	rng := newRNG(t)
	for iter := range 60 {
		data := randomLIBSVM(rng, 50+rng.IntN(300), 20+rng.IntN(100), libsvmLabels)
		opts := []Options{{}, {Format: LIBSVM}, {Features: 30, Classes: []string{"1", "2", "-7"}}, {MaxDenseBytes: int64(rng.IntN(20000))}}
		if rng.IntN(3) == 0 {
			// An error or two.
			for range 1 + rng.IntN(2) {
				l := 1 + rng.IntN(len(lineStarts(data)))
				data = replaceLine(data, l, badLIBSVM[rng.IntN(len(badLIBSVM))])
			}
		}
		for _, opt := range opts {
			par := parallelism{workers: 1 + rng.IntN(4), piece: 16 << rng.IntN(8)}
			r := readers[rng.IntN(len(readers))]
			sameRead(t, fmt.Sprintf("iteration %d, %s reader, %+v", iter, r.name, opt), data, opt, r.make, int64(len(data)), par)
		}
	}
}

// TestPiecesLIBSVMErrorPlaces puts errors on the first and last lines of
// pieces, one or two of them, and checks that the first is reported as
// when reading line by line.
func TestPiecesLIBSVMErrorPlaces(t *testing.T) {
	rng := newRNG(t)
	data := randomLIBSVM(rng, 400, 50, libsvmLabels)
	const size = 512
	starts := pieceLines(t, data, size, false)
	if len(starts) < 10 {
		t.Fatalf("%d pieces", len(starts))
	}
	var places []int // first and last lines of pieces
	for _, l := range starts[1:] {
		places = append(places, l-1, l)
	}
	places = append(places, 1, len(lineStarts(data)))
	for i, l := range places {
		bad := badLIBSVM[i%len(badLIBSVM)]
		one := replaceLine(data, l, bad)
		for w := 1; w <= 4; w++ {
			par := parallelism{workers: w, piece: size}
			_, err := sameRead(t, fmt.Sprintf("error on line %d", l), one, Options{}, readers[0].make, int64(len(one)), par)
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line != l {
				t.Fatalf("error on line %d: got %v", l, err)
			}
			// A second error later, and one earlier.
			l2 := places[rng.IntN(len(places))]
			if l2 == l {
				continue
			}
			two := replaceLine(one, l2, badLIBSVM[rng.IntN(len(badLIBSVM))])
			_, err = sameRead(t, fmt.Sprintf("errors on lines %d and %d", l, l2), two, Options{}, readers[0].make, int64(len(two)), par)
			if !errors.As(err, &pe) || pe.Line != min(l, l2) {
				t.Fatalf("errors on lines %d and %d: got %v", l, l2, err)
			}
		}
	}
}

// TestPiecesLIBSVMSets checks the parts of a Set that come from more than
// one piece: the classes' order and first lines, unknown labels, ignored
// indices, the memory rule and its error, empty inputs, across many
// pieces and in a text longer than the first buffer.
func TestPiecesLIBSVMSets(t *testing.T) {
	rng := newRNG(t)
	var big []byte
	for len(big) < 3<<20 {
		big = append(big, randomLIBSVM(rng, 1000, 300, libsvmLabels)...)
		big = append(big, '\n')
	}
	// Classes first seen late, unknown labels and ignored indices in late
	// pieces only, one stray large index.
	late := randomLIBSVM(rng, 2000, 40, []string{"1", "2"})
	late = append(late, "\n-5 1:1\n1 3:1 1500:2\n7 1:1 3000:3\n+7 50:1\n"...)
	stray := append(randomLIBSVM(rng, 3000, 40, []string{"1", "2"}), "\n2 5:1 16000000:1\n3 1:1\n"...)
	// The same largest index in two pieces: the first is named.
	twice := append([]byte("1 1:1\n3 16000000:1\n"), stray...)
	empty := bytes.Repeat([]byte("# nothing here\n\n \r\n"), 500)
	crlf := bytes.ReplaceAll(randomLIBSVM(rng, 2000, 40, libsvmLabels), []byte("\n"), []byte("\r\n"))
	for _, c := range []struct {
		name string
		data []byte
		opt  Options
	}{
		{"big", big, Options{}},
		{"big test file", big, Options{Features: 100, Classes: []string{"1", "3", "-7"}}},
		{"late", late, Options{}},
		{"late test file", late, Options{Features: 1000, Classes: []string{"1", "2"}}},
		{"late, more classes than given", late, Options{Classes: []string{"2", "10"}}},
		{"stray", stray, Options{}},
		{"stray, Features", stray, Options{Features: 16000000}},
		{"stray, MaxDenseBytes", stray, Options{MaxDenseBytes: 1 << 30}},
		{"dense bound", late, Options{MaxDenseBytes: 1000}},
		{"stray twice", twice, Options{}},
		{"empty", empty, Options{}},
		{"empty, format given", empty, Options{Format: LIBSVM}},
		{"crlf", crlf, Options{}},
	} {
		for _, par := range []parallelism{{2, 100}, {3, 4096}, {4, 1 << 16}, {2, pieceSize}, {1, 300}} {
			for _, r := range readers {
				if r.name != "bytes" && len(c.data) > 1<<20 && par.piece < 4096 {
					continue // slow
				}
				for _, size := range []int64{int64(len(c.data)), -1} {
					sameRead(t, c.name+", "+r.name, c.data, c.opt, r.make, size, par)
				}
			}
		}
	}
	// The totals of the late file.
	s, err := read(bytes.NewReader(late), "t", Options{Features: 1000, Classes: []string{"1", "2"}}, -1, parallelism{3, 100})
	if err != nil {
		t.Fatal(err)
	}
	n := len(lineStarts(late))
	want := []string{
		fmt.Sprintf("ignored 2 values with indices above 1000, the training set's features (Options.Features); the largest, 3000, on line %d", n-1),
		fmt.Sprintf(`3 examples (the first on line %d) have labels not among the training set's classes (Options.Classes): "-5", "7"`, n-3),
	}
	if !slices.Equal(s.Warnings, want) {
		t.Fatalf("warnings\n%q\nwant\n%q", s.Warnings, want)
	}
	_, err = read(bytes.NewReader(stray), "t", Options{}, -1, parallelism{3, 100})
	if !errors.Is(err, ErrTooLarge) || !strings.HasSuffix(err.Error(), fmt.Sprintf("the largest index, 16000000, is on line %d", len(lineStarts(stray))-1)) {
		t.Fatalf("got %v", err)
	}
	_, err = read(bytes.NewReader(twice), "t", Options{}, -1, parallelism{3, 100})
	if !errors.Is(err, ErrTooLarge) || !strings.HasSuffix(err.Error(), "the largest index, 16000000, is on line 2") {
		t.Fatalf("got %v", err)
	}
}

// TestPiecesReadErrors checks the reader's errors, after a few bytes and
// after many: the error, its line and the lines before it are as when
// reading line by line, whether the text before it has errors or not.
func TestPiecesReadErrors(t *testing.T) {
	rng := newRNG(t)
	boom := errors.New("boom")
	data := randomLIBSVM(rng, 2000, 40, libsvmLabels)
	bad := replaceLine(data, 1000, "1 2:1 1:1")
	for range 100 {
		in := data
		if rng.IntN(2) == 0 {
			in = bad
		}
		k := rng.IntN(len(in))
		failing := func(b []byte) io.Reader {
			return io.MultiReader(iotest.HalfReader(bytes.NewReader(b[:k])), iotest.ErrReader(boom))
		}
		par := parallelism{workers: 1 + rng.IntN(3), piece: 64 << rng.IntN(6)}
		_, err := sameRead(t, fmt.Sprintf("error after %d bytes", k), in, Options{}, failing, -1, par)
		if err == nil {
			t.Fatalf("no error after %d bytes", k)
		}
	}
}

// TestPiecesLongLines checks lines much longer than a piece, and longer
// than the first buffer.
func TestPiecesLongLines(t *testing.T) {
	rng := newRNG(t)
	var b []byte
	for r := range 12 {
		b = strconv.AppendInt(b, int64(r%3), 10)
		n := 5
		if r%4 == 1 {
			n = 10000 + rng.IntN(150000)
		}
		for j := 1; j <= n; j++ {
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(j), 10)
			b = append(b, ':')
			b = appendValue(b, rng.Float32())
		}
		b = append(b, '\n')
	}
	for _, par := range []parallelism{{2, 100}, {3, 1 << 16}, {2, pieceSize}} {
		for _, r := range readers {
			sameRead(t, "long lines, "+r.name, b, Options{}, r.make, -1, par)
		}
	}
}

var csvLabels = []string{"cat", "dog", "two\nlines", "a,b", `say "hi"`, " emu ", "1", "2.0"}

// randomCSV returns a CSV text of about n records of fields fields, the
// label in field lc (0-based), with a header when names is not nil: labels
// and names quoted when they must be and now and then when not, values
// now and then quoted or with spaces around, blank lines and CRLF.
func randomCSV(rng *rand.Rand, n, fields, lc int, names []string, labels []string) []byte {
	var b []byte
	if rng.IntN(4) == 0 {
		b = append(b, "\xef\xbb\xbf"...)
	}
	text := func(s string) {
		if strings.ContainsAny(s, ",\"\n\r") || s == "" || s != strings.TrimSpace(s) || rng.IntN(5) == 0 {
			b = append(b, '"')
			b = append(b, strings.ReplaceAll(s, `"`, `""`)...)
			b = append(b, '"')
			return
		}
		b = append(b, s...)
	}
	end := func() {
		if rng.IntN(5) == 0 {
			b = append(b, '\r')
		}
		b = append(b, '\n')
	}
	if names != nil {
		for f, s := range names {
			if f > 0 {
				b = append(b, ',')
			}
			text(s)
		}
		end()
	}
	for r := range n {
		if rng.IntN(20) == 0 {
			b = append(b, " \t"[:rng.IntN(3)]...)
			end()
		}
		for f := range fields {
			if f > 0 {
				b = append(b, ',')
			}
			if f == lc {
				text(labels[rng.IntN(len(labels))])
				continue
			}
			v := appendValue(nil, randomValue(rng))
			switch rng.IntN(10) {
			case 0:
				b = append(b, '"')
				b = append(b, v...)
				b = append(b, '"')
			case 1:
				b = append(b, ' ')
				b = append(b, v...)
				b = append(b, '\t')
			default:
				b = append(b, v...)
			}
		}
		if r < n-1 || rng.IntN(2) == 0 {
			end()
		}
	}
	return b
}

// badCSV are records that are errors (for 3 fields, the label first).
var badCSV = []string{
	"cat,1", "cat,1,2,3", "cat,x,1", "cat,1,", "cat, ,1", "cat,1,nan", "cat,1,1e40", ",1,2", `"",1,2`,
	`"cat,1,2`, `"ca` + "\n" + `t"x,1,2`, `ca"t,1,2`, "\"multi\nline\",x,1",
}

// TestPiecesCSV checks that reading CSV text in pieces on several
// goroutines gives what reading it record by record gives, for valid
// texts and texts with errors, with and without a header, with the label
// in various columns, as training and as test files.
func TestPiecesCSV(t *testing.T) {
	rng := newRNG(t)
	for iter := range 80 {
		fields := 1 + rng.IntN(6)
		lc := rng.IntN(fields)
		var names []string
		if rng.IntN(2) == 0 {
			for f := range fields {
				names = append(names, "f"+strconv.Itoa(f))
			}
			names[lc] = "y"
		}
		labels := csvLabels
		if rng.IntN(3) == 0 {
			labels = []string{"1", "2", "10", "1.0", "-3"} // numbers
		}
		data := randomCSV(rng, 50+rng.IntN(400), fields, lc, names, labels)
		if rng.IntN(3) == 0 {
			for range 1 + rng.IntN(2) {
				l := 2 + rng.IntN(len(lineStarts(data))-1)
				data = replaceLine(data, l, badCSV[rng.IntN(len(badCSV))])
			}
		}
		opts := []Options{
			{LabelColumn: strconv.Itoa(lc + 1)},
			{LabelColumn: strconv.Itoa(lc - fields), Header: HeaderAbsent},
			{LabelColumn: strconv.Itoa(lc + 1), Header: HeaderPresent},
			{LabelColumn: "y"},
			{Format: CSV, LabelColumn: strconv.Itoa(lc + 1), Classes: []string{"cat", "a,b", "1"}, Features: fields - 1},
			{},
		}
		for _, opt := range opts {
			par := parallelism{workers: 1 + rng.IntN(4), piece: 16 << rng.IntN(8)}
			r := readers[rng.IntN(len(readers))]
			sameRead(t, fmt.Sprintf("iteration %d, %s reader, %+v", iter, r.name, opt), data, opt, r.make, int64(len(data)), par)
		}
	}
}

// TestPiecesCSVErrorPlaces puts errors on the first and last records of
// pieces, and in quoted fields that span pieces' ends.
func TestPiecesCSVErrorPlaces(t *testing.T) {
	rng := newRNG(t)
	data := randomCSV(rng, 300, 3, 0, []string{"y", "a", "b"}, csvLabels)
	const size = 256
	starts := pieceLines(t, data, size, true)
	if len(starts) < 10 {
		t.Fatalf("%d pieces", len(starts))
	}
	for i, l := range starts[1:] {
		for _, at := range []int{l - 1, l} {
			in := replaceLine(data, at, badCSV[(2*i+at)%len(badCSV)])
			for w := 1; w <= 4; w++ {
				sameRead(t, fmt.Sprintf("error on line %d", at), in, Options{}, readers[0].make, int64(len(in)), parallelism{w, size})
			}
		}
	}
}

// TestPiecesCSVSets checks a CSV text longer than the first buffer, empty
// texts and texts of only a header, and reader errors.
func TestPiecesCSVSets(t *testing.T) {
	rng := newRNG(t)
	var big []byte
	for len(big) < 3<<20 {
		big = append(big, randomCSV(rng, 1000, 6, 2, nil, csvLabels)...)
		big = append(big, '\n')
	}
	header := append([]byte("y,a,b\n"), bytes.Repeat([]byte("\n \r\n"), 1000)...)
	blank := bytes.Repeat([]byte("\n \r\n"), 1000)
	for _, c := range []struct {
		name string
		data []byte
		opt  Options
	}{
		{"big", big, Options{LabelColumn: "3"}},
		{"big test file", big, Options{LabelColumn: "3", Features: 5, Classes: []string{"cat", "dog"}}},
		{"only a header", header, Options{}},
		{"blank", blank, Options{Format: CSV}},
	} {
		for _, par := range []parallelism{{2, 100}, {3, 4096}, {2, pieceSize}, {1, 300}} {
			for _, r := range readers {
				if r.name != "bytes" && len(c.data) > 1<<20 && par.piece < 4096 {
					continue // slow
				}
				for _, size := range []int64{int64(len(c.data)), -1} {
					sameRead(t, c.name+", "+r.name, c.data, c.opt, r.make, size, par)
				}
			}
		}
	}
	boom := errors.New("boom")
	data := randomCSV(rng, 1000, 3, 0, []string{"y", "a", "b"}, csvLabels)
	for range 100 {
		k := rng.IntN(len(data))
		failing := func(b []byte) io.Reader {
			return io.MultiReader(iotest.HalfReader(bytes.NewReader(b[:k])), iotest.ErrReader(boom))
		}
		par := parallelism{workers: 1 + rng.IntN(3), piece: 64 << rng.IntN(6)}
		sameRead(t, fmt.Sprintf("error after %d bytes", k), data, Options{}, failing, -1, par)
	}
}

// mixedLabels are LIBSVM labels and, as often, none: lines of a file to
// read with NoLabel, some labelled (even with labels that are errors when
// labels are read) and some not.
var mixedLabels = append(slices.Clone(libsvmLabels), "", "", "", "", "", "", "", "", "x", "1.5")

// TestPiecesNoLabelLIBSVM checks that reading LIBSVM text with NoLabel in
// pieces gives what reading it line by line gives: unlabelled and mixed
// texts, with errors, as files of new examples for a model or not, small
// and longer than the first buffer.
func TestPiecesNoLabelLIBSVM(t *testing.T) {
	rng := newRNG(t)
	for iter := range 60 {
		labels := mixedLabels
		if rng.IntN(2) == 0 {
			labels = []string{""}
		}
		data := randomLIBSVM(rng, 50+rng.IntN(300), 20+rng.IntN(100), labels)
		if rng.IntN(3) == 0 {
			for range 1 + rng.IntN(2) {
				l := 1 + rng.IntN(len(lineStarts(data)))
				data = replaceLine(data, l, badLIBSVM[rng.IntN(len(badLIBSVM))])
			}
		}
		for _, opt := range []Options{
			{NoLabel: true}, {NoLabel: true, Format: LIBSVM},
			{NoLabel: true, Features: 30, Classes: []string{"1", "2", "-7"}},
			{NoLabel: true, MaxDenseBytes: int64(rng.IntN(20000))},
		} {
			par := parallelism{workers: 1 + rng.IntN(4), piece: 16 << rng.IntN(8)}
			r := readers[rng.IntN(len(readers))]
			sameRead(t, fmt.Sprintf("iteration %d, %s reader, %+v", iter, r.name, opt), data, opt, r.make, int64(len(data)), par)
		}
	}
	var big []byte
	for len(big) < 3<<20 {
		big = append(big, randomLIBSVM(rng, 1000, 300, mixedLabels)...)
		big = append(big, '\n')
	}
	late := append(randomLIBSVM(rng, 2000, 40, []string{""}), "\n-5 1:1\n3:1 1500:2\n7 1:1 3000:3\n+7 50:1\n"...)
	stray := append(randomLIBSVM(rng, 3000, 40, []string{""}), "\n5:1 16000000:1\n3 1:1\n"...)
	bad := replaceLine(late, 1500, "1:1 1:2")
	for _, c := range []struct {
		name string
		data []byte
		opt  Options
	}{
		{"big", big, Options{NoLabel: true}},
		{"big, new examples", big, Options{NoLabel: true, Features: 100, Classes: []string{"1", "3"}}},
		{"late", late, Options{NoLabel: true, Features: 1000}},
		{"stray", stray, Options{NoLabel: true}},
		{"bad", bad, Options{NoLabel: true}},
	} {
		for _, par := range []parallelism{{2, 100}, {3, 4096}, {2, pieceSize}} {
			for _, size := range []int64{int64(len(c.data)), -1} {
				sameRead(t, c.name, c.data, c.opt, readers[0].make, size, par)
			}
		}
	}
}

// TestPiecesNoLabelCSV checks that reading CSV text without a label
// column in pieces gives what reading it record by record gives, with and
// without a header, with errors, small and longer than the first buffer.
func TestPiecesNoLabelCSV(t *testing.T) {
	rng := newRNG(t)
	for iter := range 80 {
		fields := 1 + rng.IntN(6)
		var names []string
		if rng.IntN(2) == 0 {
			for f := range fields {
				names = append(names, "f"+strconv.Itoa(f))
			}
		}
		data := randomCSV(rng, 50+rng.IntN(400), fields, -1, names, nil)
		if rng.IntN(3) == 0 {
			for range 1 + rng.IntN(2) {
				l := 2 + rng.IntN(len(lineStarts(data))-1)
				data = replaceLine(data, l, badCSV[rng.IntN(len(badCSV))])
			}
		}
		for _, opt := range []Options{
			{NoLabel: true}, {NoLabel: true, Header: HeaderAbsent}, {NoLabel: true, Header: HeaderPresent},
			{NoLabel: true, Format: CSV, Classes: []string{"cat", "dog"}, Features: fields},
		} {
			par := parallelism{workers: 1 + rng.IntN(4), piece: 16 << rng.IntN(8)}
			r := readers[rng.IntN(len(readers))]
			sameRead(t, fmt.Sprintf("iteration %d, %s reader, %+v", iter, r.name, opt), data, opt, r.make, int64(len(data)), par)
		}
	}
	var big []byte
	for len(big) < 3<<20 {
		big = append(big, randomCSV(rng, 1000, 6, -1, nil, nil)...)
		big = append(big, '\n')
	}
	header := append([]byte("a,b\n"), bytes.Repeat([]byte("\n \r\n"), 1000)...)
	for _, c := range []struct {
		name string
		data []byte
		opt  Options
	}{
		{"big", big, Options{NoLabel: true}},
		{"big, new examples", big, Options{NoLabel: true, Features: 6, Classes: []string{"cat"}}},
		{"big, too few features", big, Options{NoLabel: true, Features: 5}},
		{"big, labelled", big, Options{}},
		{"only a header", header, Options{NoLabel: true}},
	} {
		for _, par := range []parallelism{{2, 100}, {3, 4096}, {2, pieceSize}} {
			for _, size := range []int64{int64(len(c.data)), -1} {
				sameRead(t, c.name, c.data, c.opt, readers[0].make, size, par)
			}
		}
	}
}
