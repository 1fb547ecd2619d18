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

// CurveOptions are the optional texts of a Curves chart; the zero value
// draws neither.
type CurveOptions struct {
	// Title is drawn above the chart; empty draws none.
	Title string
	// XLabel titles the x axis, under its tick labels (such as "epoch");
	// empty draws none.
	XLabel string
}

// Curves writes to w a self-contained SVG line chart of the series against
// x, such as the training loss (left axis) and the train and test accuracy
// (right axis) per epoch. Each axis is scaled to its series' values, with
// round tick values, and titled with their names; horizontal grid lines
// follow the left axis (the right one if nothing uses the left). If every
// x is a whole number, as epochs are, the x ticks are whole numbers too.
// Every series is one <path> in its own colour, and a legend under the
// chart names them. Missing values break a line; points are marked with dots
// when there are at most 40 of them, and a point with no neighbour on either
// side is always marked, so a single epoch still shows. opt adds a title
// above the chart and a title under the x axis.
//
// x must have at least one value, all finite; every series needs one value
// per x and an Axis of AxisLeft or AxisRight, and at least one value of
// some series must be present.
func Curves(w io.Writer, x []float64, series []Series, opt CurveOptions) error {
	if w == nil {
		return errors.New("plot: Curves: nil writer")
	}
	c, err := newChart(x, series, opt)
	if err != nil {
		return fmt.Errorf("plot: Curves: %w", err)
	}
	var b bytes.Buffer
	c.writeHead(&b)
	c.writeGrid(&b)
	c.writeAxes(&b)
	dotted := c.writeSeries(&b)
	c.writeLegend(&b, dotted)
	b.WriteString("</svg>\n")
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("plot: writing SVG: %w", err)
	}
	return nil
}

// The geometry of a Curves chart, in SVG user units (pixels).
const (
	chartWidth    = 760
	chartFontSize = 12
	charW         = 7 // rough width of a character at chartFontSize
	plotHeight    = 280
	swatchW       = 28 // the line drawn before a legend entry's name
	legendGap     = 24 // between the entries of a legend row
	legendRowH    = 20
)

// chart is a checked Curves chart: its data, axes and layout.
type chart struct {
	x      []float64
	series []Series
	opt    CurveOptions

	xt   ticks
	yt   [2]ticks // indexed by Axis; only the used ones are set
	used [2]bool  // whether some series has a present value on the axis

	left, top, plotW, plotH int // the plot area
	legend                  []legendEntry
	rowWidths               []int // of each legend row
	legendY, height         int   // the first legend row's centre; the picture's height
}

// legendEntry places series k in the legend: x from the start of its row.
type legendEntry struct {
	k, x, row int
}

// newChart checks the input, scales the axes and lays the chart out. Its
// errors are those of Curves without the "plot: Curves: " prefix.
func newChart(x []float64, series []Series, opt CurveOptions) (*chart, error) {
	if len(x) == 0 {
		return nil, errors.New("no x values")
	}
	if len(series) == 0 {
		return nil, errors.New("no series")
	}
	for i, v := range x {
		if !finite(v) {
			return nil, fmt.Errorf("x[%d] is %v", i, v)
		}
	}
	ylo, yhi, used, err := yRanges(len(x), series)
	if err != nil {
		return nil, err
	}
	c := &chart{x: x, series: series, opt: opt, used: used}
	if err := c.scale(ylo, yhi); err != nil {
		return nil, err
	}
	c.layout()
	return c, nil
}

// yRanges checks each series against the n x values and returns the range
// of the present values on each axis, and which axes have any; it is an
// error if none has.
func yRanges(n int, series []Series) (lo, hi [2]float64, used [2]bool, err error) {
	for k, s := range series {
		if len(s.Values) != n {
			return lo, hi, used, fmt.Errorf("series %d (%q) has %d values for %d x values", k, s.Name, len(s.Values), n)
		}
		if s.Axis != AxisLeft && s.Axis != AxisRight {
			return lo, hi, used, fmt.Errorf("series %d (%q) has axis %d, want %d (left) or %d (right)",
				k, s.Name, s.Axis, AxisLeft, AxisRight)
		}
		a := s.Axis
		for _, v := range s.Values {
			if !finite(v) {
				continue
			}
			if !used[a] {
				lo[a], hi[a], used[a] = v, v, true
			}
			lo[a], hi[a] = min(lo[a], v), max(hi[a], v)
		}
	}
	if !used[0] && !used[1] {
		return lo, hi, used, errors.New("every value is missing (NaN or Inf)")
	}
	return lo, hi, used, nil
}

// scale sets the ticks of the x axis (whole numbers if every x is one) and
// of each used y axis, covering ylo[a]..yhi[a].
func (c *chart) scale(ylo, yhi [2]float64) error {
	xlo, xhi := c.x[0], c.x[0]
	whole := true
	for _, v := range c.x {
		xlo, xhi = min(xlo, v), max(xhi, v)
		whole = whole && v == math.Trunc(v)
	}
	var err error
	if c.xt, err = niceTicks(xlo, xhi, 6, whole); err != nil {
		return fmt.Errorf("x: %w", err)
	}
	for a := range c.yt {
		if c.used[a] {
			if c.yt[a], err = niceTicks(ylo[a], yhi[a], 6, false); err != nil {
				return fmt.Errorf("y: %w", err)
			}
		}
	}
	return nil
}

