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

	"github.com/softmax-fast/softmax-fast/softmax"
)

// sweepRun is one configuration of a sweep and its result.
type sweepRun struct {
	LR        float64  `json:"lr"`
	Batch     int      `json:"batch_size"`
	Epochs    int      `json:"epochs"`
	Loss      float64  `json:"loss"`
	TrainAcc  float64  `json:"train_acc"`
	ValAcc    float64  `json:"val_acc,omitempty"`
	TestAcc   *float64 `json:"test_acc,omitempty"` // nil without a test set
	Seconds   float64  `json:"seconds"`
	Diverged  bool     `json:"diverged,omitempty"`
	BestEpoch int      `json:"best_epoch,omitempty"` // with -early-stop
}

// runSweep is the sweep command: it trains every combination of the
// learning rates, batch sizes and epoch counts given, reports each run, and
// then the best one.
func runSweep(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	g, f, r, err := parseSweep(args, stderr)
	if err != nil {
		return err
	}
	if isFeatureFile(f.data) && f.feat.test == "" && r.val == 0 {
		return usagef("-data %s: sweep chooses the best run on a validation set (-val N) or, without one, on the test file (-test FILE); give either", f.data)
	}
	d, err := f.start(stdout, stderr, r)
	if err != nil {
		return err
	}
	s := &sweep{sweepGrid: g, f: f, r: r, d: d, stdout: stdout, enc: json.NewEncoder(stdout)}
	s.header()
	interrupted, err := s.run(ctx)
	if err != nil {
		return err
	}
	return s.report(interrupted)
}

// sweepGrid is what a sweep varies: the values of -lr, -batch-size and
// -epochs, and the first two as given, for the header.
type sweepGrid struct {
	lrList, batchList string
	lrs               []float64
	batches, epochs   []int
}

// size is the number of runs of the grid.
func (g *sweepGrid) size() int { return len(g.lrs) * len(g.batches) * len(g.epochs) }

// parseSweep parses the sweep command's flags, on top of the chapter's
// recipe with a validation set, and checks that every combination of the
// grid is a valid recipe, so that a bad value fails before any training.
func parseSweep(args []string, stderr io.Writer) (*sweepGrid, *runFlags, *recipe, error) {
	var g sweepGrid
	var epochList string
	var f runFlags
	defaults := recipes["chapter"]
	defaults.val = 10000
	r, err := parseRecipeWith(defaults, "sweep", "[flags]", args, stderr, true, func(fs *flag.FlagSet) {
		fs.StringVar(&g.lrList, "lr", "0.01,0.03,0.1,0.3,1", "learning rates to try, comma-separated")
		fs.StringVar(&g.batchList, "batch-size", "16,64,256,1024", "batch sizes to try, comma-separated")
		fs.StringVar(&epochList, "epochs", "", "epoch counts to try, comma-separated (default: the recipe's)")
		f.register(fs, "one JSON object per run, then the best,")
	})
	if err != nil {
		return nil, nil, nil, err
	}
	if g.lrs, err = parseList("-lr", g.lrList, strconv.ParseFloat); err != nil {
		return nil, nil, nil, err
	}
	if g.batches, err = parseList("-batch-size", g.batchList, func(s string, _ int) (int, error) { return strconv.Atoi(s) }); err != nil {
		return nil, nil, nil, err
	}
	g.epochs = []int{r.epochs}
	if epochList != "" {
		if g.epochs, err = parseList("-epochs", epochList, func(s string, _ int) (int, error) { return strconv.Atoi(s) }); err != nil {
			return nil, nil, nil, err
		}
	}
	// Every combination must be a valid recipe.
	for _, lr := range g.lrs {
		for _, b := range g.batches {
			for _, e := range g.epochs {
				c := *r
				c.lr, c.batch, c.epochs = lr, b, e
				if err := c.validate(); err != nil {
					return nil, nil, nil, err
				}
			}
		}
	}
	return &g, &f, r, nil
}

// sweep is one run of the sweep command: its grid, options and data, and
// the results so far.
type sweep struct {
	*sweepGrid
	f      *runFlags
	r      *recipe
	d      *runData
	stdout io.Writer
	enc    *json.Encoder // on stdout, with -json
	runs   []sweepRun
	best   int // index in runs of the best run; -1 before the first
}

// choice says which accuracy picks the best run: the validation set's, or
// the test set's when there is none (and then says what that means).
func (s *sweep) choice() string {
	if s.r.val == 0 {
		return "test (no -val: the choice is then tuned on the test set)"
	}
	return "validation"
}

// header describes the sweep on the information stream and, without -json,
// prints the table's header.
func (s *sweep) header() {
	info, r, epochs := s.d.info, s.r, s.epochs
	more := ""
	if s.d.feat != nil && !r.given["epochs"] {
		more = fmt.Sprintf(" (more where a run would make fewer than %d steps)", minFeatureSteps)
	}
	fmt.Fprintf(info, "sweep     %d runs: lr %s x batch size %s x epochs %s%s; recipe %s%s\n",
		s.size(), s.lrList, s.batchList, strings.Trim(strings.Join(strings.Fields(fmt.Sprint(epochs)), ","), "[]"), more, r.name, r.details())
	fmt.Fprintf(info, "          chosen on %s accuracy\n", s.choice())
	if !s.f.asJSON {
		fmt.Fprintf(s.stdout, "%8s %6s %6s %8s %9s %8s %8s %8s\n", "lr", "batch", "epochs", "loss", "train acc", "val acc", "test acc", "seconds")
	}
}

