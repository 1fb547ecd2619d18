#!/usr/bin/python3
"""Runs softmax-fast and its peers interleaved, saves the raw JSON lines, prints a markdown table.

Called by bench/compare.sh (which installs and builds first); see bench/README.md.
"""
import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time


NCPU = os.cpu_count() or 1
TICK = os.sysconf("SC_CLK_TCK")


def cpu_busy():
    """Seconds of CPU time all processes of the machine have used since boot (all CPUs)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + (v[4] if len(v) > 4 else 0)
    return (sum(v[:8]) - idle) / TICK


def gate(max_wait, threshold=0.25):
    """Waits (up to max_wait s) until the machine was less than threshold busy for 0.5 s."""
    t0 = time.perf_counter()
    while True:
        b0, w0 = cpu_busy(), time.perf_counter()
        time.sleep(0.5)
        frac = (cpu_busy() - b0) / ((time.perf_counter() - w0) * NCPU)
        if frac < threshold or time.perf_counter() - t0 > max_wait:
            return frac, time.perf_counter() - t0


def warm(seconds):
    """Keeps every CPU busy for the given seconds (one spinning process per CPU), then returns.

    After a while idle, this kind of VM runs its CPUs slower for the next ~0.1-1 s (measured:
    bench/README.md). A trainer whose timed training starts within that time (softmax-fast starts
    training ~40 ms after it is launched, the Python peers after ~1 s of imports and loading) is
    measured on slower CPUs than the others; warming every trainer alike removes that difference.
    """
    if seconds <= 0:
        return
    code = "import time\nt = time.perf_counter() + %r\nwhile time.perf_counter() < t:\n    pass\n" % seconds
    ps = [subprocess.Popen([sys.executable, "-c", code]) for _ in range(NCPU)]
    for p in ps:
        p.wait()


def run(cmd, env, label, results, rnd, seed, max_wait=0.0, warm_seconds=0.0):
    busy_before, waited = gate(max_wait) if max_wait > 0 else (None, 0.0)
    warm(warm_seconds)
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    b0 = cpu_busy()
    t = time.perf_counter()
    p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t
    b1 = cpu_busy()
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    child_cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    # CPU time that other processes took while this one ran, as a fraction of the machine.
    foreign = max(0.0, (b1 - b0) - child_cpu) / (wall * NCPU)
    if p.returncode != 0:
        sys.stderr.write("%s failed (exit %d):\n%s\n" % (" ".join(cmd), p.returncode, p.stderr[-2000:]))
        return None
    lines = [json.loads(l) for l in p.stdout.splitlines() if l.strip().startswith("{")]
    epochs = [l for l in lines if "epoch" in l and not l.get("summary")]
    summ = [l for l in lines if l.get("summary")]
    if not summ or not epochs:
        sys.stderr.write("%s: no JSON summary in its output\n" % " ".join(cmd))
        return None
    rec = {"peer": label, "round": rnd, "seed": seed, "wall_seconds": wall, "cmd": cmd,
           "cpu_seconds": child_cpu, "foreign_load": foreign, "busy_before": busy_before,
           "gate_wait_seconds": waited, "warm_seconds": warm_seconds, "epochs": epochs, "summary": summ[-1]}
    results.write(json.dumps(rec) + "\n")
    results.flush()
    return rec


def probe(sf, results, rnd):
    """The machine's FMA peak and the thread-to-thread round trip (softmax-fast info -peak), once a round."""
    p = subprocess.run([sf, "info", "-peak", "-json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        rec = json.loads(p.stdout) if p.returncode == 0 else None
    except ValueError:
        rec = None
    if not isinstance(rec, dict):
        sys.stderr.write("softmax-fast info -peak -json failed or printed no JSON object; no probe this round\n")
        return None
    rec = {"probe": True, "round": rnd, "handoff_ns": rec.get("handoff_ns"), "peak_isa": rec.get("peak_isa"),
           "peak_gflops_1_thread": rec.get("peak_gflops_1_thread"),
           "peak_gflops_all_threads": rec.get("peak_gflops_all_threads")}
    results.write(json.dumps(rec) + "\n")
    return rec


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def fmt_ns(ns):
    if ns >= 1e6:
        return "%.1f ms" % (ns / 1e6)
    if ns >= 1e4:
        return "%.1f us" % (ns / 1e3)
    return "%.0f ns" % ns


def fmt_s(x):
    if x != x:
        return "-"
    return "%.3f s" % x if x < 10 else "%.2f s" % x


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=5)
    ap.add_argument("-threads", type=int, default=2)
    ap.add_argument("-sf", required=True, help="softmax-fast binary")
    ap.add_argument("-gonum", required=True, help="gonum-softmax binary")
    ap.add_argument("-peers-dir", required=True)
    ap.add_argument("-python", default="/usr/bin/python3")
    ap.add_argument("-results", required=True)
    ap.add_argument("-gate", type=float, default=20.0,
                    help="before each run wait up to this many seconds for an idle machine (0: off)")
    ap.add_argument("-warm", type=float, default=0.0,
                    help="before each run (after the idle gate) keep every CPU busy for this many seconds (0: off)")
    ap.add_argument("-only", default="", help="comma-separated subset of numpy,torch,gonum "
                    "(softmax-fast and its cold runs always run: the ratios are against it)")
    ap.add_argument("-openblas-coretype", default="",
                    help="OPENBLAS_CORETYPE for NumPy (empty: OpenBLAS's own detection), for a CPU its OpenBLAS "
                    "does not know (it then falls back to old SSE kernels)")
    a = ap.parse_args()
    T = str(a.threads)

    base = dict(os.environ)
    py_env = dict(base, OMP_NUM_THREADS=T, OPENBLAS_NUM_THREADS=T, MKL_NUM_THREADS=T, PYTHONDONTWRITEBYTECODE="1")
    np_env = dict(py_env)
    # A current OpenBLAS needs neither; they slow NumPy down (bench/README.md). This command only.
    np_env.pop("OPENBLAS_CORETYPE", None)
    np_env.pop("OPENBLAS_L2_SIZE", None)
    if a.openblas_coretype:
        np_env["OPENBLAS_CORETYPE"] = a.openblas_coretype
    peers = [
        ("softmax-fast", lambda s: [a.sf, "train", "-json", "-seed", str(s), "-threads", T], base),
        # the cold start: decoding the gzipped IDX files instead of reading the decoded-data
        # cache (-no-cache neither reads nor writes it), once per round like the others: a
        # single cold run can catch a stall of the host's disk (once 3.5 s instead of 0.6 s)
        ("softmax-fast-cold", lambda s: [a.sf, "train", "-json", "-seed", str(s), "-threads", T, "-no-cache"], base),
        ("numpy", lambda s: [a.python, os.path.join(a.peers_dir, "numpy_softmax.py"), "--seed", str(s), "--threads", T], np_env),
        ("torch", lambda s: [a.python, os.path.join(a.peers_dir, "torch_softmax.py"), "--seed", str(s), "--threads", T], py_env),
        ("gonum", lambda s: [a.gonum, "-seed", str(s), "-threads", T], base),
    ]
    if a.only:
        keep = set(a.only.split(","))
        peers = [p for p in peers if p[0] in keep or p[0].startswith("softmax-fast")]

    os.makedirs(os.path.dirname(os.path.abspath(a.results)), exist_ok=True)
    up0 = open("/proc/loadavg").read().split()[:3]
    with open(a.results, "w") as res:
        res.write(json.dumps({"meta": True, "date": datetime.datetime.now(datetime.timezone.utc).isoformat(),
                              "host": platform.node(), "threads": a.threads, "n": a.n, "loadavg_start": up0,
                              "openblas_coretype_env": os.environ.get("OPENBLAS_CORETYPE"),
                              "openblas_l2_size_env": os.environ.get("OPENBLAS_L2_SIZE"),
                              "gate_seconds": a.gate, "warm_seconds": a.warm}) + "\n")
        # softmax-fast: one warm-up that (re)writes the decoded-data cache; its timed runs
        # use the warm cache, its cold runs (-no-cache) decode the gzipped IDX files.
        run(peers[0][1](1), base, "softmax-fast-warmup", res, 0, 1)
        recs = {p[0]: [] for p in peers}
        probes = {}
        for r in range(1, a.n + 1):
            seed = r
            probes[r] = probe(a.sf, res, r)
            for name, cmd, env in peers:  # round-robin: every peer once per round
                rec = run(cmd(seed), env, name, res, r, seed, a.gate, a.warm)
                if rec:
                    recs[name].append(rec)
            sys.stderr.write("round %d/%d done, load %s\n" % (r, a.n, open("/proc/loadavg").read().split()[0]))
        up1 = open("/proc/loadavg").read().split()[:3]
        res.write(json.dumps({"meta": True, "loadavg_end": up1}) + "\n")

    def stats(rs):
        ep = [e["seconds"] for r in rs for e in r["epochs"]]
        tr = [r["summary"]["train_seconds"] for r in rs]
        return {
            "epoch": med(ep), "train": med(tr), "train_min": min(tr) if tr else float("nan"),
            "train_max": max(tr) if tr else float("nan"),
            "load": med([r["summary"]["load_seconds"] for r in rs]),
            # before the trainer's own clock starts (interpreter, imports, Go runtime), as the
            # driver's wall time around the process minus the time the process measured itself,
            # plus the imports that the Python peers time from the top of their script
            "import": med([r["wall_seconds"] - r["summary"]["total_seconds"] + r["summary"].get("import_seconds", 0)
                           for r in rs]),
            "total": med([r["summary"]["total_seconds"] for r in rs]),
            "wall": med([r["wall_seconds"] for r in rs]),
            "eval": med([e["eval_seconds"] for r in rs for e in r["epochs"]]),
            "acc": statistics.mean([r["summary"]["test_acc"] for r in rs]) if rs else float("nan"),
            "acc_min": min([r["summary"]["test_acc"] for r in rs]) if rs else float("nan"),
            "acc_max": max([r["summary"]["test_acc"] for r in rs]) if rs else float("nan"),
            "n": len(rs),
            "foreign": med([r["foreign_load"] for r in rs]),
            "foreign_max": max([r["foreign_load"] for r in rs]) if rs else float("nan"),
        }

    S = {k: stats(v) for k, v in recs.items()}
    ref = S["softmax-fast"]
    print("threads %s, %d interleaved runs per trainer (seeds 1-%d), load average %s at start, %s at end; %s"
          % (T, a.n, a.n, " ".join(up0), " ".join(up1),
             "every CPU kept busy for %g s before each run (-warm)" % a.warm if a.warm > 0
             else "each run started on an idle machine (no -warm)"))
    print()
    print("| trainer | train per epoch (median) | 5-epoch train (median [min, max]) | eval 10k (median) "
          "| load | startup: interpreter+imports | process wall (median) | test acc mean [min, max] "
          "| train time / softmax-fast | wall time / softmax-fast | other load (median, max) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    labels = {"softmax-fast-cold": "softmax-fast, cold (-no-cache: decodes the .gz files)"}
    for name, _, _ in peers:
        s = S[name]
        label = labels.get(name, name)
        if not s["n"]:
            print("| %s | failed | | | | | | | | | |" % label)
            continue
        print("| %s | %s | %s [%s, %s] | %.1f ms | %s | %s | %s | %.4f [%.4f, %.4f] | %.1fx | %.1fx | %.0f%%, %.0f%% |" % (
            label, fmt_s(s["epoch"]), fmt_s(s["train"]), fmt_s(s["train_min"]), fmt_s(s["train_max"]),
            s["eval"] * 1e3, fmt_s(s["load"]), fmt_s(s["import"]), fmt_s(s["wall"]),
            s["acc"], s["acc_min"], s["acc_max"], s["train"] / ref["train"], s["wall"] / ref["wall"],
            100 * s["foreign"], 100 * s["foreign_max"]))
    print()
    notes = []
    nps = [r["summary"] for r in recs.get("numpy", [])]
    if nps:
        s0 = nps[0]
        if s0.get("blas"):
            notes.append("NumPy %s on %s %s, kernel %s, %s threads (%s)"
                         % (s0.get("numpy"), s0["blas"], s0.get("blas_version"), s0.get("blas_kernel"), s0.get("blas_threads"),
                            "OPENBLAS_CORETYPE=" + a.openblas_coretype if a.openblas_coretype else "OpenBLAS's own CPU detection"))
        else:
            notes.append("NumPy %s: threadpoolctl found no BLAS library (reference BLAS?)" % s0.get("numpy"))
    ts = [r["summary"] for r in recs.get("torch", [])]
    if ts:
        notes.append("PyTorch %s, torch.get_num_threads() = %s" % (ts[0].get("torch"), ts[0].get("torch_threads")))
    sfs = [r["summary"] for r in recs["softmax-fast"]]
    if sfs:
        notes.append("softmax-fast isa %s, warm cache %s" % (sfs[0].get("isa"), all(s.get("from_cache") for s in sfs)))
    for n_ in notes:
        print("- " + n_)
    sf_by_round = {r["round"]: r["summary"]["train_seconds"] for r in recs["softmax-fast"]}
    pr = [(r, probes[r]) for r in sorted(probes) if probes[r] and probes[r].get("handoff_ns")]
    if pr:
        print("- per round, thread-to-thread round trip (`softmax-fast info -peak`) -> softmax-fast 5-epoch train: " +
              "; ".join("%d: %s -> %s" % (r, fmt_ns(p["handoff_ns"]), fmt_s(sf_by_round.get(r, float("nan")))) for r, p in pr) +
              " (on the project's VM it is ~60 ns, or ~340 ns in spells during which 2-thread training is 1.3-1.5x slower)")
    key = {1: "peak_gflops_1_thread", NCPU: "peak_gflops_all_threads"}.get(a.threads)
    peaks = [p[key] for p in probes.values() if p and key and p.get(key)]
    if peaks and ref["n"]:
        # 5 epochs x 60000 images x (forward + gradient) x 2 x 784 x 10 = 9.408 GFLOP
        isas = sorted({p.get("peak_isa") or "?" for p in probes.values() if p})
        print("- FMA peak of the widest level the CPU has (%s) on %d thread(s), median of the rounds: %.0f GFLOP/s; "
              "softmax-fast's median 5-epoch train (9.4 GFLOP) runs at %.0f%% of it, its fastest run at %.0f%%" % (
                  "/".join(isas), a.threads, med(peaks), 100 * 9.408 / ref["train"] / med(peaks), 100 * 9.408 / ref["train_min"] / med(peaks)))
    print("- startup: driver's wall time around the process less the trainer's own total_seconds, plus its timed imports")
    print("- other load: CPU time used by other processes while a run ran, as a share of the machine's %d CPUs" % NCPU)
    print("- raw JSON lines: %s" % a.results)


if __name__ == "__main__":
    main()
