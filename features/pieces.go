package features

import (
	"bytes"
	"io"
	"math"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
)

// pieceSize is the usual size of the pieces a large input is cut into, to
// be parsed in parallel.
const pieceSize = 1 << 20

// parallelism says how a read spreads over goroutines.
type parallelism struct {
	workers int // goroutines that parse pieces; with 1, reading is line by line
	piece   int // the pieces' usual size in bytes
}

// defaultParallelism parses on as many goroutines as GOMAXPROCS allows,
// but not more than there are CPUs.
func defaultParallelism() parallelism {
	return parallelism{workers: max(1, min(runtime.GOMAXPROCS(0), runtime.NumCPU())), piece: pieceSize}
}

// split reports whether an input of size bytes (-1 if unknown) is read in
// pieces: when it may be larger than one piece and there is more than one
// worker.
func (par parallelism) split(size int64) bool {
	return par.workers > 1 && (size < 0 || size > int64(par.piece))
}

// chunker cuts the input, from where its source has got to, into pieces of
// whole records (lines, or CSV records), each in a buffer that no later
// piece uses, so that workers can parse pieces while it reads on.
type chunker struct {
	src    *source
	size   int         // the pieces' usual size
	quotes bool        // CSV: a newline in a quoted field does not end a record
	free   chan []byte // buffers of size bytes that workers are done with
	shared bool        // the buffer holds more than one piece: not to reuse
	err    error       // the reader's error, once met
}

func newChunker(src *source, size int, quotes bool, buffers int) *chunker {
	return &chunker{src: src, size: size, quotes: quotes, free: make(chan []byte, buffers)}
}

// next returns the next piece, the buffer to hand to recycle once the
// piece is parsed (nil if it is not to be reused), and the line the piece
// starts on; text is nil at the end of the input. A piece ends with a
// record (or the input), and is at most size bytes long unless a record
// is longer. As when reading record by record, the data of a Read call
// that fails is dropped, the records before it are all returned first,
// and a record longer than maxRecord is an error; either error names the
// line of the record being read.
func (c *chunker) next() (text, buf []byte, line int, err error) {
	s := c.src
	for {
		for !s.eof && c.err == nil && s.end < len(s.buf) {
			n, err := s.r.Read(s.buf[s.end:])
			switch err {
			case nil:
				s.end += n
			case io.EOF:
				s.end += n
				s.eof = true
			default:
				c.err = err
			}
		}
		data := s.buf[s.pos:s.end]
		k := cut(data, c.size, c.quotes)
		if k == 0 && s.eof {
			k = len(data)
		}
		if k > 0 {
			text, buf, line = data[:k], s.buf, s.line
			s.line += bytes.Count(text, []byte{'\n'})
			s.pos += k
			rest := data[k:]
			stay := s.eof || len(rest) > c.size // pieces may be cut from rest as it is
			if stay && len(rest) > 0 {
				c.shared = true
			}
			if c.shared {
				buf = nil
			}
			if !stay {
				c.move(rest)
			}
			return text, buf, line, nil
		}
		if s.eof {
			return nil, nil, s.line, nil
		}
		if c.err != nil {
			return nil, nil, s.line, s.readError(c.err)
		}
		// The buffer is full, and holds no whole record.
		if len(data) >= maxRecord {
			return nil, nil, s.line, s.errorf(ErrTooLarge, s.line, 0, "line longer than "+strconv.Itoa(maxRecord)+" bytes")
		}
		c.move(data)
	}
}

// move moves the unread data, rest, into a new buffer: one of size bytes
// if it leaves room, else twice as large as rest (up to maxRecord).
func (c *chunker) move(rest []byte) {
	var nb []byte
	if len(rest) < c.size {
		select {
		case nb = <-c.free:
		default:
			nb = make([]byte, c.size)
		}
	} else {
		nb = make([]byte, min(2*len(rest), maxRecord))
	}
	s := c.src
	s.end = copy(nb, rest)
	s.pos, s.buf = 0, nb
	c.shared = false
}

// recycle takes back a buffer that next returned, once its piece is parsed.
// It may be called from any goroutine.
func (c *chunker) recycle(buf []byte) {
	if len(buf) == c.size {
		select {
		case c.free <- buf:
		default:
		}
	}
}

// done reports whether the input has no more pieces.
func (c *chunker) done() bool {
	return c.src.eof && c.src.pos == c.src.end
}

