package main

import (
	"bytes"
	"context"
	"runtime"
	"strings"
	"testing"
)

func TestBenchQuick(t *testing.T) {
	setup(t)
	code, out, errs := runCLI(t, "bench", "-quick")
	if code != 0 {
		t.Fatalf("bench -quick: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	for _, want := range []string{"peak", "### batch size", "| n | inputs | classes | batch | threads |", "### input width"} {
		if !strings.Contains(out, want) {
			t.Errorf("bench -quick output lacks %q:\n%s", want, out)
		}
	}
}

func TestBenchJSON(t *testing.T) {
	setup(t)
	code, out, errs := runCLI(t, "bench", "-quick", "-json")
	if code != 0 {
		t.Fatalf("bench -quick -json: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	lines := jsonLines(t, out)
	rows := 0
	for _, l := range lines {
		if l["table"] == "peak" {
			continue
		}
		rows++
		for _, k := range []string{"n", "inputs", "classes", "batch", "threads", "seconds_per_epoch", "samples_per_s", "gflops", "peak_fraction"} {
			if v, ok := l[k].(float64); !ok || !(v > 0) {
				t.Errorf("row %v: %s = %v, want a positive number", l, k, l[k])
			}
		}
	}
	if rows == 0 {
		t.Errorf("no rows in\n%s", out)
	}
}

func TestBenchUsage(t *testing.T) {
	setup(t)
	for _, args := range [][]string{
		{"bench", "-threads", "0"},
		{"bench", "-reps", "0"},
		{"bench", "-sizes", "x"},
		{"bench", "-sizes", "0"},
		{"bench", "-sizes", ""},
		{"bench", "-isa", "mmx"},
		{"bench", "-nosuchflag"},
		{"bench", "extra"},
	} {
		if code, _, errs := runCLI(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2\n%s", args, code, errs)
		}
	}
}

func TestInfoPeak(t *testing.T) {
	code, out, errs := runCLI(t, "info", "-peak")
	if code != 0 || !strings.Contains(out, "GFLOP/s") {
		t.Errorf("info -peak: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = runCLI(t, "info", "-peak", "-json")
	if code != 0 {
		t.Fatalf("info -peak -json: exit %d", code)
	}
	if v, ok := jsonLines(t, out)[0]["peak_gflops_1_thread"].(float64); !ok || !(v > 0) {
		t.Errorf("info -peak -json: %s", out)
	}
	if runtime.NumCPU() > 1 && runtime.GOMAXPROCS(0) > 1 {
		if v, ok := jsonLines(t, out)[0]["handoff_ns"].(float64); !ok || !(v > 0) {
			t.Errorf("info -peak -json: no handoff_ns: %s", out)
		}
	}
}

// TestBenchInterrupted stops bench after its first round of three: the
// tables come with the medians of that round and a line saying so, and the
// command fails with the interruption.
func TestBenchInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	benchRoundHook = func(rounds int) {
		if rounds == 1 {
			cancel()
		}
	}
	defer func() { benchRoundHook = nil }()
	var out, errb bytes.Buffer
	code := run(ctx, []string{"bench", "-quick", "-reps", "3"}, &out, &errb)
	if code != 1 || !strings.Contains(errb.String(), "context canceled") {
		t.Errorf("exit %d, stderr %q; want 1 and the interruption", code, errb.String())
	}
	if !strings.Contains(out.String(), "stopped after 1 of 3 rounds") || !strings.Contains(out.String(), "### input width") {
		t.Errorf("want the tables of one round and a line saying so:\n%s", out.String())
	}
}
