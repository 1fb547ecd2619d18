package mnist

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"unsafe"
)

// bothCachePaths runs test twice: reading the cache through a mapping
// where this platform has one ("map"), and with the portable read into a
// Go buffer forced ("read").
func bothCachePaths(t *testing.T, test func(t *testing.T)) {
	for _, mapped := range []bool{true, false} {
		name := "read"
		if mapped {
			name = "map"
		}
		t.Run(name, func(t *testing.T) {
			setCacheMap(t, mapped)
			test(t)
		})
	}
}

// setCacheMap sets cacheMap for the rest of the test.
func setCacheMap(t *testing.T, on bool) {
	old := cacheMap
	cacheMap = on
	t.Cleanup(func() { cacheMap = old })
}

// mapsCache tells whether a cache hit should come from a mapping.
func mapsCache() bool { return cacheMap && runtime.GOOS == "linux" }

// checkCacheHit checks a Dataset that Load read from the cache: read the
// way cacheMap asks, its images 64-byte aligned.
func checkCacheHit(t *testing.T, ds *Dataset) {
	t.Helper()
	if ds.mapped != mapsCache() {
		t.Errorf("mapped = %v, want %v (cacheMap %v on %s)", ds.mapped, mapsCache(), cacheMap, runtime.GOOS)
	}
	for _, s := range []*Set{ds.Train, ds.Test} {
		if p := uintptr(unsafe.Pointer(unsafe.SliceData(s.Images))); p%64 != 0 {
			t.Errorf("%s: images at %#x, not 64-byte aligned", s.ImagesPath, p)
		}
	}
}

// TestCacheLayout checks that every section starts where it may, in order,
// without overlap, the images 64-byte aligned, and that a file too large
// for the limit is refused instead of wrapping around.
func TestCacheLayout(t *testing.T) {
	for _, c := range []struct{ k, trainN, testN, px uint64 }{
		{248, 60000, 10000, 784}, {0, 1, 1, 1}, {1, 40, 12, 42}, {31, 3, 5, 7}, {32, 64, 64, 64}, {100, 1001, 3, 13},
	} {
		l, ok := layoutOf(c.k, c.trainN, c.testN, c.px, math.MaxInt64)
		if !ok {
			t.Fatalf("%+v: refused", c)
		}
		if l.trainImages%cacheAlign != 0 || l.testImages%cacheAlign != 0 {
			t.Errorf("%+v: images at %d and %d, not aligned", c, l.trainImages, l.testImages)
		}
		if l.trainImages < cacheHeaderLen+c.k || l.trainImages >= cacheHeaderLen+c.k+cacheAlign ||
			l.testImages < l.trainImages+c.trainN*c.px || l.testImages >= l.trainImages+c.trainN*c.px+cacheAlign ||
			l.trainLabels < l.testImages+c.testN*c.px || l.trainLabels >= l.testImages+c.testN*c.px+cacheAlign ||
			l.testLabels != l.trainLabels+c.trainN || l.size != l.testLabels+c.testN+4 {
			t.Errorf("%+v: layout %+v", c, l)
		}
		if _, ok := layoutOf(c.k, c.trainN, c.testN, c.px, l.size-1); ok {
			t.Errorf("%+v: accepted with a limit one byte short", c)
		}
		if l2, ok := layoutOf(c.k, c.trainN, c.testN, c.px, l.size); !ok || l2 != l {
			t.Errorf("%+v: with the exact limit: %+v, %v", c, l2, ok)
		}
	}
	m := uint64(math.MaxUint32)
	for _, c := range [][4]uint64{{maxKeyLen, m, m, m}, {0, m, 1, m}, {0, 1, m, m}} {
		if l, ok := layoutOf(c[0], c[1], c[2], c[3], math.MaxInt64); ok {
			t.Errorf("%v: accepted as %+v", c, l)
		}
	}
}

// cacheFile loads a fixture once to write its cache and returns the cache
// reference and the file's bytes.
func cacheFile(t *testing.T, s synth) (c *cacheRef, good []byte, want *Dataset) {
	t.Helper()
	dir := t.TempDir()
	want = writeSynth(t, dir, s)
	cacheDir := t.TempDir()
	_, info := load(t, dir, Options{CacheDir: cacheDir})
	paths, err := findFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	if c, err = newCacheRef(dir, paths, cacheDir); err != nil || c.path != info.CachePath {
		t.Fatalf("newCacheRef: %v, %v", c, err)
	}
	if good, err = os.ReadFile(c.path); err != nil {
		t.Fatal(err)
	}
	return c, good, want
}

// TestCacheEveryByte flips a bit in every byte of a cache file in turn,
// header, key, padding, images, labels and checksum, and checks that each
// such file is refused, on both paths, with the checksum computed in one
// piece and in several.
func TestCacheEveryByte(t *testing.T) {
	bothCachePaths(t, func(t *testing.T) {
		c, good, want := cacheFile(t, synth{trainN: 40, testN: 12, rows: 7, cols: 6})
		for _, pieceMin := range []int{cachePieceMin, 256} {
			old, oldProcs := cachePieceMin, runtime.GOMAXPROCS(4)
			cachePieceMin = pieceMin
			ds, miss := c.read()
			if ds == nil {
				t.Fatalf("piece size %d: the good file is refused: %s", pieceMin, miss)
			}
			checkDataset(t, ds, want)
			checkCacheHit(t, ds)
			for i := range good {
				b := slices.Clone(good)
				b[i] ^= 1 << (i % 8)
				if err := os.WriteFile(c.path, b, 0o644); err != nil {
					t.Fatal(err)
				}
				if ds, _ := c.read(); ds != nil {
					t.Fatalf("piece size %d: a bit flipped in byte %d of %d is not noticed", pieceMin, i, len(good))
				}
			}
			if err := os.WriteFile(c.path, good, 0o644); err != nil {
				t.Fatal(err)
			}
			cachePieceMin = old
			runtime.GOMAXPROCS(oldProcs)
		}
	})
}

