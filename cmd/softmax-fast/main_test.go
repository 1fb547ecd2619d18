package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/softmax-fast/softmax-fast/mnist"
)

// The real-data slice kept by package mnist: 3000 training and 1000 test
// images of Fashion-MNIST.
const testdata = "../../mnist/testdata"

// runCLI runs one command line in process and returns its exit status and
// output.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func setup(t *testing.T) string {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("SOFTMAX_FAST_ISA", "")
	return t.TempDir()
}

func jsonLines(t *testing.T, s string) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("stdout line %q is not JSON: %v", sc.Text(), err)
		}
		out = append(out, m)
	}
	return out
}

func TestTrainEvalPredict(t *testing.T) {
	dir := setup(t)
	modelPath := filepath.Join(dir, "model.smx")
	code, out, errs := runCLI(t, "train", "-data", testdata, "-epochs", "3", "-batch-size", "50", "-json", "-out", modelPath, "-seed", "7")
	if code != 0 {
		t.Fatalf("train exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	lines := jsonLines(t, out)
	if len(lines) != 4 {
		t.Fatalf("train -json printed %d lines, want 3 epochs + summary:\n%s", len(lines), out)
	}
	for i, l := range lines[:3] {
		for _, k := range []string{"epoch", "loss", "train_acc", "test_acc", "seconds", "eval_seconds"} {
			if _, ok := l[k]; !ok {
				t.Errorf("epoch line %d lacks %q: %v", i, k, l)
			}
		}
		if l["epoch"].(float64) != float64(i+1) {
			t.Errorf("epoch line %d: epoch = %v", i, l["epoch"])
		}
	}
	if acc := lines[3]["test_acc"].(float64); acc < 0.7 { // chance is 0.1
		t.Errorf("test accuracy after 3 epochs on 3000 images = %v, want > 0.7", acc)
	}
	if lines[3]["summary"] != true {
		t.Errorf("last line is not the summary: %v", lines[3])
	}

	// Same seed, same file, byte for byte.
	again := filepath.Join(dir, "again.smx")
	if code, _, errs := runCLI(t, "train", "-data", testdata, "-epochs", "3", "-batch-size", "50", "-out", again, "-seed", "7", "-threads", "1"); code != 0 {
		t.Fatalf("second train: %s", errs)
	}
	a, _ := os.ReadFile(modelPath)
	b, _ := os.ReadFile(again)
	if !bytes.Equal(a, b) || len(a) == 0 {
		t.Errorf("two trainings with seed 7 (2 threads, 1 thread) wrote different model files")
	}

	code, out, errs = runCLI(t, "eval", "-model", modelPath, "-data", testdata, "-json")
	if code != 0 {
		t.Fatalf("eval exit %d: %s", code, errs)
	}
	ev := jsonLines(t, out)[0]
	conf, _ := ev["confusion"].([]any)
	if len(conf) != 10 || len(conf[0].([]any)) != 10 {
		t.Fatalf("confusion is not 10x10: %v", ev["confusion"])
	}
	if pc, _ := ev["per_class"].([]any); len(pc) != 10 {
		t.Errorf("per_class has %d entries", len(pc))
	}
	if ev["accuracy"].(float64) != lines[3]["test_acc"].(float64) {
		t.Errorf("eval accuracy %v differs from train's final test accuracy %v", ev["accuracy"], lines[3]["test_acc"])
	}
	code, out, _ = runCLI(t, "eval", "-model", modelPath, "-data", testdata)
	if code != 0 || !strings.Contains(out, "accuracy") || !strings.Contains(out, "Ankle boot") {
		t.Errorf("eval text output:\n%s", out)
	}

	// Predict test images written as PNG: most must match their labels.
	test, err := mnist.LoadSet(filepath.Join(testdata, mnist.TestImagesFile+".gz"), filepath.Join(testdata, mnist.TestLabelsFile+".gz"))
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for i := range 20 {
		img := image.NewGray(image.Rect(0, 0, 28, 28))
		copy(img.Pix, test.Image(i))
		p := filepath.Join(dir, "img"+string(rune('a'+i))+".png")
		writePNG(t, p, img)
		files = append(files, p)
	}
	code, out, errs = runCLI(t, append([]string{"predict", "-model", modelPath, "-json"}, files...)...)
	if code != 0 {
		t.Fatalf("predict exit %d: %s", code, errs)
	}
	preds := jsonLines(t, out)
	right := 0
	for i, p := range preds {
		if p["file"] != files[i] || p["name"] != mnist.ClassNames[int(p["class"].(float64))] {
			t.Errorf("prediction %d: %v", i, p)
		}
		if pr := p["probability"].(float64); pr <= 0 || pr > 1 {
			t.Errorf("prediction %d: probability %v", i, pr)
		}
		if int(p["class"].(float64)) == int(test.Labels[i]) {
			right++
		}
	}
	if len(preds) != 20 || right < 12 {
		t.Errorf("%d predictions, %d of 20 right", len(preds), right)
	}
}

func writePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

func TestUsageErrors(t *testing.T) {
	setup(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{}, "usage"},
		{[]string{"fly"}, "unknown command"},
		{[]string{"train", "-batch-size", "0"}, "-batch-size"},
		{[]string{"train", "-epochs", "0"}, "-epochs"},
		{[]string{"train", "-lr", "0"}, "-lr"},
		{[]string{"train", "-lr", "-1"}, "-lr"},
		{[]string{"train", "-lr", "NaN"}, "-lr"},
		{[]string{"train", "-sigma", "-0.1"}, "-sigma"},
		{[]string{"train", "-threads", "0"}, "-threads"},
		{[]string{"train", "-isa", "sse9"}, "-isa"},
		{[]string{"train", "-momentum", "1"}, "-momentum"},
		{[]string{"train", "-bogus"}, "bogus"},
		{[]string{"train", "extra"}, "unexpected argument"},
		{[]string{"train", "-recipe", "nope"}, "-recipe nope"},
		{[]string{"train", "-recipe", "best", "-gce", "2"}, "-gce"},
		{[]string{"train", "-ce-share", "0.1"}, "-ce-share needs -gce"},
		{[]string{"train", "-gce", "0.5", "-label-smoothing", "0.1"}, "choose one"},
		{[]string{"train", "-early-stop", "3"}, "-early-stop needs"},
		{[]string{"train", "-early-stop", "3", "-val", "100", "-average", "2"}, "-early-stop and -average"},
		{[]string{"train", "-nesterov"}, "-nesterov"},
		{[]string{"train", "-cosine", "-lr-decay", "0.5"}, "-cosine"},
		{[]string{"train", "-average", "6"}, "-average"},
		{[]string{"train", "-val", "-1"}, "-val"},
		{[]string{"train", "-progress", "maybe"}, "-progress"},
		{[]string{"train", "-data", testdata, "-val", "3000"}, "-val 3000"},
		{[]string{"train", "-data", testdata, "-out", "/nonexistent-dir/m.smx"}, "-out /nonexistent-dir/m.smx: the directory"},
		{[]string{"train", "-data", testdata, "-out", "."}, "is a directory"},
		{[]string{"train", "-data", testdata, "-plot", "main.go"}, "-plot main.go"},
		{[]string{"sweep", "-lr", "0.1,abc"}, "-lr"},
		{[]string{"sweep", "-batch-size", "64,"}, "-batch-size"},
		{[]string{"sweep", "-lr", "0.1,-1"}, "-lr -1"},
		{[]string{"sweep", "-epochs", "0"}, "-epochs"},
		{[]string{"sweep", "extra"}, "unexpected argument"},
		{[]string{"eval"}, "-model"},
		{[]string{"predict", "-model", "x"}, "no images"},
	} {
		code, _, errs := runCLI(t, tc.args...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 mentioning %q", tc.args, code, errs, tc.want)
		}
	}
}

func TestRuntimeErrors(t *testing.T) {
	dir := setup(t)
	empty := t.TempDir()
	code, _, errs := runCLI(t, "train", "-data", empty)
	if code != 1 || !strings.Contains(errs, empty) {
		t.Errorf("train on an empty dir: exit %d, %q", code, errs)
	}

	out := filepath.Join(dir, "diverged.smx")
	for _, extra := range [][]string{{"-lr", "1e30"}, {"-lr", "1e30", "-gce", "0.7"},
		// these diverge after a complete epoch, when a best or averaged model exists
		{"-lr", "40", "-epochs", "20", "-batch-size", "1024", "-momentum", "0.9", "-val", "500", "-early-stop", "20"},
		{"-lr", "40", "-epochs", "20", "-batch-size", "1024", "-momentum", "0.9", "-average", "20"}} {
		args := append([]string{"train", "-data", testdata, "-epochs", "2", "-out", out}, extra...)
		code, _, errs = runCLI(t, args...)
		if code != 1 || !strings.Contains(errs, "diverge") || !strings.Contains(errs, "no model written") {
			t.Errorf("-lr 1e30 %v: exit %d, %q; want exit 1 saying it diverged", extra, code, errs)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("a diverged run (%v) wrote %s", extra, out)
		}
	}

	bad := filepath.Join(dir, "bad.smx")
	os.WriteFile(bad, []byte("not a model at all"), 0o644)
	for _, args := range [][]string{
		{"eval", "-model", bad, "-data", testdata},
		{"predict", "-model", bad, "x.png"},
		{"eval", "-model", filepath.Join(dir, "missing.smx"), "-data", testdata},
	} {
		code, _, errs := runCLI(t, args...)
		if code != 1 || !strings.Contains(errs, args[2]) {
			t.Errorf("%v: exit %d, %q; want exit 1 naming the file", args, code, errs)
		}
	}

	good := filepath.Join(dir, "good.smx")
	if code, _, errs := runCLI(t, "train", "-data", testdata, "-epochs", "1", "-out", good); code != 0 {
		t.Fatal(errs)
	}
	color := image.NewRGBA(image.Rect(0, 0, 28, 28))
	colorPath := filepath.Join(dir, "color.png")
	writePNG(t, colorPath, color)
	big := image.NewGray(image.Rect(0, 0, 32, 28))
	bigPath := filepath.Join(dir, "big.png")
	writePNG(t, bigPath, big)
	notPNG := filepath.Join(dir, "text.png")
	os.WriteFile(notPNG, []byte("hello"), 0o644)
	g16 := image.NewGray16(image.Rect(0, 0, 28, 28))
	g16.Set(3, 3, color16(0xffff))
	g16Path := filepath.Join(dir, "g16.png")
	writePNG(t, g16Path, g16)
	for _, tc := range []struct{ path, want string }{
		{colorPath, "colour"},
		{bigPath, "32x28"},
		{notPNG, "not a PNG"},
		{dir, "directory"},
		{filepath.Join(dir, "nope.png"), "no such file"},
	} {
		code, _, errs := runCLI(t, "predict", "-model", good, tc.path)
		if code != 1 || !strings.Contains(errs, tc.path) || !strings.Contains(errs, tc.want) {
			t.Errorf("predict %s: exit %d, %q; want exit 1 naming the file and %q", tc.path, code, errs, tc.want)
		}
	}
	if code, out, errs := runCLI(t, "predict", "-model", good, g16Path); code != 0 || !strings.Contains(out, g16Path) {
		t.Errorf("16-bit grayscale PNG: exit %d, %q %q", code, out, errs)
	}
}

func color16(v uint16) color.Gray16 { return color.Gray16{Y: v} }

func TestInfo(t *testing.T) {
	code, out, errs := runCLI(t, "info")
	if code != 0 || !strings.Contains(out, "isa") || !strings.Contains(out, "generic") {
		t.Errorf("info: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = runCLI(t, "info", "-json")
	if code != 0 || jsonLines(t, out)[0]["isa_selected"] == nil {
		t.Errorf("info -json: %s", out)
	}
}

func TestPanicIsOneLine(t *testing.T) {
	var out, errb bytes.Buffer
	saved := panicHook
	panicHook = func() { panic("boom") }
	defer func() { panicHook = saved }()
	code := run(context.Background(), []string{"info"}, &out, &errb)
	if code != 1 || strings.Count(errb.String(), "\n") != 1 || !strings.Contains(errb.String(), "internal error: boom") {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
}
