package plot

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Series is one line of a Curves chart.
type Series struct {
	// Name is shown in the legend and in the title of the series' axis.
	Name string
	// Values holds one value per x; NaN and ±Inf mark a missing value
	// (a gap in the line).
	Values []float64
	// Axis is the y axis the series is drawn against: AxisLeft (such as
	// a loss) or AxisRight (such as accuracies).
	Axis int
}

// The y axes of a Curves chart.
const (
	AxisLeft  = 0
	AxisRight = 1
)

// Curves writes to w a self-contained SVG line chart of the series against
// x, such as the training loss (left axis) and the train and test accuracy
// (right axis) per epoch. Each axis is scaled to its series' values, with
// round tick values, and titled with their names; horizontal grid lines
// follow the left axis (the right one if nothing uses the left). If every
// x is a whole number, as epochs are, the x ticks are whole numbers too.
// Every series is one <path> in its own colour, and a legend under the
// chart names them. Missing values break a line; points are marked with dots
// when there are at most 40 of them, and a point with no neighbour on either
// side is always marked, so a single epoch still shows.
//
// x must have at least one value, all finite; every series needs one value
// per x and an Axis of AxisLeft or AxisRight, and at least one value of
// some series must be present. title may be empty.
func Curves(w io.Writer, title string, x []float64, series []Series) error {
	return CurvesLabeled(w, title, "", x, series)
}

