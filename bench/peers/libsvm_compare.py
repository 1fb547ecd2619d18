#!/usr/bin/python3
"""The whole-run comparison on LIBSVM files: LIBLINEAR against softmax-fast -recipe best.

Each contender is timed as whole processes on the same two text files: parse, train, evaluate on the test
file. LIBLINEAR is `liblinear-train -s S -q TRAIN MODEL` then `liblinear-predict TEST MODEL OUT` (wall time
of the two processes added, accuracy from predict's "Accuracy = 83.95% (8395/10000)"); softmax-fast is
`softmax-fast train -recipe best -data TRAIN -test TEST -json -seed R -threads T`, whose last JSON line
(the one with "summary": true) gives test_acc. Runs interleaved (round-robin), appends or writes raw JSON
lines, prints a markdown table. Called by bench/compare.sh (-only liblinear); see bench/README.md.
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from driver import NCPU, THREAD_VARS, fmt_s, med, parse_threads, thr, timed  # noqa: E402

SOLVERS = {0: "L2-regularized logistic regression, primal", 2: "L2-regularized L2-loss SVM, primal"}
ACCURACY = re.compile(r"Accuracy = ([0-9.]+)% \((\d+)/(\d+)\)")
# the target for softmax-fast at its best against LIBLINEAR at its best
TARGET_RATIO, TARGET_POINTS = 15.0, 0.5


def parse_solvers(text):
    ss = []
    for part in text.split(","):
        part = part.strip()
        if not part.isdigit():
            raise argparse.ArgumentTypeError("-solvers wants LIBLINEAR -s numbers separated by commas, not %r" % text)
        if int(part) not in ss:
            ss.append(int(part))
    return ss


def preread(path):
    """Reads a file once so that every contender finds it in the page cache, the first included."""
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


def lines_of(path):
    with open(path, "rb") as f:
        return sum(1 for _ in f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=3, help="rounds")
    ap.add_argument("-threads", type=parse_threads, default=sorted({1, NCPU}),
                    help="softmax-fast's thread settings, comma-separated (default: 1 and the machine's CPUs)")
    ap.add_argument("-solvers", type=parse_solvers, default=[2, 0], help="LIBLINEAR solvers (-s), comma-separated")
    ap.add_argument("-sf", required=True, help="softmax-fast binary")
    ap.add_argument("-train", required=True, help="training set, LIBSVM text")
    ap.add_argument("-test", required=True, help="test set, LIBSVM text")
    ap.add_argument("-liblinear-train", default="liblinear-train")
    ap.add_argument("-liblinear-predict", default="liblinear-predict")
    ap.add_argument("-results", required=True)
    ap.add_argument("-append", action="store_true", help="append to -results instead of replacing it")
    ap.add_argument("-gate", type=float, default=20.0,
                    help="before each contender wait up to this many seconds for an idle machine (0: off)")
    ap.add_argument("-warm", type=float, default=0.0,
                    help="before each contender (after the idle gate) keep every CPU busy this many seconds (0: off)")
    a = ap.parse_args()
    if a.n < 1:
        ap.error("-n wants a positive integer")
    TS = a.threads
    ll_train = shutil.which(a.liblinear_train) or a.liblinear_train
    ll_predict = shutil.which(a.liblinear_predict) or a.liblinear_predict

    base = {k: v for k, v in os.environ.items() if k not in THREAD_VARS}

    def go_env(t):
        return dict(base, GOMAXPROCS=str(t))

    # Debian's LIBLINEAR 2.3 has no thread option (-n belongs to the separate multicore LIBLINEAR). Its
    # only BLAS calls (Debian links the generic libblas.so.3, OpenBLAS here) are level-1 on vectors of
    # the 784 features, which OpenBLAS runs on one thread; it may use every CPU all the same, and the
    # table shows the CPUs it kept busy.
    ll_env = dict(base, OMP_NUM_THREADS=str(NCPU), OPENBLAS_NUM_THREADS=str(NCPU))

    sizes = {p: os.path.getsize(p) for p in (a.train, a.test)}
    nlines = {p: lines_of(p) for p in (a.train, a.test)}
    for p in (a.train, a.test):
        preread(p)

    # contenders: (key, label, threads)
    cont = [(("liblinear", s), "LIBLINEAR -s %d" % s, 1) for s in a.solvers] + \
           [(("softmax-fast", t), "softmax-fast -recipe best", t) for t in TS]

    tmp = tempfile.mkdtemp(prefix="liblinear-")
    model, pred = os.path.join(tmp, "model"), os.path.join(tmp, "predictions")

    def tenv(env):
        return {k: env[k] for k in THREAD_VARS if k in env}

    def run_liblinear(s, rnd, res):
        tcmd = [ll_train, "-s", str(s), "-q", a.train, model]
        p, mt = timed(tcmd, ll_env, a.gate, a.warm)
        if p.returncode != 0:
            sys.stderr.write("%s failed (exit %d):\n%s\n" % (" ".join(tcmd), p.returncode, (p.stdout + p.stderr)[-2000:]))
            return None
        pcmd = [ll_predict, a.test, model, pred]
        q, mp = timed(pcmd, ll_env)
        m = ACCURACY.search(q.stdout + q.stderr)
        if q.returncode != 0 or not m:
            sys.stderr.write("%s failed (exit %d) or printed no accuracy:\n%s\n" % (
                " ".join(pcmd), q.returncode, (q.stdout + q.stderr)[-2000:]))
            return None
        wall = mt["wall_seconds"] + mp["wall_seconds"]
        rec = {"comparison": "libsvm", "peer": "liblinear", "solver": s, "threads": 1, "round": rnd, "seed": None,
               "wall_seconds": wall, "train_wall_seconds": mt["wall_seconds"], "predict_wall_seconds": mp["wall_seconds"],
               "cpu_seconds": mt["cpu_seconds"] + mp["cpu_seconds"],
               "foreign_load": (mt["foreign_load"] * mt["wall_seconds"] + mp["foreign_load"] * mp["wall_seconds"]) / wall,
               "busy_before": mt["busy_before"], "gate_wait_seconds": mt["gate_wait_seconds"], "warm_seconds": a.warm,
               "cmd": [tcmd, pcmd], "env": tenv(ll_env), "test_acc": int(m.group(2)) / int(m.group(3)),
               "predict_output": m.group(0)}
        res.write(json.dumps(rec) + "\n")
        res.flush()
        return rec

    def run_sf(t, rnd, res):
        cmd = [a.sf, "train", "-recipe", "best", "-data", a.train, "-test", a.test, "-json", "-seed", str(rnd),
               "-threads", str(t)]
        env = go_env(t)
        p, m = timed(cmd, env, a.gate, a.warm)
        if p.returncode != 0:
            sys.stderr.write("%s failed (exit %d):\n%s\n" % (" ".join(cmd), p.returncode, p.stderr[-2000:]))
            return None
        lines = []
        for l in p.stdout.splitlines():
            if l.strip().startswith("{"):
                try:
                    lines.append(json.loads(l))
                except ValueError:
                    pass
        summ = [l for l in lines if l.get("summary")]
        if not summ or "test_acc" not in summ[-1]:
            sys.stderr.write("%s: no JSON summary with test_acc in its output\n" % " ".join(cmd))
            return None
        rec = dict(m, **{"comparison": "libsvm", "peer": "softmax-fast", "threads": t, "round": rnd, "seed": rnd,
                         "cmd": cmd, "env": tenv(env), "test_acc": summ[-1]["test_acc"],
                         "epochs": [l for l in lines if "epoch" in l and not l.get("summary")], "summary": summ[-1]})
        res.write(json.dumps(rec) + "\n")
        res.flush()
        return rec

    os.makedirs(os.path.dirname(os.path.abspath(a.results)), exist_ok=True)
    up0 = open("/proc/loadavg").read().split()[:3]
    recs = {c[0]: [] for c in cont}
    try:
        with open(a.results, "a" if a.append else "w") as res:
            res.write(json.dumps({"meta": True, "comparison": "libsvm",
                                  "date": datetime.datetime.now(datetime.timezone.utc).isoformat(),
                                  "host": platform.node(), "cpus": NCPU, "threads": TS, "solvers": a.solvers, "n": a.n,
                                  "train": a.train, "test": a.test, "bytes": sizes, "lines": nlines,
                                  "liblinear_train": ll_train, "loadavg_start": up0,
                                  "gate_seconds": a.gate, "warm_seconds": a.warm}) + "\n")
            for r in range(1, a.n + 1):
                # every contender once per round; the order reversed every other round
                for key, _, _ in (cont if r % 2 else cont[::-1]):
                    rec = run_liblinear(key[1], r, res) if key[0] == "liblinear" else run_sf(key[1], r, res)
                    if rec:
                        recs[key].append(rec)
                sys.stderr.write("libsvm round %d/%d done, load %s\n" % (r, a.n, open("/proc/loadavg").read().split()[0]))
            up1 = open("/proc/loadavg").read().split()[:3]
            res.write(json.dumps({"meta": True, "comparison": "libsvm", "loadavg_end": up1}) + "\n")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    def stats(rs):
        walls = [r["wall_seconds"] for r in rs]
        accs = [r["test_acc"] for r in rs]
        return {"n": len(rs), "wall": med(walls), "wall_min": min(walls, default=float("nan")),
                "wall_max": max(walls, default=float("nan")),
                "acc": statistics.mean(accs) if accs else float("nan"),
                "acc_min": min(accs, default=float("nan")), "acc_max": max(accs, default=float("nan")),
                "cpus": med([r["cpu_seconds"] / r["wall_seconds"] for r in rs]),
                "train": med([r["train_wall_seconds"] for r in rs if "train_wall_seconds" in r]),
                "predict": med([r["predict_wall_seconds"] for r in rs if "predict_wall_seconds" in r]),
                "own": med([r["summary"]["total_seconds"] for r in rs
                            if "total_seconds" in r.get("summary", {})]),
                "foreign": max([r["foreign_load"] for r in rs], default=float("nan"))}

    S = {k: stats(v) for k, v in recs.items()}

    def best(kind):
        ok = [c[0] for c in cont if c[0][0] == kind and S[c[0]]["n"]]
        return min(ok, key=lambda k: S[k]["wall"]) if ok else None

    ll_b, sf_b = best("liblinear"), best("softmax-fast")

    def mb(p):
        return "%s: %.0f MB, %d lines" % (os.path.basename(p), sizes[p] / 1e6, nlines[p])

    print()
    print("Whole run on the LIBSVM files (%s; %s): wall time of the whole process, parse + train + evaluation "
          "on the test file (LIBLINEAR: liblinear-train plus liblinear-predict), median [min, max] of %d "
          "interleaved round(s); each trainer's best setting in bold" % (mb(a.train), mb(a.test), a.n))
    print()
    print("| trainer | setting | threads | wall (median [min, max]) | of which | test acc mean [min, max] "
          "| CPUs busy (CPU time / wall) | wall / softmax-fast's best |")
    print("|---|---|---|---|---|---|---|---|")
    ref = S[sf_b]["wall"] if sf_b else float("nan")
    bad = []
    for key, label, t in cont:
        s = S[key]
        if key[0] == "liblinear":
            setting = "-s %d (%s)" % (key[1], SOLVERS.get(key[1], "see liblinear-train's usage"))
            threads = "1 (no thread option)"
        else:
            eps = sorted({r["summary"].get("epochs") for r in recs[key]} - {None})
            setting = "%s epochs, -seed = round" % ("/".join(str(e) for e in eps) if eps else "?")
            threads = str(t)
        if not s["n"]:
            print("| %s | %s | %s | failed | | | | |" % (label, setting, threads))
            bad.append("%s %s: every run failed" % (label, setting if key[0] == "liblinear" else thr(t)))
            continue
        if s["n"] < a.n:
            bad.append("%s %s: %d of %d runs failed" % (label, setting if key[0] == "liblinear" else thr(t),
                                                         a.n - s["n"], a.n))
        w = "%s [%s, %s]" % (fmt_s(s["wall"]), fmt_s(s["wall_min"]), fmt_s(s["wall_max"]))
        if key in (ll_b, sf_b):
            w = "**%s** [%s, %s]" % (fmt_s(s["wall"]), fmt_s(s["wall_min"]), fmt_s(s["wall_max"]))
        part = ("train %s + predict %s" % (fmt_s(s["train"]), fmt_s(s["predict"])) if key[0] == "liblinear"
                else "its own total_seconds %s" % fmt_s(s["own"]))
        print("| %s | %s | %s | %s | %s | %.4f [%.4f, %.4f] | %.2f | %.1fx |" % (
            label, setting, threads, w, part, s["acc"], s["acc_min"], s["acc_max"], s["cpus"], s["wall"] / ref))
    print()
    if ll_b and sf_b:
        ratio = S[ll_b]["wall"] / S[sf_b]["wall"]
        pts = 100 * (S[sf_b]["acc"] - S[ll_b]["acc"])
        print("- LIBLINEAR at its best (-s %d, median %s) / softmax-fast at its best (%s, median %s): **%.1fx**; "
              "test accuracy, softmax-fast's mean minus LIBLINEAR's: **%+.2f points** (%.4f against %.4f)" % (
                  ll_b[1], fmt_s(S[ll_b]["wall"]), thr(sf_b[1]), fmt_s(S[sf_b]["wall"]), ratio, pts,
                  S[sf_b]["acc"], S[ll_b]["acc"]))
        ll_acc = max((c[0] for c in cont if c[0][0] == "liblinear" and S[c[0]]["n"]), key=lambda k: S[k]["acc"])
        if ll_acc != ll_b:
            print("- against LIBLINEAR's most accurate solver (-s %d, %.4f): %+.2f points" % (
                ll_acc[1], S[ll_acc]["acc"], 100 * (S[sf_b]["acc"] - S[ll_acc]["acc"])))
        met = ratio >= TARGET_RATIO and pts >= TARGET_POINTS
        print("- target (at least %.0fx the speed and %.1f points more accuracy than LIBLINEAR at its best): %s" % (
            TARGET_RATIO, TARGET_POINTS, "met" if met else "NOT met"))
    if bad:
        print("- CHECK FAILED: " + "; ".join(bad))
        sys.stderr.write("libsvm comparison: check failed: %s\n" % "; ".join(bad))
    else:
        print("- checks: every run succeeded")
    print("- LIBLINEAR: %s, Debian's build; it has no thread option, runs with OPENBLAS_NUM_THREADS=%d "
          "(its BLAS calls are level-1 on 784-long vectors); defaults otherwise: -c 1, the solver's default -e, "
          "no bias term (-B -1); multi-class as one-vs-rest (every solver but -s 4)" % (ll_train, NCPU))
    print("- softmax-fast: -threads T and GOMAXPROCS=T; one process reads both files, trains and evaluates")
    print("- the largest share of the machine that other processes took during any run: %.0f%%" % (
        100 * max([s["foreign"] for s in S.values() if s["n"]], default=0.0)))
    print("- raw JSON lines (\"comparison\": \"libsvm\"): %s" % a.results)


if __name__ == "__main__":
    main()
