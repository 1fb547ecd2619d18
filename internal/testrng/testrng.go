// Package testrng gives tests their random generators, with seeds that a
// failing run prints and the next run can repeat. It is for _test.go files
// only.
package testrng

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"
)

// New returns the generator of a test's random data. Its seed is fixed by
// default (a hash of the test's name, so that a failure reruns as it was);
// SOFTMAX_FAST_SEED=random draws a fresh one (scripts/test.sh does, once,
// for the tensor tests), and SOFTMAX_FAST_SEED=N sets it. The seed is
// logged.
func New(t testing.TB) *rand.Rand {
	t.Helper()
	seed, err := Seed(t.Name(), os.Getenv("SOFTMAX_FAST_SEED"))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("seed %d (SOFTMAX_FAST_SEED=%d repeats it)", seed, seed)
	return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// Seed is the seed New uses for the test named name when SOFTMAX_FAST_SEED
// is env.
func Seed(name, env string) (uint64, error) {
	switch env {
	case "":
		h := fnv.New64a()
		h.Write([]byte(name))
		return h.Sum64(), nil
	case "random":
		return uint64(time.Now().UnixNano()), nil
	}
	n, err := strconv.ParseUint(env, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("SOFTMAX_FAST_SEED=%q: want random or an unsigned integer", env)
	}
	return n, nil
}
