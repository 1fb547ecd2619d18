package mnist

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

var genTestdata = flag.String("gen-testdata", "",
	"regenerate testdata/ from the Fashion-MNIST files in this directory (e.g. "+SystemDir+")")

// The size of the slice of Fashion-MNIST kept in testdata/.
const (
	testdataTrainN = 3000
	testdataTestN  = 1000
)

// TestGenerateTestdata writes testdata/ from the real data set when run as
//
//	go test ./mnist -run TestGenerateTestdata -gen-testdata /usr/share/datasets/fashion-mnist
func TestGenerateTestdata(t *testing.T) {
	if *genTestdata == "" {
		t.Skip("regenerates testdata/ only with -gen-testdata DIR")
	}
	ds, _, err := Load(*genTestdata, Options{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	px := ds.Train.Rows * ds.Train.Cols
	write := func(name string, s *Set, n int) {
		t.Helper()
		imgs := filepath.Join("testdata", strings.Replace(name, "%s", "images-idx3", 1)+".gz")
		lbls := filepath.Join("testdata", strings.Replace(name, "%s", "labels-idx1", 1)+".gz")
		if err := WriteIDXFile(imgs, []int{n, s.Rows, s.Cols}, s.Images[:n*px]); err != nil {
			t.Fatal(err)
		}
		if err := WriteIDXFile(lbls, []int{n}, s.Labels[:n]); err != nil {
			t.Fatal(err)
		}
	}
	write("train-%s-ubyte", ds.Train, testdataTrainN)
	write("t10k-%s-ubyte", ds.Test, testdataTestN)
}

func TestLoadTestdata(t *testing.T) {
	ds, info, err := Load("testdata", Options{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	if info.FromCache || info.CachePath != "" || info.Dir != "testdata" {
		t.Errorf("info = %+v, want no cache and Dir testdata", info)
	}
	for _, c := range []struct {
		name string
		s    *Set
		n    int
		head []uint8
	}{
		// The first labels of the real training and test sets.
		{"train", ds.Train, testdataTrainN, []uint8{9, 0, 0, 3, 0, 2, 7, 2, 5, 5}},
		{"test", ds.Test, testdataTestN, []uint8{9, 2, 1, 1, 6, 1, 4, 6, 5, 7}},
	} {
		s := c.s
		if s.N != c.n || s.Rows != 28 || s.Cols != 28 || len(s.Images) != c.n*784 || len(s.Labels) != c.n {
			t.Errorf("%s: N=%d %dx%d, %d pixels, %d labels; want %d 28x28", c.name, s.N, s.Rows, s.Cols, len(s.Images), len(s.Labels), c.n)
		}
		if !bytes.Equal(s.Labels[:10], c.head) {
			t.Errorf("%s: first labels %v, want %v", c.name, s.Labels[:10], c.head)
		}
		var counts [NumClasses]int
		for _, l := range s.Labels {
			counts[l]++
		}
		for l, n := range counts {
			if n == 0 {
				t.Errorf("%s: no image of class %d (%s)", c.name, l, ClassNames[l])
			}
		}
	}
	if want := filepath.Join("testdata", TrainImagesFile+".gz"); ds.Train.ImagesPath != want {
		t.Errorf("Train.ImagesPath = %q, want %q", ds.Train.ImagesPath, want)
	}
}

func TestSetImage(t *testing.T) {
	s := &Set{Images: pattern(3*2*4, 0), Labels: []uint8{1, 2, 3}, N: 3, Rows: 2, Cols: 4}
	for i := range 3 {
		img := s.Image(i)
		if !bytes.Equal(img, s.Images[i*8:(i+1)*8]) || cap(img) != 8 {
			t.Errorf("Image(%d) = %v (cap %d), want %v", i, img, cap(img), s.Images[i*8:(i+1)*8])
		}
	}
	for _, i := range []int{-1, 3, 1 << 30, math.MaxInt} {
		if img := s.Image(i); img != nil {
			t.Errorf("Image(%d) = %v, want nil", i, img)
		}
	}
	if img := (*Set)(nil).Image(0); img != nil {
		t.Errorf("nil Set: Image(0) = %v, want nil", img)
	}
}

// Dataset views the set in place: image i is row i of the matrix, and
// both slices alias the set's.
func TestSetDataset(t *testing.T) {
	s := &Set{Images: pattern(3*2*4, 0), Labels: []uint8{1, 2, 3}, N: 3, Rows: 2, Cols: 4}
	d := s.Dataset()
	x := d.Images
	if x.Rows != 3 || x.Cols != 8 || x.Stride != 8 || x.Index != nil {
		t.Fatalf("Dataset().Images is %dx%d, stride %d, index %v; want 3x8, stride 8, no index", x.Rows, x.Cols, x.Stride, x.Index)
	}
	if d.Len() != s.N || len(x.Data) != len(s.Images) || &x.Data[0] != &s.Images[0] || &d.Labels[0] != &s.Labels[0] {
		t.Error("Dataset() copied the images or labels instead of viewing them")
	}
	for i := range s.N {
		if !bytes.Equal(x.Row(i), s.Image(i)) {
			t.Errorf("row %d = %v, want image %d = %v", i, x.Row(i), i, s.Image(i))
		}
	}
	if d := (*Set)(nil).Dataset(); d.Images != nil || d.Labels != nil || d.Len() != 0 {
		t.Errorf("nil Set: Dataset() = %+v, want an empty Dataset", d)
	}
}

func TestClassNames(t *testing.T) {
	if len(ClassNames) != NumClasses || ClassNames[0] != "T-shirt/top" || ClassNames[9] != "Ankle boot" {
		t.Errorf("ClassNames = %q", ClassNames)
	}
}

// synth describes a synthetic data set.
type synth struct {
	trainN, testN, rows, cols int
	gz                        bool
}

// writeSynth writes a synthetic data set into dir and returns it.
func writeSynth(t *testing.T, dir string, s synth) *Dataset {
	t.Helper()
	mk := func(n int, seed byte, imgName, lblName string) *Set {
		set := &Set{Images: pattern(n*s.rows*s.cols, seed), Labels: make([]uint8, n), N: n, Rows: s.rows, Cols: s.cols}
		for i := range set.Labels {
			set.Labels[i] = uint8((i + int(seed)) % NumClasses)
		}
		ext := ""
		if s.gz {
			ext = ".gz"
		}
		set.ImagesPath, set.LabelsPath = filepath.Join(dir, imgName+ext), filepath.Join(dir, lblName+ext)
		if err := WriteIDXFile(set.ImagesPath, []int{n, s.rows, s.cols}, set.Images); err != nil {
			t.Fatal(err)
		}
		if err := WriteIDXFile(set.LabelsPath, []int{n}, set.Labels); err != nil {
			t.Fatal(err)
		}
		return set
	}
	return &Dataset{
		Train: mk(s.trainN, 1, TrainImagesFile, TrainLabelsFile),
		Test:  mk(s.testN, 2, TestImagesFile, TestLabelsFile),
		Dir:   dir,
	}
}

func checkDataset(t *testing.T, got, want *Dataset) {
	t.Helper()
	for _, p := range []struct {
		name      string
		got, want *Set
	}{{"train", got.Train, want.Train}, {"test", got.Test, want.Test}} {
		g, w := p.got, p.want
		if g.N != w.N || g.Rows != w.Rows || g.Cols != w.Cols || !bytes.Equal(g.Images, w.Images) || !bytes.Equal(g.Labels, w.Labels) {
			t.Fatalf("%s: got N=%d %dx%d, want N=%d %dx%d (or the pixels or labels differ)", p.name, g.N, g.Rows, g.Cols, w.N, w.Rows, w.Cols)
		}
	}
}

// replace puts content at dir/name, removing both forms of the name first.
func replace(t *testing.T, dir, name string, content []byte, gz bool) string {
	t.Helper()
	for _, n := range []string{name, name + ".gz"} {
		if err := os.RemoveAll(filepath.Join(dir, n)); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, name)
	if gz {
		path += ".gz"
		content = gzipBytes(t, content)
	}
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadSynthetic(t *testing.T) {
	for _, s := range []synth{
		{trainN: 30, testN: 7, rows: 28, cols: 28, gz: true},
		{trainN: 30, testN: 7, rows: 28, cols: 28},
		{trainN: 5, testN: 3, rows: 5, cols: 9}, // any image size
		{trainN: 1, testN: 1, rows: 1, cols: 300},
	} {
		t.Run(fmt.Sprintf("%dx%d/gz=%v", s.rows, s.cols, s.gz), func(t *testing.T) {
			dir := t.TempDir()
			want := writeSynth(t, dir, s)
			got, _, err := Load(dir, Options{NoCache: true})
			if err != nil {
				t.Fatal(err)
			}
			checkDataset(t, got, want)
			if got.Dir != dir || got.Train.ImagesPath != want.Train.ImagesPath || got.Test.LabelsPath != want.Test.LabelsPath {
				t.Errorf("paths: got %q %q %q", got.Dir, got.Train.ImagesPath, got.Test.LabelsPath)
			}
			set, err := LoadSet(want.Test.ImagesPath, want.Test.LabelsPath)
			if err != nil {
				t.Fatal(err)
			}
			checkDataset(t, &Dataset{Train: set, Test: set}, &Dataset{Train: want.Test, Test: want.Test})
		})
	}
}

func TestLoadFileChoice(t *testing.T) {
	dir := t.TempDir()
	want := writeSynth(t, dir, synth{trainN: 4, testN: 2, rows: 3, cols: 3, gz: true})
	// A raw file next to a .gz one wins (the .gz here is broken, so using
	// it would fail).
	raw := idxBytes(8, []uint32{4}, want.Train.Labels)
	if err := os.WriteFile(filepath.Join(dir, TrainLabelsFile), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, TrainLabelsFile+".gz"), []byte("broken"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A directory with the raw name does not hide a .gz file.
	if err := os.Mkdir(filepath.Join(dir, TestImagesFile), 0o755); err != nil {
		t.Fatal(err)
	}
	got, _, err := Load(dir, Options{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	checkDataset(t, got, want)
	if got.Train.LabelsPath != filepath.Join(dir, TrainLabelsFile) || got.Test.ImagesPath != filepath.Join(dir, TestImagesFile+".gz") {
		t.Errorf("chose %s and %s", got.Train.LabelsPath, got.Test.ImagesPath)
	}
}

func TestLoadErrors(t *testing.T) {
	const n, rows, cols = 10, 6, 5
	imgs := pattern(n*rows*cols, 5)
	labels := []uint8{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	validImgs := idxBytes(8, []uint32{n, rows, cols}, imgs)
	cases := []struct {
		name   string
		mutate func(t *testing.T, dir string) string // returns the path the error must name
		want   string                                // a part of the message
		offset int64                                 // for a *FormatError; -2 to skip
		notFmt bool                                  // not a *FormatError but wrapping fs.ErrNotExist
	}{
		{"truncated raw", func(t *testing.T, dir string) string {
			return replace(t, dir, TrainImagesFile, validImgs[:len(validImgs)-7], false)
		}, "truncated: header 10x6x5 says 300 bytes of data, the file has 293 after the 16-byte header", 16 + 293, false},
		{"truncated gzip", func(t *testing.T, dir string) string {
			p := replace(t, dir, TrainImagesFile, validImgs, true)
			z, _ := os.ReadFile(p)
			os.WriteFile(p, z[:len(z)-20], 0o644)
			return p
		}, "truncated", -2, false},
		{"corrupt gzip", func(t *testing.T, dir string) string {
			p := replace(t, dir, TestImagesFile, nil, false)
			os.Remove(p)
			p += ".gz"
			os.WriteFile(p, badCRC(t, validImgs), 0o644)
			return p
		}, "gzip: invalid checksum", -2, false},
		{"wrong magic", func(t *testing.T, dir string) string {
			return replace(t, dir, TrainLabelsFile, append([]byte{1, 2}, idxBytes(8, []uint32{n}, labels)[2:]...), true)
		}, "not an IDX file", 0, false},
		{"wrong element type", func(t *testing.T, dir string) string {
			return replace(t, dir, TrainImagesFile, idxBytes(0x0d, []uint32{n, rows, cols}, imgs), true)
		}, "want element type 0x08 (unsigned byte), got 0x0d (float)", 2, false},
		{"images with 2 dims", func(t *testing.T, dir string) string {
			return replace(t, dir, TrainImagesFile, idxBytes(8, []uint32{n, rows * cols}, imgs), false)
		}, "want 3 dimensions, got 2", 3, false},
		{"labels with 3 dims", func(t *testing.T, dir string) string {
			return replace(t, dir, TestLabelsFile, idxBytes(8, []uint32{n, 1, 1}, labels), false)
		}, "want 1 dimension, got 3", 3, false},
		{"dims vs payload", func(t *testing.T, dir string) string {
			return replace(t, dir, TrainImagesFile, idxBytes(8, []uint32{n, rows, cols + 1}, imgs), true)
		}, "truncated: header 10x6x6 says 360 bytes of data, got 300", 16 + 300, false},
		{"trailing bytes raw", func(t *testing.T, dir string) string {
			return replace(t, dir, TestImagesFile, append(validImgs[:len(validImgs):len(validImgs)], 0, 0), false)
		}, "trailing data", 16 + 300, false},
		{"trailing bytes gzip", func(t *testing.T, dir string) string {
			return replace(t, dir, TestImagesFile, append(validImgs[:len(validImgs):len(validImgs)], 0, 0), true)
		}, "trailing data", 16 + 300, false},
		{"billions of images", func(t *testing.T, dir string) string {
			return replace(t, dir, TrainImagesFile, idxBytes(8, []uint32{3_000_000_000, 28, 28}, imgs), true)
		}, on64("truncated: header 3000000000x28x28 says 2352000000000 bytes of data, got 300"), -2, false},
		{"count mismatch", func(t *testing.T, dir string) string {
			return replace(t, dir, TrainLabelsFile, idxBytes(8, []uint32{n - 1}, labels[:n-1]), true)
		}, "has 9 labels, but " + filepath.Join("DIR", TrainImagesFile+".gz") + " has 10 images", 4, false},
		{"label out of range", func(t *testing.T, dir string) string {
			bad := slices.Clone(labels)
			bad[3] = 10
			return replace(t, dir, TestLabelsFile, idxBytes(8, []uint32{n}, bad), true)
		}, "label 10 of image 3 is out of range, want 0 to 9", 8 + 3, false},
		{"no images", func(t *testing.T, dir string) string {
			replace(t, dir, TrainLabelsFile, idxBytes(8, []uint32{0}, nil), true)
			return replace(t, dir, TrainImagesFile, idxBytes(8, []uint32{0, rows, cols}, nil), true)
		}, "holds no images", 4, false},
		{"empty images", func(t *testing.T, dir string) string {
			return replace(t, dir, TrainImagesFile, idxBytes(8, []uint32{n, 0, cols}, nil), true)
		}, "images of 0x5 pixels are empty", 8, false},
		{"empty file", func(t *testing.T, dir string) string {
			return replace(t, dir, TestLabelsFile, nil, false)
		}, "empty file", -1, false},
		{"directory instead of file", func(t *testing.T, dir string) string {
			p := replace(t, dir, TrainLabelsFile, nil, false)
			os.Remove(p)
			os.Mkdir(p+".gz", 0o755)
			return p + ".gz"
		}, "is a directory, want an IDX file", -1, false},
		{"missing file", func(t *testing.T, dir string) string {
			p := replace(t, dir, TestLabelsFile, nil, false)
			os.Remove(p)
			return dir
		}, "missing " + TestLabelsFile + "(.gz); install the data with \"apt-get install dataset-fashion-mnist\"", 0, true},
		{"missing directory", func(t *testing.T, dir string) string {
			os.RemoveAll(dir)
			return dir
		}, "does not exist", 0, true},
		{"train/test size mismatch", func(t *testing.T, dir string) string {
			return replace(t, dir, TestImagesFile, idxBytes(8, []uint32{n, cols, rows}, imgs), true)
		}, "test images are 5x6, but the training images (" + filepath.Join("DIR", TrainImagesFile+".gz") + ") are 6x5", 8, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			writeSynth(t, dir, synth{trainN: n, testN: n, rows: rows, cols: cols, gz: true})
			path := tc.mutate(t, dir)
			want := strings.ReplaceAll(tc.want, "DIR", dir)
			ds, _, err := Load(dir, Options{CacheDir: t.TempDir()})
			if err == nil {
				t.Fatalf("Load succeeded (%d training images), want an error containing %q", ds.Train.N, want)
			}
			if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), want) {
				t.Errorf("Load: %v\nwant an error naming %s and containing %q", err, path, want)
			}
			if tc.notFmt {
				if !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("errors.Is(%v, fs.ErrNotExist) = false", err)
				}
				return
			}
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("Load: %v is a %T, want a *FormatError", err, err)
			}
			if fe.Path != path {
				t.Errorf("FormatError.Path = %q, want %q", fe.Path, path)
			}
			if tc.offset != -2 && fe.Offset != tc.offset {
				t.Errorf("FormatError.Offset = %d, want %d", fe.Offset, tc.offset)
			}
		})
	}
}

func TestLoadNotADirectory(t *testing.T) {
	f := filepath.Join(t.TempDir(), "file")
	os.WriteFile(f, nil, 0o644)
	_, _, err := Load(f, Options{NoCache: true})
	if err == nil || !strings.Contains(err.Error(), f+": is not a directory") {
		t.Errorf("Load(file) = %v, want an error saying it is not a directory", err)
	}
}

func TestLoadSetErrors(t *testing.T) {
	dir := t.TempDir()
	want := writeSynth(t, dir, synth{trainN: 4, testN: 3, rows: 2, cols: 2})
	if _, err := LoadSet(want.Train.ImagesPath, want.Test.LabelsPath); err == nil || !strings.Contains(err.Error(), "has 3 labels") {
		t.Errorf("LoadSet with mismatched files = %v, want a count error", err)
	}
	if _, err := LoadSet(want.Train.LabelsPath, want.Train.LabelsPath); err == nil || !strings.Contains(err.Error(), "want 3 dimensions") {
		t.Errorf("LoadSet(labels, labels) = %v, want a dimension error", err)
	}
	if _, err := LoadSet(filepath.Join(dir, "nope"), want.Train.LabelsPath); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("LoadSet(missing) = %v, want fs.ErrNotExist", err)
	}
}

// withSearchDirs replaces FindDir's default places for one test.
func withSearchDirs(t *testing.T, dirs ...string) {
	t.Helper()
	saved, savedFrom := searchDirs, searchFrom
	t.Cleanup(func() { searchDirs, searchFrom = saved, savedFrom })
	searchDirs, searchFrom = dirs, make([]string, len(dirs))
	for i := range dirs {
		searchFrom[i] = fmt.Sprintf("default %d", i)
	}
}

func TestFindDir(t *testing.T) {
	good := t.TempDir()
	writeSynth(t, good, synth{trainN: 2, testN: 2, rows: 2, cols: 2, gz: true})
	partial := t.TempDir()
	writeSynth(t, partial, synth{trainN: 2, testN: 2, rows: 2, cols: 2})
	os.Remove(filepath.Join(partial, TestLabelsFile))
	missing := filepath.Join(t.TempDir(), "missing")
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)

	cases := []struct {
		name     string
		explicit string
		env      string
		defaults []string
		want     string   // the directory found, or "" for an error
		errHas   []string // parts of the error
	}{
		{"explicit", good, partial, []string{partial}, good, nil},
		{"explicit beats env", good, missing, nil, good, nil},
		{"explicit is not skipped", missing, good, []string{good}, "", []string{missing + " (given): does not exist"}},
		{"env", "", good, []string{partial}, good, nil},
		{"env is not skipped", "", partial, []string{good}, "",
			[]string{partial + " ($FASHION_MNIST_DIR): missing " + TestLabelsFile + "(.gz)"}},
		{"first default", "", "", []string{good, partial}, good, nil},
		{"later default", "", "", []string{missing, partial, good}, good, nil},
		{"nothing", "", "", []string{missing, partial, file}, "", []string{
			"looked in " + missing + " (default 0): does not exist; ",
			partial + " (default 1): missing " + TestLabelsFile + "(.gz); ",
			file + " (default 2): is not a directory; ",
			`install the data with "apt-get install dataset-fashion-mnist"`,
			EnvDir,
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(EnvDir, tc.env)
			withSearchDirs(t, tc.defaults...)
			got, err := FindDir(tc.explicit)
			if tc.want != "" {
				if err != nil || got != tc.want {
					t.Fatalf("FindDir(%q) = %q, %v; want %q", tc.explicit, got, err, tc.want)
				}
				return
			}
			var nf *NotFoundError
			if !errors.As(err, &nf) || !errors.Is(err, fs.ErrNotExist) || got != "" {
				t.Fatalf("FindDir(%q) = %q, %v; want a *NotFoundError", tc.explicit, got, err)
			}
			for _, part := range tc.errHas {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("error %q\nlacks %q", err, part)
				}
			}
		})
	}
}

func TestFindDirLocal(t *testing.T) {
	wd := t.TempDir()
	if err := os.MkdirAll(filepath.Join(wd, LocalDir), 0o755); err != nil {
		t.Fatal(err)
	}
	writeSynth(t, filepath.Join(wd, LocalDir), synth{trainN: 2, testN: 2, rows: 2, cols: 2})
	t.Chdir(wd)
	t.Setenv(EnvDir, "")
	withSearchDirs(t, filepath.Join(wd, "nothing-here"), LocalDir)
	got, err := FindDir("")
	if err != nil || got != LocalDir {
		t.Fatalf("FindDir = %q, %v; want %q", got, err, LocalDir)
	}
	ds, _, err := Load("", Options{NoCache: true})
	if err != nil || ds.Dir != LocalDir || ds.Train.N != 2 {
		t.Fatalf("Load(\"\") = %v, %v; want the data in %s", ds, err, LocalDir)
	}
	withSearchDirs(t, filepath.Join(wd, "nothing-here"))
	if _, _, err := Load("", Options{NoCache: true}); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Load(\"\") with no data = %v, want a *NotFoundError", err)
	}
}

