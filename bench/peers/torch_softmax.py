#!/usr/bin/python3
"""Softmax regression on Fashion-MNIST in PyTorch (float32): the softmax-fast recipe.

torch.nn.Linear(784, 10) with W ~ N(0, sigma), b = 0; torch.nn.functional.cross_entropy
(batch mean); torch.optim.SGD(lr); batch 256, a new permutation each epoch (last batch of 96);
training metrics accumulated during the epoch, test accuracy after each epoch. Prints one JSON
line per epoch and a summary line, like `softmax-fast train -json`.
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
    for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(v, str(args.threads))

    import numpy as np
    import torch
    import torch.nn.functional as F
    torch.set_num_threads(args.threads)
    # What actually runs: PyTorch's OpenMP pool and the BLAS it calls for nn.Linear (Debian's
    # torch uses the generic libblas.so.3, i.e. OpenBLAS, whose threads OPENBLAS_NUM_THREADS sets).
    pool_info = {}
    try:
        import threadpoolctl
        for i in threadpoolctl.threadpool_info():
            if i.get("user_api") == "blas" and "blas" not in pool_info:
                pool_info.update({"blas": i.get("internal_api"), "blas_version": i.get("version"),
                                  "blas_kernel": i.get("architecture"), "blas_threads": i.get("num_threads")})
            elif i.get("user_api") == "openmp" and "omp_threads" not in pool_info:
                pool_info["omp_threads"] = i.get("num_threads")
    except ImportError:
        pass
    t_import = time.perf_counter()

    xtr8, ytr, xte8, yte = common.load(np, args.data)
    xtr = torch.from_numpy(xtr8.astype(np.float32) / np.float32(255))
    xte = torch.from_numpy(xte8.astype(np.float32) / np.float32(255))
    ytr = torch.from_numpy(ytr)
    yte = torch.from_numpy(yte)
    t_loaded = time.perf_counter()

    torch.manual_seed(args.seed)
    n = xtr.shape[0]
    net = torch.nn.Linear(xtr.shape[1], 10)
    with torch.no_grad():
        net.weight.normal_(0, args.sigma)
        net.bias.zero_()
    opt = torch.optim.SGD(net.parameters(), lr=args.lr)
    bs = args.batch_size

    train_total = 0.0
    for epoch in range(1, args.epochs + 1):
        t = time.perf_counter()
        perm = torch.randperm(n)
        loss_sum = torch.zeros((), dtype=torch.float64)
        correct = torch.zeros((), dtype=torch.int64)
        for s in range(0, n, bs):
            idx = perm[s:s + bs]
            x = xtr.index_select(0, idx)
            y = ytr.index_select(0, idx)
            logits = net(x)
            loss = F.cross_entropy(logits, y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            with torch.no_grad():
                loss_sum += loss.detach().double() * len(idx)
                correct += (logits.argmax(dim=1) == y).sum()
        sec = time.perf_counter() - t
        train_total += sec
        te = time.perf_counter()
        with torch.no_grad():
            test_acc = float((net(xte).argmax(dim=1) == yte).double().mean())
        esec = time.perf_counter() - te
        loss_v, acc_v = float(loss_sum) / n, int(correct) / n
        common.emit({"epoch": epoch, "loss": loss_v, "train_acc": acc_v, "test_acc": test_acc,
                     "seconds": sec, "eval_seconds": esec, "lr": args.lr})
    end = time.perf_counter()
    out = {"summary": True, "peer": "torch", "torch": torch.__version__, "epochs": args.epochs,
           "threads": args.threads, "torch_threads": torch.get_num_threads(), "seed": args.seed,
           "loss": loss_v, "train_acc": acc_v, "test_acc": test_acc,
           "train_seconds": train_total, "import_seconds": t_import - T0,
           "load_seconds": t_loaded - t_import, "total_seconds": end - T0}
    out.update(pool_info)
    common.emit(out)


if __name__ == "__main__":
    main()
