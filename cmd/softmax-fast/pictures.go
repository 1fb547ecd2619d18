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
// templates (for a model of width x height images; none when width is 0),
// the confusion matrix on test (if not empty) and, if stats is not empty,
// the training curves; it returns the paths written. Each file is written
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
	if width > 0 {
		rows := make([][]float32, m.Classes())
		for c := range rows {
			rows[c] = m.W.Row(c)
		}
		if err := write(weightsPNG, func(w io.Writer) error { return plot.Templates(w, rows, width, height, names) }); err != nil {
			return written, err
		}
	}
	if test.Len() > 0 {
		conf, err := m.Confusion(test)
		if err != nil {
			return written, err
		}
		if err := write(confusionPNG, func(w io.Writer) error { return plot.Confusion(w, conf, names) }); err != nil {
			return written, err
		}
	}
	if len(stats) == 0 {
		return written, nil
	}
	return written, curves(write, stats, kept)
}

// curves writes the training curves of stats with write (pictures').
func curves(write func(string, func(io.Writer) error) error, stats []softmax.EpochStats, kept softmax.EpochStats) error {
	x := make([]float64, len(stats))
	loss := plot.Series{Name: "training loss", Axis: plot.AxisLeft, Values: make([]float64, len(stats))}
	trainAcc := plot.Series{Name: "train acc", Axis: plot.AxisRight, Values: make([]float64, len(stats))}
	valAcc := plot.Series{Name: "val acc", Axis: plot.AxisRight, Values: make([]float64, len(stats))}
	testAcc := plot.Series{Name: "test acc", Axis: plot.AxisRight, Values: make([]float64, len(stats))}
	hasVal, hasTest := false, false
	for i, s := range stats {
		x[i] = float64(s.Epoch)
		loss.Values[i], trainAcc.Values[i], valAcc.Values[i], testAcc.Values[i] = s.Loss, s.TrainAcc, s.ValAcc, s.TestAcc
		hasVal = hasVal || !math.IsNaN(s.ValAcc)
		hasTest = hasTest || !math.IsNaN(s.TestAcc)
	}
	series := []plot.Series{loss, trainAcc}
	if hasVal {
		series = append(series, valAcc)
	}
	accName, acc := "train acc", kept.TrainAcc
	if hasTest {
		series = append(series, testAcc)
		accName, acc = "test acc", kept.TestAcc
	}
	title := fmt.Sprintf("training: %d epochs, final %s %.4f", len(stats), accName, acc)
	if kept.Epoch != len(stats) {
		title = fmt.Sprintf("training: %d epochs, kept epoch %d (%s %.4f)", len(stats), kept.Epoch, accName, acc)
	}
	return write(curvesSVG, func(w io.Writer) error {
		return plot.Curves(w, x, series, plot.CurveOptions{Title: title, XLabel: "epoch"})
	})
}
