#!/usr/bin/python3
"""Softmax regression on Fashion-MNIST from scratch in NumPy (float32): the softmax-fast recipe.

x/255 float32, batch 256, Dense 784->10 with bias, W ~ N(0, sigma), b = 0, batch-mean softmax
cross-entropy, plain SGD, a new permutation each epoch (last batch of 96), training metrics
accumulated during the epoch, test accuracy after each epoch. Prints one JSON line per epoch
and a summary line, like `softmax-fast train -json`.

Threads: OpenBLAS reads OPENBLAS_NUM_THREADS at load time, so the driver sets it before the
process starts; threadpoolctl (if importable) also limits the pool and reports the kernel.
"""
import time

T0 = time.perf_counter()

import argparse  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    common.add_args(p)
    args = p.parse_args()
    for v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(v, str(args.threads))

    import numpy as np
    blas_info = {}
    try:
        import threadpoolctl
        limiter = threadpoolctl.threadpool_limits(limits=args.threads)
        infos = [i for i in threadpoolctl.threadpool_info() if i.get("user_api") == "blas"]
        if infos:
            i = infos[0]
            blas_info = {"blas": i.get("internal_api"), "blas_version": i.get("version"),
                         "blas_kernel": i.get("architecture"), "blas_threads": i.get("num_threads")}
    except ImportError:
        limiter = None
    t_import = time.perf_counter()

    xtr8, ytr, xte8, yte = common.load(np, args.data)
    # The peers convert once at load: pixels x/255 as float32.
    xtr = xtr8.astype(np.float32) / np.float32(255)
    xte = xte8.astype(np.float32) / np.float32(255)
    t_loaded = time.perf_counter()

    rng = np.random.default_rng(args.seed)
    n, d = xtr.shape
    k = 10
    W = (rng.standard_normal((d, k)) * args.sigma).astype(np.float32)
    b = np.zeros(k, dtype=np.float32)
    lr = np.float32(args.lr)
    bs = args.batch_size

    train_total = 0.0
    for epoch in range(1, args.epochs + 1):
        t = time.perf_counter()
        perm = rng.permutation(n)
        loss_sum = 0.0
        correct = 0
        for s in range(0, n, bs):
            idx = perm[s:s + bs]
            x = xtr[idx]
            y = ytr[idx]
            m = len(idx)
            z = x @ W
            z += b
            z -= z.max(axis=1, keepdims=True)
            np.exp(z, out=z)
            sz = z.sum(axis=1, keepdims=True)
            z /= sz  # z is now the softmax
            rows = np.arange(m)
            py = z[rows, y]
            loss_sum += float(-np.log(np.maximum(py, np.float32(1e-30))).sum())
            correct += int((z.argmax(axis=1) == y).sum())
            z[rows, y] -= 1  # dL/dlogits * m
            z *= np.float32(1.0 / m)
            gW = x.T @ z
            gb = z.sum(axis=0)
            W -= lr * gW
            b -= lr * gb
        sec = time.perf_counter() - t
        train_total += sec
        te = time.perf_counter()
        pred = (xte @ W + b).argmax(axis=1)
        test_acc = float((pred == yte).mean())
        esec = time.perf_counter() - te
        common.emit({"epoch": epoch, "loss": loss_sum / n, "train_acc": correct / n,
                     "test_acc": test_acc, "seconds": sec, "eval_seconds": esec, "lr": args.lr})
    end = time.perf_counter()
    out = {"summary": True, "peer": "numpy", "numpy": np.__version__, "epochs": args.epochs,
           "threads": args.threads, "seed": args.seed, "loss": loss_sum / n, "train_acc": correct / n,
           "test_acc": test_acc, "train_seconds": train_total,
           "import_seconds": t_import - T0, "load_seconds": t_loaded - t_import,
           "total_seconds": end - T0}
    out.update(blas_info)
    common.emit(out)
    del limiter


if __name__ == "__main__":
    main()
