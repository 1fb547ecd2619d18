// Command softmax-fast trains and uses softmax-regression classifiers on
// Fashion-MNIST with SIMD kernels.
//
//	softmax-fast train [flags]            train the Gluon chapter's model (see -h)
//	softmax-fast eval -model FILE         test accuracy, per class, confusion matrix
//	softmax-fast predict -model FILE IMG  classify 28x28 grayscale PNG images
//	softmax-fast sweep                    a grid of learning rates and batch sizes
//	softmax-fast info [-peak]             CPU, ISA levels, caches, FMA peak
//	softmax-fast bench                    training throughput on synthetic data, scaling tables
//
// Exit status: 0 on success, 1 when the work failed (bad data, a diverging
// run, an interrupt), 2 for a usage error (an unknown flag or subcommand, an
// invalid flag value).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// usageError marks an error as the user's: exit status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"train", "train a model (defaults: the Gluon chapter's recipe)", runTrain},
		{"eval", "evaluate a model file on the test set", runEval},
		{"predict", "classify PNG images with a model file", runPredict},
		{"info", "show the CPU, ISA levels and caches", runInfo},
		{"sweep", "train a grid of learning rates and batch sizes, print a table", runSweep},
		{"bench", "measure training throughput on synthetic data", runBench},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one command line and returns the exit status. A panic (a
// bug) is reported as one line and status 1, not as a Go trace.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "softmax-fast: internal error: %v (please report this with the command line)\n", r)
			code = 1
		}
	}()
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		printUsage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:], stdout, stderr)
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.As(err, new(usageError)):
			fmt.Fprintf(stderr, "softmax-fast %s: %v\n", c.name, err)
			fmt.Fprintf(stderr, "run 'softmax-fast %s -h' for usage\n", c.name)
			return 2
		default:
			fmt.Fprintf(stderr, "softmax-fast %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "softmax-fast: unknown command %q\n", args[0])
	printUsage(stderr)
	return 2
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: softmax-fast <command> [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nrun 'softmax-fast <command> -h' for a command's flags")
}

// newFlags returns a flag set that reports errors instead of exiting.
func newFlags(name, args string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: softmax-fast %s %s\n\nflags:\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, turning flag errors into usage errors.
func parseFlags(fs *flag.FlagSet, args []string) error {
	out := fs.Output()
	fs.SetOutput(io.Discard) // we print the error once, with the command name
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(out)
		fs.Usage()
		return err
	}
	if err != nil {
		return usageError{err}
	}
	return nil
}

// flagSet reports whether the flag name was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