// cut returns where a piece of b, which starts with a record, ends: after
// the last record that ends within size bytes, or else after the first
// record; 0 if no record ends in b. With quotes (CSV), a newline ends a
// record only when an even number of quotes precede it in b.
func cut(b []byte, size int, quotes bool) int {
	size = min(size, len(b))
	if !quotes {
		if k := bytes.LastIndexByte(b[:size], '\n'); k >= 0 {
			return k + 1
		}
		if k := bytes.IndexByte(b[size:], '\n'); k >= 0 {
			return size + k + 1
		}
		return 0
	}
	odd := bytes.Count(b[:size], []byte{'"'})%2 == 1 // quotes before size
	for i, o := size, odd; ; {
		j := bytes.LastIndexByte(b[:i], '\n')
		if j < 0 {
			break
		}
		o = o != (bytes.Count(b[j:i], []byte{'"'})%2 == 1) // before j
		if !o {
			return j + 1
		}
		i = j
	}
	for i := size; ; {
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			return 0
		}
		odd = odd != (bytes.Count(b[i:i+j], []byte{'"'})%2 == 1)
		if !odd {
			return i + j + 1
		}
		i += j + 1
	}
}

// piece is a piece of the input, and what a worker made of it.
type piece struct {
	seq  int
	text []byte // the records, until parsed
	buf  []byte // the buffer to recycle
	line int    // the line text starts on

	err    error      // the first error in text
	libsvm *sparse    // LIBSVM examples
	csv    *csvReader // CSV records
}

// readPieces cuts the input into pieces that workers goroutines parse
// while the calling goroutine reads on, each worker with a function that
// newParser returns; with one worker, or for an input of one piece, it
// parses on the calling goroutine. It returns the pieces in order, or the
// first error in the order of the file: a piece's, or the chunker's after
// the last piece. After a piece with an error, it reads no further and
// does not parse the pieces after it.
func readPieces(c *chunker, workers int, newParser func() func(*piece) error) ([]*piece, error) {
	text, buf, line, err := c.next()
	if err != nil {
		return nil, err
	}
	var pieces []*piece
	if workers <= 1 || c.done() {
		parse := newParser()
		for text != nil {
			p := &piece{seq: len(pieces), text: text, line: line}
			if err := parse(p); err != nil {
				return nil, err
			}
			p.text = nil
			c.recycle(buf)
			pieces = append(pieces, p)
			if text, buf, line, err = c.next(); err != nil {
				return nil, err
			}
		}
		return pieces, nil
	}

	todo := make(chan *piece, workers)
	var stop atomic.Int64 // the first piece with an error
	stop.Store(math.MaxInt64)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			parse := newParser()
			for p := range todo {
				if int64(p.seq) < stop.Load() {
					if p.err = parse(p); p.err != nil {
						for s := stop.Load(); int64(p.seq) < s && !stop.CompareAndSwap(s, int64(p.seq)); s = stop.Load() {
						}
					}
				}
				c.recycle(p.buf)
				p.text, p.buf = nil, nil
			}
		})
	}
	for text != nil && stop.Load() == math.MaxInt64 {
		p := &piece{seq: len(pieces), text: text, buf: buf, line: line}
		pieces = append(pieces, p)
		todo <- p
		text, buf, line, err = c.next()
		if err != nil {
			break
		}
	}
	close(todo)
	wg.Wait()
	for _, p := range pieces {
		if p.err != nil {
			return nil, p.err
		}
	}
	if err != nil {
		return nil, err
	}
	return pieces, nil
}

// readLIBSVMPieces reads a LIBSVM file in pieces (see readPieces), each
// into a sparse form of its own; each worker stores the entries of its
// pieces one after the other in its blocks.
func readLIBSVMPieces(src *source, opt *Options, par parallelism) (*Set, error) {
	c := newChunker(src, par.piece, false, 2*par.workers+2)
	pieces, err := readPieces(c, par.workers, func() func(*piece) error {
		var spare []entry // what is left of the worker's last block
		size := 0         // the size of the worker's last block
		return func(p *piece) error {
			sp := newSparse(src.path, opt)
			sp.cur, sp.size = spare, size
			err := sp.lines(p.text, p.line)
			n := len(sp.cur)
			spare, size = sp.cur[n:], sp.size
			sp.cur = sp.cur[:n:n]
			p.libsvm = sp
			return err
		}
	})
	if err != nil {
		return nil, err
	}
	parts := make([]*sparse, len(pieces))
	for i, p := range pieces {
		parts[i] = p.libsvm
	}
	if len(parts) == 0 {
		parts = append(parts, newSparse(src.path, opt))
	}
	return assemble(parts, opt, par.workers)
}
