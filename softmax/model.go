package softmax

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"math"
	"os"
	"unicode/utf8"

	"github.com/softmax-fast/softmax-fast/internal/atomicfile"
	"github.com/softmax-fast/softmax-fast/tensor"
)

// Magic and Version identify the model file format (see the package
// documentation).
const (
	Magic   = "SMXF"
	Version = 2
)

// versionImages is the format version of a model of images: the layout of
// version 2 without its model-kind block, written for such models so that
// their files stay what they were before models of features existed.
const versionImages = 1

// Flags of the model-kind block of a version 2 file.
const (
	flagFeatures     = 1 << 0 // a model of float32 feature vectors
	flagStandardized = 1 << 1 // Mean and Scale follow the bias
	knownFlags       = flagFeatures | flagStandardized
)

var (
	// ErrFormat is matched (errors.Is) by every *FormatError: the data is
	// not a valid model file.
	ErrFormat = errors.New("softmax: not a valid model file")
	// ErrVersion is wrapped by the *FormatError of a file whose version this
	// package cannot read.
	ErrVersion = errors.New("softmax: unsupported model file version")
	// ErrChecksum is wrapped by the *FormatError of a file whose CRC-32C
	// does not match its contents (a corrupted file).
	ErrChecksum = errors.New("softmax: model file checksum mismatch")
)

// FormatError describes a model file that cannot be read: where and why.
// errors.Is(err, ErrFormat) holds for every FormatError, and Err (returned
// by Unwrap) is ErrVersion, ErrChecksum or ErrFormat.
type FormatError struct {
	Path   string // the file, "" when read from an io.Reader
	Offset int64  // byte offset of the problem
	Reason string
	Err    error
}

func (e *FormatError) Error() string {
	name := e.Path
	if name == "" {
		name = "model data"
	}
	return fmt.Sprintf("softmax: %s: offset %d: %s", name, e.Offset, e.Reason)
}

// Unwrap returns e.Err.
func (e *FormatError) Unwrap() error { return e.Err }

// Is reports whether target is ErrFormat, which every FormatError matches.
func (e *FormatError) Is(target error) bool { return target == ErrFormat }

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

const headerSize = 20 // magic, version, inputs, classes, name count

// MarshalBinary encodes m in the model file format. It fails for an invalid
// model or one holding a NaN or infinite value (which a file must not hold),
// so a diverged model is never saved.
func (m *Dense) MarshalBinary() ([]byte, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if !m.Finite() {
		return nil, fmt.Errorf("%w: it holds NaN or infinite values and cannot be saved", ErrModel)
	}
	k, n := m.W.Rows, m.W.Cols
	size := headerSize + 4*(k*n+k) + 4 + 4 + 8*len(m.Mean)
	for _, s := range m.Names {
		size += 4 + len(s)
	}
	version, flags := uint32(versionImages), uint32(0)
	if m.Features {
		version, flags = Version, flagFeatures
		if m.Mean != nil {
			flags |= flagStandardized
		}
	}
	b := make([]byte, 0, size)
	b = append(b, Magic...)
	b = binary.LittleEndian.AppendUint32(b, version)
	b = binary.LittleEndian.AppendUint32(b, uint32(n))
	b = binary.LittleEndian.AppendUint32(b, uint32(k))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(m.Names)))
	for _, s := range m.Names {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(s)))
		b = append(b, s...)
	}
	for c := range k {
		for _, v := range m.W.Row(c) {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
		}
	}
	for _, v := range m.Bias {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
	}
	if version == Version {
		b = binary.LittleEndian.AppendUint32(b, flags)
		for _, v := range append(m.Mean[:len(m.Mean):len(m.Mean)], m.Scale...) {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
		}
	}
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli)), nil
}

// WriteTo writes m to w in the model file format (see MarshalBinary).
func (m *Dense) WriteTo(w io.Writer) (int64, error) {
	b, err := m.MarshalBinary()
	if err != nil {
		return 0, err
	}
	n, err := w.Write(b)
	return int64(n), err
}

// Save writes m to the file named by path, atomically: the data goes to a
// temporary file in the same directory, which is synced and renamed over
// path, so that path holds either its old contents or the whole new model,
// even after a crash; on an error the old file is left intact. The same
// model always gives the same bytes (the file holds nothing else, such as a
// time).
func (m *Dense) Save(path string) error {
	b, err := m.MarshalBinary()
	if err != nil {
		return fmt.Errorf("softmax: saving %s: %w", path, err)
	}
	if err := atomicfile.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("softmax: saving %s: %w", path, err)
	}
	return nil
}