// layout sets the plot area, with room left and right for the tick labels
// of the used axes and on top for the title, then the legend under the x
// tick labels (and the x axis title), and from it the picture's height.
func (c *chart) layout() {
	left, right := 24, 24
	if c.used[AxisLeft] {
		left = 34 + c.tickLabelW(AxisLeft)
	}
	if c.used[AxisRight] {
		right = 34 + c.tickLabelW(AxisRight)
	}
	c.left, c.top = left, 20
	if c.opt.Title != "" {
		c.top = 48
	}
	c.plotW, c.plotH = chartWidth-left-right, plotHeight
	c.layoutLegend()
	c.legendY = c.top + c.plotH + 46
	if c.opt.XLabel != "" {
		c.legendY += 20
	}
	c.height = c.legendY + legendRowH*len(c.rowWidths) + 6
}

// tickLabelW is the width of the widest tick label of y axis a.
func (c *chart) tickLabelW(a int) int {
	n := 0
	for _, v := range c.yt[a].values {
		n = max(n, len(c.yt[a].format(v)))
	}
	return n * charW
}

// layoutLegend places the legend entries, a swatch and a name each, in
// rows no wider than the plot area: an entry that does not fit its row
// starts the next.
func (c *chart) layoutLegend() {
	rowW, row := 0, 0
	for k := range c.series {
		ew := swatchW + 6 + charW*len([]rune(seriesName(c.series, k)))
		if rowW > 0 && rowW+legendGap+ew > c.plotW {
			c.rowWidths = append(c.rowWidths, rowW)
			rowW, row = 0, row+1
		}
		if rowW > 0 {
			rowW += legendGap
		}
		c.legend = append(c.legend, legendEntry{k, rowW, row})
		rowW += ew
	}
	c.rowWidths = append(c.rowWidths, rowW)
}

// px is the picture's x coordinate of the value v on the x axis.
func (c *chart) px(v float64) float64 {
	return float64(c.left) + (v-c.xt.lo)/(c.xt.hi-c.xt.lo)*float64(c.plotW)
}

// py is the picture's y coordinate of the value v on y axis a.
func (c *chart) py(a int, v float64) float64 {
	return float64(c.top) + (c.yt[a].hi-v)/(c.yt[a].hi-c.yt[a].lo)*float64(c.plotH)
}

// writeHead writes the XML declaration, the <svg> element's start, a white
// background and the title.
func (c *chart) writeHead(b *bytes.Buffer) {
	fmt.Fprintf(b, `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="%d">
<rect width="100%%" height="100%%" fill="#ffffff"/>
`, chartWidth, c.height, chartWidth, c.height, chartFontSize)
	if c.opt.Title != "" {
		fmt.Fprintf(b, `<text x="%d" y="28" text-anchor="middle" font-size="16" font-weight="bold" fill="#212121">%s</text>
`, chartWidth/2, esc(c.opt.Title))
	}
}

// writeGrid writes the grid lines (horizontal ones at the left axis's
// ticks, or the right axis's if the left is unused; vertical ones at the x
// ticks) and the plot area's frame.
func (c *chart) writeGrid(b *bytes.Buffer) {
	grid := AxisLeft
	if !c.used[AxisLeft] {
		grid = AxisRight
	}
	b.WriteString(`<g stroke="#e3e3e3" stroke-width="1">` + "\n")
	for _, v := range c.yt[grid].values {
		y := num(c.py(grid, v))
		fmt.Fprintf(b, `<line x1="%d" x2="%d" y1="%s" y2="%s"/>`+"\n", c.left, c.left+c.plotW, y, y)
	}
	for _, v := range c.xt.values {
		x := num(c.px(v))
		fmt.Fprintf(b, `<line x1="%s" x2="%s" y1="%d" y2="%d"/>`+"\n", x, x, c.top, c.top+c.plotH)
	}
	b.WriteString("</g>\n")
	fmt.Fprintf(b, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#8a8a8a" stroke-width="1"/>`+"\n",
		c.left, c.top, c.plotW, c.plotH)
}

