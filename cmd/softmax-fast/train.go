package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/softmax-fast/softmax-fast/mnist"
	"github.com/softmax-fast/softmax-fast/softmax"
	"github.com/softmax-fast/softmax-fast/tensor"
	"github.com/softmax-fast/softmax-fast/tensor/cpuinfo"
)

type trainFlags struct {
	data, isa, out                 string
	epochs, batch, threads         int
	lr, sigma                      float64
	momentum, weightDecay, lrDecay float64
	decayEvery                     int
	seed                           uint64
	asJSON, noCache                bool
	cpuProfile                     string
	nesterov, cosine               bool
	smoothing, gce, ceShare        float64
	average, val, earlyStop        int
}

func runTrain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("train", "[flags]", stderr)
	var f trainFlags
	fs.StringVar(&f.data, "data", "", "Fashion-MNIST directory (default: $FASHION_MNIST_DIR, "+mnist.SystemDir+", ./"+mnist.LocalDir+")")
	fs.IntVar(&f.epochs, "epochs", 5, "passes over the training set")
	fs.IntVar(&f.batch, "batch-size", 256, "examples per SGD step")
	fs.Float64Var(&f.lr, "lr", 0.1, "learning rate")
	fs.Float64Var(&f.sigma, "sigma", 0.01, "standard deviation of the initial weights")
	fs.Uint64Var(&f.seed, "seed", 1, "seed of the initial weights and the shuffling")
	fs.IntVar(&f.threads, "threads", runtime.NumCPU(), "goroutines per product")
	fs.StringVar(&f.isa, "isa", "", "kernel set: generic, avx2, neon or best (default: $SOFTMAX_FAST_ISA, else best)")
	fs.StringVar(&f.out, "out", "", "write the trained model to this file")
	fs.BoolVar(&f.asJSON, "json", false, "print one JSON object per epoch, then a summary, on stdout")
	fs.BoolVar(&f.noCache, "no-cache", false, "decode the IDX files even if a decoded copy is cached")
	fs.Float64Var(&f.momentum, "momentum", 0, "SGD momentum in [0, 1)")
	fs.Float64Var(&f.weightDecay, "weight-decay", 0, "L2 weight decay (>= 0)")
	fs.Float64Var(&f.lrDecay, "lr-decay", 1, "multiply the learning rate by this (0, 1] every -decay-every epochs")
	fs.IntVar(&f.decayEvery, "decay-every", 1, "epochs between learning-rate decays")
	fs.BoolVar(&f.nesterov, "nesterov", false, "Nesterov momentum (needs -momentum)")
	fs.BoolVar(&f.cosine, "cosine", false, "cosine learning-rate schedule from -lr to 0 over the training (instead of -lr-decay)")
	fs.Float64Var(&f.smoothing, "label-smoothing", 0, "label smoothing in [0, 1)")
	fs.Float64Var(&f.gce, "gce", 0, "generalized cross-entropy exponent q in (0, 1] (0: the cross-entropy)")
	fs.Float64Var(&f.ceShare, "ce-share", 0, "share of cross-entropy mixed into the -gce loss, in [0, 1]")
	fs.IntVar(&f.average, "average", 0, "average the weights over every step of the last N epochs")
	fs.IntVar(&f.val, "val", 0, "hold out N training images (picked with -seed) as a validation set")
	fs.IntVar(&f.earlyStop, "early-stop", 0, "stop after N epochs without a better validation accuracy, keep the best (needs -val)")
	fs.StringVar(&f.cpuProfile, "cpuprofile", "", "write a CPU profile of the training to this file (go tool pprof)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	if err := f.validate(); err != nil {
		return err
	}
	if err := selectISA(f.isa); err != nil {
		return err
	}
	tensor.SetThreads(f.threads)

	info := stderr // the header goes to stderr with -json, so stdout is pure JSON
	if !f.asJSON {
		info = stdout
	}
	start := time.Now()
	printHeader(info, f.threads)
	ds, linfo, err := loadData(f.data, f.noCache, info)
	if err != nil {
		return err
	}
	train, test := asDataset(ds.Train), asDataset(ds.Test)
	var val softmax.Dataset
	if f.val > 0 {
		if f.val >= train.Len() {
			return usagef("-val %d: the training set has only %d images", f.val, train.Len())
		}
		if train, val, err = train.Split(f.val, f.seed); err != nil {
			return err
		}
	}
	model, err := softmax.NewDense(ds.Train.Rows*ds.Train.Cols, mnist.NumClasses, f.sigma, f.seed)
	if err != nil {
		return err
	}
	model.Names = mnist.ClassNames[:]
	if !f.asJSON {
		fmt.Fprintf(stdout, "recipe    %d epochs, batch %d, lr %g, sigma %g, seed %d%s\n",
			f.epochs, f.batch, f.lr, f.sigma, f.seed, f.extras())
	}

	var lastGood *softmax.Dense // the model after the last complete epoch
	enc := json.NewEncoder(stdout)
	tr := &softmax.Trainer{
		Epochs:    f.epochs,
		BatchSize: f.batch,
		Seed:      f.seed,
		Threads:   f.threads,
		SGD: softmax.SGD{LR: f.lr, Momentum: f.momentum, Nesterov: f.nesterov, WeightDecay: f.weightDecay,
			LRDecay: f.lrDecay, DecayEvery: f.decayEvery, Cosine: f.cosine},
		Validation:     val,
		EarlyStop:      f.earlyStop,
		LabelSmoothing: f.smoothing,
		GCE:            f.gce,
		CEShare:        f.ceShare,
		Average:        f.average,
		OnEpoch: func(s softmax.EpochStats) error {
			if f.out != "" {
				lastGood = model.Clone()
			}
			if f.asJSON {
				rec := map[string]any{
					"epoch": s.Epoch, "loss": s.Loss, "train_acc": s.TrainAcc, "test_acc": s.TestAcc,
					"lr": s.LR, "seconds": s.TrainTime.Seconds(), "eval_seconds": s.EvalTime.Seconds(),
				}
				if f.val > 0 {
					rec["val_acc"], rec["best"] = s.ValAcc, s.Best
				}
				return enc.Encode(rec)
			}
			valText := ""
			if f.val > 0 {
				valText = fmt.Sprintf(", val acc %.3f", s.ValAcc)
			}
			_, err := fmt.Fprintf(stdout, "epoch %d, loss %.4f, train acc %.3f%s, test acc %.3f  (%.3f s, %s samples/s, eval %.1f ms)\n",
				s.Epoch, s.Loss, s.TrainAcc, valText, s.TestAcc, s.TrainTime.Seconds(),
				rate(float64(train.Len())/s.TrainTime.Seconds()), float64(s.EvalTime.Microseconds())/1000)
			return err
		},
	}
	if f.cpuProfile != "" {
		stop, err := startProfile(f.cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	stats, fitErr := tr.Fit(ctx, model, train, test)

	var trainTime time.Duration
	for _, s := range stats {
		trainTime += s.TrainTime
	}
	saved := ""
	if f.out != "" {
		switch {
		case fitErr == nil:
			lastGood = model
		case errors.Is(fitErr, softmax.ErrDiverged):
			lastGood = nil // nothing trustworthy to keep
		}
		if lastGood != nil {
			if err := lastGood.Save(f.out); err != nil {
				return errors.Join(fitErr, err)
			}
			saved = f.out
		}
	}
	if fitErr != nil {
		if errors.Is(fitErr, context.Canceled) {
			msg := fmt.Sprintf("interrupted after %d complete epochs", len(stats))
			if saved != "" {
				msg += fmt.Sprintf("; wrote the model of epoch %d to %s", len(stats), saved)
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
	final := stats[len(stats)-1]
	if f.asJSON {
		return enc.Encode(map[string]any{
			"summary": true, "epochs": len(stats), "test_acc": final.TestAcc, "train_acc": final.TrainAcc,
			"loss": final.Loss, "train_seconds": trainTime.Seconds(), "load_seconds": linfo.Duration.Seconds(),
			"total_seconds": time.Since(start).Seconds(), "isa": currentISA(), "threads": f.threads,
			"from_cache": linfo.FromCache, "model": saved,
		})
	}
	fmt.Fprintf(stdout, "done      test acc %.4f after %d epochs; training %.3f s (%s samples/s), load %.3f s, total %.3f s\n",
		final.TestAcc, len(stats), trainTime.Seconds(),
		rate(float64(train.Len()*len(stats))/trainTime.Seconds()), linfo.Duration.Seconds(), time.Since(start).Seconds())
	if saved != "" {
		fmt.Fprintf(stdout, "model     written to %s\n", saved)
	}
	return nil
}

func (f *trainFlags) validate() error {
	switch {
	case f.epochs < 1:
		return usagef("-epochs %d: want at least 1", f.epochs)
	case f.batch < 1:
		return usagef("-batch-size %d: want at least 1", f.batch)
	case !(f.lr > 0) || math.IsInf(f.lr, 0):
		return usagef("-lr %v: want a finite number > 0", f.lr)
	case !(f.sigma >= 0) || math.IsInf(f.sigma, 0):
		return usagef("-sigma %v: want a finite number >= 0", f.sigma)
	case f.threads < 1:
		return usagef("-threads %d: want at least 1", f.threads)
	case !(f.momentum >= 0 && f.momentum < 1):
		return usagef("-momentum %v: want a number in [0, 1)", f.momentum)
	case !(f.weightDecay >= 0) || math.IsInf(f.weightDecay, 0):
		return usagef("-weight-decay %v: want a finite number >= 0", f.weightDecay)
	case !(f.lrDecay > 0 && f.lrDecay <= 1):
		return usagef("-lr-decay %v: want a number in (0, 1]", f.lrDecay)
	case f.decayEvery < 1:
		return usagef("-decay-every %d: want at least 1", f.decayEvery)
	}
	return nil
}

func (f *trainFlags) extras() string {
	s := ""
	if f.momentum != 0 {
		s += fmt.Sprintf(", momentum %g", f.momentum)
	}
	if f.weightDecay != 0 {
		s += fmt.Sprintf(", weight decay %g", f.weightDecay)
	}
	if f.lrDecay != 1 {
		s += fmt.Sprintf(", lr x%g every %d epochs", f.lrDecay, f.decayEvery)
	}
	return s
}

// selectISA applies -isa (a usage error if unknown or unavailable) and
// otherwise checks SOFTMAX_FAST_ISA.
func selectISA(name string) error {
	if name != "" {
		if err := tensor.SetISA(name); err != nil {
			return usagef("-isa %s: %v", name, err)
		}
		return nil
	}
	return tensor.EnvError()
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
