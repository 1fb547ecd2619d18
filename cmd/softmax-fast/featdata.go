package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/softmax-fast/softmax-fast/features"
)

// featureFiles are a training file of features and its test file, if any.
type featureFiles struct {
	train, test *features.Set
	// unknown is the number of test examples whose class the training file
	// lacks: left out of the test set the model is measured on, they count
	// as errors in every test accuracy reported (testAcc).
	unknown int
}

// isFeatureFile reports whether -data names a file (of features) rather
// than a directory (Fashion-MNIST): a path that is not a directory, or a
// missing one with an extension (such as .csv), so that a mistyped file
// name is reported as a missing file.
func isFeatureFile(path string) bool {
	if path == "" {
		return false
	}
	st, err := os.Stat(path)
	if err != nil {
		return errors.Is(err, fs.ErrNotExist) && filepath.Ext(path) != ""
	}
	return !st.IsDir()
}

// featureOptions are the flags that say how to read a feature file.
type featureOptions struct {
	format, labelColumn, test string
	noStandardize             bool
}

// options returns the features.Options of the flags.
func (o featureOptions) options() (features.Options, error) {
	var opt features.Options
	switch strings.ToLower(o.format) {
	case "", "auto":
		opt.Format = features.Auto
	case "libsvm", "svmlight":
		opt.Format = features.LIBSVM
	case "csv":
		opt.Format = features.CSV
	default:
		return opt, usagef("-format %s: want auto, libsvm or csv", o.format)
	}
	opt.LabelColumn = o.labelColumn
	return opt, nil
}

// loadFeatures reads the training file and the test file (if any) of
// features, telling on w (if not nil) what it read and any warning.
func loadFeatures(path string, o featureOptions, w io.Writer) (*featureFiles, error) {
	opt, err := o.options()
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	train, err := features.ReadFile(path, opt)
	if err != nil {
		return nil, err
	}
	switch n := len(train.Classes); {
	case n < 2:
		return nil, fmt.Errorf("%s: every example is of class %q: a classifier needs at least two classes", path, train.Classes[0])
	case n > features.MaxClasses:
		return nil, fmt.Errorf("%s: %d classes; at most %d are supported", path, n, features.MaxClasses)
	}
	ff := &featureFiles{train: train}
	if o.test != "" {
		if ff.test, ff.unknown, err = readTest(o.test, opt, train.Classes, train.D); err != nil {
			return nil, err
		}
	}
	if w != nil {
		fmt.Fprintf(w, "data      %s: %d examples of %d features, %d classes (%s)", path, train.N, train.D, len(train.Classes), train.Format)
		if ff.test != nil {
			fmt.Fprintf(w, "; test %s: %d examples", o.test, ff.test.N)
		}
		fmt.Fprintf(w, ", read in %s\n", roundTime(time.Since(t0)))
		warnings(w, train)
		if ff.test != nil {
			warnings(w, ff.test)
		}
	}
	return ff, nil
}

// readTest reads a test file of features for a model of the given classes
// and features, and returns it with the number of its examples of other
// classes (labelled -1).
func readTest(path string, opt features.Options, classes []string, d int) (*features.Set, int, error) {
	opt.Classes, opt.Features = classes, d
	s, err := features.ReadFile(path, opt)
	if err != nil {
		return nil, 0, err
	}
	unknown := 0
	for _, y := range s.Labels {
		if y < 0 {
			unknown++
		}
	}
	return s, unknown, nil
}

// warnings prints on w what reading s ignored. The parser's warnings name
// the examples of unknown classes; they count as errors in the accuracy.
func warnings(w io.Writer, s *features.Set) {
	for _, warn := range s.Warnings {
		fmt.Fprintf(w, "warning   %s: %s\n", s.Path, warn)
	}
	if len(s.Unknown) > 0 {
		fmt.Fprintf(w, "warning   %s: the model cannot predict %s: those examples count as errors in the accuracy\n", s.Path, strings.Join(s.Unknown, ", "))
	}
}

// testAcc returns the accuracy on the whole test file of a model whose
// accuracy on its examples of known classes is acc: the others are errors.
func (ff *featureFiles) testAcc(acc float64) float64 {
	if ff == nil || ff.test == nil || ff.unknown == 0 {
		return acc
	}
	if ff.unknown == ff.test.N {
		return 0 // no example the model could get right
	}
	known := ff.test.N - ff.unknown
	return acc * float64(known) / float64(ff.test.N)
}

// roundTime rounds d for a human: to the millisecond, or to 10 us below
// 10 ms (a small file reads in microseconds).
func roundTime(d time.Duration) time.Duration {
	if d < 10*time.Millisecond {
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Millisecond)
}