// writeAxes writes the x tick labels and the x axis title, then each used
// y axis's tick marks, tick labels and title.
func (c *chart) writeAxes(b *bytes.Buffer) {
	b.WriteString(`<g fill="#424242">` + "\n")
	for _, v := range c.xt.values {
		fmt.Fprintf(b, `<text x="%s" y="%d" text-anchor="middle">%s</text>`+"\n", num(c.px(v)), c.top+c.plotH+18, c.xt.format(v))
	}
	if c.opt.XLabel != "" {
		fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="middle">%s</text>`+"\n", c.left+c.plotW/2, c.top+c.plotH+38, esc(c.opt.XLabel))
	}
	for a := range c.yt {
		if c.used[a] {
			c.writeYAxis(b, a)
		}
	}
	b.WriteString("</g>\n")
}

// writeYAxis writes y axis a: tick marks and labels outside the plot area
// on its side, and the axis title, turned, at the picture's edge.
func (c *chart) writeYAxis(b *bytes.Buffer, a int) {
	anchor, tx, tick := "end", c.left-8, c.left-4 // tick marks from tick to tick+4
	if a == AxisRight {
		anchor, tx, tick = "start", c.left+c.plotW+8, c.left+c.plotW
	}
	for _, v := range c.yt[a].values {
		y := num(c.py(a, v))
		fmt.Fprintf(b, `<line x1="%d" x2="%d" y1="%s" y2="%s" stroke="#8a8a8a"/>`, tick, tick+4, y, y)
		fmt.Fprintf(b, `<text x="%d" y="%s" dy="0.35em" text-anchor="%s">%s</text>`+"\n", tx, y, anchor, c.yt[a].format(v))
	}
	ax := 14
	if a == AxisRight {
		ax = chartWidth - 8
	}
	fmt.Fprintf(b, `<text transform="translate(%d %d) rotate(-90)" text-anchor="middle">%s</text>`+"\n",
		ax, c.top+c.plotH/2, esc(c.axisTitle(a)))
}

// axisTitle is the title of y axis a: the names of its series, cut to the
// plot area's height with an ellipsis.
func (c *chart) axisTitle(a int) string {
	var ns []string
	for k, s := range c.series {
		if s.Axis == a {
			ns = append(ns, seriesName(c.series, k))
		}
	}
	t := strings.Join(ns, ", ")
	if r := []rune(t); len(r)*charW > c.plotH {
		t = string(r[:c.plotH/charW-1]) + "…"
	}
	return t
}

// writeSeries writes each series as a <path> and its dots, and returns
// which series have dots (for the legend).
func (c *chart) writeSeries(b *bytes.Buffer) (dotted []bool) {
	dotted = make([]bool, len(c.series))
	for k, s := range c.series {
		col := palette[k%len(palette)]
		d, dots := c.seriesPath(s)
		fmt.Fprintf(b, `<path d="%s" fill="none" stroke="%s" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"><title>%s</title></path>`+"\n",
			d, col, esc(seriesName(c.series, k)))
		if len(dots) == 0 {
			continue
		}
		dotted[k] = true
		fmt.Fprintf(b, `<g fill="%s" stroke="#ffffff" stroke-width="1">`, col)
		for _, i := range dots {
			fmt.Fprintf(b, `<circle cx="%s" cy="%s" r="3.5"/>`, num(c.px(c.x[i])), num(c.py(s.Axis, s.Values[i])))
		}
		b.WriteString("</g>\n")
	}
	return dotted
}

// seriesPath returns the path data of s, a new subpath after each missing
// value, and the indexes of the points that get a dot: every present one
// when there are at most 40 x values, else the isolated ones only, which a
// line alone would not show.
func (c *chart) seriesPath(s Series) (d string, dots []int) {
	var p strings.Builder
	pen := false
	for i, v := range s.Values {
		if !finite(v) {
			pen = false
			continue
		}
		op := "L"
		if !pen {
			op = "M"
			if p.Len() > 0 {
				p.WriteByte(' ')
			}
		} else {
			p.WriteByte(' ')
		}
		fmt.Fprintf(&p, "%s%s %s", op, num(c.px(c.x[i])), num(c.py(s.Axis, v)))
		pen = true
		isolated := (i == 0 || !finite(s.Values[i-1])) && (i == len(c.x)-1 || !finite(s.Values[i+1]))
		if len(c.x) <= 40 || isolated {
			dots = append(dots, i)
		}
	}
	return p.String(), dots
}

// writeLegend writes the legend: each row centred under the plot area, each
// entry a swatch of its series' line (with a dot if the series has dots)
// and its name.
func (c *chart) writeLegend(b *bytes.Buffer, dotted []bool) {
	b.WriteString(`<g fill="#212121">` + "\n")
	for _, e := range c.legend {
		x0 := c.left + (c.plotW-c.rowWidths[e.row])/2 + e.x
		y := c.legendY + legendRowH*e.row
		col := palette[e.k%len(palette)]
		fmt.Fprintf(b, `<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="%s" stroke-width="2"/>`, x0, x0+swatchW, y, y, col)
		if dotted[e.k] {
			fmt.Fprintf(b, `<circle cx="%d" cy="%d" r="3.5" fill="%s" stroke="#ffffff"/>`, x0+swatchW/2, y, col)
		}
		fmt.Fprintf(b, `<text x="%d" y="%d" dy="0.35em">%s</text>`+"\n", x0+swatchW+6, y, esc(seriesName(c.series, e.k)))
	}
	b.WriteString("</g>\n")
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
