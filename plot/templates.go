package plot

import (
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"math"
	"slices"
	"strconv"
)

// MaxPixels is the largest picture, in pixels, that Templates and Confusion
// draw; a request for more is an error rather than hundreds of megabytes of
// memory.
const MaxPixels = 1 << 25

// TemplatePercentile is the percentile of |w|, over all weights of all
// classes, that Templates maps to full colour. Weights beyond it are drawn
// saturated, so that a few outliers do not wash the rest out.
const TemplatePercentile = 99.5

// Templates writes to w one PNG that shows each class's weight row as a heat
// map of width x height pixels (the row is read row-major, as an image is
// stored): positive weights red, negative blue, zero near-white.
//
// All classes share one symmetric scale, the TemplatePercentile-th
// percentile of |w| over every weight, shown in a colour bar at the bottom.
// A shared scale keeps the panels comparable: a logit is the dot product of
// an image with its class's row, so a class whose weights are weak really
// does respond weakly, and a per-class scale would hide that by making every
// template look equally strong.
//
// Each weight becomes a square of up to 8x8 pixels; the panels are laid out
// in a grid about 2.5 times as wide as tall (5 columns by 2 rows for 10
// classes of 28x28), each with its name underneath, shortened with a
// trailing '.' if it does not fit. names gives the class names; if it is
// empty the classes are labelled by index. Runes outside printable ASCII
// are drawn as '?'.
//
// weights must hold at least one row, every row must have width*height
// finite values, and names must be empty or have one entry per row. The
// picture must not exceed MaxPixels.
func Templates(w io.Writer, weights [][]float32, width, height int, names []string) error {
	if w == nil {
		return errors.New("plot: Templates: nil writer")
	}
	if len(weights) == 0 {
		return errors.New("plot: Templates: no classes (weights is empty)")
	}
	if width <= 0 || height <= 0 {
		return fmt.Errorf("plot: Templates: image size %dx%d, want both positive", width, height)
	}
	if width > MaxPixels/height {
		return fmt.Errorf("plot: Templates: image size %dx%d is more than %d pixels", width, height, MaxPixels)
	}
	if len(names) != 0 && len(names) != len(weights) {
		return fmt.Errorf("plot: Templates: %d names for %d classes", len(names), len(weights))
	}
	// Check the size before reading the weights, with the widest colour bar
	// labels there can be.
	if _, err := layoutTemplates(len(weights), width, height, "-1.23e-38", "+1.23e-38"); err != nil {
		return err
	}
	npx := width * height
	for c, row := range weights {
		if len(row) != npx {
			return fmt.Errorf("plot: Templates: class %d has %d weights, want width*height = %d*%d = %d",
				c, len(row), width, height, npx)
		}
		for i, v := range row {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return fmt.Errorf("plot: Templates: class %d weight %d (x %d, y %d) is %v",
					c, i, i%width, i/width, v)
			}
		}
	}
	scale := templateScale(weights)
	lo, hi := "-"+formatScale(scale), "+"+formatScale(scale)
	lay, err := layoutTemplates(len(weights), width, height, lo, hi)
	if err != nil {
		return err
	}
	img := newCanvas(lay.imgW, lay.imgH)

	for c, row := range weights {
		px, py := lay.panel(c)
		for y := 0; y < height; y++ {
			for x := 0; x < width; x++ {
				col := diverging.signed(float64(row[y*width+x]) / scale)
				fillRect(img, px+x*lay.s, py+y*lay.s, lay.s, lay.s, col)
			}
		}
		strokeRect(img, px, py, lay.pw, lay.ph, frameGrey)
		name := strconv.Itoa(c)
		if len(names) != 0 {
			name = names[c]
		}
		name = fitText(name, lay.pw+lay.gapX-advance*lay.ls, lay.ls)
		drawText(img, px+lay.pw/2-textWidth(name, lay.ls)/2, py+lay.ph+lay.labelPad, name, ink, lay.ls)
	}

	// The colour bar, centred under the grid, captioned on its left.
	caption := "weight"
	capW := textWidth(caption, lay.ls) + 4*lay.ls
	left := lay.imgW/2 - (capW+lay.barW)/2
	drawText(img, left, lay.barY+lay.barH/2-textHeight(lay.ls)/2+lay.ls, caption, ink, lay.ls)
	drawColourBar(img, left+capW, lay.barY, lay.barW, lay.barH, diverging, lo, "0", hi, lay.ls)

	return encodePNG(w, img)
}

