// Package gonum holds peer benchmarks: gonum's pure-Go float32 GEMM on the
// shapes of softmax regression, named like the tensor package's benchmarks
// (impl=gonum) so that benchstat can put them side by side:
//
//	go test -run '^$' -bench . -count 10 ./tensor > tensor.txt
//	(cd bench && go test -run '^$' -bench . -count 10 ./gonum) > gonum.txt
//	benchstat -col /impl tensor.txt gonum.txt
//
// It lives in its own module (bench/go.mod) so that the main module does not
// depend on gonum.
package gonum
