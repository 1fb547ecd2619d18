#!/usr/bin/env bash
# The whole test suite, as CI runs it. Works on a fresh Debian machine with Go:
# it installs what the tests need (qemu-user-static for the arm64 run).
#   scripts/test.sh            everything
#   SOFTMAX_FAST_EXP_EXHAUSTIVE=1 scripts/test.sh   also checks exp on all 2^32 inputs
set -euo pipefail
cd "$(dirname "$0")/.."

# Each step's heading gives the seconds since the start, so a slow step shows
# (CI allows 20 minutes in all).
step() { printf '\n== %s (at %d s)\n' "$*" "$SECONDS"; }

if ! command -v qemu-aarch64-static >/dev/null 2>&1; then
	step "installing qemu-user-static (arm64 emulation for the NEON tests)"
	export DEBIAN_FRONTEND=noninteractive
	SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
	$SUDO apt-get update -qq
	$SUDO apt-get install -y -qq qemu-user-static >/dev/null
fi

tmpb=$(mktemp -d)
trap 'rm -rf "$tmpb"' EXIT

step "gofmt"
bad=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$bad" ]; then echo "gofmt would change: $bad"; exit 1; fi

step "go vet: amd64, arm64, purego"
GOARCH=amd64 go vet ./...
GOARCH=arm64 go vet ./...
go vet -tags purego ./...

step "cross builds"
for t in linux/amd64 linux/arm64 linux/386 linux/riscv64 linux/ppc64le darwin/arm64 windows/amd64 wasip1/wasm js/wasm; do
	GOOS=${t%/*} GOARCH=${t#*/} CGO_ENABLED=0 go build ./...
	echo "ok  $t"
done
CGO_ENABLED=0 go build -tags purego,noasm ./...
asm=$(go list -tags purego,noasm -deps -f '{{if and (not .Standard) .SFiles}}{{.ImportPath}}{{end}}' ./...)
if [ -n "$asm" ]; then echo "assembly in a purego,noasm build: $asm"; exit 1; fi

step "the embedding example: small static binary, lean dependencies"
deps=$(go list -deps ./examples/classify | grep -E '^(flag|net|net/.*|text/template)$' || true)
if [ -n "$deps" ]; then echo "examples/classify pulls in: $deps"; exit 1; fi
CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$tmpb/classify" ./examples/classify
size=$(stat -c %s "$tmpb/classify")
echo "examples/classify: stripped static linux/$(go env GOARCH) binary of $size bytes (limit 2 MiB = 2097152)"
[ "$size" -le 2097152 ] || { echo "too big"; exit 1; }

step "go test (every ISA level this machine has)"
go test -count=1 ./...
# The levels the tensor tests ran at here, and why a level of this GOARCH
# was skipped (a CPU without AVX-512, say).
go test -count=1 -run '^TestMatVecU8Bias$' -v ./tensor 2>&1 | grep -E 'ISA levels|not tested' | sed 's/^ *isa_test.go:[0-9]*: /tensor tests: /'

step "fuzz targets, briefly (see README for longer runs)"
# A count (-fuzztime 150000x, a few seconds each), not a duration: with a
# duration, Go 1.26's fuzz coordinator can fail a run that found nothing with
# "context deadline exceeded" (golang/go#75804, fixed in Go 1.27).
# -fuzzminimizetime: minimising a new input may otherwise take up to 60 s.
go test -run '^$' -fuzz '^FuzzReadIDX$' -fuzztime "${FUZZTIME:-150000x}" -fuzzminimizetime 1s ./mnist
go test -run '^$' -fuzz '^FuzzReadPNG$' -fuzztime "${FUZZTIME:-150000x}" -fuzzminimizetime 1s ./mnist
go test -run '^$' -fuzz '^FuzzRead$' -fuzztime "${FUZZTIME:-150000x}" -fuzzminimizetime 1s ./softmax
go test -run '^$' -fuzz '^FuzzReadLIBSVM$' -fuzztime "${FUZZTIME:-150000x}" -fuzzminimizetime 1s ./features
go test -run '^$' -fuzz '^FuzzReadCSV$' -fuzztime "${FUZZTIME:-150000x}" -fuzzminimizetime 1s ./features
go test -run '^$' -fuzz '^FuzzParseFloat32$' -fuzztime "${FUZZTIME:-150000x}" -fuzzminimizetime 1s ./features

step "the tensor tests again on fresh random data (SOFTMAX_FAST_SEED=random; each test logs its seed)"
SOFTMAX_FAST_SEED=random go test -count=1 -short ./tensor

step "go test -tags purego"
go test -count=1 -tags purego ./...

step "go test -race at the generic level (the race detector cannot see assembly)"
SOFTMAX_FAST_ISA=generic go test -count=1 -race -short -cpu 1,4 ./...

step "arm64: the tensor tests under qemu-aarch64-static"
tmp=$tmpb
GOARCH=arm64 go test -c -o "$tmp/tensor.arm64.test" ./tensor
(cd tensor && qemu-aarch64-static "$tmp/tensor.arm64.test" -test.short -test.count=1 -test.v > "$tmp/arm64.log" 2>&1) || {
	tail -50 "$tmp/arm64.log"; echo "arm64 tests failed"; exit 1; }
grep -E '^(--- |ok|PASS|FAIL)|ISA levels' "$tmp/arm64.log" | grep -v '^    ' | tail -40
grep -q 'isa=neon' "$tmp/arm64.log" || { echo "arm64 run did not test the neon level"; exit 1; }
GOARCH=arm64 go test -c -tags purego -o "$tmp/tensor.arm64.purego.test" ./tensor
(cd tensor && qemu-aarch64-static "$tmp/tensor.arm64.purego.test" -test.short -test.count=1 > "$tmp/arm64p.log" 2>&1) || {
	tail -50 "$tmp/arm64p.log"; echo "arm64 purego tests failed"; exit 1; }
tail -1 "$tmp/arm64p.log"

step "arm64: every other package under qemu-aarch64-static"
GOARCH=arm64 go test -exec qemu-aarch64-static -short -count=1 $(go list ./... | grep -v '/tensor$')

step "benchmarks compile and run once"
go test -count=1 -run '^$' -bench . -benchtime 1x . ./tensor ./features > "$tmp/bench.log" 2>&1 || { cat "$tmp/bench.log"; exit 1; }
grep -c '^Benchmark' "$tmp/bench.log" | sed 's/^/benchmarks run: /'
(cd bench && go vet ./... && go test -count=1 -run '^$' -bench . -benchtime 1x ./... > "$tmp/peer.log" 2>&1) || { cat "$tmp/peer.log"; exit 1; }
grep -c '^Benchmark' "$tmp/peer.log" | sed 's/^/peer benchmarks run: /'

if [ "${SOFTMAX_FAST_EXP_EXHAUSTIVE:-}" = 1 ]; then
	step "exp on all 2^32 inputs"
	go test -count=1 -run 'TestKernelExpExhaustive|TestAVX512ExpExhaustive|TestExpXentAVX512' -v -timeout 60m ./tensor | grep -E 'exp:|ok|FAIL'
fi

printf '\nall checks passed in %d s\n' "$SECONDS"
