package plot

import (
	"bytes"
	"errors"
	"image"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
)

// square returns an n x n matrix with diag on the diagonal and off
// elsewhere.
func square(n, diag, off int) [][]int {
	m := make([][]int, n)
	for i := range m {
		m[i] = make([]int, n)
		for j := range m[i] {
			m[i][j] = off
		}
		m[i][i] = diag
	}
	return m
}

// confusionPicture draws counts and returns the picture and its layout.
func confusionPicture(t *testing.T, counts [][]int, names []string) (*image.RGBA, confusionLayout) {
	t.Helper()
	var b bytes.Buffer
	if err := Confusion(&b, counts, names); err != nil {
		t.Fatal(err)
	}
	img := decode(t, b.Bytes())
	labels := make([]string, len(counts))
	for i := range labels {
		labels[i] = strconv.Itoa(i)
		if len(names) != 0 {
			labels[i] = names[i]
		}
	}
	maxCount, trace, total := 0, 0, 0
	for i, r := range counts {
		for _, c := range r {
			maxCount = max(maxCount, c)
			total += c
		}
		trace += r[i]
	}
	l := layoutConfusion(len(counts), maxCount, labels, accuracyTitle(trace, total))
	if img.Bounds().Dx() != l.imgW || img.Bounds().Dy() != l.imgH {
		t.Fatalf("bounds %v, want %dx%d", img.Bounds(), l.imgW, l.imgH)
	}
	return img, l
}

var fashion = []string{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
	"Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"}

func TestConfusionIdentity(t *testing.T) {
	img, l := confusionPicture(t, square(10, 100, 0), fashion)
	dark, light := sequential[len(sequential)-1], sequential[0]
	for i := 0; i < 10; i++ {
		for j := 0; j < 10; j++ {
			// A corner pixel of the cell, clear of the text.
			p := img.RGBAAt(l.x0+j*l.cellW+2, l.y0+i*l.cellH+2)
			want := light
			if i == j {
				want = dark
			}
			if p != want {
				t.Errorf("cell [%d][%d] = %v, want %v", i, j, p, want)
			}
		}
	}
	// The diagonal's count is written in white on dark blue.
	white := 0
	for y := l.y0; y < l.y0+l.cellH; y++ {
		for x := l.x0 + 1; x < l.x0+l.cellW; x++ {
			if p := img.RGBAAt(x, y); p.R == 255 && p.G == 255 && p.B == 255 {
				white++
			}
		}
	}
	if white < 20 {
		t.Errorf("%d white text pixels in the dark cell [0][0], want some", white)
	}
	if !l.turned {
		t.Error("Fashion-MNIST names fit in a column, want them turned")
	}
}

func TestConfusionTitle(t *testing.T) {
	counts := [][]int{{3, 1}, {0, 4}}
	const title = "accuracy 87.50% (7 of 8)"
	img, l := confusionPicture(t, counts, nil)
	// The title is drawn at the top-left corner: render it on a blank
	// canvas and compare.
	want := newCanvas(l.imgW, l.imgH)
	drawText(want, confusionMargin, confusionMargin, title, ink, l.ts)
	r := image.Rect(0, 0, l.imgW, confusionMargin+textHeight(l.ts))
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if img.RGBAAt(x, y) != want.RGBAAt(x, y) {
				t.Fatalf("title pixel (%d, %d) = %v, want %v: the title is not %q", x, y, img.RGBAAt(x, y), want.RGBAAt(x, y), title)
			}
		}
	}
	// Colour by share of row: [1][1] is all of its row, [0][0] 3/4,
	// [0][1] 1/4 and [1][0] none.
	at := func(i, j int) float64 { return luminance(img.RGBAAt(l.x0+j*l.cellW+2, l.y0+i*l.cellH+2)) }
	if !(at(1, 1) < at(0, 0) && at(0, 0) < at(0, 1) && at(0, 1) < at(1, 0)) {
		t.Errorf("cell brightness [1][1] %v, [0][0] %v, [0][1] %v, [1][0] %v: want increasing", at(1, 1), at(0, 0), at(0, 1), at(1, 0))
	}
	// Short names fit their columns: horizontal.
	if l.turned {
		t.Error("index labels turned, want horizontal")
	}
}

func TestConfusionEmptyRows(t *testing.T) {
	// No samples at all: white cells, and a "no samples" title.
	img, l := confusionPicture(t, square(3, 0, 0), nil)
	if p := img.RGBAAt(l.x0+2, l.y0+2); p != sequential[0] {
		t.Errorf("empty cell %v, want %v", p, sequential[0])
	}
}

func TestConfusionSizes(t *testing.T) {
	for _, n := range []int{1, 20, 21, 60, 61, 300} {
		counts := square(n, 50, 1)
		img, l := confusionPicture(t, counts, nil)
		if img.Bounds().Dx()*img.Bounds().Dy() > 4000*4000 {
			t.Errorf("%d classes: picture %v", n, img.Bounds())
		}
		if n > 60 && l.cs != 0 {
			t.Errorf("%d classes: counts drawn in cells", n)
		}
		// The last cell is inside the picture.
		if l.x0+n*l.cellW > l.imgW || l.y0+n*l.cellH > l.imgH {
			t.Errorf("%d classes: matrix outside the picture", n)
		}
	}
}

func TestConfusionErrors(t *testing.T) {
	for _, c := range []struct {
		name   string
		w      io.Writer
		counts [][]int
		names  []string
		want   string
	}{
		{"nil writer", nil, square(2, 1, 0), nil, "nil writer"},
		{"nil counts", io.Discard, nil, nil, "no classes"},
		{"ragged", io.Discard, [][]int{{1, 2}, {3}}, nil, "row 1 has 1 counts, want 2"},
		{"not square", io.Discard, [][]int{{1, 2, 3}, {3, 4, 5}}, nil, "row 0 has 3 counts, want 2"},
		{"negative", io.Discard, [][]int{{1, 2}, {-3, 4}}, nil, "count [1][0] is -3"},
		{"names", io.Discard, square(2, 1, 0), []string{"a", "b", "c"}, "3 names for 2 classes"},
		{"overflow", io.Discard, [][]int{{math.MaxInt, 1}, {0, 0}}, nil, "add up to more than"},
		{"huge", io.Discard, square(2, 1, 0), []string{"a", strings.Repeat("b", 3_000_000)}, "more than"},
	} {
		wantErr(t, c.name, Confusion(c.w, c.counts, c.names), c.want)
	}
	if err := Confusion(failWriter{}, square(2, 1, 0), nil); !errors.Is(err, errWrite) {
		t.Errorf("failing writer: error %v, want one wrapping %v", err, errWrite)
	}
}

func TestPercent(t *testing.T) {
	for f, want := range map[float64]string{0: "0%", 0.001: "<1%", 0.005: "1%", 0.5: "50%", 0.996: ">99%", 1: "100%"} {
		if got := percent(f); got != want {
			t.Errorf("percent(%v) = %q, want %q", f, got, want)
		}
	}
}
