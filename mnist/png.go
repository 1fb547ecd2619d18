package mnist

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"io"
)

// PNGFormat says which PNG images ReadPNG accepts (besides their size).
const PNGFormat = "grayscale PNG (8 or 16 bits per pixel), a light item on a black background as in Fashion-MNIST"

// maxPNGBytes bounds what ReadPNG reads: a 28x28 grayscale PNG is well under
// 2 KB, so 1 MiB leaves room for any encoder's choices.
const maxPNGBytes = 1 << 20

// ReadPNG reads a grayscale PNG of rows x cols pixels (28 x 28 for
// Fashion-MNIST) from r and returns its pixels row by row, as the data set
// stores them: 16-bit samples keep their high byte. Anything else (not a
// PNG, another size, colour or an alpha channel, a truncated or corrupt file)
// is an error that says what was found and what is accepted; name is used
// in the messages.
func ReadPNG(r io.Reader, name string, rows, cols int) ([]uint8, error) {
	want := fmt.Sprintf("a %dx%d %s", cols, rows, PNGFormat)
	data, err := io.ReadAll(io.LimitReader(r, maxPNGBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > maxPNGBytes {
		return nil, fmt.Errorf("%s: larger than %d bytes; want %s", name, maxPNGBytes, want)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: not a PNG image (%v); want %s", name, err, want)
	}
	if cfg.Width != cols || cfg.Height != rows {
		return nil, fmt.Errorf("%s: image is %dx%d; want %s", name, cfg.Width, cfg.Height, want)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: corrupt PNG (%v); want %s", name, err, want)
	}
	px := make([]uint8, 0, rows*cols)
	switch g := img.(type) {
	case *image.Gray:
		for y := range rows {
			px = append(px, g.Pix[y*g.Stride:y*g.Stride+cols]...)
		}
	case *image.Gray16:
		for y := range rows {
			for x := range cols {
				px = append(px, g.Pix[y*g.Stride+2*x]) // big-endian: the high byte
			}
		}
	default:
		return nil, fmt.Errorf("%s: PNG is in colour or has transparency (%T); want %s", name, img, want)
	}
	return px, nil
}
