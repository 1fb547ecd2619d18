package mnist

import (
	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// vmFlags returns the VmFlags of the mapping of this process that holds
// address a, from /proc/self/smaps.
func vmFlags(t *testing.T, a uintptr) []string {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skipf("no /proc/self/smaps: %v", err)
	}
	defer f.Close()
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if rng, _, ok := strings.Cut(line, " "); ok && strings.Count(rng, "-") == 1 && !strings.HasSuffix(rng, ":") {
			lo, hi, _ := strings.Cut(rng, "-")
			l, err1 := strconv.ParseUint(lo, 16, 64)
			h, err2 := strconv.ParseUint(hi, 16, 64)
			in = err1 == nil && err2 == nil && uint64(a) >= l && uint64(a) < h
			continue
		}
		if in && strings.HasPrefix(line, "VmFlags:") {
			return strings.Fields(strings.TrimPrefix(line, "VmFlags:"))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	t.Fatalf("no mapping holds %#x in /proc/self/smaps", a)
	return nil
}

func TestMakeBytesHugePages(t *testing.T) {
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || !(strings.Contains(string(mode), "[madvise]") || strings.Contains(string(mode), "[always]")) {
		t.Skipf("transparent huge pages are off here (%q, %v): nothing to check", strings.TrimSpace(string(mode)), err)
	}
	// Under a user-mode emulator (qemu-aarch64-static runs the arm64 tests
	// on an x86 machine) madvise is ignored and smaps is made up.
	if cpu, err := os.ReadFile("/proc/cpuinfo"); err == nil && runtime.GOARCH != "amd64" && runtime.GOARCH != "386" &&
		strings.Contains(string(cpu), "vendor_id") {
		t.Skipf("%s code under an emulator on an x86 CPU: madvise is not passed on to the kernel", runtime.GOARCH)
	}
	for _, n := range []int{4*hugePage - 1, 4 * hugePage, 27<<20 + 5} {
		b := makeBytes(n)
		if len(b) != n || cap(b) < n {
			t.Fatalf("makeBytes(%d): len %d, cap %d", n, len(b), cap(b))
		}
		for i, v := range b {
			if v != 0 {
				t.Fatalf("makeBytes(%d)[%d] = %d, want a zeroed buffer", n, i, v)
			}
		}
		a := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
		mid := (a + uintptr(n)/2) &^ (hugePage - 1) // inside the advised pages
		hg := false
		for _, f := range vmFlags(t, mid) {
			hg = hg || f == "hg"
		}
		// (A smaller buffer is not advised, but its mapping may hold others
		// that are: nothing to check for it.)
		if n >= 4*hugePage && !hg {
			t.Errorf("makeBytes(%d): the mapping at %#x has no hg (MADV_HUGEPAGE) flag", n, mid)
		}
	}
}
