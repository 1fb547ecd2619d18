package mnist

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"hash/fnv"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"unsafe"
)

// The cache file holds a decoded Dataset (all integers little-endian):
//
//	offset  size  field
//	0       8     magic "SMFMNIST"
//	8       4     format version (cacheVersion)
//	12      4     K, the length of the source key
//	16      4     training images N
//	20      4     test images N
//	24      4     rows
//	28      4     cols
//	32      K     source key: the absolute source directory, then per file
//	              its name, size and modification time
//	...           zeros up to the next multiple of 64
//	A       ...   training images, zeros up to a multiple of 64
//	B       ...   test images, zeros up to a multiple of 64
//	C       ...   training labels, then test labels
//	end-4   4     CRC-32C (Castagnoli) of every byte before it
//
// The images start at file offsets that are multiples of cacheAlign, so
// that a mapping of the file (page aligned) or a buffer aligned to
// cacheAlign holds them 64-byte aligned: the training kernels read rows of
// 784 bytes (a multiple of 16), and rows that straddle cache lines unevenly
// made an epoch ~20 % slower. Version 1 had no padding; a file of another
// version is rebuilt.
//
// A file is used only if its header, key, total size and checksum all
// match, and all its labels are below NumClasses.
const (
	cacheMagic     = "SMFMNIST"
	cacheVersion   = 2
	cacheHeaderLen = 32
	cacheAlign     = 64
	maxKeyLen      = 1 << 16
)

// cacheLayout is where the sections of a cache file lie: file offsets, and
// the size of the whole file.
type cacheLayout struct {
	trainImages, testImages, trainLabels, testLabels, size uint64
}

// layoutOf places the sections of a cache file with a key of k bytes and
// trainN and testN images of px pixels. It returns false if the file would
// be larger than limit (limit <= math.MaxInt64; every argument is below
// 2^32, so no sum or product overflows before it is compared with limit).
func layoutOf(k, trainN, testN, px, limit uint64) (cacheLayout, bool) {
	var l cacheLayout
	off := uint64(cacheHeaderLen) + k
	ok := true
	// place reserves n bytes at off aligned to align and returns where.
	place := func(n, align uint64) uint64 {
		off = (off + align - 1) &^ (align - 1)
		if off > limit || n > limit-off {
			ok = false
			return 0
		}
		at := off
		off += n
		return at
	}
	l.trainImages = place(trainN*px, cacheAlign)
	l.testImages = place(testN*px, cacheAlign)
	l.trainLabels = place(trainN, cacheAlign)
	l.testLabels = place(testN, 1)
	l.size = place(4, 1) + 4
	return l, ok
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// cacheRef names the cache file of one source directory and the key its
// contents must carry.
type cacheRef struct {
	path string
	key  string
	dir  string
	srcs [4]string
}

// newCacheRef stats the source files (before they are read, so a change
// while loading makes the written cache stale, not wrong) and names the
// cache file.
func newCacheRef(dir string, srcs [4]string, cacheDir string) (*cacheRef, error) {
	if cacheDir == "" {
		d, err := DefaultCacheDir()
		if err != nil {
			return nil, err
		}
		cacheDir = d
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("mnist: cache: %w", err)
	}
	var key strings.Builder
	fmt.Fprintf(&key, "%s\n", abs)
	for _, p := range srcs {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("mnist: cache: %w", err)
		}
		fmt.Fprintf(&key, "%s %d %d\n", filepath.Base(p), st.Size(), st.ModTime().UnixNano())
	}
	h := fnv.New64a()
	io.WriteString(h, abs)
	name := fmt.Sprintf("fashion-mnist-%016x.cache", h.Sum64())
	return &cacheRef{path: filepath.Join(cacheDir, name), key: key.String(), dir: dir, srcs: srcs}, nil
}

// read returns the cached dataset, or nil and why the cache was not used
// ("" if there is no cache file).
func (c *cacheRef) read() (*Dataset, string) {
	f, size, miss := c.open()
	if f == nil {
		return nil, miss
	}
	defer f.Close()
	l, rows, cols, miss := c.readHeader(f, size)
	if miss != "" {
		return nil, miss
	}
	if cacheAfterHeader != nil {
		cacheAfterHeader()
	}
	pieces := max(1, min(4, runtime.GOMAXPROCS(0), int(size)/cachePieceMin))
	if cacheMap {
		if m, err := mapFile(f, int(size)); err == nil {
			ds, miss := c.readMapped(f, m, &l, rows, cols, pieces)
			if ds == nil {
				// Nothing refers to the mapping when it is refused.
				unmapFile(m)
			}
			return ds, miss
		}
	}
	return c.readBuffered(f, size, &l, rows, cols, pieces)
}

