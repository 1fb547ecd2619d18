package plot

import (
	"image"
	"image/color"
	"math"
)

// Colours shared by the pictures.
var (
	white     = color.RGBA{255, 255, 255, 255}
	ink       = color.RGBA{33, 33, 33, 255}    // text
	softInk   = color.RGBA{90, 90, 90, 255}    // secondary text
	frameGrey = color.RGBA{170, 170, 170, 255} // panel and cell frames
)

// A colour map is a list of evenly spaced stops, interpolated linearly in
// sRGB.
type colourMap []color.RGBA

// diverging runs from blue (-1) through near-white (0) to red (+1):
// ColorBrewer's 7-class RdBu, which reads well and survives greyscale
// printing and the common colour-vision deficiencies.
var diverging = colourMap{
	{33, 102, 172, 255},  // #2166ac
	{103, 169, 207, 255}, // #67a9cf
	{209, 229, 240, 255}, // #d1e5f0
	{247, 247, 247, 255}, // #f7f7f7
	{253, 219, 199, 255}, // #fddbc7
	{239, 138, 98, 255},  // #ef8a62
	{178, 24, 43, 255},   // #b2182b
}

// sequential runs from white (0) to dark blue (1): ColorBrewer's 9-class
// Blues.
var sequential = colourMap{
	{247, 251, 255, 255}, // #f7fbff
	{222, 235, 247, 255}, // #deebf7
	{198, 219, 239, 255}, // #c6dbef
	{158, 202, 225, 255}, // #9ecae1
	{107, 174, 214, 255}, // #6baed6
	{66, 146, 198, 255},  // #4292c6
	{33, 113, 181, 255},  // #2171b5
	{8, 81, 156, 255},    // #08519c
	{8, 48, 107, 255},    // #08306b
}

// at returns the colour at t in [0, 1]; t outside is clamped, NaN gives
// the middle.
func (m colourMap) at(t float64) color.RGBA {
	switch {
	case math.IsNaN(t):
		t = 0.5
	case t < 0:
		t = 0
	case t > 1:
		t = 1
	}
	f := t * float64(len(m)-1)
	i := int(f)
	if i >= len(m)-1 {
		return m[len(m)-1]
	}
	u := f - float64(i)
	a, b := m[i], m[i+1]
	mix := func(p, q uint8) uint8 { return uint8(math.Round(float64(p) + u*(float64(q)-float64(p)))) }
	return color.RGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 255}
}

// signed returns the diverging colour of v in [-1, 1].
func (m colourMap) signed(v float64) color.RGBA { return m.at((v + 1) / 2) }

// contrastInk returns near-black or white, whichever reads better on bg
// (by the relative luminance of the sRGB colour).
func contrastInk(bg color.RGBA) color.RGBA {
	lin := func(c uint8) float64 {
		v := float64(c) / 255
		if v <= 0.04045 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	l := 0.2126*lin(bg.R) + 0.7152*lin(bg.G) + 0.0722*lin(bg.B)
	// Contrast against white is 1.05/(l+0.05), against ink about
	// (l+0.05)/0.065; they are equal near l = 0.21.
	if l > 0.21 {
		return ink
	}
	return white
}

// newCanvas returns a w x h image filled with white.
func newCanvas(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	fillRect(img, 0, 0, w, h, white)
	return img
}

// fillRect paints the w x h rectangle with top-left corner (x, y), clipped
// to img.
func fillRect(img *image.RGBA, x, y, w, h int, c color.RGBA) {
	r := image.Rect(x, y, x+w, y+h).Intersect(img.Rect)
	if r.Empty() {
		return
	}
	for yy := r.Min.Y; yy < r.Max.Y; yy++ {
		off := img.PixOffset(r.Min.X, yy)
		row := img.Pix[off : off+4*r.Dx() : off+4*r.Dx()]
		for i := 0; i < len(row); i += 4 {
			row[i], row[i+1], row[i+2], row[i+3] = c.R, c.G, c.B, c.A
		}
	}
}

// strokeRect draws a one-pixel outline just outside the w x h rectangle
// with top-left corner (x, y).
func strokeRect(img *image.RGBA, x, y, w, h int, c color.RGBA) {
	fillRect(img, x-1, y-1, w+2, 1, c)
	fillRect(img, x-1, y+h, w+2, 1, c)
	fillRect(img, x-1, y, 1, h, c)
	fillRect(img, x+w, y, 1, h, c)
}

// drawColourBar draws a horizontal bar of w x h pixels at (x, y) running
// through m from left to right, with a frame, and the labels lo, mid (if
// not empty) and hi under its left end, centre and right end. It returns
// the height used, labels included.
func drawColourBar(img *image.RGBA, x, y, w, h int, m colourMap, lo, mid, hi string, scale int) int {
	for i := 0; i < w; i++ {
		t := 0.5
		if w > 1 {
			t = float64(i) / float64(w-1)
		}
		fillRect(img, x+i, y, 1, h, m.at(t))
	}
	strokeRect(img, x, y, w, h, frameGrey)
	ty := y + h + 2*scale + 1
	drawText(img, x, ty, lo, softInk, scale)
	if mid != "" {
		drawText(img, x+w/2-textWidth(mid, scale)/2, ty, mid, softInk, scale)
	}
	drawText(img, x+w-textWidth(hi, scale), ty, hi, softInk, scale)
	return h + 2*scale + 1 + textHeight(scale)
}
