package main

import (
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/softmax-fast/softmax-fast/mnist"
	"github.com/softmax-fast/softmax-fast/softmax"
)

// TestClassify classifies real test images written as PNG files with the
// embedded model: most must come out right (the model has ~81 % accuracy).
func TestClassify(t *testing.T) {
	var model softmax.Dense
	if err := model.UnmarshalBinary(modelFile); err != nil {
		t.Fatal(err)
	}
	td := filepath.Join("..", "..", "mnist", "testdata")
	test, err := mnist.LoadSet(filepath.Join(td, mnist.TestImagesFile+".gz"), filepath.Join(td, mnist.TestLabelsFile+".gz"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	right := 0
	const n = 50
	for i := range n {
		img := image.NewGray(image.Rect(0, 0, 28, 28))
		copy(img.Pix, test.Image(i))
		path := filepath.Join(dir, "img.png")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(f, img); err != nil {
			t.Fatal(err)
		}
		f.Close()
		class, prob, err := classify(&model, path)
		if err != nil {
			t.Fatal(err)
		}
		if prob <= 0 || prob > 1 {
			t.Fatalf("image %d: probability %v", i, prob)
		}
		if class == int(test.Labels[i]) {
			right++
		}
	}
	if right < n*7/10 {
		t.Errorf("%d of %d test images right, want at least 70 %%", right, n)
	}
	if _, _, err := classify(&model, filepath.Join(dir, "missing.png")); err == nil {
		t.Error("a missing file classified without error")
	}
}
