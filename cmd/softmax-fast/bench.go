package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/softmax-fast/softmax-fast/internal/probe"
	"github.com/softmax-fast/softmax-fast/softmax"
	"github.com/softmax-fast/softmax-fast/tensor"
)

// The bench command times one epoch of training (softmax.Trainer, plain SGD)
// on synthetic random uint8 data, so it needs no data set, and relates the
// rate to the measured multiply-add peak of the machine (internal/probe).
// An epoch of n samples does 2 products of 2·n·inputs·classes FLOP each
// (forward Z = X·Wᵀ, backward G·X); the softmax, loss and update are not
// counted.

type benchFlags struct {
	isa, sizes         string
	threads, reps      int
	asJSON, quick, big bool
}

// benchConfig is one row: a training run of one epoch.
type benchConfig struct {
	table                           string
	n, inputs, classes, batch, thrd int
}

// benchResult is a measured row.
type benchResult struct {
	benchConfig
	epoch   time.Duration // median over the repetitions
	samples float64       // per second
	gflops  float64
	peak    float64 // measured peak at the row's thread count
}

const (
	benchMaxRows   = 4_000_000
	benchMaxBytes  = 4 << 30 // largest synthetic data set (rows * inputs)
	benchBigRows   = 1_000_000
	benchDefSizes  = "60000,240000"
	benchPeakTime  = 300 * time.Millisecond
	benchQuickRows = 6000
)

// runBench is the bench command: it measures the peak multiply-add rate at
// each thread count the rows use, then times every row's epoch and prints
// the rows, as tables or JSON lines.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, sizes, err := parseBench(args, stderr)
	if err != nil {
		return err
	}
	cfgs := benchConfigs(f, sizes)

	info := stderr // with -json, stdout holds only JSON lines
	if !f.asJSON {
		info = stdout
	}
	printHeader(info, f.threads)
	fmt.Fprintf(info, "bench     synthetic uint8 data, 1 epoch of plain SGD per run, median of %d; FLOP = 2 products x 2*n*inputs*classes\n", f.reps)

	enc := json.NewEncoder(stdout)
	peaks, err := benchPeaks(f, cfgs, enc, stdout)
	if err != nil {
		return err
	}
	times, rounds, stopErr := benchRounds(ctx, cfgs, f.reps)
	if stopErr != nil && rounds == 0 {
		return stopErr
	}
	if stopErr != nil {
		fmt.Fprintf(info, "bench     stopped after %d of %d rounds: the medians below are of %d\n", rounds, f.reps, rounds)
	}
	if err := printBenchRows(f, cfgs, times, rounds, peaks, enc, stdout); err != nil {
		return err
	}
	return stopErr
}

// parseBench parses the bench command's flags and checks them as usage
// errors; it returns the sizes of the size table, with -big's added.
func parseBench(args []string, stderr io.Writer) (benchFlags, []int, error) {
	fs := newFlags("bench", "[flags]", stderr)
	var f benchFlags
	fs.IntVar(&f.threads, "threads", 1, "goroutines per product in every table but the threads table (which runs 1 up to the CPUs)")
	fs.StringVar(&f.isa, "isa", "", "kernel set: generic, avx2, avx512, neon or best (default: $SOFTMAX_FAST_ISA, else best)")
	fs.BoolVar(&f.asJSON, "json", false, "print one JSON object per row (and per peak measurement) instead of tables")
	fs.BoolVar(&f.quick, "quick", false, "few small configurations, one repetition unless -reps is given (a smoke test)")
	fs.StringVar(&f.sizes, "sizes", benchDefSizes, "comma-separated data set sizes (rows of 784 inputs) of the size table")
	fs.BoolVar(&f.big, "big", false, "add a data set of 1000000 rows (784 MB) to the size table")
	fs.IntVar(&f.reps, "reps", 5, "repetitions of each configuration, round-robin (the median epoch time is reported)")
	if err := parseFlags(fs, args); err != nil {
		return f, nil, err
	}
	if fs.NArg() > 0 {
		return f, nil, usagef("unexpected argument %q", fs.Arg(0))
	}
	sizes, err := parseSizes(f.sizes)
	if err != nil {
		return f, nil, err
	}
	if f.big && !slices.Contains(sizes, benchBigRows) {
		sizes = append(sizes, benchBigRows)
	}
	switch {
	case f.threads < 1:
		return f, nil, usagef("-threads %d: want at least 1", f.threads)
	case f.reps < 1:
		return f, nil, usagef("-reps %d: want at least 1", f.reps)
	}
	if err := selectISA(f.isa); err != nil {
		return f, nil, err
	}
	if f.quick && !flagSet(fs, "reps") {
		f.reps = 1
	}
	return f, sizes, nil
}

