package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/softmax-fast/softmax-fast/internal/cpuinfo"
	"github.com/softmax-fast/softmax-fast/mnist"
	"github.com/softmax-fast/softmax-fast/softmax"
	"github.com/softmax-fast/softmax-fast/tensor"
)

type trainFlags struct {
	runFlags
	out, plot, progress, cpuProfile string
}

func runTrain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f trainFlags
	r, err := parseRecipe("train", "[flags]", args, stderr, false, func(fs *flag.FlagSet) {
		f.register(fs, "one JSON object per epoch, then a summary,")
		fs.StringVar(&f.out, "out", "", "write the trained model to this file")
		fs.StringVar(&f.plot, "plot", "", "write pictures (weights, training curves, confusion matrix) to this directory")
		fs.StringVar(&f.progress, "progress", "auto", "live progress line within epochs: auto (on a terminal), on, off")
		fs.StringVar(&f.cpuProfile, "cpuprofile", "", "write a CPU profile of the training to this file (go tool pprof)")
	})
	if err != nil {
		return err
	}
	if err := r.validate(); err != nil {
		return err
	}
	progressMode := f.progress
	if f.asJSON {
		progressMode = "off"
	}
	prog, err := newProgress(progressMode, stdout, r.epochs, r.batch)
	if err != nil {
		return err
	}
	// Fail on an unusable -out or -plot now, not after the training.
	if err := checkOutputs(f.out, f.plot); err != nil {
		return err
	}
	start := time.Now()
	d, err := f.start(stdout, stderr, r)
	if err != nil {
		return err
	}
	ds, linfo, train, val, test := d.ds, d.load, d.train, d.val, d.test
	if prog != nil {
		prog.batch = min(r.batch, train.Len()) // the samples of a step
	}
	model, err := softmax.NewDense(ds.Train.Rows*ds.Train.Cols, mnist.NumClasses, r.sigma, r.seed)
	if err != nil {
		return err
	}
	model.Names = mnist.ClassNames[:]
	if !f.asJSON {
		fmt.Fprintf(stdout, "recipe    %s\n", r)
	}

	var lastGood *softmax.Dense // the model after the last complete epoch
	enc := json.NewEncoder(stdout)
	tr := r.trainer(f.threads)
	tr.Validation = val
	tr.OnStep = prog.step
	tr.OnEpoch = func(s softmax.EpochStats) error {
		if f.out != "" {
			lastGood = model.Clone()
		}
		if f.asJSON {
			rec := map[string]any{
				"epoch": s.Epoch, "loss": s.Loss, "train_acc": s.TrainAcc, "test_acc": s.TestAcc,
				"lr": s.LR, "seconds": s.TrainTime.Seconds(), "eval_seconds": s.EvalTime.Seconds(),
			}
			if r.val > 0 {
				rec["val_acc"], rec["best"] = s.ValAcc, s.Best
			}
			return enc.Encode(rec)
		}
		prog.clear()
		valText := ""
		if r.val > 0 {
			valText = fmt.Sprintf(", val acc %.3f", s.ValAcc)
			if s.Best && r.earlyStop > 0 {
				valText += " (best)"
			}
		}
		_, err := fmt.Fprintf(stdout, "epoch %d, loss %.4f, train acc %.3f%s, test acc %.3f  (%.3f s, %s samples/s, eval %.1f ms)\n",
			s.Epoch, s.Loss, s.TrainAcc, valText, s.TestAcc, s.TrainTime.Seconds(),
			rate(float64(train.Len())/s.TrainTime.Seconds()), float64(s.EvalTime.Microseconds())/1000)
		return err
	}
	if f.cpuProfile != "" {
		stop, err := startProfile(f.cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	prog.begin()
	stats, fitErr := tr.Fit(ctx, model, train, test)
	prog.clear()

	var trainTime time.Duration
	for _, s := range stats {
		trainTime += s.TrainTime
	}
	saved, what := "", ""
	if f.out != "" {
		switch {
		case fitErr == nil:
			lastGood = model
		case errors.Is(fitErr, softmax.ErrDiverged):
			lastGood = nil // nothing trustworthy to keep; an existing file stays
		case r.earlyStop > 0 && len(stats) > 0:
			// Fit left the best epoch's weights in model.
			lastGood, what = model, "the best epoch's model"
		case r.average > 0 && len(stats) > r.epochs-r.average:
			// Fit left the mean of the weights so far in model.
			lastGood, what = model, "the averaged model"
		}
		if lastGood != nil {
			if err := lastGood.Save(f.out); err != nil {
				return errors.Join(fitErr, fmt.Errorf("-out: %w", err))
			}
			saved = f.out
		}
	}
	if fitErr != nil {
		if errors.Is(fitErr, context.Canceled) {
			msg := fmt.Sprintf("interrupted after %d complete epochs", len(stats))
			if saved != "" {
				if what == "" {
					what = fmt.Sprintf("the model of epoch %d", len(stats))
				}
				msg += fmt.Sprintf("; wrote %s to %s", what, saved)
			} else if f.out != "" {
				msg += "; no model written"
			}
			return errors.New(msg)
		}
		if errors.Is(fitErr, softmax.ErrDiverged) {
			return fmt.Errorf("%w; no model written", fitErr)
		}
		return fitErr
	}
	var pics []string
	if f.plot != "" {
		if pics, err = pictures(f.plot, model, ds.Train.Cols, ds.Train.Rows, test, stats, keptEpoch(stats, r.earlyStop > 0)); err != nil {
			return err
		}
	}
	final := keptEpoch(stats, r.earlyStop > 0)
	if f.asJSON {
		rec := map[string]any{
			"summary": true, "epochs": len(stats), "test_acc": final.TestAcc, "train_acc": final.TrainAcc,
			"loss": final.Loss, "train_seconds": trainTime.Seconds(), "load_seconds": linfo.Duration.Seconds(),
			"total_seconds": time.Since(start).Seconds(), "isa": currentISA(), "threads": f.threads,
			"from_cache": linfo.FromCache, "model": saved, "kept_epoch": final.Epoch,
		}
		if pics != nil {
			rec["pictures"] = pics
		}
		if r.val > 0 {
			rec["val_acc"] = final.ValAcc
		}
		return enc.Encode(rec)
	}
	kept := ""
	if final.Epoch != len(stats) {
		kept = fmt.Sprintf(" (kept epoch %d, val acc %.4f)", final.Epoch, final.ValAcc)
	}
	fmt.Fprintf(stdout, "done      test acc %.4f%s after %d epochs; training %.3f s (%s samples/s), load %.3f s, total %.3f s\n",
		final.TestAcc, kept, len(stats), trainTime.Seconds(),
		rate(float64(train.Len()*len(stats))/trainTime.Seconds()), linfo.Duration.Seconds(), time.Since(start).Seconds())
	if saved != "" {
		fmt.Fprintf(stdout, "model     written to %s\n", saved)
	}
	if pics != nil {
		fmt.Fprintf(stdout, "pictures  %s\n", strings.Join(pics, ", "))
	}
	return nil
}

// selectISA applies -isa (a usage error if unknown or unavailable) and
// otherwise checks SOFTMAX_FAST_ISA.
func selectISA(name string) error {
	if name == "" {
		_, err := tensor.CurrentISA()
		return err
	}
	l := tensor.Best()
	if name != "best" {
		var err error
		if l, err = tensor.ParseISA(name); err != nil {
			return usagef("-isa %s: %v", name, err)
		}
	}
	if err := tensor.SetISA(l); err != nil {
		return usagef("-isa %s: %v", name, err)
	}
	return nil
}

func currentISA() string {
	l, _ := tensor.CurrentISA()
	return l.String()
}

func printHeader(w io.Writer, threads int) {
	c := cpuinfo.Get()
	name := c.Name
	if name == "" {
		name = "unknown CPU"
	}
	fmt.Fprintf(w, "cpu       %s, %d logical CPUs; isa %s (available %v); threads %d\n",
		name, c.LogicalCores, c.ISASelected, c.ISAAvailable, threads)
}

// rate formats a count per second with a metric suffix.
func rate(v float64) string {
	switch {
	case v >= 1e9:
		return fmt.Sprintf("%.2fG", v/1e9)
	case v >= 1e6:
		return fmt.Sprintf("%.2fM", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%.1fk", v/1e3)
	}
	return fmt.Sprintf("%.0f", v)
}

// startProfile starts a CPU profile written to path.
func startProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("-cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("-cpuprofile %s: %w", path, err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// keptEpoch returns the stats of the epoch whose model training keeps: the
// last, or with early stopping the best.
func keptEpoch(stats []softmax.EpochStats, earlyStop bool) softmax.EpochStats {
	final := stats[len(stats)-1]
	if earlyStop {
		for _, s := range stats {
			if s.Best {
				final = s
			}
		}
	}
	return final
}

// checkOutputs reports, as usage errors, a -plot path that cannot be a
// directory (it is created if missing) and an -out file whose directory is
// missing or not writable.
func checkOutputs(out, plotDir string) error {
	if plotDir != "" {
		if err := os.MkdirAll(plotDir, 0o777); err != nil {
			return usagef("-plot %s: %v", plotDir, err)
		}
	}
	if out != "" {
		if st, err := os.Stat(out); err == nil && st.IsDir() {
			return usagef("-out %s: is a directory", out)
		}
		dir := filepath.Dir(out)
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return usagef("-out %s: the directory %s does not exist", out, dir)
		}
		f, err := os.CreateTemp(dir, ".softmax-fast-check-*")
		if err != nil {
			return usagef("-out %s: cannot write in %s: %v", out, dir, err)
		}
		f.Close()
		os.Remove(f.Name())
	}
	return nil
}