// open opens the cache file and returns it and its size, or nil and why it
// cannot be used ("" if there is none). Only a regular file can be a cache
// file, since its size is checked against its header.
func (c *cacheRef) open() (f *os.File, size int64, miss string) {
	f, err := os.Open(c.path)
	if os.IsNotExist(err) {
		return nil, 0, ""
	}
	if err != nil {
		return nil, 0, fmt.Sprintf("cannot open: %v", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, fmt.Sprintf("cannot stat: %v", err)
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, 0, "not a regular file"
	}
	return f, st.Size(), ""
}

// readHeader reads and checks the header of the cache file f of size
// bytes: magic, version, the key (which must be c's: the same sources),
// the set sizes and the file's size, which the layout they imply must
// match. It returns the layout and the images' height and width, or why
// the file cannot be used.
func (c *cacheRef) readHeader(f *os.File, size int64) (l cacheLayout, rows, cols int, miss string) {
	var h [cacheHeaderLen]byte
	if size < cacheHeaderLen+4 {
		return l, 0, 0, "truncated header"
	}
	if _, err := f.ReadAt(h[:], 0); err != nil {
		return l, 0, 0, fmt.Sprintf("cannot read: %v", err)
	}
	if string(h[:8]) != cacheMagic {
		return l, 0, 0, "not a softmax-fast cache file"
	}
	if v := binary.LittleEndian.Uint32(h[8:]); v != cacheVersion {
		return l, 0, 0, fmt.Sprintf("format version %d, want %d", v, cacheVersion)
	}
	k := int64(binary.LittleEndian.Uint32(h[12:]))
	if k > maxKeyLen || cacheHeaderLen+k+4 > size {
		return l, 0, 0, "corrupt header"
	}
	key := make([]byte, k)
	if _, err := f.ReadAt(key, cacheHeaderLen); err != nil {
		return l, 0, 0, fmt.Sprintf("cannot read: %v", err)
	}
	if string(key) != c.key {
		return l, 0, 0, "sources changed"
	}
	var n [4]uint64
	for i := range n {
		n[i] = uint64(binary.LittleEndian.Uint32(h[16+4*i:]))
	}
	trainN, testN, r, cl := n[0], n[1], n[2], n[3]
	if trainN == 0 || testN == 0 || r == 0 || cl == 0 {
		return l, 0, 0, "corrupt header"
	}
	// Each factor is below 2^32, so this product cannot overflow uint64.
	px := r * cl
	if px > math.MaxUint32 {
		return l, 0, 0, "corrupt header: image size"
	}
	l, ok := layoutOf(uint64(k), trainN, testN, px, uint64(size))
	if !ok || l.size != uint64(size) {
		if !ok {
			return l, 0, 0, fmt.Sprintf("size %d does not match the header", size)
		}
		return l, 0, 0, fmt.Sprintf("size %d does not match the header (want %d)", size, l.size)
	}
	if uint64(size) > math.MaxInt {
		return l, 0, 0, "too large for this platform"
	}
	return l, int(r), int(cl), ""
}

// readBuffered reads the cache file f of size bytes, laid out as l, into
// a buffer of the Go heap, checks its checksum and returns the Dataset of
// slices of the buffer, or why the file cannot be used.
func (c *cacheRef) readBuffered(f *os.File, size int64, l *cacheLayout, rows, cols, pieces int) (*Dataset, string) {
	// Read in blocks and checksum each block while it is still in the CPU
	// cache: this is faster than one read followed by one checksum pass.
	// Pieces of the file go on several goroutines (their checksums are
	// combined): the page faults of the new buffer, the copy and the
	// checksum all scale with the CPUs.
	const block = 1 << 20
	// The buffer starts on a cacheAlign boundary, as the images' file
	// offsets do.
	raw := make([]byte, size+cacheAlign-1)
	shift := (cacheAlign - uintptr(unsafe.Pointer(unsafe.SliceData(raw)))%cacheAlign) % cacheAlign
	buf := raw[shift : shift+uintptr(size) : shift+uintptr(size)]
	sum, err := readChecked(f, buf, len(buf)-4, block, pieces)
	if err != nil {
		return nil, fmt.Sprintf("cannot read: %v", err)
	}
	if sum != binary.LittleEndian.Uint32(buf[size-4:]) {
		return nil, "checksum mismatch"
	}
	if miss := sameSize(f, size); miss != "" {
		return nil, miss
	}
	return c.dataset(buf, l, rows, cols)
}

// readMapped checks a mapping m of the whole cache file f and returns the
// Dataset whose images and labels are slices of it. A mapping faults where
// it lies beyond the end of the file, which happens only if the file
// shrinks once it has been mapped: the faults are recovered, and the file
// refused.
func (c *cacheRef) readMapped(f *os.File, m []byte, l *cacheLayout, rows, cols, pieces int) (ds *Dataset, miss string) {
	err := recoverFault(func() {
		sum, err := checksum(m[:len(m)-4], pieces)
		if err != nil {
			miss = faultMiss(err)
			return
		}
		if sum != binary.LittleEndian.Uint32(m[len(m)-4:]) {
			miss = "checksum mismatch"
			return
		}
		if miss = sameSize(f, int64(len(m))); miss != "" {
			return
		}
		ds, miss = c.dataset(m, l, rows, cols)
		if ds != nil {
			ds.mapped = true
		}
	})
	if err != nil {
		return nil, faultMiss(err)
	}
	return ds, miss
}

// faultMiss says why a mapped file whose reading faulted is refused.
func faultMiss(err error) string {
	return fmt.Sprintf("cannot read: %v (the file shrank while being read)", err)
}

// sameSize returns why f, whose size was size when its header was checked,
// cannot be used if it no longer has that size: "" if it has.
func sameSize(f *os.File, size int64) string {
	st, err := f.Stat()
	if err != nil {
		return fmt.Sprintf("cannot stat: %v", err)
	}
	if st.Size() != size {
		return fmt.Sprintf("size changed from %d to %d while being read", size, st.Size())
	}
	return ""
}

// dataset slices the sets out of a checked cache file b laid out as l.
func (c *cacheRef) dataset(b []byte, l *cacheLayout, rows, cols int) (*Dataset, string) {
	set := func(images, labels uint64, n int) *Set {
		px := uint64(n) * uint64(rows*cols)
		return &Set{
			Images: b[images : images+px : images+px],
			Labels: b[labels : labels+uint64(n) : labels+uint64(n)],
			N:      n, Rows: rows, Cols: cols,
		}
	}
	trainN := int(l.testLabels - l.trainLabels)
	testN := int(l.size - 4 - l.testLabels)
	train := set(l.trainImages, l.trainLabels, trainN)
	train.ImagesPath, train.LabelsPath = c.srcs[0], c.srcs[1]
	test := set(l.testImages, l.testLabels, testN)
	test.ImagesPath, test.LabelsPath = c.srcs[2], c.srcs[3]
	if _, ok := badLabel(train.Labels); !ok {
		return nil, "label out of range"
	}
	if _, ok := badLabel(test.Labels); !ok {
		return nil, "label out of range"
	}
	return &Dataset{Train: train, Test: test, Dir: c.dir}, ""
}

// recoverFault runs fn, turning a memory fault in it (a read of a mapping
// beyond the end of its file) into an error instead of a crash. Other
// panics go on.
func recoverFault(fn func()) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		if e, ok := r.(interface{ Addr() uintptr }); ok {
			err = fmt.Errorf("memory fault at %#x", e.Addr())
			return
		}
		// Where the signal carries no address (qemu-user's SIGBUS), the
		// runtime reports the fault as a nil dereference; fn dereferences
		// no pointer that could be nil.
		if e, ok := r.(runtime.Error); ok && strings.HasPrefix(e.Error(), "runtime error: invalid memory address") {
			err = fmt.Errorf("memory fault (%v)", e)
			return
		}
		panic(r)
	}()
	fn()
	return nil
}

