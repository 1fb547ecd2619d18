package mnist

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/softmax-fast/softmax-fast/internal/atomicfile"
)

// FormatError reports a file (or stream) that is not a valid IDX file, or an
// IDX file that does not fit the data set it was loaded for.
type FormatError struct {
	Path   string // the file; empty for a stream read by ReadIDX
	Offset int64  // byte offset of the problem (in the decompressed data for gzip); -1 if none applies
	Reason string // what is wrong, lower case
	Err    error  // the underlying error (gzip, I/O), if any
}

func (e *FormatError) Error() string {
	var b strings.Builder
	b.WriteString("mnist: ")
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	if e.Offset >= 0 {
		fmt.Fprintf(&b, "offset %d: ", e.Offset)
	}
	b.WriteString(e.Reason)
	return b.String()
}

// Unwrap returns the underlying error, such as a gzip checksum error or an
// I/O error, or nil.
func (e *FormatError) Unwrap() error { return e.Err }

// typeUint8 is the IDX element type code of unsigned bytes, the only one
// this package reads.
const typeUint8 = 0x08

// maxDims is the largest number of dimensions an IDX header can declare.
const maxDims = 255

var typeNames = map[byte]string{
	0x08: "unsigned byte",
	0x09: "signed byte",
	0x0b: "short",
	0x0c: "int",
	0x0d: "float",
	0x0e: "double",
}

// ReadIDX reads one IDX array of unsigned bytes (element type 0x08) from r,
// which may be gzip-compressed or raw: gzip is recognised by its magic
// bytes 1f 8b, not by a name. It returns the dimensions from the header and
// the payload, whose length is their product, in row-major order.
//
// Errors are *FormatError values (wrapping the gzip or I/O error, if any):
// a bad magic number, an element type other than 0x08, no dimensions, a
// payload shorter or longer than the header says (trailing data is an
// error), or corrupt gzip data. The header is never trusted for an
// allocation: the payload buffer grows with the data actually read, so a
// header claiming billions of images fails as soon as the input ends.
func ReadIDX(r io.Reader) (dims []int, data []uint8, err error) {
	return readIDX(r, "", -1, 0)
}

// ReadIDXFile reads one IDX file, gzip-compressed or raw (detected from its
// content), as ReadIDX does. For a raw file the header is checked against
// the file's size before anything is allocated. Errors name the file.
func ReadIDXFile(path string) (dims []int, data []uint8, err error) {
	return readIDXFile(path, 0)
}

// readIDXFile opens path, checks that it is a non-empty file and reads it;
// wantDims > 0 requires that many dimensions.
func readIDXFile(path string, wantDims int) ([]int, []uint8, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("mnist: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("mnist: %w", err)
	}
	if st.IsDir() {
		return nil, nil, &FormatError{Path: path, Offset: -1, Reason: "is a directory, want an IDX file"}
	}
	size := int64(-1)
	if st.Mode().IsRegular() {
		size = st.Size()
		if size == 0 {
			return nil, nil, &FormatError{Path: path, Offset: -1, Reason: "empty file, want an IDX file"}
		}
	}
	return readIDX(f, path, size, wantDims)
}

// idxReader tracks how many decompressed bytes have been consumed, for
// error offsets.
type idxReader struct {
	r      io.Reader
	path   string
	gz     bool
	packed int64 // the size of the gzip file if known, else -1 (or 0)
	off    int64
}

func (x *idxReader) fail(off int64, err error, format string, args ...any) *FormatError {
	return &FormatError{Path: x.path, Offset: off, Reason: fmt.Sprintf(format, args...), Err: err}
}

// readErr turns an error from the underlying reader into a *FormatError.
func (x *idxReader) readErr(err error, what string) *FormatError {
	if x.gz {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return x.fail(x.off, err, "truncated gzip stream while reading %s", what)
		}
		var pe *os.PathError
		if !errors.As(err, &pe) {
			return x.fail(x.off, err, "corrupt gzip data while reading %s: %v", what, err)
		}
	}
	return x.fail(x.off, err, "reading %s: %v", what, err)
}

