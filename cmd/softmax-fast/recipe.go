package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/softmax-fast/softmax-fast/softmax"
)

// recipe is a model and its training options: what train runs and sweep
// varies.
type recipe struct {
	name                                      string
	epochs, batch                             int
	lr, sigma, momentum, weightDecay, lrDecay float64
	decayEvery                                int
	nesterov, cosine                          bool
	smoothing, gce, ceShare                   float64
	average, val, earlyStop                   int
	seed                                      uint64
	// featureLR, when not 0, replaces lr for standardized features unless
	// -lr is given: lr is tuned for pixels in [0, 1], whose rows have a
	// squared norm about 5 times smaller than standardized ones.
	featureLR float64
	given     map[string]bool // the flags given on the command line
}

// minFeatureSteps is the fewest SGD steps a training on a feature file
// takes unless -epochs is given: a small data set makes few steps an
// epoch (300 examples, two at batch 256), and the recipes' epoch counts
// assume Fashion-MNIST's 235.
const minFeatureSteps = 1000

// recipes are the named starting points of -recipe; flags given on the
// command line change them.
//
// chapter is the Gluon chapter's recipe. best is the best recipe found for
// the same linear model on a validation split of the training set (see
// docs/recipe.md): 30 epochs of Nesterov momentum with a
// cosine learning rate from 1 to 0, on the generalized cross-entropy
// (q = 0.7) mixed with 5% of the cross-entropy; from 0.1 on standardized
// features (the best of 0.03, 0.1, 0.3 and 1 on Fashion-MNIST's pixels as
// standardized features, see docs/recipe.md).
var recipes = map[string]recipe{
	"chapter": {name: "chapter", epochs: 5, batch: 256, lr: 0.1, sigma: 0.01, lrDecay: 1, decayEvery: 1, seed: 1},
	"best": {name: "best", epochs: 30, batch: 256, lr: 1, sigma: 0.01, momentum: 0.9, nesterov: true, cosine: true,
		gce: 0.7, ceShare: 0.05, lrDecay: 1, decayEvery: 1, seed: 1, featureLR: 0.1},
}