// cacheFixture is a synthetic data set and a cache directory.
func cacheFixture(t *testing.T) (dir, cacheDir string, want *Dataset) {
	t.Helper()
	dir = t.TempDir()
	want = writeSynth(t, dir, synth{trainN: 40, testN: 12, rows: 7, cols: 6, gz: true})
	return dir, filepath.Join(t.TempDir(), "cache"), want
}

func load(t *testing.T, dir string, opt Options) (*Dataset, LoadInfo) {
	t.Helper()
	ds, info, err := Load(dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	return ds, info
}

func TestCacheHit(t *testing.T) { bothCachePaths(t, testCacheHit) }

func testCacheHit(t *testing.T) {
	dir, cacheDir, want := cacheFixture(t)
	ds, info := load(t, dir, Options{CacheDir: cacheDir})
	checkDataset(t, ds, want)
	if info.FromCache || info.CacheMiss != "" || info.CacheErr != nil || filepath.Dir(info.CachePath) != cacheDir {
		t.Fatalf("first load: %+v, want a fresh cache file in %s", info, cacheDir)
	}
	if _, err := os.Stat(info.CachePath); err != nil {
		t.Fatalf("cache file: %v", err)
	}
	ds, info2 := load(t, dir, Options{CacheDir: cacheDir})
	checkDataset(t, ds, want)
	if !info2.FromCache || info2.CachePath != info.CachePath || info2.Duration <= 0 {
		t.Fatalf("second load: %+v, want a cache hit", info2)
	}
	checkCacheHit(t, ds)
	if ds.Dir != dir || ds.Train.ImagesPath != want.Train.ImagesPath || ds.Test.LabelsPath != want.Test.LabelsPath {
		t.Errorf("cached paths: %q %q %q", ds.Dir, ds.Train.ImagesPath, ds.Test.LabelsPath)
	}
	// No temporary files are left behind.
	entries, _ := os.ReadDir(cacheDir)
	if len(entries) != 1 {
		t.Errorf("cache directory holds %d entries, want 1", len(entries))
	}
	// NoCache neither reads nor writes.
	ds, info3 := load(t, dir, Options{NoCache: true, CacheDir: cacheDir})
	checkDataset(t, ds, want)
	if info3.FromCache || info3.CachePath != "" {
		t.Errorf("NoCache: %+v", info3)
	}
}

func TestCacheStale(t *testing.T) { bothCachePaths(t, testCacheStale) }

func testCacheStale(t *testing.T) {
	dir, cacheDir, want := cacheFixture(t)
	load(t, dir, Options{CacheDir: cacheDir})
	// New labels of the same size, with a new modification time.
	for i := range want.Train.Labels {
		want.Train.Labels[i] = uint8(9 - i%10)
	}
	if err := WriteIDXFile(want.Train.LabelsPath, []int{want.Train.N}, want.Train.Labels); err != nil {
		t.Fatal(err)
	}
	future := time.Now().Add(time.Hour)
	if err := os.Chtimes(want.Train.LabelsPath, future, future); err != nil {
		t.Fatal(err)
	}
	ds, info := load(t, dir, Options{CacheDir: cacheDir})
	checkDataset(t, ds, want)
	if info.FromCache || info.CacheMiss != "sources changed" || info.CacheErr != nil {
		t.Fatalf("after a source changed: %+v, want a rebuilt cache", info)
	}
	ds, info = load(t, dir, Options{CacheDir: cacheDir})
	checkDataset(t, ds, want)
	if !info.FromCache {
		t.Fatalf("after the rebuild: %+v, want a hit", info)
	}
	// Switching a file from .gz to raw also changes the key.
	raw := strings.TrimSuffix(want.Test.LabelsPath, ".gz")
	os.Remove(want.Test.LabelsPath)
	if err := WriteIDXFile(raw, []int{want.Test.N}, want.Test.Labels); err != nil {
		t.Fatal(err)
	}
	if _, info = load(t, dir, Options{CacheDir: cacheDir}); info.FromCache {
		t.Fatalf("after replacing a .gz file by a raw one: %+v, want a miss", info)
	}
}

func TestCacheCorrupt(t *testing.T) { bothCachePaths(t, testCacheCorrupt) }

func testCacheCorrupt(t *testing.T) {
	dir, cacheDir, want := cacheFixture(t)
	_, info := load(t, dir, Options{CacheDir: cacheDir})
	path := info.CachePath
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		mutate func([]byte) []byte
		miss   string
	}{
		{"flipped pixel", func(b []byte) []byte { b[len(b)/2] ^= 0x40; return b }, "checksum mismatch"},
		{"flipped label", func(b []byte) []byte { b[len(b)-5] ^= 1; return b }, "checksum mismatch"},
		{"flipped checksum", func(b []byte) []byte { b[len(b)-1] ^= 1; return b }, "checksum mismatch"},
		{"truncated", func(b []byte) []byte { return b[:len(b)-1] }, "does not match the header"},
		{"extended", func(b []byte) []byte { return append(b, 0) }, "does not match the header"},
		{"header only", func(b []byte) []byte { return b[:20] }, "truncated header"},
		{"empty", func(b []byte) []byte { return nil }, "truncated header"},
		{"bad magic", func(b []byte) []byte { b[0] = 'X'; return b }, "not a softmax-fast cache file"},
		{"other version", func(b []byte) []byte { b[8] = 99; return b }, "format version 99"},
		{"huge key length", func(b []byte) []byte { b[15] = 0xff; return b }, "corrupt header"},
		{"huge image count", func(b []byte) []byte { b[19] = 0xff; return b }, "does not match the header"},
		{"zero rows", func(b []byte) []byte { b[24], b[25], b[26], b[27] = 0, 0, 0, 0; return b }, "corrupt header"},
		{"huge image size", func(b []byte) []byte { b[27], b[31] = 0xff, 0xff; return b }, "image size"},
		{"other key", func(b []byte) []byte { b[cacheHeaderLen] ^= 1; return b }, "sources changed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(path, tc.mutate(slices.Clone(good)), 0o644); err != nil {
				t.Fatal(err)
			}
			ds, info := load(t, dir, Options{CacheDir: cacheDir})
			checkDataset(t, ds, want)
			if info.FromCache || !strings.Contains(info.CacheMiss, tc.miss) || info.CacheErr != nil {
				t.Fatalf("%+v, want a rebuild because of %q", info, tc.miss)
			}
			rebuilt, err := os.ReadFile(path)
			if err != nil || !bytes.Equal(rebuilt, good) {
				t.Fatalf("the cache was not rebuilt (%v)", err)
			}
			if _, info := load(t, dir, Options{CacheDir: cacheDir}); !info.FromCache {
				t.Fatalf("after the rebuild: %+v, want a hit", info)
			}
		})
	}
}

