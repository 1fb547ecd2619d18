// Command gonum-softmax trains softmax regression on Fashion-MNIST with gonum's
// pure-Go float32 BLAS (blas32): the softmax-fast recipe, as a peer benchmark.
//
// Recipe: pixels x/255 as float32, batch 256, Dense 784->10 with bias,
// W ~ N(0, sigma), b = 0, batch-mean softmax cross-entropy, plain SGD, a new
// permutation each epoch (the last batch has 96 rows), training metrics
// accumulated during the epoch, test accuracy after each epoch. It prints one
// JSON object per epoch and a summary, with the keys of `softmax-fast train
// -json`. GOMAXPROCS is set to -threads (gonum splits GEMMs across goroutines).
//
//	go run ./gonum/cmd/gonum-softmax -seed 1 -threads 2
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/gonum"
)

var start = time.Now()

func main() {
	var (
		dataDir = flag.String("data", "", "directory with the four gzipped IDX files")
		seed    = flag.Uint64("seed", 1, "seed of the weights and the permutations")
		threads = flag.Int("threads", 2, "GOMAXPROCS")
		epochs  = flag.Int("epochs", 5, "epochs")
		bs      = flag.Int("batch-size", 256, "batch size")
		lr      = flag.Float64("lr", 0.1, "learning rate")
		sigma   = flag.Float64("sigma", 0.01, "standard deviation of the initial weights")
	)
	flag.Parse()
	if err := run(*dataDir, *seed, *threads, *epochs, *bs, float32(*lr), *sigma); err != nil {
		fmt.Fprintln(os.Stderr, "gonum-softmax:", err)
		os.Exit(1)
	}
}

type set struct {
	x    []float32 // n x d, row-major, x/255
	y    []uint8
	n, d int
}

func run(dataDir string, seed uint64, threads, epochs, bs int, lr float32, sigma float64) error {
	if threads < 1 {
		return errors.New("-threads must be at least 1")
	}
	runtime.GOMAXPROCS(threads)
	blas32.Use(gonum.Implementation{})
	out := json.NewEncoder(os.Stdout)

	dir, err := findData(dataDir)
	if err != nil {
		return err
	}
	tLoad := time.Now()
	train, err := loadSet(filepath.Join(dir, "train-images-idx3-ubyte.gz"), filepath.Join(dir, "train-labels-idx1-ubyte.gz"))
	if err != nil {
		return err
	}
	test, err := loadSet(filepath.Join(dir, "t10k-images-idx3-ubyte.gz"), filepath.Join(dir, "t10k-labels-idx1-ubyte.gz"))
	if err != nil {
		return err
	}
	loadSec := time.Since(tLoad).Seconds()

	const k = 10
	d := train.d
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	W := blas32.General{Rows: d, Cols: k, Stride: k, Data: make([]float32, d*k)}
	for i := range W.Data {
		W.Data[i] = float32(rng.NormFloat64() * sigma)
	}
	b := make([]float32, k)

	xb := make([]float32, bs*d)
	zb := make([]float32, bs*k)
	gW := blas32.General{Rows: d, Cols: k, Stride: k, Data: make([]float32, d*k)}
	gb := make([]float32, k)
	perm := make([]int, train.n)

	var trainTotal float64
	var loss, trainAcc, testAcc float64
	for ep := 1; ep <= epochs; ep++ {
		t0 := time.Now()
		for i := range perm {
			perm[i] = i
		}
		rng.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		var lossSum float64
		correct := 0
		for s := 0; s < train.n; s += bs {
			m := min(bs, train.n-s)
			idx := perm[s : s+m]
			for r, i := range idx {
				copy(xb[r*d:(r+1)*d], train.x[i*d:(i+1)*d])
			}
			X := blas32.General{Rows: m, Cols: d, Stride: d, Data: xb[:m*d]}
			Z := blas32.General{Rows: m, Cols: k, Stride: k, Data: zb[:m*k]}
			blas32.Gemm(blas.NoTrans, blas.NoTrans, 1, X, W, 0, Z)
			inv := 1 / float32(m)
			for r, i := range idx {
				z := Z.Data[r*k : (r+1)*k]
				mx, arg := float32(math.Inf(-1)), 0
				for c := range z {
					z[c] += b[c]
					if z[c] > mx {
						mx, arg = z[c], c
					}
				}
				var sum float32
				for c := range z {
					z[c] = float32(math.Exp(float64(z[c] - mx)))
					sum += z[c]
				}
				y := int(train.y[i])
				if arg == y {
					correct++
				}
				p := z[y] / sum
				lossSum -= math.Log(float64(max(p, 1e-30)))
				s1 := inv / sum
				for c := range z {
					z[c] *= s1 // softmax / m
				}
				z[y] -= inv // (softmax - onehot) / m
			}
			blas32.Gemm(blas.Trans, blas.NoTrans, 1, X, Z, 0, gW)
			clear(gb)
			for r := 0; r < m; r++ {
				for c, v := range Z.Data[r*k : (r+1)*k] {
					gb[c] += v
				}
			}
			blas32.Axpy(-lr, blas32.Vector{N: d * k, Inc: 1, Data: gW.Data}, blas32.Vector{N: d * k, Inc: 1, Data: W.Data})
			for c := range b {
				b[c] -= lr * gb[c]
			}
		}
		sec := time.Since(t0).Seconds()
		trainTotal += sec
		loss, trainAcc = lossSum/float64(train.n), float64(correct)/float64(train.n)

		t1 := time.Now()
		testAcc = evaluate(test, W, b)
		esec := time.Since(t1).Seconds()
		if err := out.Encode(map[string]any{"epoch": ep, "loss": loss, "train_acc": trainAcc, "test_acc": testAcc,
			"seconds": sec, "eval_seconds": esec, "lr": lr}); err != nil {
			return err
		}
	}
	return out.Encode(map[string]any{"summary": true, "peer": "gonum", "epochs": epochs, "threads": threads,
		"seed": seed, "loss": loss, "train_acc": trainAcc, "test_acc": testAcc, "train_seconds": trainTotal,
		"load_seconds": loadSec, "total_seconds": time.Since(start).Seconds()})
}

