#!/usr/bin/env bash
# Sets up and runs the main job: installs Debian's Fashion-MNIST package if the
# data is not there, builds softmax-fast and trains the Gluon chapter's model.
# Extra arguments go to 'softmax-fast train' (e.g. -epochs 10 -out model.smx).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
if [ ! -e "$dir/train-images-idx3-ubyte.gz" ] && [ ! -e "$dir/train-images-idx3-ubyte" ] && [ ! -d data/fashion-mnist ]; then
	echo "installing Debian's dataset-fashion-mnist (the data set, 30 MB)" >&2
	SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	$SUDO apt-get install -y -qq dataset-fashion-mnist >/dev/null
fi
mkdir -p bin
go build -trimpath -o bin/softmax-fast ./cmd/softmax-fast
exec bin/softmax-fast train "$@"
