//go:build amd64 && !purego

package tensor

import (
	"fmt"
	"os"
	"sort"
	"testing"
	"time"
)

var gemmTileExperiments = []tileImpl{
	{"12x32R", 12, 32, gemmTile12x32R},
	{"12x32B", 12, 32, gemmTile12x32B},
	{"14x32R", 14, 32, gemmTile14x32R},
	{"14x32B", 14, 32, gemmTile14x32B},
}

func TestGemmTileExperiments(t *testing.T) {
	needAVX512(t)
	rng := newRNG(t)
	for _, im := range gemmTileExperiments {
		for _, k := range []int{0, 1, 3, 4, 5, 17, 256, 784} {
			ap := randSlice(rng, im.mr*k, -1, 1)
			bp := randSlice(rng, im.nr*k, -1, 1)
			tile := poisoned(im.mr * im.nr)
			im.f(k, ap, bp, tile)
			for i := range im.mr {
				for j := range im.nr {
					var want, sa float64
					for p := range k {
						x := float64(ap[p*im.mr+i]) * float64(bp[p*im.nr+j])
						want += x
						if x < 0 {
							x = -x
						}
						sa += x
					}
					if !checkDot(tile[i*im.nr+j], want, sa, k) {
						t.Fatalf("%s k=%d [%d][%d] = %v want %v", im.name, k, i, j, tile[i*im.nr+j], want)
					}
				}
			}
		}
	}
}

// TestShootout interleaves short bursts of each candidate and reports the
// median and the best burst rate (experiment; SHOOTOUT=1).
func TestShootout(t *testing.T) {
	if os.Getenv("SHOOTOUT") == "" {
		t.Skip("SHOOTOUT=1")
	}
	type cand struct {
		name string
		run  func()
		flop float64
	}
	var cs []cand
	rng := newRNG(t)
	for _, k := range []int{256, 784} {
		for _, im := range append([]tileImpl{{"avx2", gemmMRAVX2, gemmNRAVX2, gemmTileAVX2}}, gemmTileExperiments...) {
			ap, bp := alignedF32(im.mr*k), alignedF32(im.nr*k)
			for i := range ap {
				ap[i] = rng.Float32()
			}
			for i := range bp {
				bp[i] = rng.Float32()
			}
			tile := alignedF32(im.mr * im.nr)
			f := im.f
			cs = append(cs, cand{fmt.Sprintf("tile k=%d %s", k, im.name), func() { f(k, ap, bp, tile) }, 2 * float64(im.mr*im.nr*k)})
		}
	}
	cs = append(cs, cand{"peak avx2", func() { fmaLoopAVX2(100) }, 100 * 12 * 16})
	cs = append(cs, cand{"peak avx512", func() { fmaLoopAVX512(100) }, 100 * 16 * 32})
	if s := os.Getenv("SHOOTOUT_EXP"); s != "" {
		src := make([]float32, 2560)
		for i := range src {
			src[i] = float32(rng.NormFloat64() * 10)
		}
		dst := make([]float32, 2560)
		cs = cs[:0]
		cs = append(cs, cand{"exp avx2", func() { expAVX2(dst, src) }, 2560})
		cs = append(cs, cand{"exp avx512", func() { expAVX512(dst, src) }, 2560})
		for _, e := range expExperiments {
			f := e.f
			cs = append(cs, cand{"exp " + e.name, func() { f(dst, src) }, 2560})
		}
	}
	const reps = 50
	rates := make([][]float64, len(cs))
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		for i, c := range cs {
			t0 := time.Now()
			for range reps {
				c.run()
			}
			rates[i] = append(rates[i], c.flop*reps/time.Since(t0).Seconds()/1e9)
		}
	}
	for i, c := range cs {
		r := rates[i]
		sort.Float64s(r)
		t.Logf("%-24s median %7.2f  p90 %7.2f  best %7.2f  (G/s, %d bursts)", c.name, r[len(r)/2], r[len(r)*9/10], r[len(r)-1], len(r))
	}
}
