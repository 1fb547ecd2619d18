package plot

import (
	"bytes"
	"errors"
	"io"
	"math"
	"strconv"
	"testing"
)

// fill returns n copies of v.
func fill(n int, v float32) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = v
	}
	return s
}

func TestTemplatesColours(t *testing.T) {
	// Class 0 all positive, class 1 all negative, class 2 all zero.
	const w, h = 6, 4
	weights := [][]float32{fill(w*h, 0.5), fill(w*h, -0.5), fill(w*h, 0)}
	var b bytes.Buffer
	if err := Templates(&b, weights, w, h, []string{"up", "down", "flat"}); err != nil {
		t.Fatal(err)
	}
	img := decode(t, b.Bytes())
	l, err := layoutTemplates(3, w, h, "-0.5", "+0.5")
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() != l.imgW || img.Bounds().Dy() != l.imgH {
		t.Fatalf("bounds %v, want %dx%d", img.Bounds(), l.imgW, l.imgH)
	}
	if l.cols != 3 || l.rows != 1 || l.s != 8 {
		t.Errorf("layout %d cols x %d rows at %dx, want 3 x 1 at 8x", l.cols, l.rows, l.s)
	}
	red, blue := diverging[len(diverging)-1], diverging[0]
	for c, want := range []struct {
		name string
		ok   func(r, g, b uint8) bool
	}{
		{"saturated red", func(r, g, b uint8) bool { return r == red.R && g == red.G && b == red.B }},
		{"saturated blue", func(r, g, b uint8) bool { return r == blue.R && g == blue.G && b == blue.B }},
		{"near-white", func(r, g, b uint8) bool { return r > 240 && g > 240 && b > 240 }},
	} {
		px, py := l.panel(c)
		for y := py; y < py+l.ph; y++ {
			for x := px; x < px+l.pw; x++ {
				p := img.RGBAAt(x, y)
				if !want.ok(p.R, p.G, p.B) {
					t.Fatalf("class %d pixel (%d, %d) = %v, want %s", c, x, y, p, want.name)
				}
			}
		}
		// The frame around the panel.
		if p := img.RGBAAt(px-1, py+1); p != frameGrey {
			t.Errorf("class %d frame pixel = %v, want %v", c, p, frameGrey)
		}
	}
	// The colour bar runs from blue to red: both appear under the grid.
	_, gridTop := l.panel(0)
	var sawRed, sawBlue bool
	for y := gridTop + l.ph + 1; y < l.imgH; y++ {
		for x := 0; x < l.imgW; x++ {
			p := img.RGBAAt(x, y)
			sawRed = sawRed || p == red
			sawBlue = sawBlue || p == blue
		}
	}
	if !sawRed || !sawBlue {
		t.Errorf("colour bar: red %v, blue %v, want both", sawRed, sawBlue)
	}
}

func TestTemplatesRowMajor(t *testing.T) {
	// A 2x1 image [+, -] is red left, blue right; a 1x2 one [+, -] red on
	// top, blue below.
	for _, c := range []struct{ w, h, dx, dy int }{{2, 1, 1, 0}, {1, 2, 0, 1}} {
		var b bytes.Buffer
		if err := Templates(&b, [][]float32{{1, -1}}, c.w, c.h, nil); err != nil {
			t.Fatal(err)
		}
		img := decode(t, b.Bytes())
		l, _ := layoutTemplates(1, c.w, c.h, "-1", "+1")
		px, py := l.panel(0)
		first := img.RGBAAt(px+1, py+1)
		second := img.RGBAAt(px+1+c.dx*l.s, py+1+c.dy*l.s)
		if !(first.R > first.B+100 && second.B > second.R+100) {
			t.Errorf("%dx%d: first pixel %v, second %v, want red then blue", c.w, c.h, first, second)
		}
	}
}

func TestTemplatesRobustScale(t *testing.T) {
	// 999 weights of 0.1 and one of 100: the scale is 0.1, so the 0.1
	// pixels are saturated red, not washed out to white.
	row := fill(1000, 0.1)
	row[500] = 100
	if s := templateScale([][]float32{row}); s != float64(float32(0.1)) {
		t.Errorf("scale %v, want 0.1", s)
	}
	var b bytes.Buffer
	if err := Templates(&b, [][]float32{row}, 40, 25, []string{"outlier"}); err != nil {
		t.Fatal(err)
	}
	img := decode(t, b.Bytes())
	l, _ := layoutTemplates(1, 40, 25, "-0.1", "+0.1")
	px, py := l.panel(0)
	if p := img.RGBAAt(px, py); p != diverging[len(diverging)-1] {
		t.Errorf("a 0.1 pixel is %v, want saturated red", p)
	}
	// Sparse weights (the percentile is 0) use the largest |w|; all-zero
	// weights a scale of 1.
	sparse := make([]float32, 1000)
	sparse[3] = -2
	if s := templateScale([][]float32{sparse}); s != 2 {
		t.Errorf("sparse scale %v, want 2", s)
	}
	if s := templateScale([][]float32{make([]float32, 10)}); s != 1 {
		t.Errorf("zero scale %v, want 1", s)
	}
}

