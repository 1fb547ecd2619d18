#!/usr/bin/env bash
# Peer comparison: softmax-fast against NumPy, PyTorch and gonum on the same recipe, every trainer
# at 1 thread and at all CPUs (or -t), run interleaved (round-robin) with the same seeds. See bench/README.md.
#
#   bench/compare.sh [-n RUNS] [-t THREADS[,THREADS...]] [-o RESULTS.jsonl] [-only numpy,torch,gonum]
#                    [-gate SECONDS] [-warm SECONDS]
#                    [-openblas-coretype NAME]   (for NumPy and PyTorch's OpenBLAS on a CPU it does not know, e.g. SkylakeX)
set -euo pipefail

N=5
THREADS=""   # empty: the driver's default, 1 and the number of CPUs
ONLY=""
GATE=20
WARM=0
CORETYPE=""
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
RESULTS="$here/results/compare-$(date -u +%Y%m%dT%H%M%SZ).jsonl"

usage() { sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
while [ $# -gt 0 ]; do
	case "$1" in
	-n) N="$2"; shift 2 ;;
	-t | -threads) THREADS="$2"; shift 2 ;;
	-o) RESULTS="$2"; shift 2 ;;
	-only) ONLY="$2"; shift 2 ;;
	-gate) GATE="$2"; shift 2 ;;
	-warm) WARM="$2"; shift 2 ;;
	-openblas-coretype) CORETYPE="$2"; shift 2 ;;
	-h | --help) usage ;;
	*) echo "compare.sh: unknown argument $1" >&2; usage ;;
	esac
done
case "$N" in '' | *[!0-9]* | 0) echo "compare.sh: -n wants a positive integer" >&2; exit 2 ;; esac
if [ -n "$THREADS" ] && ! [[ "$THREADS" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]]; then
	echo "compare.sh: -t wants positive integers separated by commas (e.g. 1,2)" >&2
	exit 2
fi
case "$WARM" in '' | *[!0-9.]* | *.*.* | .) echo "compare.sh: -warm wants a number of seconds >= 0" >&2; exit 2 ;; esac

# Debian's packages live in Debian's python, not in a pyenv one that may come first in PATH.
PY=/usr/bin/python3
DATA="${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}"

missing=()
[ -x "$PY" ] || missing+=(python3)
[ -x "$PY" ] && ! "$PY" -c 'import numpy' 2>/dev/null && missing+=(python3-numpy)
[ -x "$PY" ] && ! "$PY" -c 'import torch' 2>/dev/null && missing+=(python3-torch)
[ -x "$PY" ] && ! "$PY" -c 'import threadpoolctl' 2>/dev/null && missing+=(python3-threadpoolctl)
[ -f "$DATA/train-images-idx3-ubyte.gz" ] || missing+=(dataset-fashion-mnist)
# Debian's numpy links the generic libblas.so.3: without OpenBLAS installed that is the
# reference BLAS, several times slower than what NumPy users get.
ls /usr/lib/*-linux-gnu/openblas-pthread/libblas.so.3 >/dev/null 2>&1 || missing+=(libopenblas0-pthread)
if [ ${#missing[@]} -gt 0 ]; then
	echo "installing ${missing[*]}" >&2
	if [ "$(id -u)" != 0 ]; then
		echo "compare.sh: need root to apt-get install ${missing[*]}" >&2
		exit 1
	fi
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
fi
if [ ! -f "$DATA/train-images-idx3-ubyte.gz" ]; then
	echo "compare.sh: no Fashion-MNIST in $DATA" >&2
	exit 1
fi
export FASHION_MNIST_DIR="$DATA"

out="$here/.out"
mkdir -p "$out"
echo "building softmax-fast and gonum-softmax" >&2
(cd "$root" && go build -o "$out/softmax-fast" ./cmd/softmax-fast)
(cd "$here" && go build -o "$out/gonum-softmax" ./gonum/cmd/gonum-softmax)

echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) CPUs;$(uptime | sed 's/.*load average/ load average/')" >&2
"$PY" "$here/peers/driver.py" -gate "$GATE" -warm "$WARM" -n "$N" ${THREADS:+-threads "$THREADS"} -sf "$out/softmax-fast" -gonum "$out/gonum-softmax" \
	-peers-dir "$here/peers" -python "$PY" -results "$RESULTS" ${ONLY:+-only "$ONLY"} ${CORETYPE:+-openblas-coretype "$CORETYPE"}