// A cache whose checksum is right but whose labels are out of range (which
// Load never writes) is still refused.
func TestCacheBadLabel(t *testing.T) { bothCachePaths(t, testCacheBadLabel) }

func testCacheBadLabel(t *testing.T) {
	dir, cacheDir, want := cacheFixture(t)
	paths, err := findFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	c, err := newCacheRef(dir, paths, cacheDir)
	if err != nil {
		t.Fatal(err)
	}
	bad := *want
	bad.Test = &Set{Images: want.Test.Images, Labels: slices.Clone(want.Test.Labels), N: want.Test.N, Rows: want.Test.Rows, Cols: want.Test.Cols}
	bad.Test.Labels[5] = 200
	if err := c.write(&bad); err != nil {
		t.Fatal(err)
	}
	ds, info := load(t, dir, Options{CacheDir: cacheDir})
	checkDataset(t, ds, want)
	if info.FromCache || info.CacheMiss != "label out of range" {
		t.Fatalf("%+v, want a miss for the bad label", info)
	}
}

func TestCacheUnwritable(t *testing.T) {
	dir, _, want := cacheFixture(t)
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	for _, cacheDir := range []string{
		filepath.Join(file, "cache"), // below a regular file: cannot be created, even by root
		file,                         // a file, not a directory
	} {
		ds, info, err := Load(dir, Options{CacheDir: cacheDir})
		if err != nil {
			t.Fatalf("CacheDir %s: Load failed: %v", cacheDir, err)
		}
		checkDataset(t, ds, want)
		if info.FromCache || info.CacheErr == nil || !strings.Contains(info.CacheErr.Error(), "mnist: cache: ") {
			t.Errorf("CacheDir %s: %+v, want CacheErr set", cacheDir, info)
		}
	}
	// A directory where the cache file should be.
	cacheDir := t.TempDir()
	_, info := load(t, dir, Options{CacheDir: cacheDir})
	os.Remove(info.CachePath)
	os.Mkdir(info.CachePath, 0o755)
	ds, info := load(t, dir, Options{CacheDir: cacheDir})
	checkDataset(t, ds, want)
	if info.FromCache || info.CacheMiss != "not a regular file" || info.CacheErr == nil {
		t.Errorf("cache path is a directory: %+v", info)
	}
}