func TestTemplatesLayout(t *testing.T) {
	for _, c := range []struct{ n, w, h, cols, rows int }{
		{1, 28, 28, 1, 1},
		{3, 28, 28, 3, 1},
		{10, 28, 28, 5, 2},
		{100, 28, 28, 17, 6},
		{1000, 28, 28, 50, 20},
		{10, 1, 784, 10, 1}, // tall panels: one row
	} {
		l, err := layoutTemplates(c.n, c.w, c.h, "-1.23e-05", "+1.23e-05")
		if err != nil {
			t.Errorf("%d classes of %dx%d: %v", c.n, c.w, c.h, err)
			continue
		}
		if l.cols != c.cols || l.rows != c.rows {
			t.Errorf("%d classes of %dx%d: %d cols x %d rows, want %d x %d", c.n, c.w, c.h, l.cols, l.rows, c.cols, c.rows)
		}
		if l.cols*l.rows < c.n || (l.rows-1)*l.cols >= c.n {
			t.Errorf("%d classes: %d x %d grid has a wasted row or too few cells", c.n, l.cols, l.rows)
		}
		// The colour bar's labels do not run into each other, and the bar
		// and its caption fit in the picture.
		if need := textWidth("-1.23e-05", l.ls)*2 + textWidth("0", l.ls) + 2*advance*l.ls; l.barW < need {
			t.Errorf("%d classes of %dx%d: colour bar %d wide, its labels need %d", c.n, c.w, c.h, l.barW, need)
		}
		if capW := textWidth("weight", l.ls) + 4*l.ls; capW+l.barW+2*l.margin > l.imgW {
			t.Errorf("%d classes of %dx%d: colour bar wider than the picture", c.n, c.w, c.h)
		}
		// Panels stay inside the picture.
		x, y := l.panel(c.n - 1)
		if x+l.pw > l.imgW || y+l.ph > l.imgH || l.s < 1 {
			t.Errorf("%d classes: last panel at (%d, %d) outside %dx%d", c.n, x, y, l.imgW, l.imgH)
		}
	}
}

func TestTemplatesManyClasses(t *testing.T) {
	weights := make([][]float32, 1000)
	names := make([]string, len(weights))
	for c := range weights {
		weights[c] = fill(784, float32(c%7)-3)
		names[c] = "class " + strconv.Itoa(c)
	}
	var b bytes.Buffer
	if err := Templates(&b, weights, 28, 28, names); err != nil {
		t.Fatal(err)
	}
	img := decode(t, b.Bytes())
	if img.Bounds().Dx() > 4000 || img.Bounds().Dy() > 4000 {
		t.Errorf("1000 classes: picture %v is too big", img.Bounds())
	}
}

func TestTemplatesErrors(t *testing.T) {
	ok := [][]float32{fill(4, 1), fill(4, -1)}
	nan := [][]float32{fill(4, 1), {0, 0, float32(math.NaN()), 0}}
	inf := [][]float32{{float32(math.Inf(-1)), 0, 0, 0}}
	for _, c := range []struct {
		name    string
		w       io.Writer
		weights [][]float32
		wd, ht  int
		names   []string
		want    string
	}{
		{"nil writer", nil, ok, 2, 2, nil, "nil writer"},
		{"nil weights", io.Discard, nil, 2, 2, nil, "no classes"},
		{"zero width", io.Discard, ok, 0, 2, nil, "want both positive"},
		{"negative height", io.Discard, ok, 2, -2, nil, "want both positive"},
		{"wrong length", io.Discard, [][]float32{fill(4, 1), fill(3, 1)}, 2, 2, nil, "class 1 has 3 weights"},
		{"size mismatch", io.Discard, ok, 2, 3, nil, "want width*height = 2*3 = 6"},
		{"NaN", io.Discard, nan, 2, 2, nil, "class 1 weight 2 (x 0, y 1) is NaN"},
		{"Inf", io.Discard, inf, 2, 2, nil, "is -Inf"},
		{"names", io.Discard, ok, 2, 2, []string{"one"}, "1 names for 2 classes"},
		{"huge image", io.Discard, [][]float32{nil}, 1 << 13, 1 << 13, nil, "more than"},
		{"huge picture", io.Discard, make([][]float32, 100), 1000, 1000, nil, "would need"},
	} {
		wantErr(t, c.name, Templates(c.w, c.weights, c.wd, c.ht, c.names), c.want)
	}
	err := Templates(failWriter{}, ok, 2, 2, nil)
	if !errors.Is(err, errWrite) {
		t.Errorf("failing writer: error %v, want one wrapping %v", err, errWrite)
	}
}