// UnmarshalBinary decodes a model file held in data into m, replacing its
// contents, with the checks of Read; data must hold nothing after the
// model.
func (m *Dense) UnmarshalBinary(data []byte) error {
	r := bytes.NewReader(data)
	d, err := read(r, "")
	if err != nil {
		return err
	}
	if r.Len() > 0 {
		return &FormatError{Offset: int64(len(data) - r.Len()), Reason: fmt.Sprintf("%d unexpected bytes after the checksum", r.Len()), Err: ErrFormat}
	}
	*m = *d
	return nil
}

// Load reads the model file named by path (see Read). The file must hold
// nothing after the model. A file that is not a valid model gives a
// *FormatError naming the file, the offset and the problem.
func Load(path string) (*Dense, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("softmax: loading model: %w", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	m, err := read(br, path)
	if err != nil {
		return nil, err
	}
	if extra, err := io.Copy(io.Discard, br); err != nil {
		return nil, fmt.Errorf("softmax: reading %s: %w", path, err)
	} else if extra > 0 {
		size := int64(m.modelSize())
		return nil, &FormatError{Path: path, Offset: size, Reason: fmt.Sprintf("%d unexpected bytes after the checksum", extra), Err: ErrFormat}
	}
	return m, nil
}

// modelSize returns the size in bytes of m's file.
func (m *Dense) modelSize() int {
	size := headerSize + 4*(m.W.Rows*m.W.Cols+m.W.Rows) + 4
	for _, s := range m.Names {
		size += 4 + len(s)
	}
	return size
}

// Read reads one model from r, reading exactly its bytes (nothing after the
// checksum). Everything is checked: the magic, the version, the sizes (within
// MaxInputs, MaxClasses and MaxWeights, before anything is allocated; memory
// then grows only as data arrives, so a short input claiming a huge model
// costs little), the checksum, class names of valid UTF-8, and finite
// weights. A problem with the data gives a *FormatError; an error of r is
// returned wrapped.
func Read(r io.Reader) (*Dense, error) {
	return read(r, "")
}

// modelReader reads the fields of a model file, hashing and counting bytes.
type modelReader struct {
	r    io.Reader
	crc  hash.Hash32
	off  int64
	path string
	buf  [64 << 10]byte
}

func (mr *modelReader) fail(off int64, err error, format string, args ...any) error {
	return &FormatError{Path: mr.path, Offset: off, Reason: fmt.Sprintf(format, args...), Err: err}
}

// full reads len(p) bytes into p; what names the field for errors.
func (mr *modelReader) full(p []byte, what string) error {
	n, err := io.ReadFull(mr.r, p)
	mr.crc.Write(p[:n])
	mr.off += int64(n)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return mr.fail(mr.off, ErrFormat, "truncated: the data ends in the %s (%d of %d bytes present)", what, n, len(p))
	}
	if err != nil {
		name := mr.path
		if name == "" {
			name = "model data"
		}
		return fmt.Errorf("softmax: reading %s: %w", name, err)
	}
	return nil
}

func (mr *modelReader) u32(what string) (uint32, error) {
	if err := mr.full(mr.buf[:4], what); err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint32(mr.buf[:4]), nil
}

// floats reads n float32 values, growing the result only as data arrives.
func (mr *modelReader) floats(n int, what string) ([]float32, error) {
	out := make([]float32, 0, min(n, len(mr.buf)/4))
	for len(out) < n {
		chunk := mr.buf[:4*min(n-len(out), len(mr.buf)/4)]
		if err := mr.full(chunk, what); err != nil {
			return nil, err
		}
		for i := 0; i < len(chunk); i += 4 {
			out = append(out, math.Float32frombits(binary.LittleEndian.Uint32(chunk[i:])))
		}
	}
	return out, nil
}

