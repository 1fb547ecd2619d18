package mnist

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// idxBytes builds a raw IDX file by hand (not with WriteIDX), so that
// headers WriteIDX refuses can be made too.
func idxBytes(typ byte, dims []uint32, payload []byte) []byte {
	b := []byte{0, 0, typ, byte(len(dims))}
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	return append(b, payload...)
}

func gzipBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pattern returns n deterministic bytes.
func pattern(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7) ^ seed
	}
	return b
}

// on64 returns want on 64-bit platforms; on 32-bit ones a dimension of 2^31
// or more cannot even be represented and is rejected first.
func on64(want string) string {
	if strconv.IntSize == 32 {
		return "too large for this platform"
	}
	return want
}

func TestIDXRoundTrip(t *testing.T) {
	cases := []struct {
		name string
		dims []int
	}{
		{"labels", []int{17}},
		{"images 28x28", []int{3, 28, 28}},
		{"images 5x9", []int{4, 5, 9}},
		{"no images", []int{0, 28, 28}},
		{"zero then large", []int{0, 1 << 30, 1 << 30}},
		{"4 dims", []int{2, 3, 4, 5}},
		{"large", []int{2, 300, 400}}, // more than one 64 KiB growth step
	}
	dir := t.TempDir()
	for _, tc := range cases {
		total := 1
		for _, d := range tc.dims {
			total *= d
		}
		data := pattern(total, 3)
		for _, name := range []string{"a", "a.gz"} {
			t.Run(tc.name+"/"+name, func(t *testing.T) {
				var buf bytes.Buffer
				if err := WriteIDX(&buf, tc.dims, data); err != nil {
					t.Fatal(err)
				}
				raw := buf.Bytes()
				if len(raw) != 4+4*len(tc.dims)+total {
					t.Fatalf("WriteIDX wrote %d bytes, want %d", len(raw), 4+4*len(tc.dims)+total)
				}
				in := raw
				if strings.HasSuffix(name, ".gz") {
					in = gzipBytes(t, raw)
				}
				dims, got, err := ReadIDX(bytes.NewReader(in))
				if err != nil {
					t.Fatalf("ReadIDX: %v", err)
				}
				if !slices.Equal(dims, tc.dims) || !bytes.Equal(got, data) {
					t.Fatalf("ReadIDX = %v, %d bytes; want %v, %d bytes", dims, len(got), tc.dims, len(data))
				}
				path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+name)
				if err := WriteIDXFile(path, tc.dims, data); err != nil {
					t.Fatal(err)
				}
				disk, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if gz := len(disk) >= 2 && disk[0] == 0x1f && disk[1] == 0x8b; gz != strings.HasSuffix(name, ".gz") {
					t.Fatalf("WriteIDXFile(%s): gzip = %v", name, gz)
				}
				dims, got, err = ReadIDXFile(path)
				if err != nil {
					t.Fatalf("ReadIDXFile: %v", err)
				}
				if !slices.Equal(dims, tc.dims) || !bytes.Equal(got, data) {
					t.Fatalf("ReadIDXFile = %v, %d bytes; want %v, %d bytes", dims, len(got), tc.dims, len(data))
				}
			})
		}
	}
}

func TestWriteIDXErrors(t *testing.T) {
	cases := []struct {
		name string
		dims []int
		n    int
		want string
	}{
		{"no dims", nil, 0, "1 to 255 dimensions"},
		{"too many dims", make([]int, 256), 0, "1 to 255 dimensions"},
		{"negative", []int{-1}, 0, "dimension 0 is -1"},
		{"short data", []int{2, 3}, 5, "hold 6 bytes, data has 5"},
		{"long data", []int{2, 3}, 7, "hold 6 bytes, data has 7"},
	}
	if strconv.IntSize == 64 {
		big := 1
		big <<= 32
		cases = append(cases, struct {
			name string
			dims []int
			n    int
			want string
		}{"too large", []int{big}, 0, "dimension 0 is 4294967296"})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := WriteIDX(io.Discard, tc.dims, make([]byte, tc.n))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("WriteIDX(%v, %d bytes) = %v, want an error containing %q", tc.dims, tc.n, err, tc.want)
			}
			path := filepath.Join(t.TempDir(), "x")
			if err := WriteIDXFile(path, tc.dims, make([]byte, tc.n)); err == nil {
				t.Fatalf("WriteIDXFile(%v, %d bytes) succeeded", tc.dims, tc.n)
			}
			if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("WriteIDXFile left a file behind: %v", err)
			}
		})
	}
	if err := WriteIDXFile(filepath.Join(t.TempDir(), "no", "such", "dir"), []int{1}, []byte{1}); err == nil {
		t.Fatal("WriteIDXFile into a missing directory succeeded")
	}
}

