package softmax

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/softmax-fast/softmax-fast/tensor"
)

func sameModel(t *testing.T, got, want *Dense) {
	t.Helper()
	if got.Inputs() != want.Inputs() || got.Classes() != want.Classes() {
		t.Fatalf("loaded %dx%d, want %dx%d", got.Classes(), got.Inputs(), want.Classes(), want.Inputs())
	}
	for c := range want.Classes() {
		if !bytes.Equal(f32bytes(got.W.Row(c)), f32bytes(want.W.Row(c))) {
			t.Fatalf("weights of class %d differ", c)
		}
	}
	if !bytes.Equal(f32bytes(got.Bias), f32bytes(want.Bias)) {
		t.Fatal("bias differs")
	}
	if len(got.Names) != len(want.Names) || (got.Names == nil) != (want.Names == nil) {
		t.Fatalf("names %q, want %q", got.Names, want.Names)
	}
	for i := range want.Names {
		if got.Names[i] != want.Names[i] {
			t.Fatalf("names %q, want %q", got.Names, want.Names)
		}
	}
}

func testModel(names bool) *Dense {
	m, _ := NewDense(7, 3, 1, 5)
	m.Bias = []float32{0.5, float32(math.Copysign(0, -1)), -2}
	m.W.Data[4] = math.SmallestNonzeroFloat32
	m.W.Data[5] = math.MaxFloat32
	if names {
		m.Names = []string{"T-shirt/top", "", "Ankle boot ✓"}
	}
	return m
}

func TestSaveLoadRoundTrip(t *testing.T) {
	dir := t.TempDir()
	for _, names := range []bool{false, true} {
		m := testModel(names)
		path := filepath.Join(dir, "m.smx")
		if err := m.Save(path); err != nil {
			t.Fatal(err)
		}
		got, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		sameModel(t, got, m)
		// Read and UnmarshalBinary agree, and re-encoding is identical.
		b, _ := os.ReadFile(path)
		r, err := Read(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		sameModel(t, r, m)
		var u Dense
		if err := u.UnmarshalBinary(b); err != nil {
			t.Fatal(err)
		}
		sameModel(t, &u, m)
		var buf bytes.Buffer
		if n, err := got.WriteTo(&buf); err != nil || n != int64(len(b)) || !bytes.Equal(buf.Bytes(), b) {
			t.Errorf("WriteTo of the loaded model: %d bytes, %v, identical %v", n, err, bytes.Equal(buf.Bytes(), b))
		}
		if len(b) != m.modelSize() {
			t.Errorf("file of %d bytes, modelSize %d", len(b), m.modelSize())
		}
	}
	// A strided W (a view) is saved row by row.
	big := tensor.NewMatrix(3, 10)
	for i := range big.Data {
		big.Data[i] = float32(i)
	}
	view, _ := big.View(0, 2, 3, 7)
	m := &Dense{W: view, Bias: make([]float32, 3)}
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var got Dense
	if err := got.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	sameModel(t, &got, m)
}

// The header layout is the documented one.
func TestFileLayout(t *testing.T) {
	m := testModel(true)
	b, _ := m.MarshalBinary()
	le := binary.LittleEndian
	if string(b[:4]) != "SMXF" || le.Uint32(b[4:]) != 1 || le.Uint32(b[8:]) != 7 || le.Uint32(b[12:]) != 3 || le.Uint32(b[16:]) != 3 {
		t.Fatalf("header % x", b[:20])
	}
	if le.Uint32(b[20:]) != uint32(len("T-shirt/top")) || string(b[24:35]) != "T-shirt/top" {
		t.Fatalf("first name % x", b[20:40])
	}
	off := 20 + 4 + 11 + 4 + 0 + 4 + len("Ankle boot ✓")
	if math.Float32frombits(le.Uint32(b[off:])) != m.W.At(0, 0) {
		t.Errorf("W[0][0] not at offset %d", off)
	}
	boff := off + 4*21
	if math.Float32frombits(le.Uint32(b[boff:])) != 0.5 || boff+12+4 != len(b) {
		t.Errorf("bias not at offset %d of %d", boff, len(b))
	}
	if le.Uint32(b[len(b)-4:]) != crc32.Checksum(b[:len(b)-4], crc32.MakeTable(crc32.Castagnoli)) {
		t.Error("trailer is not the CRC-32C of the rest")
	}
}

// Two identical trainings save byte-identical files.
func TestSaveByteIdentical(t *testing.T) {
	data := synth(500, 50, 4, 0.2, 3)
	dir := t.TempDir()
	var files [][]byte
	for i := range 2 {
		m, _ := NewDense(50, 4, 0.01, 1)
		m.Names = []string{"a", "b", "c", "d"}
		if _, err := (&Trainer{Epochs: 2, BatchSize: 64, Seed: 2}).Fit(t.Context(), m, data, Dataset{}); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, []string{"one.smx", "two.smx"}[i])
		if err := m.Save(path); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, b)
	}
	if !bytes.Equal(files[0], files[1]) {
		t.Error("the same training saved different files")
	}
}

