package plot

import (
	"errors"
	"fmt"
	"image"
	"io"
	"math"
	"strconv"
)

// Confusion writes to w a PNG heat map of a confusion matrix: counts[i][j]
// is the number of samples of true class i predicted as class j, so rows
// are true classes and columns predicted ones. A cell's colour, white to
// dark blue, is its share of its row (the diagonal is each class's recall);
// for up to 20 classes the cell shows its count and that share, in black or
// white, whichever contrasts with the cell. The true classes' names are
// written left of the rows, the predicted classes' above the columns (turned
// to read upwards when they are wider than a column), and a title line gives
// the overall accuracy, the trace over the total.
//
// names gives the class names; if it is empty the classes are labelled by
// index. Runes outside printable ASCII are drawn as '?'. Past 20 classes
// the cells get smaller and show no numbers, and past 60 the names are left
// out once the rows are too thin for them.
//
// counts must be square with at least one row, every count at least 0, and
// names empty or one per class. The picture must not exceed MaxPixels.
func Confusion(w io.Writer, counts [][]int, names []string) error {
	if w == nil {
		return errors.New("plot: Confusion: nil writer")
	}
	sums, err := sumConfusion(counts, names)
	if err != nil {
		return fmt.Errorf("plot: Confusion: %w", err)
	}
	n := len(counts)
	labels := make([]string, n)
	for i := range labels {
		labels[i] = strconv.Itoa(i)
		if len(names) != 0 {
			labels[i] = names[i]
		}
	}
	title := accuracyTitle(sums.trace, sums.total)
	l := layoutConfusion(n, sums.maxCount, labels, title)
	if int64(l.imgW)*int64(l.imgH) > MaxPixels {
		return fmt.Errorf("plot: Confusion: %d classes would need a %dx%d picture, more than %d pixels",
			n, l.imgW, l.imgH, MaxPixels)
	}
	img := newCanvas(l.imgW, l.imgH)
	matW, matH := n*l.cellW, n*l.cellH

	drawText(img, confusionMargin, confusionMargin, title, ink, l.ts)
	caption := "predicted"
	drawText(img, l.x0+matW/2-textWidth(caption, l.ts)/2, l.predY, caption, ink, l.ts)
	caption = "true"
	drawTextUp(img, confusionMargin, l.y0+matH/2+textWidth(caption, l.ts)/2, caption, ink, l.ts)

	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			f := 0.0
			if sums.rows[i] > 0 {
				f = float64(counts[i][j]) / float64(sums.rows[i])
			}
			drawCell(img, &l, l.x0+j*l.cellW, l.y0+i*l.cellH, counts[i][j], f, n > 20)
		}
	}
	// Cell grid lines, one pixel of white between cells when they are big
	// enough, and a frame.
	if l.cellW >= 8 {
		for k := 1; k < n; k++ {
			fillRect(img, l.x0+k*l.cellW, l.y0, 1, matH, white)
			fillRect(img, l.x0, l.y0+k*l.cellH, matW, 1, white)
		}
	}
	strokeRect(img, l.x0, l.y0, matW, matH, frameGrey)
	if l.showLabels {
		drawClassLabels(img, &l, labels)
	}
	ls := l.ls
	drawText(img, l.barX-l.bcapW, l.barY+l.barH/2-textHeight(ls)/2+ls, barCaption, ink, ls)
	drawColourBar(img, l.barX, l.barY, l.barW, l.barH, sequential, "0%", "50%", "100%", ls)
	return encodePNG(w, img)
}

// confusionSums are the sums of a confusion matrix that Confusion draws:
// each row's (a cell's colour is its share of its row), the total and the
// trace (the accuracy in the title), and the largest count (the width of
// a cell).
type confusionSums struct {
	rows                   []int
	total, trace, maxCount int
}

// sumConfusion checks the matrix and names as Confusion documents and
// returns its sums. Its errors lack Confusion's prefix.
func sumConfusion(counts [][]int, names []string) (confusionSums, error) {
	n := len(counts)
	if n == 0 {
		return confusionSums{}, errors.New("no classes (counts is empty)")
	}
	if len(names) != 0 && len(names) != n {
		return confusionSums{}, fmt.Errorf("%d names for %d classes", len(names), n)
	}
	s := confusionSums{rows: make([]int, n)}
	for i, row := range counts {
		if len(row) != n {
			return confusionSums{}, fmt.Errorf("row %d has %d counts, want %d (the matrix must be square)", i, len(row), n)
		}
		for j, c := range row {
			if c < 0 {
				return confusionSums{}, fmt.Errorf("count [%d][%d] is %d, want >= 0", i, j, c)
			}
			if s.rows[i] > math.MaxInt-c || s.total > math.MaxInt-c {
				return confusionSums{}, fmt.Errorf("the counts add up to more than %d", math.MaxInt)
			}
			s.rows[i] += c
			s.total += c
			s.maxCount = max(s.maxCount, c)
		}
		s.trace += row[i]
	}
	return s, nil
}

