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
}

// register defines the flags on fs; jsonWhat says what -json prints.
func (f *runFlags) register(fs *flag.FlagSet, jsonWhat string) {
	fs.StringVar(&f.data, "data", "", "Fashion-MNIST directory (default: $FASHION_MNIST_DIR, "+mnist.SystemDir+", ./"+mnist.LocalDir+")")
	fs.IntVar(&f.threads, "threads", runtime.NumCPU(), "goroutines per product")
	fs.StringVar(&f.isa, "isa", "", "kernel set: generic, avx2, avx512, neon or best (default: $SOFTMAX_FAST_ISA, else best)")
	fs.BoolVar(&f.asJSON, "json", false, "print "+jsonWhat+" on stdout")
	fs.BoolVar(&f.noCache, "no-cache", false, "decode the IDX files even if a decoded copy is cached")
}

// runData is what a run starts from: the data and its three sets.
type runData struct {
	info             io.Writer // where the human-readable lines go
	ds               *mnist.Dataset
	load             mnist.LoadInfo
	train, val, test softmax.Dataset // train less the -val images, held out in val
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
	if d.ds, d.load, err = loadData(f.data, f.noCache, d.info); err != nil {
		return nil, err
	}
	d.test = d.ds.Test.Dataset()
	if d.train, d.val, err = r.split(d.ds.Train.Dataset()); err != nil {
		return nil, err
	}
	return d, nil
}