type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	if w.n <= 0 {
		return 0, errors.New("disk full")
	}
	w.n--
	return len(p), nil
}

func TestWriteIDXWriterError(t *testing.T) {
	for n := 0; n < 2; n++ {
		if err := WriteIDX(&failWriter{n}, []int{2}, []byte{1, 2}); err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("WriteIDX after %d writes = %v, want the writer's error", n, err)
		}
	}
}

// corruptGzip returns a gzip file whose deflate data has a flipped byte.
func corruptGzip(t testing.TB, raw []byte) []byte {
	z := gzipBytes(t, raw)
	z[len(z)/2] ^= 0xff
	return z
}

// badCRC returns a gzip file whose CRC-32 trailer is wrong.
func badCRC(t testing.TB, raw []byte) []byte {
	z := gzipBytes(t, raw)
	z[len(z)-8] ^= 1
	return z
}

func TestReadIDXErrors(t *testing.T) {
	img := pattern(3*4*5, 1)
	valid := idxBytes(8, []uint32{3, 4, 5}, img)
	cases := []struct {
		name   string
		in     []byte
		offset int64  // the error's offset in a raw file, -2 to skip the check
		want   string // a part of the message
	}{
		{"empty", nil, -2, "empty"},
		{"one byte", []byte{0}, 1, "truncated header"},
		{"wrong magic", append([]byte{0x12, 0x34}, valid[2:]...), 0, "not an IDX file: want magic 0x00 0x00"},
		{"text file", []byte("hello, world\n"), 0, "not an IDX file"},
		{"float elements", idxBytes(0x0d, []uint32{3, 4, 5}, img), 2, "want element type 0x08 (unsigned byte), got 0x0d (float)"},
		{"int elements", idxBytes(0x0c, []uint32{3, 4, 5}, img), 2, "got 0x0c (int)"},
		{"unknown type", idxBytes(0x07, []uint32{3, 4, 5}, img), 2, "got 0x07 (not an IDX type)"},
		{"no dimensions", idxBytes(8, nil, nil), 3, "want at least 1 dimension, got 0"},
		{"truncated dims", valid[:9], 9, "truncated header: 3 dimensions need 12 bytes, got 5"},
		{"truncated payload", valid[:len(valid)-1], int64(len(valid) - 1), "truncated"},
		{"header only", valid[:16], 16, "truncated"},
		{"dims larger than payload", idxBytes(8, []uint32{4, 4, 5}, img), int64(len(valid)), "truncated"},
		{"dims smaller than payload", idxBytes(8, []uint32{2, 4, 5}, img), 16 + 40, "trailing data"},
		{"trailing byte", append(valid[:len(valid):len(valid)], 0), int64(len(valid)), "trailing data"},
		{"billions of images", idxBytes(8, []uint32{4_000_000_000, 28, 28}, img), -2, on64("truncated")},
		{"overflowing dims", idxBytes(8, []uint32{1 << 31, 1 << 31, 1 << 31}, nil), 4, on64("more data than fits in memory")},
	}
	check := func(t *testing.T, what string, err error, path string, offset int64, want string) {
		t.Helper()
		var fe *FormatError
		if !errors.As(err, &fe) {
			t.Fatalf("%s: got %v (%T), want a *FormatError", what, err, err)
		}
		if !strings.Contains(fe.Error(), want) {
			t.Errorf("%s: got %q, want it to contain %q", what, fe.Error(), want)
		}
		if fe.Path != path {
			t.Errorf("%s: Path = %q, want %q", what, fe.Path, path)
		}
		if offset != -2 && fe.Offset != offset {
			t.Errorf("%s: Offset = %d, want %d (%v)", what, fe.Offset, offset, fe)
		}
	}
	dir := t.TempDir()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ReadIDX(bytes.NewReader(tc.in))
			check(t, "ReadIDX(raw)", err, "", tc.offset, tc.want)

			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-"))
			if err := os.WriteFile(path, tc.in, 0o644); err != nil {
				t.Fatal(err)
			}
			_, _, err = ReadIDXFile(path)
			check(t, "ReadIDXFile(raw)", err, path, tc.offset, tc.want)

			if len(tc.in) == 0 {
				return
			}
			z := gzipBytes(t, tc.in)
			_, _, err = ReadIDX(bytes.NewReader(z))
			check(t, "ReadIDX(gzip)", err, "", tc.offset, tc.want)
			if err := os.WriteFile(path+".gz", z, 0o644); err != nil {
				t.Fatal(err)
			}
			_, _, err = ReadIDXFile(path + ".gz")
			check(t, "ReadIDXFile(gzip)", err, path+".gz", tc.offset, tc.want)
		})
	}
}

