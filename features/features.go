package features

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
)

// MaxFeatures is the largest number of features (and so the largest LIBSVM
// index) a Set may have: the softmax package's MaxInputs.
const MaxFeatures = 1 << 24

// Format is the format of a data file.
type Format int

// The formats Read understands.
const (
	Auto   Format = iota // detect from the content (Options.Format only)
	LIBSVM               // LIBSVM / SVMlight: label index:value ...
	CSV                  // comma-separated values, RFC 4180
)

// String returns "auto", "libsvm" or "csv".
func (f Format) String() string {
	switch f {
	case Auto:
		return "auto"
	case LIBSVM:
		return "libsvm"
	case CSV:
		return "csv"
	}
	return "Format(" + strconv.Itoa(int(f)) + ")"
}

// HeaderMode says whether a CSV file starts with a header row.
type HeaderMode int

// The header modes.
const (
	// HeaderAuto takes the first row for a header when one of its
	// non-label fields is not a number.
	HeaderAuto    HeaderMode = iota
	HeaderPresent            // the first row is a header
	HeaderAbsent             // the first row is data
)

// Options control how Read reads a file. The zero value reads a training
// file of either format, the label in the first CSV column.
type Options struct {
	// Format is Auto (the default), LIBSVM or CSV. Auto looks at the first
	// line that is neither blank nor starts with '#': CSV if it has a
	// comma before any '#', or starts with a quote; else LIBSVM.
	Format Format

	// LabelColumn (CSV) names the label column: a header name, or a
	// 1-based column number, negative to count from the end ("-1" is the
	// last column). A header name is looked up first, so a header that
	// names a column "2" takes precedence over column 2. A name that is
	// not a number requires a header (HeaderAuto then assumes one). The
	// default, "", is the first column.
	LabelColumn string

	// NoLabel says the file has no labels, as a file of new examples to
	// predict has none. In CSV every column is then a feature (a header
	// names them all), and LabelColumn must be "". A LIBSVM line is then
	// "index:value ...", but may still start with a label (a token without
	// a colon), which is ignored unchecked: a labelled file reads either
	// way. Every label in the Set is -1, Classes is a copy of Classes (nil
	// if nil), Unknown is empty and Label is "".
	NoLabel bool

	// IgnoreLabels reads the features of a file whose labels, if any,
	// do not matter, as a file of examples to predict, in either format:
	// a LIBSVM file as NoLabel reads it (a label first on a line, if any,
	// ignored), a CSV file with its label column (LabelColumn) whose
	// values are then dropped. The Set is then as with NoLabel, but for
	// Label and Features, which name the CSV header's columns. NoLabel
	// and IgnoreLabels are not both set.
	IgnoreLabels bool

	// Header (CSV) says whether the first row is a header: HeaderAuto (the
	// default), HeaderPresent or HeaderAbsent.
	Header HeaderMode

	// Classes, when not nil, are the classes of a training set, for reading
	// its test file: Set.Classes is then a copy of Classes and Set.Labels
	// index it. An example whose label is not among them gets the label
	// -1; Set.Unknown lists such labels and Set.Warnings counts the
	// examples. For LIBSVM, entries that are integers match labels by
	// value ("+1" matches "1.0").
	Classes []string

	// Features, when positive, is the number of features of a training set,
	// for reading its test file: Set.D is then Features. LIBSVM indices
	// above it are ignored, with a warning in Set.Warnings (as LIBLINEAR
	// does); a CSV file must have exactly Features feature columns
	// (ErrMismatch otherwise). At most MaxFeatures.
	Features int

	// MaxDenseBytes bounds the dense matrix of a LIBSVM file. When 0 (the
	// default) the matrix, N*D*4 bytes, may take up to 256 MiB, or more as
	// long as it has at most 32 elements per stored index:value pair (8
	// bytes each in the sparse form the file is first read into), so that
	// memory stays in proportion to the text: a line "1 16000000:1" among
	// a million short ones is an error (ErrTooLarge, naming the largest
	// index and its line), not a 64 TB allocation. A positive value
	// replaces that rule by a fixed bound. CSV files are dense already:
	// their matrix takes at most twice the text.
	MaxDenseBytes int64
}