// benchPeaks measures and reports the peak at each thread count the rows
// use, in increasing order, since "% of peak" relates a row to the peak at
// its own thread count.
func benchPeaks(f benchFlags, cfgs []benchConfig, enc *json.Encoder, stdout io.Writer) (map[int]float64, error) {
	peakTime := benchPeakTime
	if f.quick {
		peakTime = 30 * time.Millisecond
	}
	peaks := map[int]float64{}
	var threadCounts []int
	for _, c := range cfgs {
		if _, ok := peaks[c.thrd]; !ok {
			peaks[c.thrd] = 0
			threadCounts = append(threadCounts, c.thrd)
		}
	}
	slices.Sort(threadCounts)
	for _, t := range threadCounts {
		peaks[t], _ = probe.PeakGFLOPS(tensor.Best(), t, peakTime)
		if f.asJSON {
			if err := enc.Encode(map[string]any{"table": "peak", "isa": tensor.Best().String(), "threads": t, "gflops": peaks[t]}); err != nil {
				return nil, err
			}
		} else {
			fmt.Fprintf(stdout, "peak      %.1f GFLOP/s on %d thread(s) (%s multiply-adds, the widest level: measured)\n", peaks[t], t, tensor.Best())
		}
	}
	return peaks, nil
}

// benchRounds times reps rounds of the rows and returns the epoch times of
// each row, one per complete round.
//
// Repetitions go round-robin over the configurations (each round runs
// every row once), so that a slow spell of a shared machine hits every
// row alike instead of all the repetitions of a few rows.
// An interruption or a failure stops the rounds and is returned as stopErr;
// the rows are then printed with the rounds completed so far.
func benchRounds(ctx context.Context, cfgs []benchConfig, reps int) (times [][]time.Duration, rounds int, stopErr error) {
	data := newBenchData(cfgs)
	times = make([][]time.Duration, len(cfgs))
	for rep := range reps {
		for i, c := range cfgs {
			if err := ctx.Err(); err != nil {
				return times, rounds, err
			}
			d, err := benchOnce(ctx, c, data, rep)
			if err != nil {
				return times, rounds, fmt.Errorf("%s table, n %d, inputs %d, classes %d, batch %d, threads %d: %w",
					c.table, c.n, c.inputs, c.classes, c.batch, c.thrd, err)
			}
			times[i] = append(times[i], d)
		}
		rounds++
		if benchRoundHook != nil {
			benchRoundHook(rounds)
		}
	}
	return times, rounds, nil
}

