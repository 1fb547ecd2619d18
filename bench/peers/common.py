"""Shared helpers of the Python peers: IDX loading with gzip+numpy and JSON output.

Kept free of heavy imports so that the peers' import time stays their own.
"""
import gzip
import json
import os
import sys

DEFAULT_DIRS = ("/usr/share/datasets/fashion-mnist", "./data/fashion-mnist")
FILES = {
    "train_images": "train-images-idx3-ubyte.gz",
    "train_labels": "train-labels-idx1-ubyte.gz",
    "test_images": "t10k-images-idx3-ubyte.gz",
    "test_labels": "t10k-labels-idx1-ubyte.gz",
}


def find_data_dir(arg):
    cands = [arg] if arg else [os.environ.get("FASHION_MNIST_DIR", "")] + list(DEFAULT_DIRS)
    for d in cands:
        if d and os.path.isfile(os.path.join(d, FILES["train_images"])):
            return d
    sys.exit("fashion-mnist not found in %s (apt-get install dataset-fashion-mnist)" % cands)


def read_idx(np, path):
    """Reads a gzipped IDX file (ubyte) into a uint8 array of its shape."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    if raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise ValueError("%s: not an unsigned-byte IDX file" % path)
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    off = 4 + 4 * ndim
    n = 1
    for d in dims:
        n *= d
    if len(raw) - off != n:
        raise ValueError("%s: %d bytes of data, header says %d" % (path, len(raw) - off, n))
    return np.frombuffer(raw, dtype=np.uint8, offset=off).reshape(dims)


def load(np, data_dir):
    """Returns (xtr uint8 [60000,784], ytr int64, xte uint8 [10000,784], yte int64)."""
    d = find_data_dir(data_dir)
    xtr = read_idx(np, os.path.join(d, FILES["train_images"]))
    ytr = read_idx(np, os.path.join(d, FILES["train_labels"]))
    xte = read_idx(np, os.path.join(d, FILES["test_images"]))
    yte = read_idx(np, os.path.join(d, FILES["test_labels"]))
    return (xtr.reshape(len(xtr), -1), ytr.astype(np.int64),
            xte.reshape(len(xte), -1), yte.astype(np.int64))


def emit(obj):
    sys.stdout.write(json.dumps(obj, sort_keys=True) + "\n")
    sys.stdout.flush()


def add_args(p):
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--batch-size", type=int, default=256)
    p.add_argument("--lr", type=float, default=0.1)
    p.add_argument("--sigma", type=float, default=0.01)
    p.add_argument("--data", default="")