// drawCell draws the cell of count c, whose share of its row is f, with
// its top-left corner at x, y: its colour from f and, if the layout has
// room, the count in contrasting ink (grey for 0) and, unless small, the
// share under it.
func drawCell(img *image.RGBA, l *confusionLayout, x, y, c int, f float64, small bool) {
	cellW, cellH, cs := l.cellW, l.cellH, l.cs
	bg := sequential.at(f)
	fillRect(img, x, y, cellW, cellH, bg)
	if cs == 0 {
		return
	}
	fg := contrastInk(bg)
	if c == 0 {
		fg = frameGrey
	}
	s := strconv.Itoa(c)
	if small {
		drawText(img, x+cellW/2-textWidth(s, cs)/2, y+cellH/2-textHeight(cs)/2+cs, s, fg, cs)
		return
	}
	pct := ""
	if c > 0 {
		pct = percent(f)
	}
	hc, hp := textHeight(cs)-2*cs, textHeight(1)-2 // without descenders
	top := y + (cellH-hc-4-hp)/2
	if pct == "" {
		top = y + (cellH-hc)/2
	}
	drawText(img, x+cellW/2-textWidth(s, cs)/2, top, s, fg, cs)
	drawText(img, x+cellW/2-textWidth(pct, 1)/2, top+hc+4, pct, fg, 1)
}

// drawClassLabels writes the class names: left of the rows, right-aligned,
// and above the columns, turned upwards if the layout says so.
func drawClassLabels(img *image.RGBA, l *confusionLayout, labels []string) {
	x0, y0, cellW, cellH, ls, gap := l.x0, l.y0, l.cellW, l.cellH, l.ls, l.gap
	for i, s := range labels {
		tw := textWidth(s, ls)
		// Rows: right-aligned, centred on the row (capital height).
		ry := y0 + i*cellH + cellH/2 - (7*ls)/2
		drawText(img, x0-gap-tw, ry, s, ink, ls)
		// Columns: just above the matrix.
		cx := x0 + i*cellW + cellW/2
		if l.turned {
			drawTextUp(img, cx-(7*ls)/2, y0-gap-1, s, ink, ls)
		} else {
			drawText(img, cx-tw/2, y0-gap-textHeight(ls), s, ink, ls)
		}
	}
}

const (
	confusionMargin = 16
	barCaption      = "share of row"
)

// confusionLayout is where Confusion puts things, in pixels.
type confusionLayout struct {
	cellW, cellH int
	ts, ls, cs   int  // font scales of the titles, labels and counts (0: none)
	gap          int  // between labels and the matrix
	showLabels   bool // whether the rows are tall enough for names
	turned       bool // whether the column names read upwards
	x0, y0       int  // the matrix's top-left corner
	predY        int  // the top of the "predicted" caption
	barX, barY   int
	barW, barH   int
	bcapW        int // the colour bar's caption and its spacing
	imgW, imgH   int
}

// layoutConfusion lays out an n x n matrix whose largest count is maxCount.
func layoutConfusion(n, maxCount int, labels []string, title string) confusionLayout {
	var l confusionLayout
	countW := func(scale int) int { return textWidth(strconv.Itoa(maxCount), scale) }
	// Big cells with a count and a share, small cells with a count, or
	// bare cells.
	switch {
	case n <= 20:
		l.ts, l.ls, l.cs = 2, 2, 2
		l.cellW = max(56, countW(l.cs)+16)
		l.cellH = 46
	case n <= 60:
		l.ts, l.ls, l.cs = 2, 1, 1
		l.cellW = max(16, countW(l.cs)+6)
		l.cellH = 16
	default:
		l.ts, l.ls, l.cs = 1, 1, 0
		l.cellW = max(1, 960/n)
		l.cellH = l.cellW
	}
	l.showLabels = l.cellH >= textHeight(l.ls)+2
	l.gap = 4 * l.ls

	// Row labels on the left, right-aligned; column labels on top,
	// horizontal if every one fits its column, else turned.
	labelW, colLabelH := 0, 0
	if l.showLabels {
		for _, s := range labels {
			labelW = max(labelW, textWidth(s, l.ls))
		}
		l.turned = labelW > l.cellW-4
		colLabelH = textHeight(l.ls)
		if l.turned {
			colLabelH = labelW
		}
	}
	th := textHeight(l.ts)
	m := confusionMargin
	matW, matH := n*l.cellW, n*l.cellH
	l.x0 = m + th + l.gap + labelW + l.gap
	l.predY = m + th + 2*l.gap
	l.y0 = l.predY + th + l.gap + colLabelH + l.gap
	l.barH = 7 * l.ls
	l.barY = l.y0 + matH + 4*l.gap
	l.barW = max(160, min(matW*2/3, 320))
	l.bcapW = textWidth(barCaption, l.ls) + 4*l.ls
	l.imgW = max(l.x0+matW+m, textWidth(title, l.ts)+2*m, l.bcapW+l.barW+2*m,
		l.x0+matW/2+textWidth("predicted", l.ts)/2+m)
	l.imgH = l.barY + l.barH + 2*l.ls + 1 + textHeight(l.ls) + m
	// The bar centred under the matrix, its caption on its left, inside
	// the picture.
	l.barX = l.x0 + matW/2 - l.barW/2
	l.barX = max(l.barX, m+l.bcapW)
	l.barX = min(l.barX, l.imgW-m-l.barW)
	return l
}

// accuracyTitle is the title line of Confusion.
func accuracyTitle(trace, total int) string {
	if total == 0 {
		return "no samples"
	}
	return fmt.Sprintf("accuracy %s%% (%d of %d)",
		strconv.FormatFloat(100*float64(trace)/float64(total), 'f', 2, 64), trace, total)
}

// percent formats a share in [0, 1] as a whole percentage, "<1%" for a
// share that would round to 0 and ">99%" for one that would round to 100
// without being all.
func percent(f float64) string {
	p := 100 * f
	switch {
	case p > 0 && p < 0.5:
		return "<1%"
	case p < 100 && p >= 99.5:
		return ">99%"
	}
	return strconv.FormatFloat(math.Round(p), 'f', 0, 64) + "%"
}
