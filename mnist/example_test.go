package mnist_test

import (
	"bytes"
	"compress/gzip"
	"fmt"

	"github.com/softmax-fast/softmax-fast/mnist"
)

func ExampleReadIDX() {
	// Two 2x3 images, written gzipped and read back: ReadIDX recognises gzip
	// by its content.
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := mnist.WriteIDX(zw, []int{2, 2, 3}, []uint8{0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15}); err != nil {
		fmt.Println(err)
		return
	}
	zw.Close()
	dims, data, err := mnist.ReadIDX(&buf)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(dims, data)

	// A header that claims more data than there is.
	_, _, err = mnist.ReadIDX(bytes.NewReader([]byte{0, 0, 8, 1, 0, 0, 0, 9, 1, 2, 3}))
	fmt.Println(err)
	// Output:
	// [2 2 3] [0 1 2 3 4 5 10 11 12 13 14 15]
	// mnist: offset 11: truncated: header 9 says 9 bytes of data, got 3
}

func ExampleReadIDXFile() {
	dims, labels, err := mnist.ReadIDXFile("testdata/t10k-labels-idx1-ubyte.gz")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(dims, labels[:5])
	// Output: [1000] [9 2 1 1 6]
}

func ExampleLoad() {
	ds, info, err := mnist.Load("testdata", mnist.Options{NoCache: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("train: %d images of %dx%d, test: %d, from cache: %v\n",
		ds.Train.N, ds.Train.Rows, ds.Train.Cols, ds.Test.N, info.FromCache)
	for i := range 3 {
		img := ds.Test.Image(i)
		ink := 0
		for _, p := range img {
			if p > 127 {
				ink++
			}
		}
		fmt.Printf("test image %d: %s, %d of %d pixels inked\n", i, mnist.ClassNames[ds.Test.Labels[i]], ink, len(img))
	}
	// Output:
	// train: 3000 images of 28x28, test: 1000, from cache: false
	// test image 0: Ankle boot, 154 of 784 pixels inked
	// test image 1: Pullover, 418 of 784 pixels inked
	// test image 2: Trouser, 215 of 784 pixels inked
}

func ExampleSet_Dataset() {
	ds, _, err := mnist.Load("testdata", mnist.Options{NoCache: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	// The sets as package softmax takes them (a Trainer's training and
	// test sets, a model's Accuracy): views of the loaded pixels, not
	// copies.
	train, test := ds.Train.Dataset(), ds.Test.Dataset()
	fmt.Printf("train: %d images of %d pixels; test: %d\n", train.Len(), train.Images.Cols, test.Len())
	fmt.Println("copied:", &train.Images.Data[0] != &ds.Train.Images[0])

	// Hold out 500 training images for validation, picked with seed 1.
	rest, val, err := train.Split(500, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rest.Len(), "to train on,", val.Len(), "to validate on")
	// Output:
	// train: 3000 images of 784 pixels; test: 1000
	// copied: false
	// 2500 to train on, 500 to validate on
}

func ExampleFindDir() {
	// Look where the command line says, else in $FASHION_MNIST_DIR, else in
	// the usual places.
	dir, err := mnist.FindDir("")
	if err != nil {
		fmt.Println(err) // lists where it looked and how to install the data
		return
	}
	ds, info, err := mnist.Load(dir, mnist.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	if info.CacheErr != nil {
		fmt.Println("warning: no cache:", info.CacheErr)
	}
	fmt.Println(ds.Train.N, "training images loaded in", info.Duration)
}
