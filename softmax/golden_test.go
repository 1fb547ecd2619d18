package softmax

import (
	"bytes"
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/softmax-fast/softmax-fast/tensor"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/golden-v1.smx")

// goldenModel is a small model with hand-picked values, special ones included.
func goldenModel() *Dense {
	w := []float32{
		1, -1, 0.5, -0.25,
		float32(math.Copysign(0, -1)), math.SmallestNonzeroFloat32, math.MaxFloat32, -math.MaxFloat32,
		1e-3, 3.25, -7.5, 100,
	}
	return &Dense{
		W:     &tensor.Matrix{Rows: 3, Cols: 4, Stride: 4, Data: w},
		Bias:  []float32{0.125, -0.5, 2},
		Names: []string{"zero", "", "two ✓"},
	}
}

// TestGoldenFile pins the version-1 model file format byte for byte: the
// encoder must produce the committed file, and the decoder must read it back
// to the same model. If this fails after a change to the format, the change
// needs a new version number (and the old version must still load).
func TestGoldenFile(t *testing.T) {
	path := filepath.Join("testdata", "golden-v1.smx")
	got, err := goldenModel().MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if *updateGolden {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("the encoder no longer writes %s:\n got % x\nwant % x", path, got, want)
	}
	m, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	sameModel(t, m, goldenModel())
}