func TestReadIDXGzipErrors(t *testing.T) {
	valid := idxBytes(8, []uint32{30, 40, 50}, pattern(30*40*50, 9))
	z := gzipBytes(t, valid)
	cases := []struct {
		name string
		in   []byte
		want string
	}{
		{"gzip magic only", []byte{0x1f, 0x8b}, "truncated gzip header"},
		{"corrupt gzip header", append([]byte{0x1f, 0x8b, 0x99}, make([]byte, 20)...), "corrupt gzip header"},
		{"corrupt deflate data", corruptGzip(t, valid), "gzip"},
		{"bad checksum", badCRC(t, valid), "corrupt gzip data while reading the data: gzip: invalid checksum"},
		{"truncated stream", z[:len(z)/2], "truncated gzip stream"},
		{"truncated trailer", z[:len(z)-3], "truncated gzip stream"},
		{"cut in the IDX header", z[:12], "truncated gzip stream while reading the header"},
		{"garbage after stream", append(z[:len(z):len(z)], "junk after the gzip member"...), "corrupt gzip data"},
		{"empty stream", gzipBytes(t, nil), "empty gzip stream"},
		{"trailing data inside", gzipBytes(t, append(valid[:len(valid):len(valid)], 1, 2, 3)), "trailing data"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ReadIDX(bytes.NewReader(tc.in))
			var fe *FormatError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("ReadIDX = %v, want a *FormatError containing %q", err, tc.want)
			}
		})
	}
	// Errors from gzip are wrapped.
	_, _, err := ReadIDX(bytes.NewReader(badCRC(t, valid)))
	if !errors.Is(err, gzip.ErrChecksum) {
		t.Errorf("bad checksum: errors.Is(%v, gzip.ErrChecksum) = false", err)
	}
	_, _, err = ReadIDX(bytes.NewReader(z[:len(z)/2]))
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("truncated stream: errors.Is(%v, io.ErrUnexpectedEOF) = false", err)
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

func TestReadIDXReaderError(t *testing.T) {
	boom := errors.New("boom")
	valid := idxBytes(8, []uint32{3, 4, 5}, pattern(60, 1))
	for _, n := range []int{0, 2, 10, 30} {
		_, _, err := ReadIDX(io.MultiReader(bytes.NewReader(valid[:n]), errReader{boom}))
		if !errors.Is(err, boom) {
			t.Errorf("reader failing after %d bytes: got %v, want it to wrap the reader's error", n, err)
		}
		var fe *FormatError
		if !errors.As(err, &fe) {
			t.Errorf("reader failing after %d bytes: got %T, want *FormatError", n, err)
		}
	}
}