func recipeNames() string {
	var names []string
	for n := range recipes {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// register defines the recipe's flags on fs, with r's values as defaults.
// With lists, -epochs, -batch-size and -lr are left to the caller (sweep
// takes lists of them).
func (r *recipe) register(fs *flag.FlagSet, lists bool) {
	fs.StringVar(&r.name, "recipe", r.name, "starting recipe: "+recipeNames()+"; other flags change it")
	if !lists {
		fs.IntVar(&r.epochs, "epochs", r.epochs, "passes over the training set")
		fs.IntVar(&r.batch, "batch-size", r.batch, "examples per SGD step")
		fs.Float64Var(&r.lr, "lr", r.lr, "learning rate")
	}
	fs.Float64Var(&r.sigma, "sigma", r.sigma, "standard deviation of the initial weights")
	fs.Uint64Var(&r.seed, "seed", r.seed, "seed of the initial weights, the shuffling and the -val split")
	fs.Float64Var(&r.momentum, "momentum", r.momentum, "SGD momentum in [0, 1)")
	fs.BoolVar(&r.nesterov, "nesterov", r.nesterov, "Nesterov momentum (needs -momentum)")
	fs.Float64Var(&r.weightDecay, "weight-decay", r.weightDecay, "L2 weight decay (>= 0)")
	fs.Float64Var(&r.lrDecay, "lr-decay", r.lrDecay, "multiply the learning rate by this (0, 1] every -decay-every epochs")
	fs.IntVar(&r.decayEvery, "decay-every", r.decayEvery, "epochs between learning-rate decays")
	fs.BoolVar(&r.cosine, "cosine", r.cosine, "cosine learning-rate schedule from -lr to 0 over the training (instead of -lr-decay)")
	fs.Float64Var(&r.smoothing, "label-smoothing", r.smoothing, "label smoothing in [0, 1)")
	fs.Float64Var(&r.gce, "gce", r.gce, "generalized cross-entropy exponent q in (0, 1]; 0: the cross-entropy")
	fs.Float64Var(&r.ceShare, "ce-share", r.ceShare, "share of cross-entropy mixed into the -gce loss, in [0, 1]")
	fs.IntVar(&r.average, "average", r.average, "average the weights over every step of the last N epochs")
	fs.IntVar(&r.val, "val", r.val, "hold out N training images (picked with -seed) as a validation set")
	fs.IntVar(&r.earlyStop, "early-stop", r.earlyStop, "stop after N epochs without a better validation accuracy and keep the best (needs -val)")
}

// parseRecipe parses args with the flags of a recipe (and those extra
// registers) twice: once to learn -recipe, then with that recipe's values
// as defaults, so that flags given override it.
func parseRecipe(name, usage string, args []string, stderr io.Writer, lists bool,
	extra func(fs *flag.FlagSet)) (*recipe, error) {
	return parseRecipeWith(recipes["chapter"], name, usage, args, stderr, lists, extra)
}

// parseRecipeWith is parseRecipe with base in place of the chapter's
// recipe; a named recipe keeps base's -val.
func parseRecipeWith(base recipe, name, usage string, args []string, stderr io.Writer, lists bool,
	extra func(fs *flag.FlagSet)) (*recipe, error) {
	parse := func(r recipe) (*recipe, error) {
		fs := newFlags(name, usage, stderr)
		r.register(fs, lists)
		extra(fs)
		if err := parseFlags(fs, args); err != nil {
			return nil, err
		}
		if fs.NArg() > 0 {
			return nil, usagef("unexpected argument %q", fs.Arg(0))
		}
		r.given = map[string]bool{}
		fs.Visit(func(f *flag.Flag) { r.given[f.Name] = true })
		return &r, nil
	}
	r, err := parse(base)
	if err != nil || r.name == base.name {
		return r, err
	}
	preset, ok := recipes[r.name]
	if !ok {
		return nil, usagef("-recipe %s: want one of %s", r.name, recipeNames())
	}
	preset.val = base.val
	return parse(preset)
}

// forFeatures adapts r to a feature file of n training examples (less
// the -val ones): unless given on the command line, featureLR replaces lr
// for standardized features, and the epochs grow to make at least
// minFeatureSteps steps.
func (r *recipe) forFeatures(standardized bool, n int) {
	if standardized && r.featureLR != 0 && !r.given["lr"] {
		r.lr = r.featureLR
	}
	r.minSteps(n)
}

// minSteps grows the epochs, unless -epochs is given, so that a training
// on n examples makes at least minFeatureSteps steps at r's batch size.
func (r *recipe) minSteps(n int) {
	if steps := (n + r.batch - 1) / r.batch; !r.given["epochs"] && steps > 0 && r.epochs*steps < minFeatureSteps {
		r.epochs = (minFeatureSteps + steps - 1) / steps
	}
}

// featureVal returns the validation examples to hold out of a feature file
// of n training examples: -val if given, else at most a sixth of them
// (sweep's default of 10000 is a sixth of Fashion-MNIST's).
func (r *recipe) featureVal(n int) int {
	if r.given["val"] {
		return r.val
	}
	return min(r.val, n/6)
}

// validate checks the options as usage errors (the library would report
// them too, but not with the flag names).
func (r *recipe) validate() error {
	switch {
	case r.epochs < 1:
		return usagef("-epochs %d: want at least 1", r.epochs)
	case r.batch < 1:
		return usagef("-batch-size %d: want at least 1", r.batch)
	case !(r.lr > 0) || math.IsInf(r.lr, 0):
		return usagef("-lr %v: want a finite number > 0", r.lr)
	case !(r.sigma >= 0) || math.IsInf(r.sigma, 0):
		return usagef("-sigma %v: want a finite number >= 0", r.sigma)
	case !(r.momentum >= 0 && r.momentum < 1):
		return usagef("-momentum %v: want a number in [0, 1)", r.momentum)
	case r.nesterov && r.momentum == 0:
		return usagef("-nesterov needs a -momentum above 0")
	case !(r.weightDecay >= 0) || math.IsInf(r.weightDecay, 0):
		return usagef("-weight-decay %v: want a finite number >= 0", r.weightDecay)
	case !(r.lrDecay > 0 && r.lrDecay <= 1):
		return usagef("-lr-decay %v: want a number in (0, 1]", r.lrDecay)
	case r.decayEvery < 1:
		return usagef("-decay-every %d: want at least 1", r.decayEvery)
	case r.cosine && r.lrDecay != 1:
		return usagef("-cosine and -lr-decay %v: choose one schedule", r.lrDecay)
	case !(r.smoothing >= 0 && r.smoothing < 1):
		return usagef("-label-smoothing %v: want a number in [0, 1)", r.smoothing)
	case !(r.gce >= 0 && r.gce <= 1):
		return usagef("-gce %v: want a number in [0, 1]", r.gce)
	case !(r.ceShare >= 0 && r.ceShare <= 1):
		return usagef("-ce-share %v: want a number in [0, 1]", r.ceShare)
	case r.ceShare != 0 && r.gce == 0:
		return usagef("-ce-share needs -gce")
	case r.gce != 0 && r.smoothing != 0:
		return usagef("-gce and -label-smoothing: choose one")
	case r.average < 0 || r.average > r.epochs:
		return usagef("-average %d: want 0 to -epochs (%d)", r.average, r.epochs)
	case r.val < 0:
		return usagef("-val %d: want 0 or more images", r.val)
	case r.earlyStop < 0:
		return usagef("-early-stop %d: want 0 or more epochs", r.earlyStop)
	case r.earlyStop > 0 && r.val == 0:
		return usagef("-early-stop needs a validation set (-val N)")
	case r.earlyStop > 0 && r.average > 0:
		return usagef("-early-stop and -average: choose one (averaging starts %d epochs before the end, which early stopping may never reach)", r.average)
	}
	return nil
}

// String describes the recipe in one line.
func (r *recipe) String() string {
	return fmt.Sprintf("%s: %d epochs, batch %d, lr %g", r.name, r.epochs, r.batch, r.lr) + r.details()
}

// details describes the options beyond the name, epochs, batch size and
// learning rate.
func (r *recipe) details() string {
	s := ""
	switch {
	case r.cosine:
		s += " (cosine to 0)"
	case r.lrDecay != 1:
		s += fmt.Sprintf(" (x%g every %d epochs)", r.lrDecay, r.decayEvery)
	}
	if r.momentum != 0 {
		kind := "momentum"
		if r.nesterov {
			kind = "Nesterov momentum"
		}
		s += fmt.Sprintf(", %s %g", kind, r.momentum)
	}
	if r.weightDecay != 0 {
		s += fmt.Sprintf(", weight decay %g", r.weightDecay)
	}
	switch {
	case r.gce != 0:
		s += fmt.Sprintf(", GCE q %g with %g%% cross-entropy", r.gce, 100*r.ceShare)
	case r.smoothing != 0:
		s += fmt.Sprintf(", label smoothing %g", r.smoothing)
	}
	if r.average != 0 {
		s += fmt.Sprintf(", weights averaged over the last %d epochs", r.average)
	}
	s += fmt.Sprintf(", sigma %g, seed %d", r.sigma, r.seed)
	if r.val != 0 {
		s += fmt.Sprintf("; %d examples held out for validation", r.val)
		if r.earlyStop != 0 {
			s += fmt.Sprintf(", early stop after %d epochs without progress", r.earlyStop)
		}
	}
	return s
}

// trainer returns the Trainer of the recipe (without validation set and
// callbacks).
func (r *recipe) trainer(threads int) *softmax.Trainer {
	return &softmax.Trainer{
		Epochs:    r.epochs,
		BatchSize: r.batch,
		Seed:      r.seed,
		Threads:   threads,
		SGD: softmax.SGD{LR: r.lr, Momentum: r.momentum, Nesterov: r.nesterov, WeightDecay: r.weightDecay,
			LRDecay: r.lrDecay, DecayEvery: r.decayEvery, Cosine: r.cosine},
		EarlyStop:      r.earlyStop,
		LabelSmoothing: r.smoothing,
		GCE:            r.gce,
		CEShare:        r.ceShare,
		Average:        r.average,
	}
}

// split holds out r.val images of train (none if r.val is 0).
func (r *recipe) split(train softmax.Dataset) (rest, val softmax.Dataset, err error) {
	if r.val == 0 {
		return train, softmax.Dataset{}, nil
	}
	if r.val >= train.Len() {
		return rest, val, usagef("-val %d: the training set has only %d examples; choose a smaller -val (sweep holds out 10000 unless told)", r.val, train.Len())
	}
	return train.Split(r.val, r.seed)
}
