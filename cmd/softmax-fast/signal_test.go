//go:build unix

package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/softmax-fast/softmax-fast/softmax"
	"github.com/softmax-fast/softmax-fast/tensor"
)

// TestInterrupt runs the real binary, interrupts it (SIGINT) during
// training, and checks that it stops promptly with status 1, writes the
// model of the last complete epoch and leaves no temporary file.
func TestInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	bin := buildCommand(t)
	outDir := t.TempDir()
	model := filepath.Join(outDir, "model.smx")
	// 10,000 epochs print a line every 200 (maxEpochLines): the second line
	// comes after 400 epochs, and the 9,600 left take seconds more than the
	// interrupt needs, on any machine.
	cmd := exec.Command(bin, "train", "-data", testdata, "-epochs", "10000", "-batch-size", "16", "-out", model)
	cmd.Env = append(os.Environ(), "XDG_CACHE_HOME="+t.TempDir())
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	epochs := 0
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "epoch ") {
			epochs++
			if epochs == 2 {
				break
			}
		}
	}
	if epochs < 2 {
		cmd.Process.Kill()
		t.Fatalf("no epoch lines; stderr: %s", stderr.String())
	}
	sent := time.Now()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	go func() { // keep draining stdout
		for sc.Scan() {
		}
	}()
	err = cmd.Wait()
	took := time.Since(sent)
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 1 {
		t.Fatalf("exit: %v, want status 1; stderr: %s", err, stderr.String())
	}
	if took > 2*time.Second {
		t.Errorf("stopped %v after SIGINT", took)
	}
	if !strings.Contains(stderr.String(), "interrupted") || !strings.Contains(stderr.String(), model) {
		t.Errorf("stderr %q: want it to say it was interrupted and name the model file", stderr.String())
	}
	m, err := softmax.Load(model)
	if err != nil {
		t.Fatalf("the model written on interrupt does not load: %v", err)
	}
	if m.Inputs() != 784 || m.Classes() != 10 {
		t.Errorf("model %dx%d", m.Inputs(), m.Classes())
	}
	entries, _ := os.ReadDir(outDir)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("files left in the output directory: %v, want only model.smx", names)
	}
	t.Logf("stopped %v after SIGINT: %s", took, strings.TrimSpace(stderr.String()))
}

// buildCommand builds the command into a temporary directory.
func buildCommand(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "softmax-fast")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Skipf("cannot build the command: %v\n%s", err, out)
	}
	return bin
}

// TestEnvISAUnavailable: SOFTMAX_FAST_ISA naming a level this CPU lacks (or
// no level at all) makes every command that computes fail with status 1.
func TestEnvISAUnavailable(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	bin := buildCommand(t)
	lacking := "neon"
	if tensor.Best() == tensor.NEON {
		lacking = "avx2"
	}
	for _, level := range []string{lacking, "sse9"} {
		cmd := exec.Command(bin, "train", "-data", testdata, "-epochs", "1")
		cmd.Env = append(os.Environ(), "SOFTMAX_FAST_ISA="+level, "XDG_CACHE_HOME="+t.TempDir())
		out, err := cmd.CombinedOutput()
		ee, ok := err.(*exec.ExitError)
		if !ok || ee.ExitCode() != 1 || !strings.Contains(string(out), "SOFTMAX_FAST_ISA") || strings.Contains(string(out), "epoch 1") {
			t.Errorf("SOFTMAX_FAST_ISA=%s: %v, output:\n%s", level, err, out)
		}
	}
}
