package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/softmax-fast/softmax-fast/features"
	"github.com/softmax-fast/softmax-fast/mnist"
	"github.com/softmax-fast/softmax-fast/softmax"
	"github.com/softmax-fast/softmax-fast/tensor"
)

const (
	imageSide = 28
	accepted  = "a 28x28 " + mnist.PNGFormat
)

// runPredict is the predict command: it classifies PNG images with a
// model of images, or the examples of LIBSVM or CSV files with a model of
// features.
func runPredict(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("predict", "-model FILE [-json] IMAGE.png... | FILE...", stderr)
	modelPath := fs.String("model", "", "model file written by 'softmax-fast train -out'")
	asJSON := fs.Bool("json", false, "print one JSON object per image or example")
	isa := fs.String("isa", "", "kernel set: generic, avx2, avx512, neon or best")
	var feat featureOptions
	fs.StringVar(&feat.format, "format", "auto", "for a model of features: the files' format, auto (from the content), libsvm or csv")
	fs.StringVar(&feat.labelColumn, "label-column", "", "for a model of features, CSV files: the label column, a header name or a 1-based\nnumber (negative counts from the end) (default: the first column), whose values are\nnot used; none for files without labels (LIBSVM files may have labels or not)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *modelPath == "" {
		return usagef("-model FILE is required")
	}
	if fs.NArg() == 0 {
		return usagef("no images given: want one or more files, each %s (or LIBSVM or CSV files for a model of features)", accepted)
	}
	if err := selectISA(*isa); err != nil {
		return err
	}
	model, err := softmax.Load(*modelPath)
	if err != nil {
		return err
	}
	if model.Features {
		return predictFeatures(model, *modelPath, feat, fs.Args(), *asJSON, stdout)
	}
	if model.Inputs() != imageSide*imageSide {
		return fmt.Errorf("model %s has %d inputs, want %d for 28x28 images", *modelPath, model.Inputs(), imageSide*imageSide)
	}
	names := className(model)
	enc := json.NewEncoder(stdout)
	for _, path := range fs.Args() {
		px, err := readImage(path)
		if err != nil {
			return err
		}
		class, prob, err := model.Predict(px)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if *asJSON {
			if err := enc.Encode(map[string]any{"file": path, "class": class, "name": names[class], "probability": prob}); err != nil {
				return err
			}
			continue
		}
		fmt.Fprintf(stdout, "%s\t%s\t%.3f\n", path, names[class], prob)
	}
	return nil
}

// predictFeatures classifies every example of the feature files paths with
// model, a model of features, writing one class name per line, or with
// asJSON one object per example (file, example number from 1, class,
// name, probability). LIBSVM files are read without labels (those there
// are ignored), and so are CSV files with -label-column none; otherwise a
// CSV file's label column is read but not used.
func predictFeatures(model *softmax.Dense, modelPath string, o featureOptions, paths []string, asJSON bool, stdout io.Writer) error {
	noLabel := o.labelColumn == "none"
	if noLabel {
		o.labelColumn = ""
	}
	opt, err := o.options()
	if err != nil {
		return err
	}
	// Without -label-column none, a LIBSVM line may or may not start with
	// a label, and a CSV file has its label column: either way the labels
	// are not needed.
	opt.NoLabel, opt.IgnoreLabels = noLabel, !noLabel
	names := className(model)
	opt.Classes, opt.Features = names, model.Inputs()
	w := bufio.NewWriter(stdout)
	enc := json.NewEncoder(w)
	for _, path := range paths {
		if st, err := os.Stat(path); err == nil && st.IsDir() {
			return fmt.Errorf("%s: is a directory; model %s takes LIBSVM or CSV files of %d features", path, modelPath, model.Inputs())
		}
		s, err := features.ReadFile(path, opt)
		if err != nil {
			if !opt.NoLabel {
				err = noLabelHint(err, model.Inputs())
			}
			return err
		}
		classes, probs := make([]int, s.N), make([]float32, s.N)
		x := &tensor.F32Matrix{Rows: s.N, Cols: s.D, Stride: s.D, Data: s.X}
		if err := model.PredictBatchFeatures(x, classes, probs); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		for i, c := range classes {
			if asJSON {
				err = enc.Encode(map[string]any{"file": path, "example": i + 1, "class": c, "name": names[c], "probability": probs[i]})
			} else {
				_, err = fmt.Fprintln(w, names[c])
			}
			if err != nil {
				return err
			}
		}
	}
	return w.Flush()
}

// noLabelHint adds to the error of a CSV file whose columns do not fit the
// model (features.ErrMismatch) a hint at -label-column none, pointed when
// the file has as many columns as the model has features.
func noLabelHint(err error, inputs int) error {
	var pe *features.ParseError
	if !errors.As(err, &pe) || !errors.Is(err, features.ErrMismatch) {
		return err
	}
	if pe.Columns > 0 && pe.Columns+1 == inputs {
		return fmt.Errorf("%w: the file has %d columns, as many as the model has features; if none of them is a label, give -label-column none", err, inputs)
	}
	return fmt.Errorf("%w (for a file without a label column, give -label-column none)", err)
}

// readImage reads a 28x28 grayscale PNG as 784 pixels, row by row.
func readImage(path string) ([]uint8, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, fmt.Errorf("%s: is a directory, want %s", path, accepted)
	}
	return mnist.ReadPNG(f, path, imageSide, imageSide)
}
