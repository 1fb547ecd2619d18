package main

import (
	"fmt"
	"io"
	"time"

	"github.com/softmax-fast/softmax-fast/mnist"
	"github.com/softmax-fast/softmax-fast/softmax"
	"github.com/softmax-fast/softmax-fast/tensor"
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

// asDataset views a set of images as the model's input, without copying.
func asDataset(s *mnist.Set) softmax.Dataset {
	px := s.Rows * s.Cols
	return softmax.Dataset{
		Images: &tensor.U8Matrix{Rows: s.N, Cols: px, Stride: px, Data: s.Images},
		Labels: s.Labels,
	}
}