// templateScale returns the TemplatePercentile-th percentile of |w| over all
// weights, or their largest |w| if that is 0 (sparse weights), or 1 if every
// weight is 0.
func templateScale(weights [][]float32) float64 {
	n := 0
	for _, row := range weights {
		n += len(row)
	}
	abs := make([]float32, 0, n)
	for _, row := range weights {
		for _, v := range row {
			abs = append(abs, float32(math.Abs(float64(v))))
		}
	}
	slices.Sort(abs)
	k := int(math.Ceil(TemplatePercentile/100*float64(n))) - 1
	k = max(0, min(k, n-1))
	s := float64(abs[k])
	if s == 0 {
		s = float64(abs[n-1])
	}
	if s == 0 {
		s = 1
	}
	return s
}

// formatScale writes a colour bar end value with 3 significant digits.
func formatScale(v float64) string { return strconv.FormatFloat(v, 'g', 3, 64) }

// templateLayout is where Templates puts things, in pixels.
type templateLayout struct {
	cols, rows int
	s          int // pixels per weight, across and down
	pw, ph     int // panel size
	ls         int // font scale of the labels
	gapX, gapY int // between panels, and between a label and the next row
	labelPad   int // between a panel and its label
	margin     int
	cellH      int // panel, label and gap
	barW, barH int
	barY       int
	imgW, imgH int
}

// layoutTemplates lays out n panels of width x height weights, with lo and
// hi under the ends of the colour bar.
func layoutTemplates(n, width, height int, lo, hi string) (templateLayout, error) {
	var l templateLayout
	// Rows and columns for a grid about 2.5 times as wide as tall.
	l.rows = int(math.Round(math.Sqrt(float64(n) * float64(width) / (2.5 * float64(height)))))
	l.rows = max(1, min(l.rows, n))
	l.cols = (n + l.rows - 1) / l.rows
	l.rows = (n + l.cols - 1) / l.cols

	// Up to 8 pixels per weight, panels up to 224 pixels, the grid up to
	// about 2400 pixels wide; never less than one pixel per weight.
	big := max(width, height)
	l.s = 8
	for l.s > 1 && (l.s*big > 224 || l.cols*l.s*width > 2400) {
		l.s--
	}
	l.pw, l.ph = l.s*width, l.s*height
	l.ls = 1
	if l.pw >= 80 {
		l.ls = 2
	}
	l.gapX = max(6, min(20, l.pw/6))
	l.gapY = 6 * l.ls
	l.labelPad = 3 * l.ls
	l.margin = 16
	l.cellH = l.ph + l.labelPad + textHeight(l.ls) + l.gapY

	gridW := l.cols*l.pw + (l.cols-1)*l.gapX
	gridH := l.rows*l.cellH - l.gapY
	l.barW = max(160, min(gridW*2/3, 360),
		textWidth(lo, l.ls)+textWidth("0", l.ls)+textWidth(hi, l.ls)+4*advance*l.ls)
	l.barH = 7 * l.ls
	capW := textWidth("weight", l.ls) + 4*l.ls
	l.barY = l.margin + gridH + 5*l.ls
	barTotal := l.barH + 2*l.ls + 1 + textHeight(l.ls)
	l.imgW = max(gridW, capW+l.barW) + 2*l.margin
	l.imgH = l.barY + barTotal + l.margin
	if int64(l.imgW)*int64(l.imgH) > MaxPixels {
		return l, fmt.Errorf("plot: Templates: %d classes of %dx%d would need a %dx%d picture, more than %d pixels",
			n, width, height, l.imgW, l.imgH, MaxPixels)
	}
	return l, nil
}

// panel returns the top-left corner of panel c.
func (l templateLayout) panel(c int) (x, y int) {
	gridW := l.cols*l.pw + (l.cols-1)*l.gapX
	x0 := (l.imgW - gridW) / 2
	return x0 + (c%l.cols)*(l.pw+l.gapX), l.margin + (c/l.cols)*l.cellH
}

// encodePNG writes img as a PNG, compressed at the default level.
func encodePNG(w io.Writer, img image.Image) error {
	if err := png.Encode(w, img); err != nil {
		return fmt.Errorf("plot: writing PNG: %w", err)
	}
	return nil
}
