package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// -recipe best sets its options, flags given change them, and -val,
// -early-stop and -plot work together.
func TestTrainBestRecipe(t *testing.T) {
	dir := setup(t)
	pics := filepath.Join(dir, "pics")
	modelPath := filepath.Join(dir, "m.smx")
	code, out, errs := runCLI(t, "train", "-data", testdata, "-recipe", "best", "-epochs", "8", "-val", "500",
		"-early-stop", "2", "-plot", pics, "-out", modelPath)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	for _, want := range []string{"recipe    best: 8 epochs, batch 256, lr 1 (cosine to 0), Nesterov momentum 0.9, GCE q 0.7 with 5% cross-entropy",
		"500 examples held out for validation", ", val acc 0.", "pictures  "} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, name := range []string{weightsPNG, confusionPNG} {
		f, err := os.Open(filepath.Join(pics, name))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil || img.Bounds().Dx() < 200 || img.Bounds().Dy() < 200 {
			t.Errorf("%s: %v, bounds %v", name, err, img.Bounds())
		}
	}
	svg, err := os.ReadFile(filepath.Join(pics, curvesSVG))
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(svg, new(struct{})); err != nil || !strings.Contains(string(svg), "val acc") {
		t.Errorf("curves.svg: %v, or no val acc series", err)
	}
	// The kept epoch's test accuracy is the one reported and the one of
	// the saved model.
	code, evalOut, errs := runCLI(t, "eval", "-data", testdata, "-model", modelPath, "-json", "-plot", filepath.Join(dir, "eval"))
	if code != 0 {
		t.Fatalf("eval exit %d: %s", code, errs)
	}
	acc := jsonLines(t, evalOut)[0]["accuracy"].(float64)
	var reported float64
	if _, err := fmt.Sscanf(out[strings.Index(out, "done "):], "done      test acc %f", &reported); err != nil || math.Abs(reported-acc) > 0.00006 {
		t.Errorf("done line reports test acc %v (%v); the saved model has %v", reported, err, acc)
	}
	for _, name := range []string{weightsPNG, confusionPNG} {
		if _, err := os.Stat(filepath.Join(dir, "eval", name)); err != nil {
			t.Errorf("eval -plot: %v", err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "eval", curvesSVG)); err == nil {
		t.Error("eval -plot wrote training curves it has no data for")
	}
}

// The progress line draws on request (here every step), erases itself
// before each epoch line, and never appears with -json.
func TestProgress(t *testing.T) {
	setup(t)
	saved := progressEvery
	progressEvery = 0
	t.Cleanup(func() { progressEvery = saved })
	code, out, errs := runCLI(t, "train", "-data", testdata, "-epochs", "2", "-batch-size", "100", "-progress", "on")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "\r\033[Kepoch 1/2  step 1/30  ") || !strings.Contains(out, "left\r\033[Kepoch 2, loss ") {
		t.Errorf("no progress line erased by the epoch line:\n%q", out)
	}
	for _, line := range strings.Split(out, "\n") {
		if i := strings.LastIndex(line, "\r\033[K"); i >= 0 && !strings.HasPrefix(line[i+4:], "epoch ") {
			t.Errorf("a progress line is left on screen: %q", line)
		}
	}
	for _, args := range [][]string{{"-progress", "on", "-json"}, {"-progress", "auto"}} {
		code, out, _ = runCLI(t, append([]string{"train", "-data", testdata, "-epochs", "1"}, args...)...)
		if code != 0 || strings.Contains(out, "\r") {
			t.Errorf("%v: exit %d, progress drawn: %q", args, code, out)
		}
	}
}

func TestSweep(t *testing.T) {
	setup(t)
	start := time.Now()
	code, out, errs := runCLI(t, "sweep", "-data", testdata, "-lr", "0.1,0.5", "-batch-size", "64,256", "-epochs", "1,2", "-val", "500")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	var rows int
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) == 8 && (f[0] == "0.1" || f[0] == "0.5") {
			rows++
		}
	}
	if rows != 8 || !strings.Contains(out, "chosen on validation accuracy") || !strings.Contains(out, "best      lr ") {
		t.Errorf("%d table rows, want 8:\n%s", rows, out)
	}
	code, out, errs = runCLI(t, "sweep", "-data", testdata, "-lr", "0.1,1e6", "-batch-size", "100", "-val", "500", "-json")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	lines := jsonLines(t, out)
	if len(lines) != 3 || lines[1]["diverged"] != true || lines[0]["val_acc"] == nil {
		t.Fatalf("want 2 runs (the second diverged) and the best:\n%s", out)
	}
	best := lines[2]["best"].(map[string]any)
	if best["lr"] != 0.1 || lines[2]["chosen_on"] != "validation" {
		t.Errorf("best %v", lines[2])
	}
	t.Logf("sweeps took %v", time.Since(start))
}

// -h prints the usage once, on the command's stderr, and exits 0.
func TestHelp(t *testing.T) {
	for _, cmd := range []string{"train", "sweep", "eval", "bench"} {
		code, out, errs := runCLI(t, cmd, "-h")
		if code != 0 || out != "" || strings.Count(errs, "usage: softmax-fast "+cmd) != 1 || !strings.Contains(errs, "  -threads") && cmd != "eval" {
			t.Errorf("%s -h: exit %d, stdout %q, stderr:\n%s", cmd, code, out, errs)
		}
	}
}

// An interrupted sweep says how far it got.
func TestSweepInterrupted(t *testing.T) {
	setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	code := run(ctx, []string{"sweep", "-data", testdata, "-lr", "0.1,0.3", "-batch-size", "64", "-val", "500"}, &out, &errb)
	if code != 1 || !strings.Contains(errb.String(), "interrupted after 0 of 2 runs") {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
}