// score is what the best run maximises: the accuracy the choice is made
// on, and minus infinity for a run that diverged.
func (s *sweep) score(res sweepRun) float64 {
	if res.Diverged {
		return math.Inf(-1)
	}
	if s.r.val > 0 {
		return res.ValAcc
	}
	return *res.TestAcc // runSweep refuses a sweep with neither
}

// run trains the grid, epochs outermost and learning rates innermost,
// reporting each run as it ends. An interruption stops it: the runs so far
// stand, and the returned error (the first result) says how far it got.
func (s *sweep) run(ctx context.Context) (interrupted, err error) {
	s.best = -1
	n := s.size()
	for _, e := range s.epochs {
		for _, b := range s.batches {
			for _, lr := range s.lrs {
				c := *s.r
				c.lr, c.batch, c.epochs = lr, b, e
				if s.d.feat != nil {
					c.minSteps(s.d.train.Len()) // as train would, at this batch size
				}
				res, err := sweepOne(ctx, &c, s.f.threads, s.d)
				if errors.Is(err, context.Canceled) {
					return fmt.Errorf("interrupted after %d of %d runs", len(s.runs), n), nil
				}
				if err != nil {
					return nil, err
				}
				s.runs = append(s.runs, res)
				if s.best < 0 || s.score(res) > s.score(s.runs[s.best]) {
					s.best = len(s.runs) - 1
				}
				if err := s.row(res); err != nil {
					return nil, err
				}
			}
		}
	}
	return nil, nil
}

// row reports one run: a JSON object, or a line of the table.
func (s *sweep) row(res sweepRun) error {
	if s.f.asJSON {
		return s.enc.Encode(res)
	}
	stdout, lr, b, e := s.stdout, res.LR, res.Batch, res.Epochs
	if res.Diverged {
		fmt.Fprintf(stdout, "%8g %6d %6d %8s %9s %8s %8s %8.2f  diverged\n", lr, b, e, "-", "-", "-", "-", res.Seconds)
		return nil
	}
	val := "-"
	if s.r.val > 0 {
		val = fmt.Sprintf("%.4f", res.ValAcc)
	}
	test := "-"
	if res.TestAcc != nil {
		test = fmt.Sprintf("%.4f", *res.TestAcc)
	}
	kept := ""
	if res.BestEpoch != 0 && res.BestEpoch != e {
		kept = fmt.Sprintf("  (epoch %d kept)", res.BestEpoch)
	}
	fmt.Fprintf(stdout, "%8g %6d %6d %8.4f %9.4f %8s %8s %8.2f%s\n", lr, b, e, res.Loss, res.TrainAcc, val, test, res.Seconds, kept)
	return nil
}

// report reports the best run (the best so far if the sweep was
// interrupted) and returns interrupted; it is an error if there was no run
// or every run diverged.
func (s *sweep) report(interrupted error) error {
	if len(s.runs) == 0 {
		return interrupted
	}
	b := s.runs[s.best]
	if b.Diverged {
		return errors.Join(interrupted, errors.New("every run diverged"))
	}
	if s.f.asJSON {
		rec := map[string]any{"best": b, "chosen_on": strings.Fields(s.choice())[0], "runs": len(s.runs)}
		if interrupted != nil {
			rec["interrupted"] = true
		}
		if err := s.enc.Encode(rec); err != nil {
			return err
		}
		return interrupted
	}
	label := "best"
	if interrupted != nil {
		label = "best so far"
	}
	stdout := s.stdout
	fmt.Fprintf(stdout, "%-9s lr %g, batch %d, %d epochs: ", label, b.LR, b.Batch, b.Epochs)
	var accs []string
	if s.r.val > 0 {
		accs = append(accs, fmt.Sprintf("val acc %.4f", b.ValAcc))
	}
	if b.TestAcc != nil {
		accs = append(accs, fmt.Sprintf("test acc %.4f", *b.TestAcc))
	}
	fmt.Fprintln(stdout, strings.Join(accs, ", "))
	return interrupted
}

// sweepOne trains the recipe c on d and returns its result; a run that
// diverges is a result, not an error.
func sweepOne(ctx context.Context, c *recipe, threads int, d *runData) (sweepRun, error) {
	res := sweepRun{LR: c.lr, Batch: c.batch, Epochs: c.epochs}
	m, err := d.newModel(c.sigma, c.seed)
	if err != nil {
		return res, err
	}
	tr := d.trainer(c, threads)
	tr.Validation = d.val
	start := time.Now()
	stats, err := tr.Fit(ctx, m, d.train, d.test)
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
	res.Loss, res.TrainAcc = final.Loss, final.TrainAcc
	if d.hasTest() {
		acc := d.testAcc(final.TestAcc)
		res.TestAcc = &acc
	}
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
