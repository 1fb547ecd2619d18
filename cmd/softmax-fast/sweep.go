package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/softmax-fast/softmax-fast/mnist"
	"github.com/softmax-fast/softmax-fast/softmax"
)

// sweepRun is one configuration of a sweep and its result.
type sweepRun struct {
	LR        float64 `json:"lr"`
	Batch     int     `json:"batch_size"`
	Epochs    int     `json:"epochs"`
	Loss      float64 `json:"loss"`
	TrainAcc  float64 `json:"train_acc"`
	ValAcc    float64 `json:"val_acc,omitempty"`
	TestAcc   float64 `json:"test_acc"`
	Seconds   float64 `json:"seconds"`
	Diverged  bool    `json:"diverged,omitempty"`
	BestEpoch int     `json:"best_epoch,omitempty"` // with -early-stop
}

func runSweep(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var lrList, batchList, epochList string
	var f runFlags
	defaults := recipes["chapter"]
	defaults.val = 10000
	r, err := parseRecipeWith(defaults, "sweep", "[flags]", args, stderr, true, func(fs *flag.FlagSet) {
		fs.StringVar(&lrList, "lr", "0.01,0.03,0.1,0.3,1", "learning rates to try, comma-separated")
		fs.StringVar(&batchList, "batch-size", "16,64,256,1024", "batch sizes to try, comma-separated")
		fs.StringVar(&epochList, "epochs", "", "epoch counts to try, comma-separated (default: the recipe's)")
		f.register(fs, "one JSON object per run, then the best,")
	})
	if err != nil {
		return err
	}
	lrs, err := parseList("-lr", lrList, strconv.ParseFloat)
	if err != nil {
		return err
	}
	batches, err := parseList("-batch-size", batchList, func(s string, _ int) (int, error) { return strconv.Atoi(s) })
	if err != nil {
		return err
	}
	epochs := []int{r.epochs}
	if epochList != "" {
		if epochs, err = parseList("-epochs", epochList, func(s string, _ int) (int, error) { return strconv.Atoi(s) }); err != nil {
			return err
		}
	}
	// Every combination must be a valid recipe.
	for _, lr := range lrs {
		for _, b := range batches {
			for _, e := range epochs {
				c := *r
				c.lr, c.batch, c.epochs = lr, b, e
				if err := c.validate(); err != nil {
					return err
				}
			}
		}
	}
	d, err := f.start(stdout, stderr, r)
	if err != nil {
		return err
	}
	info, train, val, test := d.info, d.train, d.val, d.test
	n := len(lrs) * len(batches) * len(epochs)
	choose := "validation"
	if r.val == 0 {
		choose = "test (no -val: the choice is then tuned on the test set)"
	}
	fmt.Fprintf(info, "sweep     %d runs: lr %s x batch size %s x epochs %s; recipe %s%s\n",
		n, lrList, batchList, strings.Trim(strings.Join(strings.Fields(fmt.Sprint(epochs)), ","), "[]"), r.name, r.details())
	fmt.Fprintf(info, "          chosen on %s accuracy\n", choose)
	if !f.asJSON {
		fmt.Fprintf(stdout, "%8s %6s %6s %8s %9s %8s %8s %8s\n", "lr", "batch", "epochs", "loss", "train acc", "val acc", "test acc", "seconds")
	}
	enc := json.NewEncoder(stdout)
	var runs []sweepRun
	best := -1
	score := func(s sweepRun) float64 {
		if s.Diverged {
			return math.Inf(-1)
		}
		if r.val > 0 {
			return s.ValAcc
		}
		return s.TestAcc
	}
	var interrupted error
grid:
	for _, e := range epochs {
		for _, b := range batches {
			for _, lr := range lrs {
				c := *r
				c.lr, c.batch, c.epochs = lr, b, e
				res, err := sweepOne(ctx, &c, f.threads, train, val, test)
				if errors.Is(err, context.Canceled) {
					interrupted = fmt.Errorf("interrupted after %d of %d runs", len(runs), n)
					break grid
				}
				if err != nil {
					return err
				}
				runs = append(runs, res)
				if best < 0 || score(res) > score(runs[best]) {
					best = len(runs) - 1
				}
				if f.asJSON {
					if err := enc.Encode(res); err != nil {
						return err
					}
					continue
				}
				if res.Diverged {
					fmt.Fprintf(stdout, "%8g %6d %6d %8s %9s %8s %8s %8.2f  diverged\n", lr, b, e, "-", "-", "-", "-", res.Seconds)
					continue
				}
				val := "-"
				if r.val > 0 {
					val = fmt.Sprintf("%.4f", res.ValAcc)
				}
				kept := ""
				if res.BestEpoch != 0 && res.BestEpoch != e {
					kept = fmt.Sprintf("  (epoch %d kept)", res.BestEpoch)
				}
				fmt.Fprintf(stdout, "%8g %6d %6d %8.4f %9.4f %8s %8.4f %8.2f%s\n", lr, b, e, res.Loss, res.TrainAcc, val, res.TestAcc, res.Seconds, kept)
			}
		}
	}
	if len(runs) == 0 {
		return interrupted
	}
	b := runs[best]
	if b.Diverged {
		return errors.Join(interrupted, errors.New("every run diverged"))
	}
	label := "best"
	if interrupted != nil {
		label = "best so far"
	}
	if f.asJSON {
		rec := map[string]any{"best": b, "chosen_on": strings.Fields(choose)[0], "runs": len(runs)}
		if interrupted != nil {
			rec["interrupted"] = true
		}
		if err := enc.Encode(rec); err != nil {
			return err
		}
		return interrupted
	}
	fmt.Fprintf(stdout, "%-9s lr %g, batch %d, %d epochs: ", label, b.LR, b.Batch, b.Epochs)
	if r.val > 0 {
		fmt.Fprintf(stdout, "val acc %.4f, ", b.ValAcc)
	}
	fmt.Fprintf(stdout, "test acc %.4f\n", b.TestAcc)
	return interrupted
}

// sweepOne trains the recipe c and returns its result; a run that
// diverges is a result, not an error.
func sweepOne(ctx context.Context, c *recipe, threads int, train, val, test softmax.Dataset) (sweepRun, error) {
	res := sweepRun{LR: c.lr, Batch: c.batch, Epochs: c.epochs}
	m, err := softmax.NewDense(train.Images.Cols, mnist.NumClasses, c.sigma, c.seed)
	if err != nil {
		return res, err
	}
	tr := c.trainer(threads)
	tr.Validation = val
	start := time.Now()
	stats, err := tr.Fit(ctx, m, train, test)
	res.Seconds = time.Since(start).Seconds()
	if errors.Is(err, softmax.ErrDiverged) {
		res.Diverged = true
		return res, nil
	}
	if err != nil {
		return res, err
	}
	final := keptEpoch(stats, c.earlyStop > 0)
	if c.earlyStop > 0 {
		res.BestEpoch = final.Epoch
	}
	res.Loss, res.TrainAcc, res.TestAcc = final.Loss, final.TrainAcc, final.TestAcc
	if c.val > 0 {
		res.ValAcc = final.ValAcc
	}
	return res, nil
}

// parseList parses a comma-separated list of numbers for flag name.
func parseList[T any](name, s string, parse func(string, int) (T, error)) ([]T, error) {
	var out []T
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		v, err := parse(f, 64)
		if err != nil || f == "" {
			return nil, usagef("%s %s: %q is not a number", name, s, f)
		}
		out = append(out, v)
	}
	return out, nil
}
