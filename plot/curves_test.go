package plot

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
)

// svgElem is what a test needs of an SVG element: its name, attributes and
// text.
type svgElem struct {
	name  string
	attrs map[string]string
	text  string
}

// parseSVG parses b as XML and returns its elements in document order.
func parseSVG(t *testing.T, b []byte) []svgElem {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	var out []svgElem
	var stack []int
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not valid XML: %v\n%s", err, b)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := svgElem{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			if len(out) == 0 && (e.name != "svg" || tok.Name.Space != "http://www.w3.org/2000/svg") {
				t.Fatalf("root element %v, want svg in the SVG namespace", tok.Name)
			}
			stack = append(stack, len(out))
			out = append(out, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				out[stack[len(stack)-1]].text += string(tok)
			}
		}
	}
	return out
}

func elems(es []svgElem, name string) []svgElem {
	var out []svgElem
	for _, e := range es {
		if e.name == name {
			out = append(out, e)
		}
	}
	return out
}

func texts(es []svgElem) []string {
	var out []string
	for _, e := range elems(es, "text") {
		out = append(out, e.text)
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, v := range ss {
		if v == s {
			return true
		}
	}
	return false
}

func TestCurvesTraining(t *testing.T) {
	nan := math.NaN()
	x := []float64{1, 2, 3, 4, 5}
	series := []Series{
		{Name: "loss", Values: []float64{0.7871, 0.5714, 0.5255, 0.5009, 0.4856}},
		{Name: "train acc", Values: []float64{0.749, 0.812, 0.825, 0.832, 0.837}, Axis: AxisRight},
		{Name: "test acc", Values: []float64{0.786, nan, 0.809, math.Inf(1), 0.825}, Axis: AxisRight},
	}
	var b bytes.Buffer
	if err := Curves(&b, x, series, CurveOptions{Title: "loss & <accuracy>"}); err != nil {
		t.Fatal(err)
	}
	es := parseSVG(t, b.Bytes())
	paths := elems(es, "path")
	if len(paths) != len(series) {
		t.Fatalf("%d paths, want one per series (%d)", len(paths), len(series))
	}
	ts := texts(es)
	for _, want := range []string{"loss & <accuracy>", "loss", "train acc", "test acc", "train acc, test acc",
		"1", "5", "0.4", "0.8", "0.74", "0.84"} {
		if !contains(ts, want) {
			t.Errorf("no text %q in %q", want, ts)
		}
	}
	// Full series: one subpath of 5 points; the test accuracy: three
	// subpaths, broken at the missing values.
	for k, want := range []int{1, 1, 3} {
		d := paths[k].attrs["d"]
		if n := strings.Count(d, "M"); n != want {
			t.Errorf("series %d path %q has %d subpaths, want %d", k, d, n, want)
		}
	}
	if n := strings.Count(paths[0].attrs["d"], "L"); n != 4 {
		t.Errorf("loss path has %d line segments, want 4", n)
	}
	// Few points: every present point has a dot (5+5+3), plus one per
	// legend entry.
	if n := len(elems(es, "circle")); n != 13+3 {
		t.Errorf("%d circles, want %d", n, 16)
	}
	// Distinct colours.
	seen := map[string]bool{}
	for _, p := range paths {
		seen[p.attrs["stroke"]] = true
	}
	if len(seen) != len(series) {
		t.Errorf("series colours %v, want %d distinct", seen, len(series))
	}
	// The points lie inside the plot frame.
	var frame svgElem
	for _, r := range elems(es, "rect") {
		if r.attrs["fill"] == "none" {
			frame = r
		}
	}
	if frame.name == "" {
		t.Fatal("no plot frame")
	}
	num := func(e svgElem, a string) float64 {
		v, err := strconv.ParseFloat(e.attrs[a], 64)
		if err != nil {
			t.Fatalf("%s %s=%q: %v", e.name, a, e.attrs[a], err)
		}
		return v
	}
	fx, fy, fw, fh := num(frame, "x"), num(frame, "y"), num(frame, "width"), num(frame, "height")
	for _, p := range paths {
		f := strings.Fields(strings.NewReplacer("M", " ", "L", " ").Replace(p.attrs["d"]))
		for i := 0; i+1 < len(f); i += 2 {
			px, _ := strconv.ParseFloat(f[i], 64)
			py, _ := strconv.ParseFloat(f[i+1], 64)
			if px < fx || px > fx+fw || py < fy || py > fy+fh {
				t.Errorf("point (%v, %v) of %q outside the frame", px, py, p.attrs["d"])
			}
		}
	}
	// The first loss point is at the left edge, the last at the right.
	d := strings.Fields(strings.NewReplacer("M", " ", "L", " ").Replace(paths[0].attrs["d"]))
	if d[0] != strconv.FormatFloat(fx, 'f', 1, 64) || d[len(d)-2] != strconv.FormatFloat(fx+fw, 'f', 1, 64) {
		t.Errorf("loss path %q does not span the frame from x %v to %v", paths[0].attrs["d"], fx, fx+fw)
	}
}

func TestCurvesSinglePoint(t *testing.T) {
	var b bytes.Buffer
	err := Curves(&b, []float64{1}, []Series{
		{Name: "loss", Values: []float64{0.79}},
		{Name: "test acc", Values: []float64{math.NaN()}, Axis: AxisRight},
	}, CurveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	es := parseSVG(t, b.Bytes())
	if n := len(elems(es, "path")); n != 2 {
		t.Errorf("%d paths, want 2", n)
	}
	// The one present point gets a dot (and the loss's legend entry); the
	// all-missing series none.
	if n := len(elems(es, "circle")); n != 2 {
		t.Errorf("%d circles, want 2", n)
	}
	// Whole-number x: ticks 0, 1, 2 around the single epoch.
	ts := texts(es)
	for _, want := range []string{"0", "1", "2"} {
		if !contains(ts, want) {
			t.Errorf("no x tick %q in %q", want, ts)
		}
	}
	if contains(ts, "0.5") {
		t.Errorf("fractional epoch tick in %q", ts)
	}
}

func TestCurvesManyPoints(t *testing.T) {
	const n = 300
	x := make([]float64, n)
	loss, test := make([]float64, n), make([]float64, n)
	for i := range x {
		x[i] = float64(i + 1)
		loss[i] = 1 / float64(i+1)
		test[i] = math.NaN()
	}
	test[99], test[199], test[200] = 0.8, 0.81, 0.82 // one isolated point, one pair
	var b bytes.Buffer
	if err := Curves(&b, x, []Series{{Name: "loss", Values: loss}, {Name: "test", Values: test, Axis: AxisRight}}, CurveOptions{Title: "long"}); err != nil {
		t.Fatal(err)
	}
	es := parseSVG(t, b.Bytes())
	// No dots for 300 points, but the isolated point has one (and its
	// series' legend entry).
	if n := len(elems(es, "circle")); n != 2 {
		t.Errorf("%d circles, want 2", n)
	}
	if !contains(texts(es), "300") {
		t.Errorf("no x tick 300 in %q", texts(es))
	}
}

func TestCurvesErrors(t *testing.T) {
	x := []float64{1, 2}
	good := []Series{{Name: "loss", Values: []float64{1, 2}}}
	for _, c := range []struct {
		name   string
		w      io.Writer
		x      []float64
		series []Series
		want   string
	}{
		{"nil writer", nil, x, good, "nil writer"},
		{"no x", io.Discard, nil, good, "no x values"},
		{"no series", io.Discard, x, nil, "no series"},
		{"NaN x", io.Discard, []float64{1, math.NaN()}, good, "x[1] is NaN"},
		{"length", io.Discard, x, []Series{{Name: "acc", Values: []float64{1}}}, `series 0 ("acc") has 1 values for 2 x values`},
		{"axis", io.Discard, x, []Series{{Name: "acc", Values: []float64{1, 2}, Axis: 2}}, "has axis 2"},
		{"all missing", io.Discard, x, []Series{{Values: []float64{math.NaN(), math.Inf(1)}}}, "every value is missing"},
		{"range", io.Discard, x, []Series{{Values: []float64{-math.MaxFloat64, math.MaxFloat64}}}, "cannot be plotted"},
	} {
		wantErr(t, c.name, Curves(c.w, c.x, c.series, CurveOptions{Title: "t"}), c.want)
	}
	if err := Curves(failWriter{}, x, good, CurveOptions{Title: "t"}); !errors.Is(err, errWrite) {
		t.Errorf("failing writer: error %v, want one wrapping %v", err, errWrite)
	}
}

func TestCurvesOddNames(t *testing.T) {
	// Characters XML cannot hold, and an empty name.
	var b bytes.Buffer
	err := Curves(&b, []float64{0, 1}, []Series{{Name: "\x01x\"y'", Values: []float64{1, 2}}, {Values: []float64{2, 1}}}, CurveOptions{Title: "a\x00b"})
	if err != nil {
		t.Fatal(err)
	}
	ts := texts(parseSVG(t, b.Bytes()))
	if !contains(ts, "series 2") {
		t.Errorf("an unnamed series is not called %q: %q", "series 2", ts)
	}
}

func TestNiceTicks(t *testing.T) {
	for _, c := range []struct {
		lo, hi         float64
		whole          bool
		tlo, thi, step float64
		first, last    string
	}{
		{0.749, 0.837, false, 0.74, 0.84, 0.02, "0.74", "0.84"},
		{0.4856, 0.7871, false, 0.4, 0.8, 0.1, "0.4", "0.8"},
		{1, 5, true, 1, 5, 1, "1", "5"},
		{1, 1, true, 0, 2, 1, "0", "2"},
		{1, 300, true, 0, 300, 100, "0", "300"},
		{1, 3, true, 1, 3, 1, "1", "3"}, // not 0.5 steps
		{-0.3, 0.2, false, -0.3, 0.2, 0.1, "-0.3", "0.2"},
		{0, 0, false, -1, 1, 0.5, "-1.0", "1.0"},
		{2e-7, 9e-7, false, 2e-7, 1e-6, 2e-7, "0.0000002", "0.0000010"},
	} {
		tk, err := niceTicks(c.lo, c.hi, 6, c.whole)
		if err != nil {
			t.Errorf("niceTicks(%v, %v): %v", c.lo, c.hi, err)
			continue
		}
		near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }
		if !near(tk.lo, c.tlo) || !near(tk.hi, c.thi) || !near(tk.step, c.step) {
			t.Errorf("niceTicks(%v, %v) = %v..%v step %v, want %v..%v step %v", c.lo, c.hi, tk.lo, tk.hi, tk.step, c.tlo, c.thi, c.step)
		}
		first, last := tk.format(tk.values[0]), tk.format(tk.values[len(tk.values)-1])
		if first != c.first || last != c.last {
			t.Errorf("niceTicks(%v, %v) labels %q..%q, want %q..%q", c.lo, c.hi, first, last, c.first, c.last)
		}
		if tk.lo > c.lo || tk.hi < c.hi {
			t.Errorf("niceTicks(%v, %v) = %v..%v does not cover the data", c.lo, c.hi, tk.lo, tk.hi)
		}
		for _, v := range tk.values {
			if s := tk.format(v); strings.HasPrefix(s, "-") && strings.Trim(s, "-0.") == "" {
				t.Errorf("tick label %q", s)
			}
		}
	}
	// Values too close for their magnitude still get a range, quickly.
	tk, err := niceTicks(1e16, 1e16+2, 6, false)
	if err != nil || tk.hi <= tk.lo || len(tk.values) > 24 {
		t.Errorf("niceTicks(1e16, 1e16+2) = %+v, %v", tk, err)
	}
}

// CurveOptions.XLabel titles the x axis, below the tick labels and above the
// legend; without it Curves draws no such title.
func TestCurvesXLabel(t *testing.T) {
	x := []float64{1, 2, 3}
	series := []Series{{Name: "loss", Values: []float64{0.8, 0.6, 0.5}}}
	var with, without bytes.Buffer
	if err := Curves(&with, x, series, CurveOptions{Title: "t", XLabel: "epoch <n>"}); err != nil {
		t.Fatal(err)
	}
	if err := Curves(&without, x, series, CurveOptions{Title: "t"}); err != nil {
		t.Fatal(err)
	}
	es := parseSVG(t, with.Bytes())
	if !contains(texts(es), "epoch <n>") {
		t.Errorf("no x-axis title among %q", texts(es))
	}
	if contains(texts(parseSVG(t, without.Bytes())), "epoch <n>") {
		t.Error("Curves drew an x-axis title without an XLabel")
	}
	if with.Len() <= without.Len() {
		t.Error("the labelled chart is not larger")
	}
}
