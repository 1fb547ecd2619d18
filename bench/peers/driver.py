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
# Environment variables that set a trainer's threads or its OpenBLAS kernels: the driver sets
# them for every process itself (none leak in from the caller's environment).
THREAD_VARS = ("GOMAXPROCS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
               "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


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


def timed(cmd, env, max_wait=0.0, warm_seconds=0.0):
    """Runs cmd after the idle gate and the warm-up; returns the finished process and what was measured
    around it: its wall time, its CPU time, the other processes' share of the machine meanwhile."""
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
    return p, {"wall_seconds": wall, "cpu_seconds": child_cpu, "foreign_load": foreign, "busy_before": busy_before,
               "gate_wait_seconds": waited, "warm_seconds": warm_seconds}


def run(cmd, env, label, threads, results, rnd, seed, max_wait=0.0, warm_seconds=0.0):
    p, m = timed(cmd, env, max_wait, warm_seconds)
    if p.returncode != 0:
        sys.stderr.write("%s failed (exit %d):\n%s\n" % (" ".join(cmd), p.returncode, p.stderr[-2000:]))
        return None
    lines = [json.loads(l) for l in p.stdout.splitlines() if l.strip().startswith("{")]
    epochs = [l for l in lines if "epoch" in l and not l.get("summary")]
    summ = [l for l in lines if l.get("summary")]
    if not summ or not epochs:
        sys.stderr.write("%s: no JSON summary in its output\n" % " ".join(cmd))
        return None
    # the thread variables the process was started with, for the record
    tenv = {k: env[k] for k in THREAD_VARS if k in env}
    rec = {"peer": label, "threads": threads, "round": rnd, "seed": seed, "wall_seconds": m["wall_seconds"],
           "cmd": cmd, "env": tenv, "cpu_seconds": m["cpu_seconds"], "foreign_load": m["foreign_load"],
           "busy_before": m["busy_before"], "gate_wait_seconds": m["gate_wait_seconds"],
           "warm_seconds": warm_seconds, "epochs": epochs, "summary": summ[-1]}
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



def parse_threads(text):
    ts = []
    for part in text.split(","):
        part = part.strip()
        if not part.isdigit() or int(part) < 1:
            raise argparse.ArgumentTypeError("-threads wants positive integers separated by commas, not %r" % text)
        if int(part) not in ts:
            ts.append(int(part))
    return sorted(ts)


def thr(t):
    return "1 thread" if t == 1 else "%d threads" % t


ACC_LO, ACC_HI = 0.81, 0.83  # the recipe's epoch-5 test accuracy: 0.82 +- 0.01 (mean over seeds)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=5)
    ap.add_argument("-threads", type=parse_threads, default=sorted({1, NCPU}),
                    help="thread settings, comma-separated (default: 1 and the machine's CPUs); every trainer "
                    "runs at each of them, each (trainer, threads) pair one contender of the round-robin")
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
                    help="OPENBLAS_CORETYPE for the OpenBLAS users, NumPy and PyTorch (empty: OpenBLAS's own "
                    "detection), for a CPU its OpenBLAS does not know (it then falls back to old SSE kernels)")
    a = ap.parse_args()
    TS = a.threads

    # Every process gets its thread variables from here, whatever the caller's environment holds.
    base = {k: v for k, v in os.environ.items() if k not in THREAD_VARS}

    def go_env(t):
        # softmax-fast: -threads (goroutines per product); gonum: -threads sets GOMAXPROCS itself.
        # GOMAXPROCS=t for both, so that a 1-thread run gets one CPU, runtime and GC included.
        return dict(base, GOMAXPROCS=str(t))

    def py_env(t):
        # OpenBLAS and OpenMP read these when they load, so they are set before the process
        # starts; NumPy also limits its pool with threadpoolctl, PyTorch calls set_num_threads.
        # Both use Debian's OpenBLAS (PyTorch's BLAS is the generic libblas.so.3), hence the
        # same OPENBLAS_CORETYPE for both.
        e = dict(base, OMP_NUM_THREADS=str(t), OPENBLAS_NUM_THREADS=str(t), MKL_NUM_THREADS=str(t),
                 PYTHONDONTWRITEBYTECODE="1")
        if a.openblas_coretype:
            e["OPENBLAS_CORETYPE"] = a.openblas_coretype
        return e

    def pyfile(name):
        return os.path.join(a.peers_dir, name)

    peers = [
        ("softmax-fast", lambda s, t: [a.sf, "train", "-json", "-seed", str(s), "-threads", str(t)], go_env),
        # the cold start: decoding the gzipped IDX files instead of reading the decoded-data
        # cache (-no-cache neither reads nor writes it), once per round like the others: a
        # single cold run can catch a stall of the host's disk (once 3.5 s instead of 0.6 s)
        ("softmax-fast-cold", lambda s, t: [a.sf, "train", "-json", "-seed", str(s), "-threads", str(t), "-no-cache"],
         go_env),
        ("numpy", lambda s, t: [a.python, pyfile("numpy_softmax.py"), "--seed", str(s), "--threads", str(t)], py_env),
        ("torch", lambda s, t: [a.python, pyfile("torch_softmax.py"), "--seed", str(s), "--threads", str(t)], py_env),
        ("gonum", lambda s, t: [a.gonum, "-seed", str(s), "-threads", str(t)], go_env),
    ]
    if a.only:
        keep = set(a.only.split(","))
        unknown = keep - {p[0] for p in peers}
        if unknown:
            ap.error("-only: unknown trainer(s) %s" % ",".join(sorted(unknown)))
        peers = [p for p in peers if p[0] in keep or p[0].startswith("softmax-fast")]

    os.makedirs(os.path.dirname(os.path.abspath(a.results)), exist_ok=True)
    up0 = open("/proc/loadavg").read().split()[:3]
    with open(a.results, "w") as res:
        res.write(json.dumps({"meta": True, "date": datetime.datetime.now(datetime.timezone.utc).isoformat(),
                              "host": platform.node(), "cpus": NCPU, "threads": TS, "n": a.n,
                              "trainers": [p[0] for p in peers], "loadavg_start": up0,
                              "openblas_coretype": a.openblas_coretype or None,
                              "gate_seconds": a.gate, "warm_seconds": a.warm}) + "\n")
        # softmax-fast: one warm-up that (re)writes the decoded-data cache; its timed runs
        # use the warm cache, its cold runs (-no-cache) decode the gzipped IDX files.
        run(peers[0][1](1, TS[-1]), go_env(TS[-1]), "softmax-fast-warmup", TS[-1], res, 0, 1)
        recs = {(p[0], t): [] for p in peers for t in TS}
        probes = {}
        for r in range(1, a.n + 1):
            seed = r
            probes[r] = probe(a.sf, res, r)
            # round-robin: every (trainer, threads) pair once per round, with the round's seed;
            # the thread settings of a trainer run back to back, their order reversed every
            # other round so that neither always runs right after the other trainer
            order = TS if r % 2 else TS[::-1]
            for name, cmd, env in peers:
                for t in order:
                    rec = run(cmd(seed, t), env(t), name, t, res, r, seed, a.gate, a.warm)
                    if rec:
                        recs[(name, t)].append(rec)
            sys.stderr.write("round %d/%d done, load %s\n" % (r, a.n, open("/proc/loadavg").read().split()[0]))
        up1 = open("/proc/loadavg").read().split()[:3]
        res.write(json.dumps({"meta": True, "loadavg_end": up1}) + "\n")

    def stats(rs):
        ep = [e["seconds"] for r in rs for e in r["epochs"]]
        tr = [r["summary"]["train_seconds"] for r in rs]
        accs = [r["summary"]["test_acc"] for r in rs]
        return {
            "epoch": med(ep), "train": med(tr), "train_min": min(tr, default=float("nan")),
            "train_max": max(tr, default=float("nan")),
            "load": med([r["summary"]["load_seconds"] for r in rs]),
            # before the trainer's own clock starts (interpreter, imports, Go runtime), as the
            # driver's wall time around the process minus the time the process measured itself,
            # plus the imports that the Python peers time from the top of their script
            "import": med([r["wall_seconds"] - r["summary"]["total_seconds"] + r["summary"].get("import_seconds", 0)
                           for r in rs]),
            "wall": med([r["wall_seconds"] for r in rs]),
            "eval": med([e["eval_seconds"] for r in rs for e in r["epochs"]]),
            "acc": statistics.mean(accs) if accs else float("nan"),
            "acc_min": min(accs, default=float("nan")), "acc_max": max(accs, default=float("nan")),
            "n": len(rs),
            "foreign": med([r["foreign_load"] for r in rs]),
            "foreign_max": max([r["foreign_load"] for r in rs], default=float("nan")),
        }

    S = {k: stats(v) for k, v in recs.items()}

    def best(name):
        ok = [t for t in TS if S[(name, t)]["n"]]
        return min(ok, key=lambda t: S[(name, t)]["train"]) if ok else None

    sf_t = best("softmax-fast")
    ref = S[("softmax-fast", sf_t)]["train"] if sf_t else float("nan")
    labels = {"softmax-fast-cold": "softmax-fast, cold (-no-cache: decodes the .gz files)"}

    def label(name):
        s = labels.get(name, name)
        if name in ("numpy", "torch"):
            k = kernel(name)
            if k:
                s += " (OpenBLAS %s)" % k
        return s

    def kernel(name):
        ks = sorted({r["summary"].get("blas_kernel") or "?" for t in TS for r in recs[(name, t)]})
        return "/".join(ks) if ks else ""

    print("%d interleaved rounds (seeds 1-%d), each running every trainer at %s; load average %s at start, "
          "%s at end; %s" % (a.n, a.n, " and at ".join(thr(t) for t in TS), " ".join(up0), " ".join(up1),
                             "every CPU kept busy for %g s before each run (-warm)" % a.warm if a.warm > 0
                             else "each run started on an idle machine (no -warm)"))
    print()
    print("5-epoch train time (the summary's `train_seconds`: the 5 epochs' training, without loading, "
          "startup or evaluation), median [min, max] of the rounds; the best setting of each trainer in bold; "
          "ratio: the trainer at its best over softmax-fast at its best (%s)" % (thr(sf_t) if sf_t else "-"))
    print()
    hdr = "| trainer | " + " | ".join(thr(t) for t in TS)
    if len(TS) == 2:
        hdr += " | %s / %s" % (thr(TS[1]), thr(TS[0]))
    print(hdr + " | best | train time / softmax-fast | test acc at best, mean [min, max] |")
    print("|---" * (len(TS) + (4 if len(TS) == 2 else 3) + 1) + "|")
    for name, _, _ in peers:
        b = best(name)
        cells = []
        for t in TS:
            s = S[(name, t)]
            if not s["n"]:
                cells.append("failed")
                continue
            v = "%s [%s, %s]" % (fmt_s(s["train"]), fmt_s(s["train_min"]), fmt_s(s["train_max"]))
            if t == b and len(TS) > 1:
                v = "**%s** [%s, %s]" % (fmt_s(s["train"]), fmt_s(s["train_min"]), fmt_s(s["train_max"]))
            cells.append(v)
        if len(TS) == 2:
            s0, s1 = S[(name, TS[0])], S[(name, TS[1])]
            cells.append("%.2f" % (s1["train"] / s0["train"]) if s0["n"] and s1["n"] else "-")
        if b is None:
            cells += ["-", "-", "-"]
        else:
            sb = S[(name, b)]
            cells += [thr(b), "%.1fx (%s / %s)" % (sb["train"] / ref, thr(b), thr(sf_t)),
                      "%.4f [%.4f, %.4f]" % (sb["acc"], sb["acc_min"], sb["acc_max"])]
        print("| %s | %s |" % (label(name), " | ".join(cells)))
    print()
    print("Every setting:")
    print()
    print("| trainer | threads | train per epoch (median) | 5-epoch train (median [min, max]) | eval 10k (median) "
          "| load | startup: interpreter+imports | process wall (median) | test acc mean [min, max] "
          "| other load (median, max) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    bad = []
    for name, _, _ in peers:
        for t in TS:
            s = S[(name, t)]
            if not s["n"]:
                print("| %s | %d | failed | | | | | | | |" % (label(name), t))
                bad.append("%s at %s: every run failed" % (name, thr(t)))
                continue
            if not ACC_LO <= s["acc"] <= ACC_HI:
                bad.append("%s at %s: mean test accuracy %.4f" % (name, thr(t), s["acc"]))
            if s["n"] < a.n:
                bad.append("%s at %s: %d of %d runs failed" % (name, thr(t), a.n - s["n"], a.n))
            print("| %s | %d | %s | %s [%s, %s] | %.1f ms | %s | %s | %s | %.4f [%.4f, %.4f] | %.0f%%, %.0f%% |" % (
                label(name), t, fmt_s(s["epoch"]), fmt_s(s["train"]), fmt_s(s["train_min"]), fmt_s(s["train_max"]),
                s["eval"] * 1e3, fmt_s(s["load"]), fmt_s(s["import"]), fmt_s(s["wall"]),
                s["acc"], s["acc_min"], s["acc_max"], 100 * s["foreign"], 100 * s["foreign_max"]))
    print()
    if bad:
        print("- CHECK FAILED: " + "; ".join(bad) + " (expected: every run succeeds, mean epoch-5 test accuracy "
              "within [%.2f, %.2f])" % (ACC_LO, ACC_HI))
        sys.stderr.write("compare: check failed: %s\n" % "; ".join(bad))
    else:
        print("- checks: every run succeeded; every trainer's mean epoch-5 test accuracy at every setting is "
              "within [%.2f, %.2f] (the recipe's 0.82 +- 0.01)" % (ACC_LO, ACC_HI))
    ct = ("OPENBLAS_CORETYPE=%s" % a.openblas_coretype) if a.openblas_coretype else \
        "OpenBLAS's own CPU detection (no OPENBLAS_CORETYPE)"
    for t in TS:
        nps = [r["summary"] for r in recs.get(("numpy", t), [])]
        if nps:
            s0 = nps[0]
            if s0.get("blas"):
                print("- NumPy %s at %s: %s %s, kernel %s, %s BLAS thread(s) (threadpoolctl); %s"
                      % (s0.get("numpy"), thr(t), s0["blas"], s0.get("blas_version"), s0.get("blas_kernel"),
                         s0.get("blas_threads"), ct))
            else:
                print("- NumPy %s at %s: threadpoolctl found no BLAS library (reference BLAS?)" % (s0.get("numpy"), thr(t)))
        ts = [r["summary"] for r in recs.get(("torch", t), [])]
        if ts:
            s0 = ts[0]
            print("- PyTorch %s at %s: torch.get_num_threads() = %s, OpenMP threads %s, BLAS %s %s kernel %s with %s "
                  "thread(s) (threadpoolctl); %s"
                  % (s0.get("torch"), thr(t), s0.get("torch_threads"), s0.get("omp_threads", "?"), s0.get("blas", "?"),
                     s0.get("blas_version", ""), s0.get("blas_kernel", "?"), s0.get("blas_threads", "?"), ct))
    sfs = [r["summary"] for t in TS for r in recs[("softmax-fast", t)]]
    if sfs:
        print("- softmax-fast isa %s, -threads %s and GOMAXPROCS the same; warm cache %s" % (
            "/".join(sorted({s.get("isa") or "?" for s in sfs})), ",".join(str(t) for t in TS),
            all(s.get("from_cache") for s in sfs)))
    pr = [(r, probes[r]) for r in sorted(probes) if probes[r] and probes[r].get("handoff_ns")]
    if pr:
        by_round = {(r["round"], t): r["summary"]["train_seconds"] for t in TS for r in recs[("softmax-fast", t)]}
        print("- per round, thread-to-thread round trip (`softmax-fast info -peak`) -> softmax-fast 5-epoch train at %s: "
              % " / ".join(thr(t) for t in TS) +
              "; ".join("%d: %s -> %s" % (r, fmt_ns(p["handoff_ns"]),
                                          " / ".join(fmt_s(by_round.get((r, t), float("nan"))) for t in TS))
                        for r, p in pr))
    isas = sorted({p.get("peak_isa") or "?" for p in probes.values() if p})
    for t in TS:
        key = {1: "peak_gflops_1_thread", NCPU: "peak_gflops_all_threads"}.get(t)
        peaks = [p[key] for p in probes.values() if p and key and p.get(key)]
        s = S[("softmax-fast", t)]
        if peaks and s["n"]:
            # 5 epochs x 60000 images x (forward + gradient) x 2 x 784 x 10 = 9.408 GFLOP
            print("- FMA peak (%s) on %s, median of the rounds: %.0f GFLOP/s; softmax-fast's median 5-epoch train "
                  "(9.4 GFLOP) at %s runs at %.0f%% of it, its fastest run at %.0f%%" % (
                      "/".join(isas), thr(t), med(peaks), thr(t), 100 * 9.408 / s["train"] / med(peaks),
                      100 * 9.408 / s["train_min"] / med(peaks)))
    print("- startup: driver's wall time around the process less the trainer's own total_seconds, plus its timed imports")
    print("- other load: CPU time used by other processes while a run ran, as a share of the machine's %d CPUs" % NCPU)
    print("- raw JSON lines (one per process, with its `threads`): %s" % a.results)


if __name__ == "__main__":
    main()