// TestCacheChangedWhileRead changes the size of the cache file after its
// header has been checked against it: on the mapped path a read past the
// new end faults, which must be recovered, and on both paths the file is
// refused and rebuilt.
func TestCacheChangedWhileRead(t *testing.T) {
	bothCachePaths(t, func(t *testing.T) {
		c, good, want := cacheFile(t, synth{trainN: 400, testN: 100, rows: 28, cols: 28})
		for _, tc := range []struct {
			name   string
			change func(path string) error
			miss   string // on the mapped path; the read path fails its read
		}{
			{"truncated to a page", func(p string) error { return os.Truncate(p, 4096) }, "shrank"},
			{"truncated to nothing", func(p string) error { return os.Truncate(p, 0) }, "shrank"},
			{"one byte shorter", func(p string) error { return os.Truncate(p, int64(len(good)-1)) }, ""},
			{"one byte longer", func(p string) error { return os.Truncate(p, int64(len(good)+1)) }, "size changed"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if err := os.WriteFile(c.path, good, 0o644); err != nil {
					t.Fatal(err)
				}
				cacheAfterHeader = func() {
					if err := tc.change(c.path); err != nil {
						t.Error(err)
					}
				}
				ds, info, err := Load(want.Dir, Options{CacheDir: filepath.Dir(c.path)})
				cacheAfterHeader = nil
				if err != nil {
					t.Fatal(err)
				}
				checkDataset(t, ds, want)
				if info.FromCache || info.CacheMiss == "" || info.CacheErr != nil {
					t.Fatalf("%+v, want a rebuild", info)
				}
				if mapsCache() && !strings.Contains(info.CacheMiss, tc.miss) {
					t.Errorf("miss %q, want %q", info.CacheMiss, tc.miss)
				}
				if rebuilt, err := os.ReadFile(c.path); err != nil || !bytes.Equal(rebuilt, good) {
					t.Fatalf("the cache was not rebuilt (%v)", err)
				}
			})
		}
	})
}

// TestCacheVersion1 writes a cache file of the first format (no padding
// before the images) and checks that it is refused and rebuilt.
func TestCacheVersion1(t *testing.T) {
	bothCachePaths(t, func(t *testing.T) {
		c, good, want := cacheFile(t, synth{trainN: 40, testN: 12, rows: 7, cols: 6})
		h := make([]byte, cacheHeaderLen)
		copy(h, cacheMagic)
		for i, v := range []int{1, len(c.key), want.Train.N, want.Test.N, want.Train.Rows, want.Train.Cols} {
			binary.LittleEndian.PutUint32(h[8+4*i:], uint32(v))
		}
		v1 := slices.Concat(h, []byte(c.key), want.Train.Images, want.Train.Labels, want.Test.Images, want.Test.Labels)
		v1 = binary.LittleEndian.AppendUint32(v1, crc32.Checksum(v1, castagnoli))
		if err := os.WriteFile(c.path, v1, 0o644); err != nil {
			t.Fatal(err)
		}
		ds, info := load(t, want.Dir, Options{CacheDir: filepath.Dir(c.path)})
		checkDataset(t, ds, want)
		if info.FromCache || info.CacheMiss != "format version 1, want 2" {
			t.Fatalf("%+v, want a miss for the old version", info)
		}
		if rebuilt, err := os.ReadFile(c.path); err != nil || !bytes.Equal(rebuilt, good) {
			t.Fatalf("the cache was not rebuilt (%v)", err)
		}
	})
}

// TestCacheWritable writes into the images and labels of a Dataset read
// from the cache: allowed on both paths, seen by that Dataset only, never
// by the file or a later Load.
func TestCacheWritable(t *testing.T) {
	bothCachePaths(t, func(t *testing.T) {
		c, good, want := cacheFile(t, synth{trainN: 400, testN: 100, rows: 28, cols: 28})
		a, _ := c.read()
		b, _ := c.read()
		if a == nil || b == nil {
			t.Fatal("the cache is refused")
		}
		checkCacheHit(t, a)
		for _, s := range []*Set{a.Train, a.Test} {
			for i := range s.Images {
				s.Images[i] = ^s.Images[i]
			}
			s.Labels[0] = 255
		}
		if a.Train.Images[0] != ^want.Train.Images[0] || a.Test.Labels[0] != 255 {
			t.Fatal("the writes are not seen")
		}
		checkDataset(t, b, want)
		if now, err := os.ReadFile(c.path); err != nil || !bytes.Equal(now, good) {
			t.Fatalf("the cache file changed (%v)", err)
		}
		ds, miss := c.read()
		if ds == nil {
			t.Fatalf("refused after the writes: %s", miss)
		}
		checkDataset(t, ds, want)
	})
}
