package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/softmax-fast/softmax-fast/internal/atomicfile"
	"github.com/softmax-fast/softmax-fast/plot"
	"github.com/softmax-fast/softmax-fast/softmax"
)

// Picture file names in a -plot directory.
const (
	weightsPNG   = "weights.png"
	curvesSVG    = "curves.svg"
	confusionPNG = "confusion.png"
)

// pictures writes, in dir (created if missing), the model's weight
// templates, the confusion matrix on test and, if stats is not empty, the
// training curves; it returns the paths written. Each file is written
// atomically.
//
// kept is the epoch whose model m is (the last, or the best with early
// stopping); the curves' title names it.
func pictures(dir string, m *softmax.Dense, width, height int, test softmax.Dataset, stats []softmax.EpochStats, kept softmax.EpochStats) ([]string, error) {
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return nil, fmt.Errorf("-plot: %w", err)
	}
	names := className(m)
	var written []string
	write := func(name string, draw func(w io.Writer) error) error {
		path := filepath.Join(dir, name)
		if err := atomicfile.Write(path, 0o644, draw); err != nil {
			return fmt.Errorf("-plot: %s: %w", path, err)
		}
		written = append(written, path)
		return nil
	}
	rows := make([][]float32, m.Classes())
	for c := range rows {
		rows[c] = m.W.Row(c)
	}
	if err := write(weightsPNG, func(w io.Writer) error { return plot.Templates(w, rows, width, height, names) }); err != nil {
		return written, err
	}
	conf, err := m.Confusion(test)
	if err != nil {
		return written, err
	}
	if err := write(confusionPNG, func(w io.Writer) error { return plot.Confusion(w, conf, names) }); err != nil {
		return written, err
	}
	if len(stats) == 0 {
		return written, nil
	}
	x := make([]float64, len(stats))
	loss := plot.Series{Name: "training loss", Axis: plot.AxisLeft, Values: make([]float64, len(stats))}
	trainAcc := plot.Series{Name: "train acc", Axis: plot.AxisRight, Values: make([]float64, len(stats))}
	valAcc := plot.Series{Name: "val acc", Axis: plot.AxisRight, Values: make([]float64, len(stats))}
	testAcc := plot.Series{Name: "test acc", Axis: plot.AxisRight, Values: make([]float64, len(stats))}
	hasVal := false
	for i, s := range stats {
		x[i] = float64(s.Epoch)
		loss.Values[i], trainAcc.Values[i], valAcc.Values[i], testAcc.Values[i] = s.Loss, s.TrainAcc, s.ValAcc, s.TestAcc
		hasVal = hasVal || !math.IsNaN(s.ValAcc)
	}
	series := []plot.Series{loss, trainAcc}
	if hasVal {
		series = append(series, valAcc)
	}
	series = append(series, testAcc)
	title := fmt.Sprintf("training: %d epochs, final test acc %.4f", len(stats), kept.TestAcc)
	if kept.Epoch != len(stats) {
		title = fmt.Sprintf("training: %d epochs, kept epoch %d (test acc %.4f)", len(stats), kept.Epoch, kept.TestAcc)
	}
	err = write(curvesSVG, func(w io.Writer) error {
		return plot.Curves(w, x, series, plot.CurveOptions{Title: title, XLabel: "epoch"})
	})
	return written, err
}
