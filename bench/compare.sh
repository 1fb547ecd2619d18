#!/usr/bin/env bash
# Peer comparison: softmax-fast against NumPy, PyTorch and gonum on the same recipe, every trainer
# at 1 thread and at all CPUs (or -t), run interleaved (round-robin) with the same seeds. See bench/README.md.
#
#   bench/compare.sh [-n RUNS] [-t THREADS[,THREADS...]] [-o RESULTS.jsonl] [-only numpy,torch,gonum,liblinear]
#                    [-gate SECONDS] [-warm SECONDS] [-sf SOFTMAX-FAST-BINARY]
#                    [-openblas-coretype NAME]   (for NumPy and PyTorch's OpenBLAS on a CPU it does not know, e.g. SkylakeX)
#                    [-libsvm-n RUNS] [-liblinear-s SOLVER[,SOLVER...]]
#
# liblinear is opt-in (over a minute a round): -only liblinear runs only the whole-run comparison on LIBSVM
# files, LIBLINEAR (-liblinear-s, default 2,0) against softmax-fast -recipe best, -libsvm-n rounds (default 3);
# -only numpy,torch,gonum,liblinear runs both comparisons. Without -only: the chapter-recipe comparison only.
set -euo pipefail

N=5
THREADS=""   # empty: the driver's default, 1 and the number of CPUs
ONLY=""
GATE=20
WARM=0
CORETYPE=""
SF=""          # empty: build ./cmd/softmax-fast into bench/.out
LIBSVM_N=3
SOLVERS="2,0"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
RESULTS="$here/results/compare-$(date -u +%Y%m%dT%H%M%SZ).jsonl"

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
while [ $# -gt 0 ]; do
	case "$1" in
	-n) N="$2"; shift 2 ;;
	-t | -threads) THREADS="$2"; shift 2 ;;
	-o) RESULTS="$2"; shift 2 ;;
	-only) ONLY="$2"; shift 2 ;;
	-gate) GATE="$2"; shift 2 ;;
	-warm) WARM="$2"; shift 2 ;;
	-openblas-coretype) CORETYPE="$2"; shift 2 ;;
	-sf) SF="$2"; shift 2 ;;
	-libsvm-n) LIBSVM_N="$2"; shift 2 ;;
	-liblinear-s) SOLVERS="$2"; shift 2 ;;
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
case "$LIBSVM_N" in '' | *[!0-9]* | 0) echo "compare.sh: -libsvm-n wants a positive integer" >&2; exit 2 ;; esac
if ! [[ "$SOLVERS" =~ ^[0-9]+(,[0-9]+)*$ ]]; then
	echo "compare.sh: -liblinear-s wants LIBLINEAR solver numbers separated by commas (e.g. 2,0)" >&2
	exit 2
fi
if [ -n "$SF" ]; then
	[ -x "$SF" ] || { echo "compare.sh: -sf $SF: not an executable" >&2; exit 2; }
	SF="$(cd "$(dirname "$SF")" && pwd)/$(basename "$SF")"
fi

# -only: liblinear selects the LIBSVM comparison; every other name goes to the chapter-recipe driver.
CHAPTER=1
LIBLINEAR=0
PEERS=""
if [ -n "$ONLY" ]; then
	CHAPTER=0
	IFS=, read -ra names <<<"$ONLY"
	for name in "${names[@]}"; do
		case "$name" in
		liblinear) LIBLINEAR=1 ;;
		*) CHAPTER=1; PEERS="${PEERS:+$PEERS,}$name" ;;
		esac
	done
fi

# Debian's packages live in Debian's python, not in a pyenv one that may come first in PATH.
PY=/usr/bin/python3
DATA="${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}"

missing=()
[ -x "$PY" ] || missing+=(python3)
[ -x "$PY" ] && ! "$PY" -c 'import numpy' 2>/dev/null && missing+=(python3-numpy)
if [ "$CHAPTER" = 1 ]; then
	[ -x "$PY" ] && ! "$PY" -c 'import torch' 2>/dev/null && missing+=(python3-torch)
	[ -x "$PY" ] && ! "$PY" -c 'import threadpoolctl' 2>/dev/null && missing+=(python3-threadpoolctl)
fi
[ "$LIBLINEAR" = 1 ] && ! command -v liblinear-train >/dev/null && missing+=(liblinear-tools)
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
if [ -z "$SF" ]; then
	echo "building softmax-fast" >&2
	(cd "$root" && go build -o "$out/softmax-fast" ./cmd/softmax-fast)
	SF="$out/softmax-fast"
fi
if [ "$CHAPTER" = 1 ]; then
	echo "building gonum-softmax" >&2
	(cd "$here" && go build -o "$out/gonum-softmax" ./gonum/cmd/gonum-softmax)
fi

# The LIBSVM files, written once from the IDX files (again when the script or the data is newer).
ltrain="$out/fashion-mnist-train.libsvm"
ltest="$out/fashion-mnist-test.libsvm"
if [ "$LIBLINEAR" = 1 ]; then
	gen="$here/peers/to_libsvm.py"
	if [ ! -f "$ltrain" ] || [ ! -f "$ltest" ] || [ "$gen" -nt "$ltrain" ] || [ "$gen" -nt "$ltest" ] ||
		[ "$DATA/train-images-idx3-ubyte.gz" -nt "$ltrain" ] || [ "$DATA/t10k-images-idx3-ubyte.gz" -nt "$ltest" ]; then
		echo "writing the LIBSVM files into $out" >&2
		PYTHONDONTWRITEBYTECODE=1 "$PY" "$gen" -data "$DATA" -out "$out"
	fi
	for f in "$ltrain" "$ltest"; do
		echo "$f: $(stat -c %s "$f" | awk '{printf "%.0f MB", $1 / 1e6}'), $(wc -l <"$f") lines" >&2
	done
fi

echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) CPUs;$(uptime | sed 's/.*load average/ load average/')" >&2
export PYTHONDONTWRITEBYTECODE=1
if [ "$CHAPTER" = 1 ]; then
	"$PY" "$here/peers/driver.py" -gate "$GATE" -warm "$WARM" -n "$N" ${THREADS:+-threads "$THREADS"} -sf "$SF" -gonum "$out/gonum-softmax" \
		-peers-dir "$here/peers" -python "$PY" -results "$RESULTS" ${PEERS:+-only "$PEERS"} ${CORETYPE:+-openblas-coretype "$CORETYPE"}
fi
if [ "$LIBLINEAR" = 1 ]; then
	# the same results file: appended after the chapter-recipe comparison's lines
	append=()
	[ "$CHAPTER" = 1 ] && append=(-append)
	"$PY" "$here/peers/libsvm_compare.py" -gate "$GATE" -warm "$WARM" -n "$LIBSVM_N" ${THREADS:+-threads "$THREADS"} \
		-solvers "$SOLVERS" -sf "$SF" -train "$ltrain" -test "$ltest" -results "$RESULTS" "${append[@]}"
fi