// full reads exactly len(p) bytes; got is the count read on a short read,
// which the caller reports (a clean EOF comes back as io.EOF).
func (x *idxReader) full(p []byte) (got int, err error) {
	n, err := io.ReadFull(x.r, p)
	x.off += int64(n)
	if errors.Is(err, io.ErrUnexpectedEOF) && !x.gz {
		err = io.EOF // a raw stream that ends early is simply truncated
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		// For gzip, io.ReadFull maps a clean end of the stream to
		// ErrUnexpectedEOF too; tell it apart from a cut deflate stream
		// by asking for one more byte.
		if _, err2 := x.r.Read(make([]byte, 1)); err2 == io.EOF {
			err = io.EOF
		} else if err2 != nil {
			err = err2
		}
	}
	return n, err
}

// readIDX parses an IDX stream. size is the stream's total size if known
// (a raw regular file), else -1. wantDims > 0 requires that many dimensions.
func readIDX(r io.Reader, path string, size int64, wantDims int) ([]int, []uint8, error) {
	x, size, err := newIDXReader(r, path, size)
	if err != nil {
		return nil, nil, err
	}
	if zr, ok := x.r.(*gzip.Reader); ok {
		defer zr.Close()
	}
	nd, err := x.readMagic(wantDims)
	if err != nil {
		return nil, nil, err
	}
	dims, headerLen, err := x.readDims(nd)
	if err != nil {
		return nil, nil, err
	}
	total, exact, err := x.dataSize(dims, headerLen, size)
	if err != nil {
		return nil, nil, err
	}
	data, err := x.payload(int64(total), exact)
	if err != nil {
		return nil, nil, err
	}
	if int64(len(data)) < int64(total) {
		return nil, nil, x.fail(x.off, nil, "truncated: header %s says %d bytes of data, got %d", dimString(dims), total, len(data))
	}
	if err := x.checkEnd(dims, headerLen, total); err != nil {
		return nil, nil, err
	}
	return dims, data, nil
}

// newIDXReader starts reading an IDX stream of size bytes (-1 if unknown):
// it buffers r and, if the stream starts with gzip's magic bytes,
// decompresses it, since gzip is told by content, never by name. It
// returns the size of the IDX data, which is unknown (-1) for gzip.
func newIDXReader(r io.Reader, path string, size int64) (*idxReader, int64, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	x := &idxReader{r: br, path: path}
	head, err := br.Peek(2)
	if len(head) == 0 {
		if err == nil || err == io.EOF {
			return nil, 0, x.fail(0, nil, "empty input, want an IDX header")
		}
		return nil, 0, x.fail(0, err, "reading header: %v", err)
	}
	if len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, 0, x.fail(0, err, "truncated gzip header")
			}
			return nil, 0, x.fail(0, err, "corrupt gzip header: %v", err)
		}
		x.r, x.gz, x.packed, size = zr, true, size, -1
	}
	return x, size, nil
}

// readMagic reads and checks the 4 magic bytes: two zero bytes, the
// element type (only unsigned bytes are read) and the number of dimensions,
// which must be at least 1, and wantDims if that is > 0. It returns the
// number of dimensions.
func (x *idxReader) readMagic(wantDims int) (int, error) {
	var magic [4]byte
	if n, err := x.full(magic[:]); err != nil {
		if err == io.EOF {
			if n == 0 && x.gz {
				return 0, x.fail(0, nil, "empty gzip stream, want an IDX header")
			}
			return 0, x.fail(x.off, nil, "truncated header: want 4 magic bytes, got %d", n)
		}
		return 0, x.readErr(err, "the header")
	}
	if magic[0] != 0 || magic[1] != 0 {
		return 0, x.fail(0, nil, "not an IDX file: want magic 0x00 0x00 <type> <dims>, got 0x%02x 0x%02x", magic[0], magic[1])
	}
	if t := magic[2]; t != typeUint8 {
		name, ok := typeNames[t]
		if !ok {
			name = "not an IDX type"
		}
		return 0, x.fail(2, nil, "want element type 0x08 (unsigned byte), got 0x%02x (%s)", t, name)
	}
	nd := int(magic[3])
	if nd == 0 {
		return 0, x.fail(3, nil, "want at least 1 dimension, got 0")
	}
	if wantDims > 0 && nd != wantDims {
		return 0, x.fail(3, nil, "want %d %s, got %d", wantDims, plural(wantDims, "dimension"), nd)
	}
	return nd, nil
}