// printBenchRows prints each row with the median of its first rounds
// times: a JSON object each, or a Markdown table per table name.
func printBenchRows(f benchFlags, cfgs []benchConfig, times [][]time.Duration, rounds int, peaks map[int]float64, enc *json.Encoder, stdout io.Writer) error {
	table := ""
	for i, c := range cfgs {
		r := benchMedian(c, times[i][:rounds])
		r.peak = peaks[c.thrd]
		if f.asJSON {
			err := enc.Encode(map[string]any{
				"table": c.table, "isa": currentISA(), "n": c.n, "inputs": c.inputs, "classes": c.classes,
				"batch": c.batch, "threads": c.thrd, "reps": rounds, "seconds_per_epoch": r.epoch.Seconds(),
				"samples_per_s": r.samples, "gflops": r.gflops, "peak_gflops": r.peak, "peak_fraction": r.gflops / r.peak,
			})
			if err != nil {
				return err
			}
			continue
		}
		if c.table != table {
			table = c.table
			fmt.Fprintf(stdout, "\n### %s\n\n", benchTitle(c.table))
			fmt.Fprintln(stdout, "| n | inputs | classes | batch | threads | ms/epoch | samples/s | GFLOP/s | % of peak |")
			fmt.Fprintln(stdout, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
		}
		fmt.Fprintf(stdout, "| %d | %d | %d | %d | %d | %.1f | %s | %.1f | %.1f |\n",
			c.n, c.inputs, c.classes, c.batch, c.thrd, float64(r.epoch.Microseconds())/1000,
			rate(r.samples), r.gflops, 100*r.gflops/r.peak)
	}
	return nil
}

// benchTitle is the heading of the table named table.
func benchTitle(table string) string {
	switch table {
	case "batch":
		return "batch size"
	case "threads":
		return "threads (batch 256)"
	case "size":
		return "data set size (batch 256)"
	case "classes":
		return "classes (batch 256)"
	case "inputs":
		return "input width (batch 256)"
	}
	return table
}

// parseSizes parses the -sizes list.
func parseSizes(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		n, err := strconv.Atoi(strings.ReplaceAll(f, "_", ""))
		if err != nil || n < 1 || n > benchMaxRows {
			return nil, usagef("-sizes %s: %q is not a number of rows in [1, %d]", s, f, benchMaxRows)
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return nil, usagef("-sizes %q: want at least one size", s)
	}
	return out, nil
}

// benchConfigs lists the rows of every table.
func benchConfigs(f benchFlags, sizes []int) []benchConfig {
	const n, inputs, classes, batch = 60000, 784, 10, 256
	t := f.threads
	batches := []int{32, 64, 128, 256, 512, 1024, 2048, 4096}
	threads := []int{1}
	for p := 2; p < runtime.NumCPU(); p *= 2 {
		threads = append(threads, p)
	}
	if runtime.NumCPU() > 1 {
		threads = append(threads, runtime.NumCPU())
	}
	classList := []int{10, 100, 1000}
	widths := []int{196, 784, 3136}
	rows := func(c int) int { // fewer rows for 1000 classes, so it stays quick
		if c >= 1000 {
			return 20000
		}
		return n
	}
	if f.quick {
		batches, threads, classList, widths = []int{64, 1024}, []int{1, 2}, []int{10, 100}, []int{196, 784}
		sizes = []int{benchQuickRows / 2, benchQuickRows}
		rows = func(int) int { return benchQuickRows }
	}
	var cfgs []benchConfig
	for _, b := range batches {
		cfgs = append(cfgs, benchConfig{"batch", rows(classes), inputs, classes, b, t})
	}
	for _, th := range threads {
		cfgs = append(cfgs, benchConfig{"threads", rows(classes), inputs, classes, batch, th})
	}
	for _, s := range sizes {
		cfgs = append(cfgs, benchConfig{"size", s, inputs, classes, batch, t})
	}
	for _, c := range classList {
		cfgs = append(cfgs, benchConfig{"classes", rows(c), inputs, c, batch, t})
	}
	for _, w := range widths {
		cfgs = append(cfgs, benchConfig{"inputs", rows(classes), w, classes, batch, t})
	}
	return cfgs
}

// benchData is one buffer of random bytes, viewed as a matrix of each
// configuration's shape, and random numbers from which the labels are made.
type benchData struct {
	pixels []uint8
	labels []uint16
}

func newBenchData(cfgs []benchConfig) benchData {
	var bytes, rows int
	for _, c := range cfgs {
		bytes, rows = max(bytes, c.n*c.inputs), max(rows, c.n)
	}
	r := rand.New(rand.NewPCG(1, 2))
	d := benchData{pixels: make([]uint8, bytes), labels: make([]uint16, rows)}
	i := 0
	for ; i+8 <= len(d.pixels); i += 8 {
		v := r.Uint64()
		for j := range 8 {
			d.pixels[i+j] = uint8(v >> (8 * j))
		}
	}
	for ; i < len(d.pixels); i++ {
		d.pixels[i] = uint8(r.Uint32())
	}
	for i := range d.labels {
		d.labels[i] = uint16(r.Uint32())
	}
	return d
}

// benchRoundHook, if set (by tests), is called after each complete round.
var benchRoundHook func(rounds int)

// benchOnce trains a fresh model (seeded by rep) for one epoch of c and
// returns the epoch's time.
func benchOnce(ctx context.Context, c benchConfig, d benchData, rep int) (time.Duration, error) {
	if int64(c.n)*int64(c.inputs) > benchMaxBytes {
		return 0, usagef("data set of %d x %d bytes is too large", c.n, c.inputs)
	}
	x := &tensor.U8Matrix{Rows: c.n, Cols: c.inputs, Stride: c.inputs, Data: d.pixels[:c.n*c.inputs]}
	// Labels are uint8: with more than 256 classes only the first 256 get
	// examples, which changes nothing in the cost of a step.
	labels := make([]uint8, c.n)
	for i := range labels {
		labels[i] = uint8(int(d.labels[i]) % min(c.classes, 256))
	}
	train := softmax.Dataset{Images: x, Labels: labels}
	m, err := softmax.NewDense(c.inputs, c.classes, 0.01, uint64(rep+1))
	if err != nil {
		return 0, err
	}
	tr := &softmax.Trainer{Epochs: 1, BatchSize: c.batch, Seed: uint64(rep + 1), Threads: c.thrd,
		SGD: softmax.SGD{LR: 0.01}}
	stats, err := tr.Fit(ctx, m, train, softmax.Dataset{})
	if err != nil {
		return 0, err
	}
	return stats[0].TrainTime, nil
}

// benchMedian returns the row of c with the median of its epoch times and
// the rates derived from it.
func benchMedian(c benchConfig, times []time.Duration) benchResult {
	times = slices.Clone(times)
	slices.Sort(times)
	med := times[len(times)/2]
	sec := med.Seconds()
	flop := 2 * 2 * float64(c.n) * float64(c.inputs) * float64(c.classes)
	return benchResult{benchConfig: c, epoch: med, samples: float64(c.n) / sec, gflops: flop / sec / 1e9}
}