// Set is a data set of numeric features, labelled unless read with
// Options.NoLabel.
type Set struct {
	// X holds the features, N rows of D, row-major. Features absent from
	// a LIBSVM line are 0.
	X    []float32
	N, D int

	// Labels holds each example's class, an index into Classes, or -1 for
	// a label not among Options.Classes (or for every example, with
	// Options.NoLabel).
	Labels []int32

	// Classes are the class names. Read sorts them, so that the same
	// data in another row order gives the same classes: LIBSVM labels,
	// which must be integers, numerically, named in decimal ("+1", "1.0"
	// and "1" are the class "1"); CSV labels numerically when all of them
	// are numbers (ties, such as "1" and "1.0", by name), else byte-wise.
	// When Options.Classes is given, Classes is a copy of it. A single
	// class is no error: the caller decides.
	Classes []string

	// Unknown lists, in class order, the labels not among Options.Classes.
	Unknown []string

	// Features are the names of the feature columns from a CSV header;
	// nil without a header (and for LIBSVM). Label is the label column's
	// name in the header.
	Features []string
	Label    string

	Path   string // the name given to Read, or ReadFile's path
	Format Format // LIBSVM or CSV

	// Warnings describe what was read but ignored: LIBSVM indices above
	// Options.Features and labels not among Options.Classes.
	Warnings []string
}

// Read reads a data set in LIBSVM or CSV format from r, labelled unless
// Options.NoLabel; name (a file name, or any description) is Set.Path and
// appears in errors.
//
// LIBSVM (SVMlight) lines are "label index:value index:value ...": indices
// 1-based and strictly increasing, at most MaxFeatures, without spaces
// around the colon; blank lines, and anything from '#' to the end of a
// line, are ignored; a "qid:N" after the label is ignored. D is the largest
// index (or Options.Features), N the number of examples. With
// Options.NoLabel, lines are "index:value ...", a label first being
// ignored.
//
// CSV (RFC 4180): fields separated by commas, optionally quoted with '"'
// (then holding commas, newlines and doubled quotes), rows ending in LF or
// CRLF, blank lines (or lines of spaces and tabs) ignored, and every row
// with as many fields as the first. One column is the label
// (Options.LabelColumn), any non-empty string; the others are numbers.
// Spaces and tabs around a field, outside quotes, are dropped. With
// HeaderAuto, a first row whose fields other than the label are not all
// numbers is the header. A file of one class, or with D = 0, is no error.
// With Options.NoLabel, there is no label column: every field is a number.
//
// Numbers are read as strconv.ParseFloat(s, 32) reads them (bitwise the same
// value), with surrounding spaces allowed in CSV; NaN, infinities and
// values beyond float32's range are errors. A UTF-8 byte order mark at the
// start is skipped.
//
// Errors about the content are *ParseError values naming the line, the
// column and the problem; they wrap ErrSyntax, ErrTooLarge, ErrEmpty,
// ErrMismatch or the reader's error. Errors in the Options are plain
// errors. Memory is in proportion to the data; see Options.MaxDenseBytes.
func Read(r io.Reader, name string, opt Options) (*Set, error) {
	hint := int64(-1)
	if l, ok := r.(interface{ Len() int }); ok {
		hint = int64(l.Len())
	}
	return read(r, name, opt, hint, defaultParallelism())
}

// ReadFile reads a data file as Read does.
func ReadFile(path string, opt Options) (*Set, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	hint := int64(-1)
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		hint = fi.Size()
	}
	return read(f, path, opt, hint, defaultParallelism())
}