// readDims reads the nd big-endian dimensions that follow the magic bytes
// and returns them and the length of the whole header. A dimension above
// the largest int (possible on 32-bit platforms) is an error.
func (x *idxReader) readDims(nd int) ([]int, int64, error) {
	hdr := make([]byte, 4*nd)
	if n, err := x.full(hdr); err != nil {
		if err == io.EOF {
			return nil, 0, x.fail(x.off, nil, "truncated header: %d dimensions need %d bytes, got %d", nd, len(hdr), n)
		}
		return nil, 0, x.readErr(err, "the header")
	}
	dims := make([]int, nd)
	for i := range dims {
		d := uint64(binary.BigEndian.Uint32(hdr[4*i:]))
		if d > uint64(math.MaxInt) {
			return nil, 0, x.fail(int64(4+4*i), nil, "dimension %d is %d, too large for this platform", i, d)
		}
		dims[i] = int(d)
	}
	return dims, int64(4 + len(hdr)), nil
}

// dataSize returns the number of bytes the dimensions describe, which must
// fit in memory after the header. When the IDX data's size is known (size
// >= 0, a raw file), they must be exactly the bytes after the header, and
// exact reports it, so that the payload is allocated at once; a size
// smaller than the header means the file changed since it was measured,
// and it is then read as a stream.
func (x *idxReader) dataSize(dims []int, headerLen, size int64) (total uint64, exact bool, err error) {
	maxPayload := uint64(math.MaxInt) - uint64(headerLen)
	if size >= headerLen {
		maxPayload = uint64(size - headerLen)
	} else {
		size = -1 // the file changed since it was measured: read it as a stream
	}
	total = 1
	overflow := false
	for _, d := range dims {
		switch {
		case overflow || total == 0:
		case d != 0 && total > uint64(math.MaxInt)/uint64(d):
			overflow = true
		default:
			total *= uint64(d)
		}
	}
	if overflow || total > uint64(math.MaxInt)-uint64(headerLen) {
		return 0, false, x.fail(4, nil, "dimensions %s describe more data than fits in memory", dimString(dims))
	}
	if size >= 0 && total != maxPayload {
		word := "truncated"
		if total < maxPayload {
			word = "trailing data"
		}
		return 0, false, x.fail(headerLen+min(int64(total), int64(maxPayload)), nil,
			"%s: header %s says %d bytes of data, the file has %d after the %d-byte header",
			word, dimString(dims), total, maxPayload, headerLen)
	}
	return total, size >= 0, nil
}

// checkEnd checks that the input ends after the total bytes of data that
// dims describe (trailing data is an error); for gzip, this last read also
// verifies the stream's CRC.
func (x *idxReader) checkEnd(dims []int, headerLen int64, total uint64) error {
	var one [1]byte
	if _, err := x.full(one[:]); err == nil {
		return x.fail(headerLen+int64(total), nil, "trailing data after the %d bytes the header %s describes", total, dimString(dims))
	} else if err != io.EOF {
		return x.readErr(err, "the end of the data")
	}
	return nil
}

// payload reads up to want bytes. With exact set (the size was checked
// against a real file), the buffer is allocated at once; otherwise it grows
// with what has actually been read, never beyond twice that. A gzip file of
// known size starts with the smaller of 64 MiB and 8 times its size, so that a
// data set decompresses into one buffer (growing it by doubling, with the
// garbage collections that the growth set off, made decoding Fashion-MNIST's
// training images ~25 % slower) while a header that lies still costs little.
func (x *idxReader) payload(want int64, exact bool) ([]uint8, error) {
	const chunk = 64 << 10
	if exact {
		data := make([]uint8, want)
		n, err := x.full(data)
		if err != nil && err != io.EOF {
			return nil, x.readErr(err, "the data")
		}
		return data[:n], nil
	}
	first := int64(chunk)
	if x.gz && x.packed > 0 {
		first = max(first, min(64<<20, 8*x.packed))
	}
	data := make([]uint8, 0, min(want, first))
	for int64(len(data)) < want {
		if len(data) == cap(data) {
			grown := make([]uint8, len(data), min(want, 2*int64(cap(data))))
			copy(grown, data)
			data = grown
		}
		n, err := x.r.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		x.off += int64(n)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, x.readErr(err, "the data")
		}
	}
	return data, nil
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

