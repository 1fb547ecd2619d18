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
	"github.com/softmax-fast/softmax-fast/softmax"
	"github.com/softmax-fast/softmax-fast/tensor"
)

type trainFlags struct {
	runFlags
	out, plot, progress, cpuProfile string
}

// runTrain is the train command: it trains a model with the recipe of the
// command line, reporting every epoch and a summary, and writes the model
// and the pictures asked for.
func runTrain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, r, err := parseTrain(args, stderr)
	if err != nil {
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
	t, err := newTrainRun(f, r, d, prog, stdout)
	if err != nil {
		return err
	}
	if f.cpuProfile != "" {
		stop, err := startProfile(f.cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	stats, fitErr := t.fit(ctx)
	saved, what, err := t.save(stats, fitErr)
	if err != nil {
		return err
	}
	if fitErr != nil {
		return fitFailure(fitErr, len(stats), f.out, saved, what)
	}
	var pics []string
	if f.plot != "" {
		width, height := d.imageSize()
		if pics, err = pictures(f.plot, t.model, width, height, d.test, stats, keptEpoch(stats, r.earlyStop > 0)); err != nil {
			return err
		}
	}
	return t.summary(stats, start, saved, pics)
}

// parseTrain parses the train command's flags and checks its recipe, so
// that a bad command line fails before anything is loaded.
func parseTrain(args []string, stderr io.Writer) (*trainFlags, *recipe, error) {
	var f trainFlags
	r, err := parseRecipe("train", "[flags]", args, stderr, false, func(fs *flag.FlagSet) {
		f.register(fs, "one JSON object per epoch, then a summary,")
		fs.StringVar(&f.out, "out", "", "write the trained model to this file")
		fs.StringVar(&f.plot, "plot", "", "write pictures (weights, training curves, confusion matrix) to this directory")
		fs.StringVar(&f.progress, "progress", "auto", "live progress line within epochs: auto (on a terminal), on, off")
		fs.StringVar(&f.cpuProfile, "cpuprofile", "", "write a CPU profile of the training to this file (go tool pprof)")
	})
	if err != nil {
		return nil, nil, err
	}
	if err := r.validate(); err != nil {
		return nil, nil, err
	}
	return &f, r, nil
}

// trainRun is one training of the train command: its options, data and
// model, and where it reports.
type trainRun struct {
	f        *trainFlags
	r        *recipe
	d        *runData
	model    *softmax.Dense
	prog     *progress // nil: no progress line
	stdout   io.Writer
	enc      *json.Encoder  // on stdout, with -json
	lastGood *softmax.Dense // with -out, the model after the last complete epoch
}

// newTrainRun makes the untrained model for d's images and prints the
// recipe (except with -json, whose stdout holds only JSON).
func newTrainRun(f *trainFlags, r *recipe, d *runData, prog *progress, stdout io.Writer) (*trainRun, error) {
	if prog != nil {
		prog.batch = min(r.batch, d.train.Len()) // the samples of a step
	}
	model, err := d.newModel(r.sigma, r.seed)
	if err != nil {
		return nil, err
	}
	if !f.asJSON {
		fmt.Fprintf(stdout, "recipe    %s\n", r)
	}
	return &trainRun{f: f, r: r, d: d, model: model, prog: prog, stdout: stdout, enc: json.NewEncoder(stdout)}, nil
}

// fit trains the model on the training set, with the validation and test
// sets evaluated after every epoch, and returns the stats of the complete
// epochs and Fit's error.
func (t *trainRun) fit(ctx context.Context) ([]softmax.EpochStats, error) {
	f, r, prog, model := t.f, t.r, t.prog, t.model
	train, val, test := t.d.train, t.d.val, t.d.test
	tr := t.d.trainer(r, f.threads)
	tr.Validation = val
	tr.OnStep = prog.step
	tr.OnEpoch = t.epoch
	prog.begin()
	stats, fitErr := tr.Fit(ctx, model, train, test)
	prog.clear()
	for i := range stats {
		stats[i].TestAcc = t.d.testAcc(stats[i].TestAcc)
	}
	return stats, fitErr
}

// maxEpochLines is about the most epoch lines a training prints without
// -json (which reports every epoch).
const maxEpochLines = 50

// epoch is the Trainer's OnEpoch: with -out it keeps a copy of the model,
// so that an interrupted training can still write its last complete epoch,
// and it reports the epoch as a JSON object or a line.
func (t *trainRun) epoch(s softmax.EpochStats) error {
	if t.f.out != "" {
		t.lastGood = t.model.Clone()
	}
	s.TestAcc = t.d.testAcc(s.TestAcc)
	if t.f.asJSON {
		rec := map[string]any{
			"epoch": s.Epoch, "loss": s.Loss, "train_acc": s.TrainAcc,
			"lr": s.LR, "seconds": s.TrainTime.Seconds(), "eval_seconds": s.EvalTime.Seconds(),
		}
		if t.d.hasTest() {
			rec["test_acc"] = s.TestAcc
		}
		if t.r.val > 0 {
			rec["val_acc"], rec["best"] = s.ValAcc, s.Best
		}
		return t.enc.Encode(rec)
	}
	if every := max(1, t.r.epochs/maxEpochLines); s.Epoch%every != 0 && s.Epoch != t.r.epochs {
		return nil // a long training reports about maxEpochLines epochs
	}
	t.prog.clear()
	valText := ""
	if t.r.val > 0 {
		valText = fmt.Sprintf(", val acc %.3f", s.ValAcc)
		if s.Best && t.r.earlyStop > 0 {
			valText += " (best)"
		}
	}
	if t.d.hasTest() {
		valText += fmt.Sprintf(", test acc %.3f", s.TestAcc)
	}
	_, err := fmt.Fprintf(t.stdout, "epoch %d, loss %.4f, train acc %.3f%s  (%.3f s, %s samples/s, eval %.1f ms)\n",
		s.Epoch, s.Loss, s.TrainAcc, valText, s.TrainTime.Seconds(),
		rate(float64(t.d.train.Len())/s.TrainTime.Seconds()), float64(s.EvalTime.Microseconds())/1000)
	return err
}

// save writes, with -out, the model worth keeping after Fit returned
// fitErr: the trained model on success; on an interruption the model Fit
// left (the best epoch's with early stopping, the averaged one once
// averaging began) or else the last complete epoch's; nothing after a
// divergence, so that an existing file stays. It returns the path written
// (empty if none) and, when it is not the model of the last epoch, what it
// is. A failed write is returned joined with fitErr.
func (t *trainRun) save(stats []softmax.EpochStats, fitErr error) (saved, what string, err error) {
	f, r, model, lastGood := t.f, t.r, t.model, t.lastGood
	if f.out == "" {
		return "", "", nil
	}
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
	if lastGood == nil {
		return "", what, nil
	}
	if err := lastGood.Save(f.out); err != nil {
		return "", what, errors.Join(fitErr, fmt.Errorf("-out: %w", err))
	}
	return f.out, what, nil
}

// fitFailure is the error of a training that did not complete: for an
// interruption, how many epochs completed and which model, if any, was
// written to out (saved, what as save returned them); for a divergence,
// that no model was written.
func fitFailure(fitErr error, epochs int, out, saved, what string) error {
	if errors.Is(fitErr, context.Canceled) {
		msg := fmt.Sprintf("interrupted after %d complete epochs", epochs)
		if saved != "" {
			if what == "" {
				what = fmt.Sprintf("the model of epoch %d", epochs)
			}
			msg += fmt.Sprintf("; wrote %s to %s", what, saved)
		} else if out != "" {
			msg += "; no model written"
		}
		return errors.New(msg)
	}
	if errors.Is(fitErr, softmax.ErrDiverged) {
		return fmt.Errorf("%w; no model written", fitErr)
	}
	return fitErr
}

// summary reports a complete training: the kept epoch's accuracy, the
// times (training, loading, and in all since start), and the model and
// pictures written, as one JSON object or as lines.
func (t *trainRun) summary(stats []softmax.EpochStats, start time.Time, saved string, pics []string) error {
	f, r, linfo, train := t.f, t.r, t.d.load, t.d.train
	var trainTime time.Duration
	for _, s := range stats {
		trainTime += s.TrainTime
	}
	final := keptEpoch(stats, r.earlyStop > 0)
	if f.asJSON {
		rec := map[string]any{
			"summary": true, "epochs": len(stats), "train_acc": final.TrainAcc,
			"loss": final.Loss, "train_seconds": trainTime.Seconds(), "load_seconds": linfo.Duration.Seconds(),
			"total_seconds": time.Since(start).Seconds(), "isa": currentISA(), "threads": f.threads,
			"from_cache": linfo.FromCache, "model": saved, "kept_epoch": final.Epoch,
		}
		if pics != nil {
			rec["pictures"] = pics
		}
		if t.d.hasTest() {
			rec["test_acc"] = final.TestAcc
		}
		if r.val > 0 {
			rec["val_acc"] = final.ValAcc
		}
		return t.enc.Encode(rec)
	}
	stdout := t.stdout
	kept := ""
	if final.Epoch != len(stats) {
		kept = fmt.Sprintf(" (kept epoch %d, val acc %.4f)", final.Epoch, final.ValAcc)
	}
	acc := fmt.Sprintf("train acc %.4f", final.TrainAcc)
	if t.d.hasTest() {
		acc = fmt.Sprintf("test acc %.4f", final.TestAcc)
	}
	fmt.Fprintf(stdout, "done      %s%s after %d epochs; training %.3f s (%s samples/s), load %.3f s, total %.3f s\n",
		acc, kept, len(stats), trainTime.Seconds(),
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
