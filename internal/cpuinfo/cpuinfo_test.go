package cpuinfo

import (
	"runtime"
	"testing"

	"github.com/softmax-fast/softmax-fast/internal/cachesize"
	"github.com/softmax-fast/softmax-fast/tensor"
)

func TestGet(t *testing.T) {
	info := Get()
	t.Logf("%+v", info)
	if info.Arch != runtime.GOARCH || info.LogicalCores < 1 {
		t.Errorf("arch %q, %d logical cores", info.Arch, info.LogicalCores)
	}
	av := tensor.Available()
	if len(info.ISAAvailable) != len(av) || info.ISASelected != av[len(av)-1] && info.ISASelected != tensor.Generic {
		t.Errorf("ISA levels %v selected %v; tensor says %v", info.ISAAvailable, info.ISASelected, av)
	}
	if l1, l2 := cachesize.Get(); l1 <= 0 || l2 <= 0 {
		t.Errorf("tensor cache sizes %d, %d", l1, l2)
	}
}
