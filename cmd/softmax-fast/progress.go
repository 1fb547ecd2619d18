package main

import (
	"fmt"
	"io"
	"os"
	"time"
)

// progress draws a live line on a terminal while an epoch trains: steps,
// throughput and the time left. The epoch's own line replaces it.
type progress struct {
	w             io.Writer
	epochs, batch int
	start, last   time.Time
	done          int // steps done in earlier epochs
	shown         bool
}

// progressEvery is the least time between two redraws.
var progressEvery = 100 * time.Millisecond

// newProgress returns a progress line on w, or nil (drawing nothing) if
// mode is "off", or "auto" and w is not a terminal.
func newProgress(mode string, w io.Writer, epochs, batch int) (*progress, error) {
	switch mode {
	case "on":
	case "off":
		return nil, nil
	case "auto":
		if !isTerminal(w) {
			return nil, nil
		}
	default:
		return nil, usagef("-progress %s: want auto, on or off", mode)
	}
	return &progress{w: w, epochs: epochs, batch: batch}, nil
}

// begin marks the start of training.
func (p *progress) begin() {
	if p != nil {
		p.start = time.Now()
		p.last = p.start
	}
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// step is called after every training step (Trainer.OnStep).
func (p *progress) step(epoch, step, steps int) {
	if p == nil {
		return
	}
	now := time.Now()
	if step == steps {
		p.done += steps
	}
	if now.Sub(p.last) < progressEvery || step == steps {
		return
	}
	p.last = now
	total := p.done + step
	elapsed := now.Sub(p.start).Seconds()
	left := float64(p.epochs*steps-total) * elapsed / float64(total)
	fmt.Fprintf(p.w, "\r\033[Kepoch %d/%d  step %d/%d  %s samples/s  %.1f s left",
		epoch, p.epochs, step, steps, rate(float64(total*p.batch)/elapsed), left)
	p.shown = true
}

// clear erases the line before other output.
func (p *progress) clear() {
	if p != nil && p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}
