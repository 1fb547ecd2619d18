//go:build amd64 && !purego

package tensor

import "testing"

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
