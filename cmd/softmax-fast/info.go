package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/softmax-fast/softmax-fast/internal/cpuinfo"
	"github.com/softmax-fast/softmax-fast/internal/probe"
	"github.com/softmax-fast/softmax-fast/tensor"
)

func runInfo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("info", "[-json] [-peak]", stderr)
	asJSON := fs.Bool("json", false, "print one JSON object")
	peak := fs.Bool("peak", false, "also measure the peak multiply-add rate (GFLOP/s) of every SIMD level on 1 and on all threads,\nabout 0.3 s each, and the round trip of a value between two threads (ns)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	if _, err := tensor.CurrentISA(); err != nil {
		return err
	}
	panicHook()
	c := cpuinfo.Get()
	// The peak of every level but the generic one (scalar Go), the widest
	// (the machine's limit) last; "% of peak" figures use the widest.
	type levelPeak struct {
		level    tensor.ISA
		one, all float64
	}
	var peaks []levelPeak
	var handoff float64
	if *peak {
		// A throwaway run first: an idle core runs slower for a while.
		probe.PeakGFLOPS(tensor.Best(), c.LogicalCores, 100*time.Millisecond)
		for _, l := range c.ISAAvailable {
			if l == tensor.Generic && len(c.ISAAvailable) > 1 {
				continue
			}
			p := levelPeak{level: l}
			p.one, _ = probe.PeakGFLOPS(l, 1, 300*time.Millisecond)
			p.all, _ = probe.PeakGFLOPS(l, c.LogicalCores, 300*time.Millisecond)
			peaks = append(peaks, p)
		}
		handoff = probe.HandoffNanos(50 * time.Millisecond)
	}
	if *asJSON {
		levels := make([]string, len(c.ISAAvailable))
		for i, l := range c.ISAAvailable {
			levels[i] = l.String()
		}
		obj := map[string]any{
			"cpu": c.Name, "arch": c.Arch, "physical_cores": c.PhysicalCores, "logical_cores": c.LogicalCores,
			"features": c.Features, "isa_available": levels, "isa_selected": c.ISASelected.String(),
			"l1d_bytes": c.L1D, "l2_bytes": c.L2, "l3_bytes": c.L3, "go": runtime.Version(),
			"threads": runtime.GOMAXPROCS(0),
		}
		if *peak {
			widest := peaks[len(peaks)-1]
			obj["peak_isa"] = widest.level.String()
			obj["peak_gflops_1_thread"] = widest.one
			obj["peak_gflops_all_threads"] = widest.all
			by := map[string]any{}
			for _, p := range peaks {
				by[p.level.String()] = map[string]float64{"1_thread": p.one, "all_threads": p.all}
			}
			obj["peak_gflops_by_isa"] = by
			if handoff > 0 {
				obj["handoff_ns"] = handoff
			}
		}
		return json.NewEncoder(stdout).Encode(obj)
	}
	name := c.Name
	if name == "" {
		name = "unknown"
	}
	fmt.Fprintf(stdout, "cpu       %s (%s, %d logical CPUs)\n", name, c.Arch, c.LogicalCores)
	fmt.Fprintf(stdout, "features  %v\n", c.Features)
	fmt.Fprintf(stdout, "isa       %v (available: %v)\n", c.ISASelected, c.ISAAvailable)
	fmt.Fprintf(stdout, "caches    L1d %s, L2 %s, L3 %s\n", size(c.L1D), size(c.L2), size(c.L3))
	fmt.Fprintf(stdout, "threads   %d\n", runtime.GOMAXPROCS(0))
	fmt.Fprintf(stdout, "go        %s\n", runtime.Version())
	if *peak {
		for _, p := range peaks {
			fmt.Fprintf(stdout, "peak      %-7s %.1f GFLOP/s on 1 thread, %.1f on %d threads (measured multiply-adds; noisy when the machine is busy)\n",
				p.level.String()+":", p.one, p.all, c.LogicalCores)
		}
		if handoff > 0 {
			note := ""
			if handoff > 150 {
				// See probe.HandoffNanos: it is bimodal on shared VMs.
				note = " (slow: 2-thread training runs slower than usual while it is)"
			}
			fmt.Fprintf(stdout, "handoff   %s round trip of a value between two threads%s\n", nanos(handoff), note)
		}
	}
	return nil
}

func size(b int) string {
	switch {
	case b <= 0:
		return "unknown"
	case b >= 1<<20 && b%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", b>>20)
	default:
		return fmt.Sprintf("%d KiB", b>>10)
	}
}

// panicHook lets a test check that a panic reaches the user as one line.
var panicHook = func() {}

// nanos formats a duration in nanoseconds: "72 ns", "3.4 us", "100.0 ms".
func nanos(ns float64) string {
	switch {
	case ns >= 1e6:
		return fmt.Sprintf("%.1f ms", ns/1e6)
	case ns >= 1e4:
		return fmt.Sprintf("%.1f us", ns/1e3)
	}
	return fmt.Sprintf("%.0f ns", ns)
}