// checkOptions reports options that cannot work, before anything is read.
func checkOptions(opt *Options) error {
	switch opt.Format {
	case Auto, LIBSVM, CSV:
	default:
		return fmt.Errorf("features: unknown Options.Format %d", int(opt.Format))
	}
	switch opt.Header {
	case HeaderAuto, HeaderPresent, HeaderAbsent:
	default:
		return fmt.Errorf("features: unknown Options.Header %d", int(opt.Header))
	}
	if opt.Features < 0 || opt.Features > MaxFeatures {
		return fmt.Errorf("features: Options.Features %d, want 0..%d", opt.Features, MaxFeatures)
	}
	if opt.MaxDenseBytes < 0 {
		return fmt.Errorf("features: Options.MaxDenseBytes %d is negative", opt.MaxDenseBytes)
	}
	if _, isNum := columnNumber(opt.LabelColumn); opt.LabelColumn != "" && !isNum && opt.Header == HeaderAbsent {
		return fmt.Errorf("features: Options.LabelColumn %q is a name, but Options.Header is HeaderAbsent", opt.LabelColumn)
	}
	if opt.NoLabel && opt.LabelColumn != "" {
		return fmt.Errorf("features: Options.LabelColumn %q, but Options.NoLabel says there is no label column", opt.LabelColumn)
	}
	if opt.NoLabel && opt.IgnoreLabels {
		return fmt.Errorf("features: Options.NoLabel and Options.IgnoreLabels both set")
	}
	// (Reading LIBSVM labels also finds "1" and "+1" the same class.)
	seen := make(map[string]int, len(opt.Classes))
	for i, c := range opt.Classes {
		if j, dup := seen[c]; dup {
			return fmt.Errorf("features: Options.Classes has %q (%d) and %q (%d), the same class", opt.Classes[j], j, c, i)
		}
		seen[c] = i
	}
	if len(opt.Classes) > math.MaxInt32 {
		return fmt.Errorf("features: %d Options.Classes, more than int32 labels can index", len(opt.Classes))
	}
	return nil
}

// columnNumber parses a LabelColumn that is a (possibly negative) integer.
func columnNumber(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// read reads as Read does, parsing large inputs in pieces on par.workers
// goroutines.
func read(r io.Reader, name string, opt Options, hint int64, par parallelism) (*Set, error) {
	if err := checkOptions(&opt); err != nil {
		return nil, err
	}
	src := newSource(r, name, hint)
	if err := src.start(); err != nil {
		return nil, err
	}
	var err error
	format := opt.Format
	if format == Auto {
		if format, err = src.detect(); err != nil {
			return nil, err
		}
	}
	given := opt.Classes
	if opt.IgnoreLabels {
		// LIBSVM: labels optional and skipped; CSV: the labels read as
		// in a training file (no unknown ones), then dropped.
		opt.NoLabel, opt.Classes = format == LIBSVM, nil
	}
	var set *Set
	switch {
	case format == CSV:
		set, err = readCSV(src, &opt, par)
	case par.split(hint):
		set, err = readLIBSVMPieces(src, &opt, par)
	default:
		set, err = readLIBSVM(src, &opt)
	}
	if err != nil {
		return nil, err
	}
	if opt.IgnoreLabels {
		noLabels(set, given)
		set.Unknown = nil
	}
	set.Path = name
	set.Format = format
	return set, nil
}

// Detect returns the format that Read, with Options.Format Auto, would
// take the input for: it reads the start of r (at most 1 MiB) and looks at
// it as Read does. A caller can so choose Options by the format, such as
// NoLabel for LIBSVM files only. Its errors are the reader's, as
// *ParseError values naming name.
func Detect(r io.Reader, name string) (Format, error) {
	src := newSource(r, name, -1)
	if err := src.start(); err != nil {
		return Auto, err
	}
	f, err := src.detect()
	if err != nil {
		return Auto, err
	}
	return f, nil
}

// detect looks at the first line that is neither blank nor a comment,
// reading until it has all of it or the buffer is full: CSV if it has a
// comma before any '#', or starts with a quote; else LIBSVM.
func (s *source) detect() (Format, error) {
	for {
		f, sure := detectIn(s.buf[s.pos:s.end])
		if sure || s.eof || s.end == len(s.buf) {
			return f, nil
		}
		if err := s.fill(); err != nil {
			return 0, err
		}
	}
}

// detectIn detects the format from the start of the input, and whether
// it is sure: whether the first line that counts is all there or already
// has a comma.
func detectIn(b []byte) (f Format, sure bool) {
	for len(b) > 0 {
		line := b
		i := bytes.IndexByte(b, '\n')
		if i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		t := bytes.TrimLeft(line, " \t\r")
		if len(t) == 0 || t[0] == '#' {
			if i < 0 {
				return LIBSVM, false
			}
			continue
		}
		if h := bytes.IndexByte(t, '#'); h >= 0 {
			t = t[:h] // a LIBSVM comment may have commas
		}
		if t[0] == '"' || bytes.IndexByte(t, ',') >= 0 {
			return CSV, true
		}
		return LIBSVM, i >= 0
	}
	return LIBSVM, false
}
