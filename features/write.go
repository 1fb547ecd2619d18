package features

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// check reports a Set whose fields do not agree, or that holds what no file
// can: a label out of range (such as -1) or a value that is NaN or infinite.
func (s *Set) check() error {
	if s.N < 0 || s.D < 0 || s.D > MaxFeatures || len(s.Labels) != s.N || (s.D > 0 && s.N > math.MaxInt/s.D) || len(s.X) != s.N*s.D {
		return fmt.Errorf("features: a Set of N=%d, D=%d with %d labels and %d values", s.N, s.D, len(s.Labels), len(s.X))
	}
	if s.Features != nil && len(s.Features) != s.D {
		return fmt.Errorf("features: %d feature names for D=%d", len(s.Features), s.D)
	}
	for i, l := range s.Labels {
		if l < 0 || int(l) >= len(s.Classes) {
			return fmt.Errorf("features: example %d has label %d, want 0..%d", i+1, l, len(s.Classes)-1)
		}
	}
	for i, v := range s.X {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("features: example %d, feature %d is %v", i/s.D+1, i%s.D+1, v)
		}
	}
	return nil
}

// appendValue appends the shortest text that reads back as v, bitwise.
func appendValue(b []byte, v float32) []byte {
	return strconv.AppendFloat(b, float64(v), 'g', -1, 32)
}

// WriteLIBSVM writes a Set in LIBSVM format: for each example its class
// name, then index:value for every value that is not +0 (indices 1-based),
// each value in the shortest form that Read reads back bitwise. Class names
// must be integers (as Read makes them for LIBSVM files); every label must
// index Classes and every value be finite. Read the file back with
// Options.Features = D and Options.Classes = Classes to keep trailing
// features that are all 0 and classes without examples.
func WriteLIBSVM(w io.Writer, s *Set) error {
	if err := s.check(); err != nil {
		return err
	}
	for _, c := range s.Classes {
		if _, msg := integerLabel([]byte(c)); msg != "" {
			return fmt.Errorf("features: class %q: LIBSVM labels are integers", c)
		}
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	var b []byte
	for r := range s.N {
		b = append(b[:0], s.Classes[s.Labels[r]]...)
		for j, v := range s.X[r*s.D : (r+1)*s.D] {
			if math.Float32bits(v) == 0 {
				continue
			}
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(j+1), 10)
			b = append(b, ':')
			b = appendValue(b, v)
		}
		b = append(b, '\n')
		if _, err := bw.Write(b); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// WriteCSV writes a Set in CSV format: the label in the first column, then
// the D features, each value in the shortest form that Read reads back
// bitwise. A header row ("label" or Set.Label, then Set.Features) comes
// first when Set.Features is not nil; read such a file back with
// HeaderPresent if the names may all be numbers. Fields are quoted when
// needed (commas, quotes, line breaks, surrounding spaces or an empty
// name). Every label must index Classes, every class name be non-empty and
// every value be finite.
func WriteCSV(w io.Writer, s *Set) error {
	if err := s.check(); err != nil {
		return err
	}
	for _, c := range s.Classes {
		if c == "" {
			return errors.New("features: an empty class name, which CSV cannot hold")
		}
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	var b []byte
	if s.Features != nil {
		label := s.Label
		if label == "" {
			label = "label"
		}
		b = appendField(b, label)
		for _, f := range s.Features {
			b = append(b, ',')
			b = appendField(b, f)
		}
		b = append(b, '\n')
	}
	for r := range s.N {
		b = appendField(b, s.Classes[s.Labels[r]])
		for _, v := range s.X[r*s.D : (r+1)*s.D] {
			b = append(b, ',')
			b = appendValue(b, v)
		}
		b = append(b, '\n')
		if _, err := bw.Write(b); err != nil {
			return err
		}
		b = b[:0]
	}
	if _, err := bw.Write(b); err != nil { // a header without rows
		return err
	}
	return bw.Flush()
}

// appendField appends a CSV field, quoted if Read would otherwise change it.
func appendField(b []byte, f string) []byte {
	if f != "" && !strings.ContainsAny(f, ",\"\r\n") && strings.Trim(f, " \t") == f {
		return append(b, f...)
	}
	b = append(b, '"')
	b = append(b, strings.ReplaceAll(f, `"`, `""`)...)
	return append(b, '"')
}