// checksum returns the CRC-32C of b, computed in up to pieces pieces on
// their own goroutines. A memory fault in any piece is returned as an
// error.
func checksum(b []byte, pieces int) (uint32, error) {
	pieces = max(1, min(pieces, len(b)))
	bound := func(i int) int { return int(int64(len(b)) * int64(i) / int64(pieces)) }
	return crcPieces(pieces, func(i int) int { return bound(i+1) - bound(i) }, func(i int) (sum uint32, err error) {
		err = recoverFault(func() { sum = crc32.Update(0, castagnoli, b[bound(i):bound(i+1)]) })
		return sum, err
	})
}

// crcPieces runs piece(i) for i < pieces, piece 0 on the calling goroutine
// and the others on their own, and combines the CRC-32Cs they return, in
// order, as the CRC-32C of their bytes one after another (length(i) bytes
// for piece i); it returns the pieces' errors, joined, if any.
func crcPieces(pieces int, length func(i int) int, piece func(i int) (uint32, error)) (uint32, error) {
	sums := make([]uint32, pieces)
	errs := make([]error, pieces)
	var wg sync.WaitGroup
	for i := 1; i < pieces; i++ {
		wg.Go(func() { sums[i], errs[i] = piece(i) })
	}
	sums[0], errs[0] = piece(0)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return 0, err
	}
	sum := sums[0]
	for i := 1; i < pieces; i++ {
		if k := length(i); k > 0 {
			sum = crc32cCombine(sum, sums[i], int64(k))
		}
	}
	return sum, nil
}