// Corrupted, truncated, foreign and future files are all rejected with a
// *FormatError naming the file.
func TestLoadRejects(t *testing.T) {
	good, _ := testModel(true).MarshalBinary()
	le := binary.LittleEndian
	withCRC := func(b []byte) []byte { // fix the checksum after an edit
		b = append([]byte(nil), b...)
		le.PutUint32(b[len(b)-4:], crc32.Checksum(b[:len(b)-4], crc32.MakeTable(crc32.Castagnoli)))
		return b
	}
	edit := func(off int, v uint32) []byte {
		b := append([]byte(nil), good...)
		le.PutUint32(b[off:], v)
		return b
	}
	nanW := edit(20+4+11+4+4+len("Ankle boot ✓"), math.Float32bits(float32(math.NaN())))
	infB := edit(len(good)-8, math.Float32bits(float32(math.Inf(-1))))
	tooMany := edit(8, MaxInputs)
	le.PutUint32(tooMany[12:], 5)
	badUTF := append([]byte(nil), good...)
	badUTF[24] = 0xff
	cases := []struct {
		name string
		data []byte
		want error
		text string
	}{
		{"empty", nil, ErrFormat, "truncated"},
		{"wrong magic", append([]byte("GIF8"), good[4:]...), ErrFormat, "bad magic"},
		{"future version", withCRC(edit(4, 3)), ErrVersion, "version 3"},
		{"an image model read as version 2", withCRC(edit(4, 2)), ErrFormat, "model kind"},
		{"version 0", withCRC(edit(4, 0)), ErrVersion, "version 0"},
		{"zero inputs", withCRC(edit(8, 0)), ErrFormat, "0 inputs"},
		{"huge inputs", withCRC(edit(8, 1<<30)), ErrFormat, "inputs"},
		{"zero classes", withCRC(edit(12, 0)), ErrFormat, "0 classes"},
		{"huge classes", withCRC(edit(12, 1<<20)), ErrFormat, "classes"},
		{"too many weights", withCRC(tooMany), ErrFormat, "more than"},
		{"name count", withCRC(edit(16, 2)), ErrFormat, "class names"},
		{"long name", withCRC(edit(20, MaxNameLength+1)), ErrFormat, "bytes long"},
		{"trailing bytes", append(append([]byte(nil), good...), 0), ErrFormat, "unexpected bytes"},
		{"NaN weight", withCRC(nanW), ErrFormat, "NaN"},
		{"infinite bias", withCRC(infB), ErrFormat, "bias[2]"},
		{"bad UTF-8 name", withCRC(badUTF), ErrFormat, "UTF-8"},
		{"checksum", edit(len(good)-4, 0), ErrChecksum, "checksum mismatch"},
	}
	// Every single-bit flip is caught.
	for bit := 0; bit < 8*len(good); bit += 1 {
		b := append([]byte(nil), good...)
		b[bit/8] ^= 1 << (bit % 8)
		if _, err := readAll(b); !errors.Is(err, ErrFormat) {
			t.Fatalf("bit %d flipped: err = %v", bit, err)
		}
	}
	// Every truncation is caught.
	for n := range len(good) {
		if _, err := readAll(good[:n]); !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "truncated") {
			t.Fatalf("truncated to %d bytes: err = %v", n, err)
		}
	}
	dir := t.TempDir()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, "bad.smx")
			if err := os.WriteFile(path, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			m, err := Load(path)
			if m != nil || !errors.Is(err, tc.want) || !errors.Is(err, ErrFormat) {
				t.Fatalf("Load: %v, want %v", err, tc.want)
			}
			var fe *FormatError
			if !errors.As(err, &fe) || fe.Path != path || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tc.text) {
				t.Errorf("error %q does not name the file and %q", err, tc.text)
			}
			t.Log(err)
		})
	}
	if _, err := Load(filepath.Join(dir, "missing.smx")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// readAll reads b as a whole file would be.
func readAll(b []byte) (*Dense, error) {
	var m Dense
	err := m.UnmarshalBinary(b)
	return &m, err
}

// A reader error is returned wrapped, not as a format error.
func TestReadIOError(t *testing.T) {
	good, _ := testModel(false).MarshalBinary()
	boom := errors.New("disk on fire")
	_, err := Read(io.MultiReader(bytes.NewReader(good[:30]), errReader{boom}))
	if !errors.Is(err, boom) || errors.Is(err, ErrFormat) {
		t.Errorf("err = %v", err)
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// A short input claiming a huge model fails without allocating it.
func TestReadHugeClaimCheap(t *testing.T) {
	b := []byte("SMXF")
	for _, v := range []uint32{1, MaxInputs / 4, 4, 0} {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	b = append(b, make([]byte, 100)...)
	var ms1, ms2 runtimeMem
	ms1.read()
	_, err := Read(bytes.NewReader(b))
	ms2.read()
	if !errors.Is(err, ErrFormat) {
		t.Fatalf("err = %v", err)
	}
	if grew := ms2.total - ms1.total; grew > 1<<20 {
		t.Errorf("reading a 120-byte file claiming 64 MiB of weights allocated %d bytes", grew)
	}
}

// Save refuses a non-finite or invalid model without touching the old file,
// and a failing save leaves the old file intact and no temporary behind.
func TestSaveFailureKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.smx")
	old := testModel(false)
	if err := old.Save(path); err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(path)
	nan := testModel(false)
	nan.W.Data[3] = float32(math.NaN())
	badNames := testModel(false)
	badNames.Names = []string{"only one"}
	for _, m := range []*Dense{nan, badNames, {}} {
		if err := m.Save(path); !errors.Is(err, ErrModel) {
			t.Errorf("Save: err = %v, want ErrModel", err)
		}
	}
	// A real I/O failure: the target is now a directory's name.
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	if err := old.Save(sub); err == nil {
		t.Error("saving over a directory succeeded")
	}
	got, _ := os.ReadFile(path)
	if !bytes.Equal(got, want) {
		t.Error("the old file changed")
	}
	es, _ := os.ReadDir(dir)
	if len(es) != 2 {
		var names []string
		for _, e := range es {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want m.smx and sub", names)
	}
}

func FuzzRead(f *testing.F) {
	for _, names := range []bool{false, true} {
		b, _ := testModel(names).MarshalBinary()
		f.Add(b)
		f.Add(b[:len(b)-1])
		f.Add(b[:21])
	}
	small, _ := (&Dense{W: tensor.NewMatrix(1, 1), Bias: []float32{0}}).MarshalBinary()
	f.Add(small)
	f.Add([]byte("SMXF\x01\x00\x00\x00\xff\xff\xff\x00\x01\x00\x00\x00\x00\x00\x00\x00"))
	f.Add([]byte("SMXF"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Read(bytes.NewReader(data))
		if err != nil {
			if m != nil {
				t.Fatal("a model and an error")
			}
			return
		}
		if err := m.Validate(); err != nil || !m.Finite() {
			t.Fatalf("Read accepted an invalid model: %v", err)
		}
		// The format is canonical: re-encoding gives back the bytes read.
		b, err := m.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(data, b) {
			t.Fatal("re-encoding differs from the input")
		}
	})
}