func evaluate(s *set, W blas32.General, b []float32) float64 {
	const k = 10
	X := blas32.General{Rows: s.n, Cols: s.d, Stride: s.d, Data: s.x}
	Z := blas32.General{Rows: s.n, Cols: k, Stride: k, Data: make([]float32, s.n*k)}
	blas32.Gemm(blas.NoTrans, blas.NoTrans, 1, X, W, 0, Z)
	correct := 0
	for r := 0; r < s.n; r++ {
		z := Z.Data[r*k : (r+1)*k]
		arg, mx := 0, z[0]+b[0]
		for c := 1; c < k; c++ {
			if v := z[c] + b[c]; v > mx {
				arg, mx = c, v
			}
		}
		if arg == int(s.y[r]) {
			correct++
		}
	}
	return float64(correct) / float64(s.n)
}

func findData(dir string) (string, error) {
	cands := []string{dir}
	if dir == "" {
		cands = []string{os.Getenv("FASHION_MNIST_DIR"), "/usr/share/datasets/fashion-mnist", "./data/fashion-mnist"}
	}
	for _, c := range cands {
		if c == "" {
			continue
		}
		if _, err := os.Stat(filepath.Join(c, "train-images-idx3-ubyte.gz")); err == nil {
			return c, nil
		}
	}
	return "", fmt.Errorf("fashion-mnist not found in %q (apt-get install dataset-fashion-mnist)", cands)
}

// readIDX reads a gzipped unsigned-byte IDX file: its dimensions and data.
func readIDX(path string) ([]int, []byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(bufio.NewReaderSize(f, 1<<16))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	var magic [4]byte
	if _, err := io.ReadFull(zr, magic[:]); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if magic[0] != 0 || magic[1] != 0 || magic[2] != 8 || magic[3] == 0 || magic[3] > 4 {
		return nil, nil, fmt.Errorf("%s: not an unsigned-byte IDX file", path)
	}
	dims := make([]int, magic[3])
	n := 1
	for i := range dims {
		var v uint32
		if err := binary.Read(zr, binary.BigEndian, &v); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		dims[i] = int(v)
		n *= dims[i]
	}
	data := make([]byte, n)
	if _, err := io.ReadFull(zr, data); err != nil {
		return nil, nil, fmt.Errorf("%s: data: %w", path, err)
	}
	return dims, data, nil
}

func loadSet(imgPath, lblPath string) (*set, error) {
	idims, px, err := readIDX(imgPath)
	if err != nil {
		return nil, err
	}
	ldims, lbl, err := readIDX(lblPath)
	if err != nil {
		return nil, err
	}
	if len(idims) != 3 || len(ldims) != 1 || idims[0] != ldims[0] {
		return nil, fmt.Errorf("%s, %s: shapes %v and %v do not match", imgPath, lblPath, idims, ldims)
	}
	for _, l := range lbl {
		if l > 9 {
			return nil, fmt.Errorf("%s: label %d out of range", lblPath, l)
		}
	}
	s := &set{n: idims[0], d: idims[1] * idims[2], y: lbl, x: make([]float32, len(px))}
	for i, v := range px {
		s.x[i] = float32(v) / 255
	}
	return s, nil
}