func TestReadIDXFileNotAFile(t *testing.T) {
	dir := t.TempDir()
	_, _, err := ReadIDXFile(dir)
	var fe *FormatError
	if !errors.As(err, &fe) || fe.Path != dir || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("ReadIDXFile(dir) = %v, want a *FormatError saying it is a directory", err)
	}
	missing := filepath.Join(dir, "missing")
	_, _, err = ReadIDXFile(missing)
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("ReadIDXFile(missing) = %v, want a not-exist error naming the file", err)
	}
}

func TestFormatErrorMessage(t *testing.T) {
	cases := []struct {
		err  *FormatError
		want string
	}{
		{&FormatError{Path: "train-images-idx3-ubyte.gz", Offset: 2, Reason: "want element type 0x08 (unsigned byte), got 0x0d (float)"},
			"mnist: train-images-idx3-ubyte.gz: offset 2: want element type 0x08 (unsigned byte), got 0x0d (float)"},
		{&FormatError{Offset: 0, Reason: "empty"}, "mnist: offset 0: empty"},
		{&FormatError{Path: "d/x", Offset: -1, Reason: "is a directory"}, "mnist: d/x: is a directory"},
	}
	for _, tc := range cases {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
	inner := errors.New("inner")
	if err := (&FormatError{Err: inner}); !errors.Is(err, inner) {
		t.Error("FormatError does not unwrap to Err")
	}
}

// A header that claims billions of images must fail as soon as the input
// ends, without allocating for the claim.
func TestReadIDXHugeHeaderAllocatesLittle(t *testing.T) {
	huge := idxBytes(8, []uint32{4_000_000_000, 28, 28}, pattern(10000, 2)) // claims 3.1 TB
	z := gzipBytes(t, huge)
	path := filepath.Join(t.TempDir(), "huge")
	if err := os.WriteFile(path, huge, 0o644); err != nil {
		t.Fatal(err)
	}
	zpath := filepath.Join(t.TempDir(), "huge.gz")
	if err := os.WriteFile(zpath, z, 0o644); err != nil {
		t.Fatal(err)
	}
	inputs := []struct {
		name string
		read func() error
	}{
		{"raw stream", func() error { _, _, err := ReadIDX(bytes.NewReader(huge)); return err }},
		{"gzip stream", func() error { _, _, err := ReadIDX(bytes.NewReader(z)); return err }},
		{"raw file", func() error { _, _, err := ReadIDXFile(path); return err }},
		{"gzip file", func() error { _, _, err := ReadIDXFile(zpath); return err }},
	}
	const limit = 1 << 20
	for _, in := range inputs {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		err := in.read()
		runtime.ReadMemStats(&after)
		if err == nil || !strings.Contains(err.Error(), on64("truncated")) {
			t.Errorf("%s: got %v, want a truncation error", in.name, err)
		}
		if got := after.TotalAlloc - before.TotalAlloc; got > limit {
			t.Errorf("%s: allocated %d bytes for a header claiming 3.1 TB, want at most %d", in.name, got, limit)
		}
	}
	allocs := testing.AllocsPerRun(5, func() { inputs[1].read() })
	if allocs > 100 {
		t.Errorf("gzip stream: %.0f allocations per read, want at most 100", allocs)
	}
}

// A gzip file of known size may start with a buffer of 8 times its size
// (at most 64 MiB), but no more, whatever its header claims.
func TestReadIDXGzipFileFirstBuffer(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	data := make([]byte, 300_000) // random: gzip cannot shrink it
	for i := range data {
		data[i] = byte(r.Uint32())
	}
	z := gzipBytes(t, idxBytes(8, []uint32{4_000_000_000, 28, 28}, data)) // claims 3.1 TB
	path := filepath.Join(t.TempDir(), "huge.gz")
	if err := os.WriteFile(path, z, 0o644); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, _, err := ReadIDXFile(path)
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), on64("truncated")) {
		t.Errorf("got %v, want a truncation error", err)
	}
	limit := uint64(8*len(z) + 1<<20)
	if got := after.TotalAlloc - before.TotalAlloc; got > limit {
		t.Errorf("allocated %d bytes for a %d-byte file claiming 3.1 TB, want at most %d", got, len(z), limit)
	}
	// A file that holds what it claims decodes into one buffer of the
	// exact size.
	full := gzipBytes(t, idxBytes(8, []uint32{uint32(len(data))}, data))
	if err := os.WriteFile(path, full, 0o644); err != nil {
		t.Fatal(err)
	}
	_, got, err := ReadIDXFile(path)
	if err != nil || !bytes.Equal(got, data) || cap(got) != len(data) {
		t.Fatalf("full file: err %v, equal %v, cap %d want %d", err, bytes.Equal(got, data), cap(got), len(data))
	}
}