// CurvesLabeled is Curves with a title under the x axis (such as "epoch");
// an empty xLabel draws none.
func CurvesLabeled(w io.Writer, title, xLabel string, x []float64, series []Series) error {
	if w == nil {
		return errors.New("plot: Curves: nil writer")
	}
	if len(x) == 0 {
		return errors.New("plot: Curves: no x values")
	}
	if len(series) == 0 {
		return errors.New("plot: Curves: no series")
	}
	for i, v := range x {
		if !finite(v) {
			return fmt.Errorf("plot: Curves: x[%d] is %v", i, v)
		}
	}
	var ylo, yhi [2]float64
	var used [2]bool
	for k, s := range series {
		if len(s.Values) != len(x) {
			return fmt.Errorf("plot: Curves: series %d (%q) has %d values for %d x values", k, s.Name, len(s.Values), len(x))
		}
		if s.Axis != AxisLeft && s.Axis != AxisRight {
			return fmt.Errorf("plot: Curves: series %d (%q) has axis %d, want %d (left) or %d (right)",
				k, s.Name, s.Axis, AxisLeft, AxisRight)
		}
		for _, v := range s.Values {
			if !finite(v) {
				continue
			}
			a := s.Axis
			if !used[a] {
				ylo[a], yhi[a], used[a] = v, v, true
			}
			ylo[a], yhi[a] = min(ylo[a], v), max(yhi[a], v)
		}
	}
	if !used[0] && !used[1] {
		return errors.New("plot: Curves: every value is missing (NaN or Inf)")
	}
	xlo, xhi := x[0], x[0]
	whole := true
	for _, v := range x {
		xlo, xhi = min(xlo, v), max(xhi, v)
		whole = whole && v == math.Trunc(v)
	}
	xt, err := niceTicks(xlo, xhi, 6, whole)
	if err != nil {
		return fmt.Errorf("plot: Curves: x: %w", err)
	}
	var yt [2]ticks
	for a := range yt {
		if used[a] {
			if yt[a], err = niceTicks(ylo[a], yhi[a], 6, false); err != nil {
				return fmt.Errorf("plot: Curves: y: %w", err)
			}
		}
	}

	// Geometry, in SVG user units (pixels).
	const (
		width    = 760
		fontSize = 12
		charW    = 7 // rough width of a character at fontSize
	)
	tickW := func(a int) int {
		n := 0
		for _, v := range yt[a].values {
			n = max(n, len(yt[a].format(v)))
		}
		return n * charW
	}
	left, right := 24, 24
	if used[0] {
		left = 34 + tickW(0)
	}
	if used[1] {
		right = 34 + tickW(1)
	}
	top := 20
	if title != "" {
		top = 48
	}
	plotW, plotH := width-left-right, 280

	// Legend entries, wrapped into rows under the x tick labels.
	type entry struct {
		k, x, row int
	}
	var entries []entry
	const swatch = 28
	rowW, row := 0, 0
	var rowWidths []int
	for k := range series {
		ew := swatch + 6 + charW*len([]rune(seriesName(series, k)))
		if rowW > 0 && rowW+24+ew > plotW {
			rowWidths = append(rowWidths, rowW)
			rowW, row = 0, row+1
		}
		if rowW > 0 {
			rowW += 24
		}
		entries = append(entries, entry{k, rowW, row})
		rowW += ew
	}
	rowWidths = append(rowWidths, rowW)
	legendY := top + plotH + 46
	if xLabel != "" {
		legendY += 20
	}
	height := legendY + 20*len(rowWidths) + 6

	px := func(v float64) float64 { return float64(left) + (v-xt.lo)/(xt.hi-xt.lo)*float64(plotW) }
	py := func(a int, v float64) float64 {
		return float64(top) + (yt[a].hi-v)/(yt[a].hi-yt[a].lo)*float64(plotH)
	}

	var b bytes.Buffer
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="%d">
<rect width="100%%" height="100%%" fill="#ffffff"/>
`, width, height, width, height, fontSize)
	if title != "" {
		fmt.Fprintf(&b, `<text x="%d" y="28" text-anchor="middle" font-size="16" font-weight="bold" fill="#212121">%s</text>
`, width/2, esc(title))
	}

	// Grid lines and the x axis ticks.
	grid := 0
	if !used[0] {
		grid = 1
	}
	b.WriteString(`<g stroke="#e3e3e3" stroke-width="1">` + "\n")
	for _, v := range yt[grid].values {
		fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%s" y2="%s"/>`+"\n", left, left+plotW, num(py(grid, v)), num(py(grid, v)))
	}
	for _, v := range xt.values {
		fmt.Fprintf(&b, `<line x1="%s" x2="%s" y1="%d" y2="%d"/>`+"\n", num(px(v)), num(px(v)), top, top+plotH)
	}
	b.WriteString("</g>\n")
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#8a8a8a" stroke-width="1"/>`+"\n", left, top, plotW, plotH)

	b.WriteString(`<g fill="#424242">` + "\n")
	for _, v := range xt.values {
		fmt.Fprintf(&b, `<text x="%s" y="%d" text-anchor="middle">%s</text>`+"\n", num(px(v)), top+plotH+18, xt.format(v))
	}
	if xLabel != "" {
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">%s</text>`+"\n", left+plotW/2, top+plotH+38, esc(xLabel))
	}
	for a := range yt {
		if !used[a] {
			continue
		}
		anchor, tx, tick := "end", left-8, left-4 // tick marks from tick to tick+4
		if a == AxisRight {
			anchor, tx, tick = "start", left+plotW+8, left+plotW
		}
		for _, v := range yt[a].values {
			y := num(py(a, v))
			fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%s" y2="%s" stroke="#8a8a8a"/>`, tick, tick+4, y, y)
			fmt.Fprintf(&b, `<text x="%d" y="%s" dy="0.35em" text-anchor="%s">%s</text>`+"\n", tx, y, anchor, yt[a].format(v))
		}
		// The axis title: the names of its series.
		var ns []string
		for k, s := range series {
			if s.Axis == a {
				ns = append(ns, seriesName(series, k))
			}
		}
		t := strings.Join(ns, ", ")
		if r := []rune(t); len(r)*charW > plotH {
			t = string(r[:plotH/charW-1]) + "…"
		}
		ax := 14
		if a == AxisRight {
			ax = width - 8
		}
		fmt.Fprintf(&b, `<text transform="translate(%d %d) rotate(-90)" text-anchor="middle">%s</text>`+"\n", ax, top+plotH/2, esc(t))
	}
	b.WriteString("</g>\n")

	// The series.
	dotted := make([]bool, len(series)) // whether series k has dots
	for k, s := range series {
		col := palette[k%len(palette)]
		var d strings.Builder
		var dots []int
		pen := false
		for i, v := range s.Values {
			if !finite(v) {
				pen = false
				continue
			}
			op := "L"
			if !pen {
				op = "M"
				if d.Len() > 0 {
					d.WriteByte(' ')
				}
			} else {
				d.WriteByte(' ')
			}
			fmt.Fprintf(&d, "%s%s %s", op, num(px(x[i])), num(py(s.Axis, v)))
			pen = true
			isolated := (i == 0 || !finite(s.Values[i-1])) && (i == len(x)-1 || !finite(s.Values[i+1]))
			if len(x) <= 40 || isolated {
				dots = append(dots, i)
			}
		}
		fmt.Fprintf(&b, `<path d="%s" fill="none" stroke="%s" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"><title>%s</title></path>`+"\n",
			d.String(), col, esc(seriesName(series, k)))
		if len(dots) > 0 {
			dotted[k] = true
			fmt.Fprintf(&b, `<g fill="%s" stroke="#ffffff" stroke-width="1">`, col)
			for _, i := range dots {
				fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="3.5"/>`, num(px(x[i])), num(py(s.Axis, s.Values[i])))
			}
			b.WriteString("</g>\n")
		}
	}

	// The legend.
	b.WriteString(`<g fill="#212121">` + "\n")
	for _, e := range entries {
		x0 := left + (plotW-rowWidths[e.row])/2 + e.x
		y := legendY + 20*e.row
		col := palette[e.k%len(palette)]
		fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="%s" stroke-width="2"/>`, x0, x0+swatch, y, y, col)
		if dotted[e.k] {
			fmt.Fprintf(&b, `<circle cx="%d" cy="%d" r="3.5" fill="%s" stroke="#ffffff"/>`, x0+swatch/2, y, col)
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" dy="0.35em">%s</text>`+"\n", x0+swatch+6, y, esc(seriesName(series, e.k)))
	}
	b.WriteString("</g>\n</svg>\n")

	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("plot: writing SVG: %w", err)
	}
	return nil
}