// cachePieceMin is the least a goroutine of readChecked or checksum reads
// (a variable for tests).
var cachePieceMin = 8 << 20

// Hooks for tests.
var (
	// cacheMap enables reading the cache through a mapping where mapFile
	// can make one; false forces the portable path.
	cacheMap = true
	// cacheAfterHeader, if set, runs once the header has been checked.
	cacheAfterHeader func()
)

// readChecked fills buf from the start of f in blocks of block bytes and
// returns the CRC-32C of buf[:n] (n <= len(buf)), reading up to pieces
// pieces of whole blocks on their own goroutines.
func readChecked(f *os.File, buf []byte, n, block, pieces int) (uint32, error) {
	blocks := (len(buf) + block - 1) / block
	pieces = max(1, min(pieces, blocks))
	bound := func(i int) int { return min(len(buf), blocks*i/pieces*block) }
	// The checksummed length of piece i: its bytes below n.
	length := func(i int) int { return min(bound(i+1), n) - min(bound(i), n) }
	return crcPieces(pieces, length, func(i int) (uint32, error) {
		var sum uint32
		for off := bound(i); off < bound(i+1); off += block {
			b := buf[off:min(off+block, bound(i+1))]
			if _, err := f.ReadAt(b, int64(off)); err != nil {
				return 0, err
			}
			if k := min(len(b), n-off); k > 0 {
				sum = crc32.Update(sum, castagnoli, b[:k])
			}
		}
		return sum, nil
	})
}

// write stores ds in the cache file atomically.
func (c *cacheRef) write(ds *Dataset) error {
	for _, n := range []int{ds.Train.N, ds.Test.N, ds.Train.Rows, ds.Train.Cols, ds.Train.Rows * ds.Train.Cols} {
		if uint64(n) > math.MaxUint32 {
			return fmt.Errorf("mnist: cache: data set too large for the cache format")
		}
	}
	if err := os.MkdirAll(filepath.Dir(c.path), 0o755); err != nil {
		return fmt.Errorf("mnist: cache: %w", err)
	}
	// Written without fsync: the reader checks the size and the checksum,
	// and a cache lost in a crash is only decoded again.
	err := writeUnsynced(c.path, func(w io.Writer) error {
		px := uint64(ds.Train.Rows * ds.Train.Cols)
		l, _ := layoutOf(uint64(len(c.key)), uint64(ds.Train.N), uint64(ds.Test.N), px, math.MaxInt64)
		crc := crc32.New(castagnoli)
		mw := io.MultiWriter(w, crc)
		h := make([]byte, cacheHeaderLen, cacheHeaderLen+len(c.key))
		copy(h, cacheMagic)
		for i, v := range []int{cacheVersion, len(c.key), ds.Train.N, ds.Test.N, ds.Train.Rows, ds.Train.Cols} {
			binary.LittleEndian.PutUint32(h[8+4*i:], uint32(v))
		}
		h = append(h, c.key...)
		var off uint64
		var zeros [cacheAlign]byte
		for _, s := range []struct {
			at uint64
			b  []byte
		}{{0, h}, {l.trainImages, ds.Train.Images}, {l.testImages, ds.Test.Images}, {l.trainLabels, ds.Train.Labels}, {l.testLabels, ds.Test.Labels}} {
			// Zeros up to the section's offset (less than cacheAlign).
			if _, err := mw.Write(zeros[:s.at-off]); err != nil {
				return err
			}
			if _, err := mw.Write(s.b); err != nil {
				return err
			}
			off = s.at + uint64(len(s.b))
		}
		_, err := w.Write(binary.LittleEndian.AppendUint32(nil, crc.Sum32()))
		return err
	})
	if err != nil {
		return fmt.Errorf("mnist: cache: %w", err)
	}
	return nil
}
