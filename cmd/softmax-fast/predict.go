package main

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"

	"github.com/softmax-fast/softmax-fast/softmax"
)

const (
	imageSide = 28
	accepted  = "a 28x28 grayscale PNG (8 or 16 bits per pixel), a light item on a black background as in Fashion-MNIST"
)

func runPredict(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("predict", "-model FILE [-json] IMAGE.png...", stderr)
	modelPath := fs.String("model", "", "model file written by 'softmax-fast train -out'")
	asJSON := fs.Bool("json", false, "print one JSON object per image")
	isa := fs.String("isa", "", "kernel set: generic, avx2, neon or best")
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
	cfg, err := png.DecodeConfig(f)
	if err != nil {
		return nil, fmt.Errorf("%s: not a PNG image (%v); want %s", path, err, accepted)
	}
	if cfg.Width != imageSide || cfg.Height != imageSide {
		return nil, fmt.Errorf("%s: image is %dx%d, want %s", path, cfg.Width, cfg.Height, accepted)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	img, err := png.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s: corrupt PNG: %v", path, err)
	}
	px := make([]uint8, 0, imageSide*imageSide)
	switch g := img.(type) {
	case *image.Gray:
		for y := range imageSide {
			px = append(px, g.Pix[y*g.Stride:y*g.Stride+imageSide]...)
		}
	case *image.Gray16:
		for y := range imageSide {
			for x := range imageSide {
				px = append(px, uint8(g.Gray16At(x, y).Y>>8))
			}
		}
	default:
		return nil, fmt.Errorf("%s: PNG is in color (%T), want %s", path, img, accepted)
	}
	return px, nil
}