func dimString(dims []int) string {
	var b strings.Builder
	for i, d := range dims {
		if i > 0 {
			b.WriteByte('x')
		}
		fmt.Fprint(&b, d)
	}
	return b.String()
}

// checkDims validates dims for writing and returns the element count.
func checkDims(dims []int) (int, error) {
	if len(dims) == 0 || len(dims) > maxDims {
		return 0, fmt.Errorf("mnist: an IDX array needs 1 to %d dimensions, got %d", maxDims, len(dims))
	}
	total := 1
	for i, d := range dims {
		if d < 0 || uint64(d) > math.MaxUint32 {
			return 0, fmt.Errorf("mnist: dimension %d is %d, want 0 to %d", i, d, uint64(math.MaxUint32))
		}
		if d != 0 && total > math.MaxInt/d {
			return 0, fmt.Errorf("mnist: dimensions %s overflow int", dimString(dims))
		}
		total *= d
	}
	return total, nil
}

// WriteIDX writes data as a raw (uncompressed) IDX array of unsigned bytes
// with the given dimensions, whose product must equal len(data). Wrap w in
// a gzip.Writer for a compressed file.
func WriteIDX(w io.Writer, dims []int, data []uint8) error {
	if err := checkWrite(dims, data); err != nil {
		return err
	}
	if err := writeIDX(w, dims, data); err != nil {
		return fmt.Errorf("mnist: writing IDX: %w", err)
	}
	return nil
}

func checkWrite(dims []int, data []uint8) error {
	total, err := checkDims(dims)
	if err != nil {
		return err
	}
	if total != len(data) {
		return fmt.Errorf("mnist: dimensions %s hold %d bytes, data has %d", dimString(dims), total, len(data))
	}
	return nil
}

// writeIDX writes a checked array.
func writeIDX(w io.Writer, dims []int, data []uint8) error {
	hdr := make([]byte, 4+4*len(dims))
	hdr[2], hdr[3] = typeUint8, byte(len(dims))
	for i, d := range dims {
		binary.BigEndian.PutUint32(hdr[4+4*i:], uint32(d))
	}
	if _, err := w.Write(hdr); err != nil {
		return err
	}
	_, err := w.Write(data)
	return err
}

// WriteIDXFile writes data as an IDX file at path, gzip-compressed if the
// name ends in ".gz" (best compression) and raw otherwise. The file is
// replaced atomically: it is written to a temporary file in the same
// directory, synced and renamed.
func WriteIDXFile(path string, dims []int, data []uint8) error {
	if err := checkWrite(dims, data); err != nil {
		return err
	}
	err := writeAtomic(path, func(w io.Writer) error {
		if !strings.HasSuffix(path, ".gz") {
			return writeIDX(w, dims, data)
		}
		zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
		if err != nil {
			return err
		}
		zw.Name = strings.TrimSuffix(filepath.Base(path), ".gz")
		if err := writeIDX(zw, dims, data); err != nil {
			return err
		}
		return zw.Close()
	})
	if err != nil {
		return fmt.Errorf("mnist: %w", err)
	}
	return nil
}

// writeAtomic writes a file through write, buffered, with
// internal/atomicfile: a temporary file in path's directory, synced, then
// renamed over path, so that no reader ever sees a partial file.
func writeAtomic(path string, write func(io.Writer) error) error {
	return atomicfile.Write(path, 0o644, buffered(write))
}

// writeUnsynced is writeAtomic without the fsyncs (atomicfile.WriteUnsynced).
func writeUnsynced(path string, write func(io.Writer) error) error {
	return atomicfile.WriteUnsynced(path, 0o644, buffered(write))
}

// buffered wraps write in a 1 MiB buffer.
func buffered(write func(io.Writer) error) func(io.Writer) error {
	return func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<20)
		if err := write(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
}
