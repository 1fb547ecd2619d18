package plot

import (
	"image"
	"image/color"
	"strings"
	"testing"
)

// isColour reports whether the pixel at (x, y) is c.
func isColour(img *image.RGBA, x, y int, c color.RGBA) bool { return img.RGBAAt(x, y) == c }

func TestFontTable(t *testing.T) {
	descenders := "gjpqy,_"
	seen := map[[glyphH]uint8]rune{}
	for r := rune(firstChr); r <= lastChr; r++ {
		g := *glyph(r)
		any := false
		for row, bits := range g {
			if bits>>glyphW != 0 {
				t.Errorf("%q row %d = %#x uses more than %d columns", r, row, bits, glyphW)
			}
			if bits != 0 {
				any = true
				if row >= 7 && !strings.ContainsRune(descenders, r) {
					t.Errorf("%q has a descender (row %d) but is not one of %q", r, row, descenders)
				}
			}
		}
		if r != ' ' && !any {
			t.Errorf("%q is blank", r)
		}
		if prev, ok := seen[g]; ok {
			t.Errorf("%q and %q have the same glyph", prev, r)
		}
		seen[g] = r
	}
	for _, r := range descenders {
		g := glyph(r)
		if g[7] == 0 && g[8] == 0 {
			t.Errorf("%q has no descender", r)
		}
	}
	if glyph('é') != glyph('?') || glyph('\n') != glyph('?') || glyph(127) != glyph('?') {
		t.Error("runes outside printable ASCII are not drawn as '?'")
	}
}

func TestDrawText(t *testing.T) {
	img := newCanvas(40, 30)
	drawText(img, 3, 4, "T", ink, 2)
	// 'T': the top row full (5 columns x 2 pixels at scale 2), then the stem
	// in column 2.
	for x := 3; x < 13; x++ {
		for y := 4; y < 6; y++ {
			if !isColour(img, x, y, ink) {
				t.Errorf("top bar pixel (%d, %d) = %v, want ink", x, y, img.RGBAAt(x, y))
			}
		}
	}
	for y := 6; y < 4+14; y++ {
		for x := 3; x < 13; x++ {
			want := x == 7 || x == 8
			if got := isColour(img, x, y, ink); got != want {
				t.Errorf("pixel (%d, %d) inked = %v, want %v", x, y, got, want)
			}
		}
	}
	// Nothing outside the glyph box, nor below the baseline.
	for y := 0; y < 30; y++ {
		for x := 0; x < 40; x++ {
			if (x < 3 || x >= 13 || y < 4 || y >= 18) && !isColour(img, x, y, white) {
				t.Errorf("pixel (%d, %d) outside 'T' is %v", x, y, img.RGBAAt(x, y))
			}
		}
	}

	// A descender: 'g' at scale 1 inks rows 7 and 8; '.' inks rows 5-6 at
	// columns 1-2.
	img = newCanvas(20, 12)
	drawText(img, 0, 0, "g.", ink, 1)
	if !isColour(img, 4, 7, ink) || !isColour(img, 1, 8, ink) || isColour(img, 0, 8, ink) {
		t.Error("'g' descender not drawn as designed")
	}
	if !isColour(img, 7, 5, ink) || !isColour(img, 8, 6, ink) || isColour(img, 6, 5, ink) {
		t.Error("'.' not drawn at the second advance")
	}

	// Clipping: drawing off the canvas must not panic.
	drawText(img, -7, -3, "Wide text off the edge", ink, 3)
	drawTextUp(img, 18, 2, "up and away", ink, 2)
}

func TestDrawTextUp(t *testing.T) {
	// 'L' turned to read upwards, with its bottom-left at (2, 10): the stem
	// (column 0, rows 0-6) becomes row 10, x 2..8; the foot (row 6,
	// columns 0-4) becomes column x 8, y 6..10.
	img := newCanvas(20, 20)
	drawTextUp(img, 2, 10, "L", ink, 1)
	for x := 2; x <= 8; x++ {
		if !isColour(img, x, 10, ink) {
			t.Errorf("stem pixel (%d, 10) not inked", x)
		}
	}
	for y := 6; y <= 10; y++ {
		if !isColour(img, 8, y, ink) {
			t.Errorf("foot pixel (8, %d) not inked", y)
		}
	}
	n := 0
	for _, b := range img.Pix {
		if b == ink.R {
			n++
		}
	}
	if n != 11*3 { // 11 pixels, R, G and B of each
		t.Errorf("%d ink samples, want %d", n, 11*3)
	}
}

func TestTextWidthAndFit(t *testing.T) {
	if textWidth("", 2) != 0 || textWidth("a", 1) != 5 || textWidth("ab", 2) != 22 || textWidth("é", 1) != 5 {
		t.Error("textWidth")
	}
	for _, c := range []struct {
		s    string
		maxW int
		want string
	}{
		{"Ankle boot", 200, "Ankle boot"},
		{"Ankle boot", 59, "Ankle boot"}, // exactly 10*6-1
		{"Ankle boot", 58, "Ankle bo."},
		{"Ankle boot", 11, "A."},
		{"Ankle boot", 5, "A"},
		{"Ankle boot", 4, ""},
	} {
		if got := fitText(c.s, c.maxW, 1); got != c.want || textWidth(got, 1) > c.maxW {
			t.Errorf("fitText(%q, %d) = %q, want %q", c.s, c.maxW, got, c.want)
		}
	}
}
