// Command classify is an example of embedding a trained softmax-fast model
// in a small program: the model file is compiled into the binary with
// go:embed, and the program classifies the 28x28 grayscale PNG images named
// on its command line (Fashion-MNIST style: a light item on black).
//
//	go build -trimpath -ldflags='-s -w' ./examples/classify
//	./classify shirt.png boot.png
//
// model.smx was written by `softmax-fast train -seed 1 -out
// examples/classify/model.smx` (the Gluon chapter's recipe, 5 epochs).
package main

import (
	_ "embed"
	"fmt"
	"os"

	"github.com/softmax-fast/softmax-fast/mnist"
	"github.com/softmax-fast/softmax-fast/softmax"
)

//go:embed model.smx
var modelFile []byte

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: classify IMAGE.png...")
		os.Exit(2)
	}
	var model softmax.Dense
	if err := model.UnmarshalBinary(modelFile); err != nil {
		fmt.Fprintln(os.Stderr, "classify: embedded model:", err)
		os.Exit(1)
	}
	status := 0
	for _, path := range os.Args[1:] {
		class, prob, err := classify(&model, path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "classify:", err)
			status = 1
			continue
		}
		fmt.Printf("%s\t%s\t%.3f\n", path, model.Names[class], prob)
	}
	os.Exit(status)
}

func classify(model *softmax.Dense, path string) (class int, prob float32, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	px, err := mnist.ReadPNG(f, path, 28, 28)
	if err != nil {
		return 0, 0, err
	}
	return model.Predict(px)
}
