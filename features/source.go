package features

import (
	"bytes"
	"errors"
	"io"
	"strconv"
)

const (
	// maxBuffer is the read buffer's usual size; a longer record grows it.
	maxBuffer = 1 << 20
	// maxRecord bounds one line (or CSV record): far above any real line
	// (all MaxFeatures features of a LIBSVM line take about 400 MB), and
	// within int on 32-bit platforms.
	maxRecord = 1 << 30
)

// source hands out the input's records (lines, or CSV records whose quoted
// fields may span lines) from one buffer, read in large pieces: a record
// is a slice of the buffer, valid until the next call.
type source struct {
	r        io.Reader
	path     string
	buf      []byte
	pos, end int   // unread data is buf[pos:end]
	eof      bool  // r has nothing more
	line     int   // the line the next record starts on
	size     int64 // the input's size if known, else -1
}

func newSource(r io.Reader, path string, hint int64) *source {
	size := int64(maxBuffer)
	if hint >= 0 && hint < size {
		size = max(hint+1, 512)
	}
	return &source{r: r, path: path, buf: make([]byte, size), line: 1, size: hint}
}

// errorf returns a *ParseError at a line and 1-based column.
func (s *source) errorf(kind error, line, col int, msg string) *ParseError {
	return &ParseError{Path: s.path, Line: line, Col: col, Msg: msg, Err: kind}
}

// fill moves the unread data to the front of the buffer, grows the buffer
// if the data fills it, and reads once more (until it gets data, the end
// of the input, or an error).
func (s *source) fill() error {
	if err := s.makeRoom(); err != nil {
		return err
	}
	for {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err == io.EOF {
			s.eof = true
			return nil
		}
		if err != nil {
			return s.readError(err)
		}
		if n > 0 {
			return nil
		}
	}
}

// makeRoom moves the unread data to the front of the buffer, and grows the
// buffer if the data fills it: a record longer than maxRecord is an error.
func (s *source) makeRoom() error {
	if s.pos > 0 {
		s.end = copy(s.buf, s.buf[s.pos:s.end])
		s.pos = 0
	}
	if s.end == len(s.buf) {
		if len(s.buf) >= maxRecord {
			return s.errorf(ErrTooLarge, s.line, 0, "line longer than "+strconv.Itoa(maxRecord)+" bytes")
		}
		nb := make([]byte, min(2*len(s.buf), maxRecord))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	return nil
}

// readError returns the *ParseError of the reader's error err, on the line
// of the record being read.
func (s *source) readError(err error) error {
	return &ParseError{Path: s.path, Line: s.line, Msg: "read error: " + err.Error(), Err: err}
}

// start reads the first piece of the input and skips a UTF-8 byte order
// mark.
func (s *source) start() error {
	for !s.eof && s.end < 3 {
		if err := s.fill(); err != nil {
			return err
		}
	}
	if bytes.HasPrefix(s.buf[s.pos:s.end], []byte("\xef\xbb\xbf")) {
		s.pos += 3
	}
	return nil
}

var errNoRecord = errors.New("no more records")

// next returns the next record without its final newline, and the line it
// starts on; it returns errNoRecord at the end. When quotes is set, a
// newline inside a quoted field ("...") does not end the record, as in CSV;
// an unterminated quote runs to the end of the input.
func (s *source) next(quotes bool) (rec []byte, line int, err error) {
	k := 0           // s.buf[s.pos:s.pos+k] has been scanned
	inQuote := false // in a quoted field at k
	nl := 0          // newlines inside the record before k
	for {
		b := s.buf[s.pos+k : s.end]
		i := bytes.IndexByte(b, '\n')
		if i >= 0 && quotes {
			if bytes.Count(b[:i], []byte{'"'})%2 == 1 {
				inQuote = !inQuote
			}
			if inQuote {
				k += i + 1
				nl++
				continue
			}
		}
		if i >= 0 {
			rec = s.buf[s.pos : s.pos+k+i]
			line = s.line
			s.pos += k + i + 1
			s.line += nl + 1
			return rec, line, nil
		}
		if s.eof {
			if s.pos == s.end {
				return nil, s.line, errNoRecord
			}
			rec = s.buf[s.pos:s.end]
			line = s.line
			s.pos = s.end
			s.line += nl + 1
			return rec, line, nil
		}
		if quotes && bytes.Count(b, []byte{'"'})%2 == 1 {
			inQuote = !inQuote
		}
		k = s.end - s.pos
		if err := s.fill(); err != nil {
			return nil, s.line, err
		}
	}
}
