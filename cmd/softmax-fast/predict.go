package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/softmax-fast/softmax-fast/mnist"
	"github.com/softmax-fast/softmax-fast/softmax"
)

const (
	imageSide = 28
	accepted  = "a 28x28 " + mnist.PNGFormat
)

func runPredict(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("predict", "-model FILE [-json] IMAGE.png...", stderr)
	modelPath := fs.String("model", "", "model file written by 'softmax-fast train -out'")
	asJSON := fs.Bool("json", false, "print one JSON object per image")
	isa := fs.String("isa", "", "kernel set: generic, avx2, avx512, neon or best")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *modelPath == "" {
		return usagef("-model FILE is required")
	}
	if fs.NArg() == 0 {
		return usagef("no images given: want one or more files, each %s", accepted)
	}
	if err := selectISA(*isa); err != nil {
		return err
	}
	model, err := softmax.Load(*modelPath)
	if err != nil {
		return err
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