func read(r io.Reader, path string) (*Dense, error) {
	mr := &modelReader{r: r, crc: crc32.New(castagnoli), path: path}
	n, k, nnames, version, err := mr.header()
	if err != nil {
		return nil, err
	}
	m := &Dense{}
	var nameOffs []int64
	if nnames > 0 {
		if m.Names, nameOffs, err = mr.names(k); err != nil {
			return nil, err
		}
	}
	wOff := mr.off
	w, err := mr.floats(n*k, "weights")
	if err != nil {
		return nil, err
	}
	bOff := mr.off
	bias, err := mr.floats(k, "bias")
	if err != nil {
		return nil, err
	}
	var std []float32
	if version == Version {
		flagsOff := mr.off
		flags, err := mr.u32("model kind")
		if err != nil {
			return nil, err
		}
		if flags&^knownFlags != 0 || flags&flagFeatures == 0 {
			return nil, mr.fail(flagsOff, ErrFormat, "model kind %#x: want a model of features (1), standardized or not (3)", flags)
		}
		m.Features = true
		if flags&flagStandardized != 0 {
			if std, err = mr.floats(2*n, "standardization"); err != nil {
				return nil, err
			}
		}
	}
	stdOff := mr.off - 4*int64(len(std))
	sum := mr.crc.Sum32()
	want, err := mr.u32("checksum")
	if err != nil {
		return nil, err
	}
	if sum != want {
		return nil, mr.fail(mr.off-4, ErrChecksum, "checksum mismatch: the file says %#08x, the contents give %#08x (the file is corrupted)", want, sum)
	}
	// The contents are checked once the checksum holds, so that a corrupted
	// file is reported as such rather than as a bad value.
	for i, s := range m.Names {
		if !utf8.ValidString(s) {
			return nil, mr.fail(nameOffs[i], ErrFormat, "class name %d is not valid UTF-8", i)
		}
	}
	for i, v := range w {
		if !isFinite32(v) {
			return nil, mr.fail(wOff+4*int64(i), ErrFormat, "weight W[%d][%d] is %v", i/n, i%n, v)
		}
	}
	for i, v := range bias {
		if !isFinite32(v) {
			return nil, mr.fail(bOff+4*int64(i), ErrFormat, "bias[%d] is %v", i, v)
		}
	}
	for i, v := range std {
		if !isFinite32(v) {
			return nil, mr.fail(stdOff+4*int64(i), ErrFormat, "standardization value %d is %v", i, v)
		}
	}
	m.W, m.Bias = &tensor.Matrix{Rows: k, Cols: n, Stride: n, Data: w}, bias
	if std != nil {
		m.Mean, m.Scale = std[:n:n], std[n:]
	}
	return m, nil
}

// header reads the fixed header: magic, version (1 or 2), inputs n,
// classes k (their ranges checked before anything is allocated) and the
// number of class names, 0 or k.
func (mr *modelReader) header() (n, k int, nnames, version uint32, err error) {
	if err := mr.full(mr.buf[:4], "magic number"); err != nil {
		return 0, 0, 0, 0, err
	}
	if string(mr.buf[:4]) != Magic {
		return 0, 0, 0, 0, mr.fail(0, ErrFormat, "bad magic %q, want %q (not a softmax-fast model file)", mr.buf[:4], Magic)
	}
	version, err = mr.u32("version")
	if err != nil {
		return 0, 0, 0, 0, err
	}
	if version != versionImages && version != Version {
		return 0, 0, 0, 0, mr.fail(4, ErrVersion, "file format version %d, this program reads versions %d and %d", version, versionImages, Version)
	}
	inputs, err := mr.u32("input count")
	if err != nil {
		return 0, 0, 0, 0, err
	}
	classes, err := mr.u32("class count")
	if err != nil {
		return 0, 0, 0, 0, err
	}
	if inputs < 1 || inputs > MaxInputs {
		return 0, 0, 0, 0, mr.fail(8, ErrFormat, "%d inputs, want 1..%d", inputs, MaxInputs)
	}
	if classes < 1 || classes > MaxClasses {
		return 0, 0, 0, 0, mr.fail(12, ErrFormat, "%d classes, want 1..%d", classes, MaxClasses)
	}
	n, k = int(inputs), int(classes)
	if uint64(n)*uint64(k) > MaxWeights {
		return 0, 0, 0, 0, mr.fail(8, ErrFormat, "%d inputs x %d classes is more than %d weights", n, k, MaxWeights)
	}
	nnames, err = mr.u32("class name count")
	if err != nil {
		return 0, 0, 0, 0, err
	}
	if nnames != 0 && nnames != classes {
		return 0, 0, 0, 0, mr.fail(16, ErrFormat, "%d class names for %d classes, want 0 or %d", nnames, classes, classes)
	}
	return n, k, nnames, version, nil
}

// names reads k class names, each a length (at most MaxNameLength) and its
// bytes, and returns them with the offset of each name's bytes (for the
// UTF-8 check after the checksum).
func (mr *modelReader) names(k int) (names []string, offs []int64, err error) {
	names, offs = make([]string, k), make([]int64, k)
	for i := range names {
		off := mr.off
		l, err := mr.u32(fmt.Sprintf("length of class name %d", i))
		if err != nil {
			return nil, nil, err
		}
		if l > MaxNameLength {
			return nil, nil, mr.fail(off, ErrFormat, "class name %d is %d bytes long, at most %d allowed", i, l, MaxNameLength)
		}
		if err := mr.full(mr.buf[:l], fmt.Sprintf("class name %d", i)); err != nil {
			return nil, nil, err
		}
		names[i], offs[i] = string(mr.buf[:l]), off+4
	}
	return names, offs, nil
}