func TestCacheDefaultDir(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("XDG_CACHE_HOME is used on Linux")
	}
	dir, _, want := cacheFixture(t)
	xdg := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", xdg)
	d, err := DefaultCacheDir()
	if err != nil || d != filepath.Join(xdg, "softmax-fast") {
		t.Fatalf("DefaultCacheDir() = %q, %v", d, err)
	}
	ds, info := load(t, dir, Options{})
	checkDataset(t, ds, want)
	if filepath.Dir(info.CachePath) != d || info.CacheErr != nil {
		t.Fatalf("%+v, want a cache file in %s", info, d)
	}
	// No cache directory at all: loading still works.
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("HOME", "")
	ds, info, err = Load(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkDataset(t, ds, want)
	if info.CacheErr == nil || info.CachePath != "" {
		t.Errorf("without a cache directory: %+v, want CacheErr set", info)
	}
}

// Loads running at once share the cache safely: each sees the old file or
// a whole new one.
func TestCacheConcurrent(t *testing.T) { bothCachePaths(t, testCacheConcurrent) }

func testCacheConcurrent(t *testing.T) {
	dir, cacheDir, want := cacheFixture(t)
	var wg sync.WaitGroup
	errs := make([]error, 6)
	sets := make([]*Dataset, len(errs))
	for i := range errs {
		wg.Go(func() { sets[i], _, errs[i] = Load(dir, Options{CacheDir: cacheDir}) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
		checkDataset(t, sets[i], want)
	}
	entries, _ := os.ReadDir(cacheDir)
	if len(entries) != 1 {
		t.Errorf("cache directory holds %d entries, want 1", len(entries))
	}
}

// TestRealData loads the installed data set, when there is one.
func TestRealData(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	if _, err := findFiles(SystemDir); err != nil {
		t.Skipf("no Fashion-MNIST in %s (apt-get install dataset-fashion-mnist): %v", SystemDir, err)
	}
	cacheDir := t.TempDir()
	cold, info, err := Load(SystemDir, Options{CacheDir: cacheDir})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("cold load: %v (cache written: %v)", info.Duration, info.CacheErr == nil)
	warm, info, err := Load(SystemDir, Options{CacheDir: cacheDir})
	if err != nil || !info.FromCache {
		t.Fatalf("warm load: %+v, %v", info, err)
	}
	t.Logf("warm load: %v", info.Duration)
	checkDataset(t, warm, cold)
	for _, c := range []struct {
		s *Set
		n int
	}{{cold.Train, 60000}, {cold.Test, 10000}} {
		if c.s.N != c.n || c.s.Rows != 28 || c.s.Cols != 28 {
			t.Errorf("%s: N=%d %dx%d, want %d 28x28", c.s.ImagesPath, c.s.N, c.s.Rows, c.s.Cols, c.n)
		}
		var counts [NumClasses]int
		for _, l := range c.s.Labels {
			counts[l]++
		}
		for l, k := range counts {
			if k != c.n/NumClasses {
				t.Errorf("%s: %d images of class %d, want %d", c.s.LabelsPath, k, l, c.n/NumClasses)
			}
		}
	}
	// testdata/ is the head of the real data.
	small, _, err := Load("testdata", Options{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(small.Train.Images, cold.Train.Images[:len(small.Train.Images)]) ||
		!bytes.Equal(small.Test.Labels, cold.Test.Labels[:small.Test.N]) {
		t.Error("testdata/ is not the head of the installed data set")
	}
}

func BenchmarkLoad(b *testing.B) {
	for _, mode := range []string{"cold", "warm"} {
		b.Run("data=testdata/cache="+mode, func(b *testing.B) {
			cacheDir := b.TempDir()
			opt := Options{CacheDir: cacheDir, NoCache: mode == "cold"}
			ds, _, err := Load("testdata", opt)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(ds.Train.Images) + len(ds.Test.Images)))
			for b.Loop() {
				if _, _, err := Load("testdata", opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
