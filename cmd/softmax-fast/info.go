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
	m := machine{Info: cpuinfo.Get()}
	if *peak {
		m.measure()
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(m.json())
	}
	m.print(stdout)
	return nil
}

// machine is what info reports: the CPU and, with -peak, its measured
// peaks and thread-to-thread round trip.
type machine struct {
	cpuinfo.Info
	// peaks of every level but the generic one (scalar Go), the widest (the
	// machine's limit, which "% of peak" figures use) last; nil without
	// -peak.
	peaks   []levelPeak
	handoff float64 // ns; 0 if not measured or one CPU
}

// levelPeak is one level's peak on one thread and on all of them.
type levelPeak struct {
	level    tensor.ISA
	one, all float64
}

// measure runs the peak probe of every SIMD level and the handoff probe.
func (m *machine) measure() {
	c := m.Info
	// A throwaway run first: an idle core runs slower for a while.
	probe.PeakGFLOPS(tensor.Best(), c.LogicalCores, 100*time.Millisecond)
	for _, l := range c.ISAAvailable {
		if l == tensor.Generic && len(c.ISAAvailable) > 1 {
			continue
		}
		p := levelPeak{level: l}
		p.one, _ = probe.PeakGFLOPS(l, 1, 300*time.Millisecond)
		p.all, _ = probe.PeakGFLOPS(l, c.LogicalCores, 300*time.Millisecond)
		m.peaks = append(m.peaks, p)
	}
	m.handoff = probe.HandoffNanos(50 * time.Millisecond)
}

// json returns the object info -json prints.
func (m *machine) json() map[string]any {
	c := m.Info
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
	if len(m.peaks) > 0 {
		widest := m.peaks[len(m.peaks)-1]
		obj["peak_isa"] = widest.level.String()
		obj["peak_gflops_1_thread"] = widest.one
		obj["peak_gflops_all_threads"] = widest.all
		by := map[string]any{}
		for _, p := range m.peaks {
			by[p.level.String()] = map[string]float64{"1_thread": p.one, "all_threads": p.all}
		}
		obj["peak_gflops_by_isa"] = by
		if m.handoff > 0 {
			obj["handoff_ns"] = m.handoff
		}
	}
	return obj
}

// print writes info's text report.
func (m *machine) print(w io.Writer) {
	c := m.Info
	name := c.Name
	if name == "" {
		name = "unknown"
	}
	fmt.Fprintf(w, "cpu       %s (%s, %d logical CPUs)\n", name, c.Arch, c.LogicalCores)
	fmt.Fprintf(w, "features  %v\n", c.Features)
	fmt.Fprintf(w, "isa       %v (available: %v)\n", c.ISASelected, c.ISAAvailable)
	fmt.Fprintf(w, "caches    L1d %s, L2 %s, L3 %s\n", size(c.L1D), size(c.L2), size(c.L3))
	fmt.Fprintf(w, "threads   %d\n", runtime.GOMAXPROCS(0))
	fmt.Fprintf(w, "go        %s\n", runtime.Version())
	for _, p := range m.peaks {
		fmt.Fprintf(w, "peak      %-7s %.1f GFLOP/s on 1 thread, %.1f on %d threads (measured multiply-adds; noisy when the machine is busy)\n",
			p.level.String()+":", p.one, p.all, c.LogicalCores)
	}
	if m.handoff > 0 {
		note := ""
		if m.handoff > 150 {
			// See probe.HandoffNanos: it is bimodal on shared VMs.
			note = " (slow: 2-thread training runs slower than usual while it is)"
		}
		fmt.Fprintf(w, "handoff   %s round trip of a value between two threads%s\n", nanos(m.handoff), note)
	}
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