// The payload buffer grows with the data read, never past twice that (plus
// one growth step), and ends with the exact capacity for a full read.
func TestReadIDXGrowth(t *testing.T) {
	data := pattern(1_000_003, 4)
	raw := idxBytes(8, []uint32{1_000_003}, data)
	_, got, err := ReadIDX(bytes.NewReader(gzipBytes(t, raw)))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) || cap(got) != len(data) {
		t.Fatalf("got %d bytes (cap %d), want %d", len(got), cap(got), len(data))
	}
}

// Sized (raw file) and streamed reading of the same bytes must agree.
func checkSizedAgrees(t *testing.T, data []byte) {
	t.Helper()
	dims1, p1, err1 := ReadIDX(bytes.NewReader(data))
	dims2, p2, err2 := readIDX(bytes.NewReader(data), "", int64(len(data)), 0)
	if (err1 == nil) != (err2 == nil) {
		t.Fatalf("stream: %v; sized: %v", err1, err2)
	}
	if err1 == nil && (!slices.Equal(dims1, dims2) || !bytes.Equal(p1, p2)) {
		t.Fatalf("stream and sized reads differ: %v vs %v", dims1, dims2)
	}
}

func FuzzReadIDX(f *testing.F) {
	for _, name := range []string{"train-labels-idx1-ubyte.gz", "t10k-labels-idx1-ubyte.gz"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	// A few real images, raw and gzipped (the full image files are too
	// large to mutate usefully).
	_, imgs, err := ReadIDXFile(filepath.Join("testdata", "t10k-images-idx3-ubyte.gz"))
	if err != nil {
		f.Fatal(err)
	}
	small := idxBytes(8, []uint32{2, 28, 28}, imgs[:2*784])
	f.Add(small)
	f.Add(gzipBytes(f, small))
	f.Add(idxBytes(8, []uint32{3, 2}, pattern(6, 0)))
	f.Add(idxBytes(8, []uint32{0}, nil))
	f.Add(idxBytes(8, []uint32{4_000_000_000, 28, 28}, pattern(100, 1)))
	f.Add(idxBytes(0x0d, []uint32{1}, []byte{1, 2, 3, 4}))
	f.Add([]byte{})
	f.Add([]byte{0x1f, 0x8b})
	f.Fuzz(func(t *testing.T, in []byte) {
		isGzip := len(in) >= 2 && in[0] == 0x1f && in[1] == 0x8b
		if !isGzip {
			checkSizedAgrees(t, in)
		}
		dims, data, err := ReadIDX(bytes.NewReader(in))
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is a %T, want *FormatError", err, err)
			}
			if dims != nil || data != nil {
				t.Fatalf("error %v came with dims %v and %d bytes", err, dims, len(data))
			}
			return
		}
		if len(dims) == 0 || len(dims) > 255 {
			t.Fatalf("%d dimensions", len(dims))
		}
		total := 1
		for _, d := range dims {
			total *= d
		}
		if total != len(data) {
			t.Fatalf("dims %v hold %d bytes, payload has %d", dims, total, len(data))
		}
		var out bytes.Buffer
		if err := WriteIDX(&out, dims, data); err != nil {
			t.Fatalf("WriteIDX of what ReadIDX returned: %v", err)
		}
		if !isGzip && !bytes.Equal(out.Bytes(), in) {
			t.Fatalf("raw input does not round-trip")
		}
	})
}
