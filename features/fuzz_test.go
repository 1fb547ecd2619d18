package features

import (
	"bytes"
	"errors"
	"math"
	"slices"
	"testing"
)

// fuzzOptions turns a fuzzed byte into Options: a training or a test file,
// the label column, the header mode. All but one mode bound the dense
// matrix to 1 MiB, which keeps the fuzzer fast; mode 0 has the default rule.
func fuzzOptions(mode byte, format Format) Options {
	opt := Options{Format: format, MaxDenseBytes: 1 << 20}
	switch mode % 8 {
	case 0:
		opt.MaxDenseBytes = 0
	case 2:
		opt.Classes, opt.Features = []string{"1", "2", "b"}, 3
	case 3:
		opt.LabelColumn = "-1"
	case 4:
		opt.LabelColumn, opt.Header = "y", HeaderPresent
	case 5:
		opt.Header = HeaderAbsent
	case 6:
		opt.Format = Auto
	}
	return opt
}

// fuzzRead reads data and checks what Read promises: an error is a
// *ParseError; a Set keeps its invariants and survives a round trip
// through the writer of its format; reading in pieces gives the same.
func fuzzRead(t *testing.T, data []byte, opt Options) {
	s, err := Read(bytes.NewReader(data), "fuzz", opt)
	// Read in pieces of a few bytes on three goroutines, the same.
	par := parallelism{workers: 3, piece: 1 + len(data)%7}
	if got, gotErr := read(bytes.NewReader(data), "fuzz", opt, int64(len(data)), par); !sameSetOrError(got, gotErr, s, err) {
		t.Fatalf("in pieces of %d bytes: got\n%s\nwant\n%s", par.piece, describe(got, gotErr), describe(s, err))
	}
	fuzzNoLabel(t, data, opt, par, s)
	if err != nil {
		if s != nil {
			t.Fatalf("a Set and an error: %v", err)
		}
		if !errors.As(err, new(*ParseError)) {
			t.Fatalf("not a *ParseError: %v", err)
		}
		return
	}
	checkSet(t, s, opt)
	if opt.Classes != nil {
		return // labels -1 cannot be written
	}
	var buf bytes.Buffer
	back := Options{Format: s.Format, Classes: s.Classes, Features: s.D, MaxDenseBytes: int64(len(s.X))*4 + 4}
	if s.Format == LIBSVM {
		err = WriteLIBSVM(&buf, s)
	} else {
		err = WriteCSV(&buf, s)
		back.Header = HeaderAbsent
		if s.Features != nil {
			back.Header = HeaderPresent
		}
	}
	if err != nil {
		t.Fatalf("writing what was read: %v", err)
	}
	if s.D == 0 {
		back.Features = 0
	}
	text := buf.String()
	got, err := Read(&buf, "again", back)
	if err != nil {
		t.Fatalf("reading what was written: %v\n%q", err, text)
	}
	sameSet(t, got, s)
}

// fuzzNoLabel reads data as a file without labels, with opt but NoLabel,
// and checks what Read promises: an error is a *ParseError, a Set keeps
// its invariants, reading in pieces with par gives the same, and a LIBSVM
// file that reads with its labels, labelled, reads without them the same
// matrix.
func fuzzNoLabel(t *testing.T, data []byte, opt Options, par parallelism, labelled *Set) {
	opt.NoLabel, opt.LabelColumn = true, ""
	s, err := Read(bytes.NewReader(data), "fuzz", opt)
	if got, gotErr := read(bytes.NewReader(data), "fuzz", opt, int64(len(data)), par); !sameSetOrError(got, gotErr, s, err) {
		t.Fatalf("NoLabel, in pieces of %d bytes: got\n%s\nwant\n%s", par.piece, describe(got, gotErr), describe(s, err))
	}
	if err != nil {
		if s != nil || !errors.As(err, new(*ParseError)) {
			t.Fatalf("NoLabel: a Set %v and an error %v, or not a *ParseError", s != nil, err)
		}
	} else {
		checkSet(t, s, opt)
	}
	if labelled == nil || labelled.Format != LIBSVM {
		return
	}
	if err != nil {
		t.Fatalf("read with labels, but without: %v", err)
	}
	same := s.N == labelled.N && s.D == labelled.D && len(s.X) == len(labelled.X) && s.Format == LIBSVM &&
		len(s.Warnings) <= len(labelled.Warnings) && slices.Equal(s.Warnings, labelled.Warnings[:len(s.Warnings)])
	for i := 0; same && i < len(s.X); i++ {
		same = math.Float32bits(s.X[i]) == math.Float32bits(labelled.X[i])
	}
	if !same {
		t.Fatalf("without labels:\n%s\nwith:\n%s", describe(s, nil), describe(labelled, nil))
	}
}

var libsvmSeeds = []string{
	libsvmSample,
	"1 1:1\n2 2:2\n",
	"-1 3:0.5 7:1e-3 # c\r\n+1 qid:2 1:-0\n\n",
	"1 1:1\n2 16000000:1\n",
	"1 4000000000:1\n",
	"1 2:1 2:1\n", "1 3:1 2:1\n", "1 0:1\n", "1 -1:1\n", "1 1\n", "1 1:\n", ":1\n", "1 1:nan\n",
	"1 1:1e39\n", "1.5 1:1\n", "x 1:1\n", "1 qid:x\n", "1 1:0x1p-3 2:1_0 3:inf\n",
	"\xef\xbb\xbf1 1:1", "", "#\n", "1 1:1.00000005960464477539062",
	"1:1 3:2\n2:0.5\n", "qid:1 2:1\n7 1:1\n1:2 x\n",
}

var csvSeeds = []string{
	csvSample,
	"y,a,b\n1,2,3\n2,4,5\n",
	"1,2,3\n2,4,5\r\n",
	"\"a,b\",\"c\"\"d\",e\n\"x\ny\",1,2\n",
	"y,a\ncat,1\ndog,2,3\n", "y,a\ncat,x\n", "y,a\n\"cat,1\n", "y,a\nca\"t,1\n", "y,a\n\"c\"t,1\n",
	"y,a\n,1\n", "y,a\ncat,nan\n", "y,a\ncat,1e99\n", "y,a\n", "\r\n\r\n", "b,1,2,3\n", "y\ncat\n",
	" 1 , 2 , 3 \n\"  q\",  \"5\"  ,6\n",
	"a,b\n1,2\n3,4\n", "1\n2\n",
}

func FuzzReadLIBSVM(f *testing.F) {
	for i, s := range libsvmSeeds {
		f.Add([]byte(s), byte(i))
	}
	f.Fuzz(func(t *testing.T, data []byte, mode byte) {
		fuzzRead(t, data, fuzzOptions(mode, LIBSVM))
	})
}

func FuzzReadCSV(f *testing.F) {
	for i, s := range csvSeeds {
		f.Add([]byte(s), byte(i))
	}
	f.Fuzz(func(t *testing.T, data []byte, mode byte) {
		fuzzRead(t, data, fuzzOptions(mode, CSV))
	})
}
