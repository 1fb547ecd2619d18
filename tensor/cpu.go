package tensor

import "github.com/softmax-fast/softmax-fast/internal/cachesize"

// blocking holds the GEMM cache-block sizes.
type blocking struct{ kc, mc, nc int }

// gemmBlocking returns block sizes for a micro-kernel of mr x nr: the kc x nr
// panel of B and the mr x kc panel of A take about 70 % of L1, the mc x kc
// block of A about half of L2.
func gemmBlocking(mr, nr int) blocking {
	l1, l2 := cachesize.Get()
	kc := l1 * 7 / 10 / (4 * (mr + nr))
	kc = max(16, kc/8*8)
	mc := l2 / 2 / (4 * kc)
	mc = max(mr, mc/mr*mr)
	nc := max(nr, 4096/nr*nr)
	return blocking{kc: kc, mc: mc, nc: nc}
}
