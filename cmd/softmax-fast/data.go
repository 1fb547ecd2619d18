package main

import (
	"flag"
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/softmax-fast/softmax-fast/mnist"
	"github.com/softmax-fast/softmax-fast/softmax"
)

// loadData finds and loads Fashion-MNIST, telling on w (if not nil) where
// it came from.
func loadData(dir string, noCache bool, w io.Writer) (*mnist.Dataset, mnist.LoadInfo, error) {
	found, err := mnist.FindDir(dir)
	if err != nil {
		return nil, mnist.LoadInfo{}, err
	}
	ds, info, err := mnist.Load(found, mnist.Options{NoCache: noCache})
	if err != nil {
		return nil, info, err
	}
	if w != nil {
		src := "decoded from the IDX files"
		switch {
		case info.FromCache:
			src = "from the cache " + info.CachePath
		case noCache:
			src += " (cache disabled)"
		case info.CacheErr != nil:
			src += fmt.Sprintf(" (cache not written: %v)", info.CacheErr)
		case info.CachePath != "":
			src += ", cached in " + info.CachePath
		}
		fmt.Fprintf(w, "data      %s: %d train + %d test images of %dx%d, %s in %s\n",
			ds.Dir, ds.Train.N, ds.Test.N, ds.Train.Rows, ds.Train.Cols, src, info.Duration.Round(time.Millisecond))
	}
	return ds, info, nil
}

// runFlags are the flags of the commands that load the data and train.
type runFlags struct {
	data, isa       string
	threads         int
	asJSON, noCache bool
	feat            featureOptions
}

// register defines the flags on fs; jsonWhat says what -json prints.
func (f *runFlags) register(fs *flag.FlagSet, jsonWhat string) {
	fs.StringVar(&f.data, "data", "", "a LIBSVM or CSV file of features, or the Fashion-MNIST directory (default: $FASHION_MNIST_DIR, "+mnist.SystemDir+", ./"+mnist.LocalDir+")")
	fs.StringVar(&f.feat.test, "test", "", "with a -data file: the test file, in the same format")
	fs.StringVar(&f.feat.format, "format", "auto", "with a -data file: its format, auto (from the content), libsvm or csv")
	fs.StringVar(&f.feat.labelColumn, "label-column", "", "with a CSV -data file: the label column, a header name or a 1-based number\n(negative counts from the end) (default: the first column)")
	fs.BoolVar(&f.feat.noStandardize, "no-standardize", false, "with a -data file: train on the feature values as they are, without standardizing\neach feature to mean 0 and deviation 1 (from the training file)")
	fs.IntVar(&f.threads, "threads", runtime.NumCPU(), "goroutines per product")
	fs.StringVar(&f.isa, "isa", "", "kernel set: generic, avx2, avx512, neon or best (default: $SOFTMAX_FAST_ISA, else best)")
	fs.BoolVar(&f.asJSON, "json", false, "print "+jsonWhat+" on stdout")
	fs.BoolVar(&f.noCache, "no-cache", false, "decode the IDX files even if a decoded copy is cached")
}

// runData is what a run starts from: the data and its three sets.
type runData struct {
	info             io.Writer      // where the human-readable lines go
	ds               *mnist.Dataset // nil with a feature file
	load             mnist.LoadInfo
	feat             *featureFiles   // nil with Fashion-MNIST
	noStandardize    bool            // -no-standardize (features only)
	train, val, test softmax.Dataset // train less the -val examples, held out in val
}

// hasTest reports whether the run has a test set: always with
// Fashion-MNIST, only with -test for a feature file.
func (d *runData) hasTest() bool {
	return d.ds != nil || (d.feat != nil && d.feat.test != nil)
}

// trainer returns the Trainer of r for d's data.
func (d *runData) trainer(r *recipe, threads int) *softmax.Trainer {
	tr := r.trainer(threads)
	tr.NoStandardize = d.noStandardize
	return tr
}

// testAcc returns the accuracy on the whole test file of a model whose
// accuracy on d.test is acc: d.test holds the examples of known classes,
// and the others count as errors (featureFiles.testAcc).
func (d *runData) testAcc(acc float64) float64 {
	if d.feat == nil {
		return acc
	}
	return d.feat.testAcc(acc)
}

// newModel returns the untrained model for d: of images with the
// Fashion-MNIST class names, or of features with the classes of the file.
func (d *runData) newModel(sigma float64, seed uint64) (*softmax.Dense, error) {
	if d.feat != nil {
		m, err := softmax.NewDense(d.feat.train.D, len(d.feat.train.Classes), sigma, seed)
		if err != nil {
			return nil, err
		}
		m.Features, m.Names = true, d.feat.train.Classes
		return m, nil
	}
	m, err := softmax.NewDense(d.ds.Train.Rows*d.ds.Train.Cols, mnist.NumClasses, sigma, seed)
	if err != nil {
		return nil, err
	}
	m.Names = mnist.ClassNames[:]
	return m, nil
}

// imageSize returns the width and height of d's images; 0, 0 for features.
func (d *runData) imageSize() (width, height int) {
	if d.ds == nil {
		return 0, 0
	}
	return d.ds.Train.Cols, d.ds.Train.Rows
}

// start applies -threads and -isa, prints the header, loads the data and
// holds out r's validation images. info is stdout, or stderr with -json so
// that stdout is pure JSON.
func (f *runFlags) start(stdout, stderr io.Writer, r *recipe) (*runData, error) {
	if f.threads < 1 {
		return nil, usagef("-threads %d: want at least 1", f.threads)
	}
	if err := selectISA(f.isa); err != nil {
		return nil, err
	}
	// Training runs on f.threads (Trainer.Threads); the evaluations and
	// predictions around it on GOMAXPROCS goroutines: the same count.
	runtime.GOMAXPROCS(f.threads)
	d := &runData{info: stdout}
	if f.asJSON {
		d.info = stderr
	}
	printHeader(d.info, f.threads)
	var err error
	var train softmax.Dataset
	if isFeatureFile(f.data) {
		t0 := time.Now()
		if d.feat, err = loadFeatures(f.data, f.feat, d.info); err != nil {
			return nil, err
		}
		d.load.Duration = time.Since(t0)
		d.noStandardize = f.feat.noStandardize
		if train, err = d.feat.train.Dataset(); err != nil {
			return nil, err
		}
		r.val = r.featureVal(train.Len())
		if d.feat.test != nil && d.feat.unknown < d.feat.test.N {
			if d.test, err = d.feat.test.Dataset(); err != nil {
				return nil, err
			}
		}
	} else {
		if f.feat.test != "" || f.feat.noStandardize {
			return nil, usagef("-test and -no-standardize go with a -data file of features, not the Fashion-MNIST directory")
		}
		if d.ds, d.load, err = loadData(f.data, f.noCache, d.info); err != nil {
			return nil, err
		}
		d.test = d.ds.Test.Dataset()
		train = d.ds.Train.Dataset()
	}
	if d.train, d.val, err = r.split(train); err != nil {
		return nil, err
	}
	if d.feat != nil {
		r.forFeatures(!d.noStandardize, d.train.Len())
	}
	return d, nil
}