// palette holds the series colours: the Tableau 10 colours, distinct on
// white and from each other.
var palette = []string{
	"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
	"#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
}

// seriesName is the legend name of series k: its Name, or "series k+1".
func seriesName(series []Series, k int) string {
	if series[k].Name != "" {
		return series[k].Name
	}
	return "series " + strconv.Itoa(k+1)
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// num formats a coordinate with one decimal.
func num(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// esc escapes s for XML character data and attributes; characters XML
// cannot hold become U+FFFD.
func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s)) // a strings.Builder never fails
	return b.String()
}

// ticks is an axis range from lo to hi with tick marks at values, step
// apart.
type ticks struct {
	lo, hi, step float64
	values       []float64
	decimals     int
}

// format writes a tick value with the decimals its step needs.
func (t ticks) format(v float64) string {
	s := strconv.FormatFloat(v, 'f', t.decimals, 64)
	if strings.Trim(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-") // no "-0.00"
	}
	return s
}

// niceTicks returns about n round tick values covering lo..hi (Heckbert's
// "nice numbers" for graph labels); with whole, the step is a whole number.
func niceTicks(lo, hi float64, n int, whole bool) (ticks, error) {
	if hi == lo {
		pad := math.Abs(lo) * 0.05
		if pad == 0 {
			pad = 1
		}
		lo, hi = lo-pad, hi+pad
	}
	span := hi - lo
	if !finite(span) || span <= 0 {
		return ticks{}, fmt.Errorf("values from %g to %g cannot be plotted", lo, hi)
	}
	step := niceNum(niceNum(span, false)/float64(n-1), true)
	if whole && step < 1 {
		step = 1
	}
	t := ticks{step: step}
	t.lo = math.Floor(lo/step) * step
	t.hi = math.Ceil(hi/step) * step
	count := int(math.Round((t.hi-t.lo)/step)) + 1
	if t.hi <= t.lo || count > 4*n || !finite(t.lo) || !finite(t.hi) {
		// Values too close together for their magnitude to tick in
		// steps: plot them against their own range.
		t.lo, t.hi, t.step = lo, hi, span
		count = 2
	}
	for i := 0; i < count; i++ {
		t.values = append(t.values, t.lo+float64(i)*t.step)
	}
	t.decimals = max(0, int(-math.Floor(math.Log10(t.step)+1e-9)))
	if t.step != step { // the fallback: enough digits to tell lo from hi
		t.decimals = max(0, min(12, int(-math.Floor(math.Log10(span)))+2))
	}
	return t, nil
}

// niceNum returns a number of the form 1, 2 or 5 times a power of ten near
// x (rounded to the nearest if round, else the next up).
func niceNum(x float64, round bool) float64 {
	e := math.Floor(math.Log10(x))
	f := x / math.Pow(10, e)
	var nf float64
	switch {
	case round && f < 1.5, !round && f <= 1:
		nf = 1
	case round && f < 3, !round && f <= 2:
		nf = 2
	case round && f < 7, !round && f <= 5:
		nf = 5
	default:
		nf = 10
	}
	return nf * math.Pow(10, e)
}
