#!/usr/bin/python3
"""Writes Fashion-MNIST's gzipped IDX files as two LIBSVM text files, for the LIBLINEAR comparison.

    /usr/bin/python3 bench/peers/to_libsvm.py -out DIR [-data FASHION_MNIST_DIR]

writes DIR/fashion-mnist-train.libsvm (60,000 lines) and DIR/fashion-mnist-test.libsvm (10,000 lines).
Each line is `label index:value ...`: the class 0-9, then the nonzero pixels only, with 1-based indices
(1-784, row-major) in increasing order and value = pixel / 255 as a float32, written in the shortest form
that reads back as the same float32 (1/255 is 0.003921569, 255/255 is 1). Each file is written under a
temporary name and renamed when complete. Called by bench/compare.sh; see bench/README.md.
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

NAMES = {"train": "fashion-mnist-train.libsvm", "test": "fashion-mnist-test.libsvm"}


def tokens(cols):
    """tokens[j*256 + v] is the text `j+1:value` of pixel j at value v (v > 0)."""
    vals = [""] + [np.format_float_positional(np.float32(v) / np.float32(255), unique=True, trim="-")
                   for v in range(1, 256)]
    return np.array([" %d:%s" % (j + 1, vals[v]) for j in range(cols) for v in range(256)], dtype=object)


def write(path, x, y, tok):
    tmp = path + ".tmp"
    cols = x.shape[1]
    base = np.arange(cols, dtype=np.int64) * 256
    with open(tmp, "w") as f:
        for row, label in zip(x, y):
            nz = np.flatnonzero(row)  # increasing
            f.write("%d%s\n" % (label, "".join(tok[base[nz] + row[nz]])))
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-out", required=True, help="directory for the two .libsvm files")
    ap.add_argument("-data", default="", help="Fashion-MNIST directory (default: $FASHION_MNIST_DIR, then "
                    "/usr/share/datasets/fashion-mnist)")
    a = ap.parse_args()
    xtr, ytr, xte, yte = common.load(np, a.data)
    tok = tokens(xtr.shape[1])
    os.makedirs(a.out, exist_ok=True)
    for part, x, y in (("train", xtr, ytr), ("test", xte, yte)):
        write(os.path.join(a.out, NAMES[part]), x, y, tok)


if __name__ == "__main__":
    main()
