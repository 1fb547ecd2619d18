package features

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"sync"
	"sync/atomic"
)

// csvReader reads CSV records straight into the dense matrix.
type csvReader struct {
	src      *source
	opt      *Options
	labels   *labeler
	labelCol int      // 0-based; -1 without one (Options.NoLabel)
	fields   int      // fields per record
	d        int      // feature columns per record
	header   []string // the header's fields, nil without one
	first    int      // the line of the first record
	inPieces bool     // the records after the first are read in pieces
	x        []float32
	ids      []int32
	scratch  []byte // an unquoted label
}

// field is one field of a record, unquoted.
type field struct {
	text   []byte
	off    int // where the field starts in the record
	quoted bool
}

// readCSV reads a CSV file: the first record on the calling goroutine,
// then, when par splits the input (on a 64-bit platform, where the
// matrix's length cannot reach its limit), the rest in pieces.
func readCSV(src *source, opt *Options, par parallelism) (*Set, error) {
	c := &csvReader{src: src, opt: opt, labels: newLabeler(false)}
	c.inPieces = par.split(src.size) && math.MaxInt > math.MaxInt32
	parts := []*csvReader{c}
	started := false
	for {
		if started && c.inPieces {
			more, err := c.readPieces(par)
			if err != nil {
				return nil, err
			}
			parts = append(parts, more...)
			break
		}
		rec, line, err := src.next(true)
		if err == errNoRecord {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(rec) > 0 && rec[len(rec)-1] == '\r' {
			rec = rec[:len(rec)-1]
		}
		if len(bytes.Trim(rec, " \t")) == 0 {
			continue // a blank line
		}
		if !started {
			started = true
			isHeader, err := c.begin(rec, line)
			if err != nil {
				return nil, err
			}
			if isHeader {
				continue
			}
		}
		if err := c.row(rec, line); err != nil {
			return nil, err
		}
	}
	return assembleCSV(parts, opt, par.workers)
}

// readPieces reads the records after the first in pieces (see readPieces),
// each into a csvReader of its own.
func (c *csvReader) readPieces(par parallelism) ([]*csvReader, error) {
	ch := newChunker(c.src, par.piece, true, 2*par.workers+2)
	pieces, err := readPieces(ch, par.workers, func() func(*piece) error {
		return func(p *piece) error {
			pc := *c
			pc.labels, pc.ids, pc.scratch = newLabeler(false), nil, nil
			// Room for a row per line, at most one value per two bytes.
			rows := bytes.Count(p.text, []byte{'\n'}) + 1
			pc.x = make([]float32, 0, min(rows*c.d, len(p.text)/2+1))
			p.csv = &pc
			return pc.records(p.text, p.line)
		}
	})
	if err != nil {
		return nil, err
	}
	parts := make([]*csvReader, len(pieces))
	for i, p := range pieces {
		parts[i] = p.csv
	}
	return parts, nil
}

// records reads the records of b, the first of which starts on line, up
// to the first error.
func (c *csvReader) records(b []byte, line int) error {
	for len(b) > 0 {
		// The record ends at the first newline after an even number of
		// quotes.
		end, nl, odd := 0, 0, false
		for {
			i := bytes.IndexByte(b[end:], '\n')
			if i < 0 {
				end = len(b)
				break
			}
			odd = odd != (bytes.Count(b[end:end+i], []byte{'"'})%2 == 1)
			end += i
			if !odd {
				break
			}
			end++
			nl++
		}
		rec := b[:end]
		b = b[min(end+1, len(b)):]
		if len(rec) > 0 && rec[len(rec)-1] == '\r' {
			rec = rec[:len(rec)-1]
		}
		if len(bytes.Trim(rec, " \t")) > 0 {
			if err := c.row(rec, line); err != nil {
				return err
			}
		}
		line += nl + 1
	}
	return nil
}

// assembleCSV makes the Set of the records read into parts, in the order
// of the file, the first of which read the first record; workers
// goroutines join the parts' values.
func assembleCSV(parts []*csvReader, opt *Options, workers int) (*Set, error) {
	c := parts[0]
	x, ids := c.x, c.ids
	if len(parts) > 1 {
		labels := newLabeler(false)
		remaps := make([][]int32, len(parts))
		starts := make([]int, len(parts))
		n := 0
		for i, p := range parts {
			var err error
			if remaps[i], err = labels.merge(p.labels, c.src.path); err != nil {
				return nil, err
			}
			starts[i] = n
			n += len(p.ids)
		}
		d := c.d
		x, ids = make([]float32, n*d), make([]int32, n)
		var next atomic.Int64
		var wg sync.WaitGroup
		for range min(workers, len(parts)) {
			wg.Go(func() {
				for {
					i := int(next.Add(1) - 1)
					if i >= len(parts) {
						return
					}
					p, r := parts[i], starts[i]
					copy(x[r*d:], p.x)
					if !opt.NoLabel {
						for j, id := range p.ids {
							ids[r+j] = remaps[i][id]
						}
					}
					p.x, p.ids = nil, nil
				}
			})
		}
		wg.Wait()
		c.labels = labels
	}
	if len(ids) == 0 {
		msg := "no examples"
		if c.header != nil {
			msg = "no examples, only a header"
		}
		return nil, c.src.errorf(ErrEmpty, 0, 0, msg)
	}
	set := &Set{X: x, N: len(ids), D: c.d, Labels: ids}
	if c.header != nil && opt.NoLabel {
		set.Features = c.header
	} else if c.header != nil {
		set.Label = c.header[c.labelCol]
		set.Features = make([]string, 0, set.D)
		set.Features = append(set.Features, c.header[:c.labelCol]...)
		set.Features = append(set.Features, c.header[c.labelCol+1:]...)
	}
	if opt.NoLabel {
		noLabels(set, opt.Classes)
		return set, nil
	}
	if err := c.labels.finish(set, opt.Classes); err != nil {
		return nil, err
	}
	return set, nil
}

// begin reads the first record: it finds the label column and decides
// whether the record is a header, which it keeps.
func (c *csvReader) begin(rec []byte, line int) (isHeader bool, err error) {
	fs, err := c.split(rec, line)
	if err != nil {
		return false, err
	}
	c.fields, c.first = len(fs), line
	c.d = len(fs) - 1
	if c.opt.NoLabel {
		c.d = len(fs)
	}
	if c.src.size > 0 && !c.inPieces {
		// Room for the values of as many rows as the first would make
		// of the whole input; at most one value per two bytes, as "0,".
		rows := c.src.size/int64(len(rec)+1) + 1
		c.x = make([]float32, 0, min(rows*int64(c.d), c.src.size/2+1, math.MaxInt/8))
	}
	opt := c.opt
	c.labelCol = -1
	isHeader = opt.Header == HeaderPresent
	if !opt.NoLabel {
		if isHeader, err = c.findLabel(fs, line); err != nil {
			return false, err
		}
	}
	if opt.Header == HeaderAuto && !isHeader {
		for i, f := range fs {
			if i == c.labelCol {
				continue
			}
			_, err := parseFloat32(bytes.Trim(f.text, " \t"))
			if err != nil && err.(*strconv.NumError).Err == strconv.ErrSyntax {
				isHeader = true
				break
			}
		}
	}
	if opt.Features > 0 && c.d != opt.Features {
		e := c.src.errorf(ErrMismatch, line, 0, fmt.Sprintf("%d feature columns, want %d (Options.Features)", c.d, opt.Features))
		e.Columns, e.WantColumns = c.d, opt.Features
		return false, e
	}
	if isHeader {
		c.header = make([]string, len(fs))
		for i, f := range fs {
			c.header[i] = string(f.text)
		}
	}
	return isHeader, nil
}

// findLabel finds the label column in the first record, fs, and decides
// whether the LabelColumn option makes it a header.
func (c *csvReader) findLabel(fs []field, line int) (isHeader bool, err error) {
	opt := c.opt
	num, isNum := columnNumber(opt.LabelColumn)
	isHeader = opt.Header == HeaderPresent || (opt.Header == HeaderAuto && opt.LabelColumn != "" && !isNum)
	c.labelCol = -1
	if opt.LabelColumn == "" {
		c.labelCol = 0
	}
	if opt.Header != HeaderAbsent && opt.LabelColumn != "" {
		for i, f := range fs {
			if string(f.text) == opt.LabelColumn {
				if c.labelCol >= 0 {
					return false, c.src.errorf(ErrMismatch, line, 0, fmt.Sprintf("the header names two columns %q (%d and %d)", opt.LabelColumn, c.labelCol+1, i+1))
				}
				c.labelCol = i
			}
		}
		if c.labelCol >= 0 && !isNum {
			isHeader = true
		}
	}
	if c.labelCol < 0 {
		switch {
		case !isNum:
			return false, c.src.errorf(ErrMismatch, line, 0, fmt.Sprintf("no column named %q (Options.LabelColumn) in the header", opt.LabelColumn))
		case num >= 1 && num <= len(fs):
			c.labelCol = num - 1
		case num <= -1 && num >= -len(fs):
			c.labelCol = len(fs) + num
		default:
			return false, c.src.errorf(ErrMismatch, line, 0, fmt.Sprintf("label column %d (Options.LabelColumn), but the first row has %d fields", num, len(fs)))
		}
	}
	return isHeader, nil
}

// split splits a record into fields, unquoting quoted ones; spaces and tabs
// around a field, outside quotes, are dropped.
func (c *csvReader) split(b []byte, line int) ([]field, error) {
	var fs []field
	i := 0
	for {
		f, next, err := c.field(b, i, line, nil)
		if err != nil {
			return nil, err
		}
		fs = append(fs, f)
		if next == len(b) {
			return fs, nil
		}
		i = next + 1
	}
}

// field reads the field that starts at i, unquoting into buf if it is
// quoted, and returns it and where it ends (at a comma or the record's end).
func (c *csvReader) field(b []byte, i, line int, buf []byte) (field, int, error) {
	start := i
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	if i == len(b) || b[i] != '"' {
		e := bytes.IndexByte(b[i:], ',')
		if e < 0 {
			e = len(b)
		} else {
			e += i
		}
		if q := bytes.IndexByte(b[i:e], '"'); q >= 0 {
			return field{}, 0, c.errorAt(b, line, i+q, ErrSyntax, "a quote inside an unquoted field")
		}
		return field{text: bytes.TrimRight(b[i:e], " \t"), off: start}, e, nil
	}
	open := i
	i++
	text := buf[:0]
	for {
		q := bytes.IndexByte(b[i:], '"')
		if q < 0 {
			return field{}, 0, c.errorAt(b, line, open, ErrSyntax, "unterminated quoted field")
		}
		text = append(text, b[i:i+q]...)
		i += q + 1
		if i < len(b) && b[i] == '"' {
			text = append(text, '"')
			i++
			continue
		}
		break
	}
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	if i < len(b) && b[i] != ',' {
		return field{}, 0, c.errorAt(b, line, i, ErrSyntax, "text after the closing quote of a field")
	}
	return field{text: text, off: start, quoted: true}, i, nil
}

// errorAt returns a *ParseError at offset off of a record that starts on
// line, which may span lines.
func (c *csvReader) errorAt(b []byte, line, off int, kind error, msg string) error {
	off = min(off, len(b))
	nl := bytes.Count(b[:off], []byte{'\n'})
	col := off - bytes.LastIndexByte(b[:off], '\n')
	return c.src.errorf(kind, line+nl, col, msg)
}

// fieldName names field f (0-based) for a message.
func (c *csvReader) fieldName(f int) string {
	if c.header != nil && f < len(c.header) {
		return fmt.Sprintf("field %d (%s)", f+1, quote([]byte(c.header[f])))
	}
	return fmt.Sprintf("field %d", f+1)
}

// row reads one data record.
func (c *csvReader) row(b []byte, line int) error {
	if len(c.x) > math.MaxInt/8-c.fields {
		return c.src.errorf(ErrTooLarge, line, 0, "too many values for this platform")
	}
	id := int32(-1) // without a label column
	i, f := 0, 0
	for {
		if f == c.fields {
			return c.raggedError(b, line)
		}
		var err error
		if f == c.labelCol {
			i, id, err = c.label(b, i, line, f)
		} else {
			i, err = c.number(b, i, line, f)
		}
		if err != nil {
			return err
		}
		f++
		if i == len(b) {
			break
		}
		i++ // the comma
	}
	if f != c.fields {
		return c.raggedError(b, line)
	}
	c.ids = append(c.ids, id)
	return nil
}

// number reads the number field f at i into the matrix and returns where
// the field ends.
func (c *csvReader) number(b []byte, i, line, f int) (int, error) {
	v, n, ok := scanFloat32(b[i:])
	if e := i + n; ok && n > 0 && (e == len(b) || b[e] == ',') {
		c.x = append(c.x, v)
		return e, nil
	}
	// Spaces, quotes, strconv's syntax or an error.
	fd, e, err := c.field(b, i, line, c.scratch)
	if err != nil {
		return 0, err
	}
	if fd.quoted {
		c.scratch = fd.text[:0]
	}
	tok := bytes.Trim(fd.text, " \t")
	if len(tok) == 0 {
		return 0, c.errorAt(b, line, fd.off, ErrSyntax, c.fieldName(f)+": missing value")
	}
	v, err = parseFloat32(tok)
	switch {
	case err != nil && err.(*strconv.NumError).Err == strconv.ErrRange:
		return 0, c.errorAt(b, line, fd.off, ErrSyntax, c.fieldName(f)+": "+quote(tok)+" is beyond float32's range")
	case err != nil:
		return 0, c.errorAt(b, line, fd.off, ErrSyntax, c.fieldName(f)+": bad number "+quote(tok))
	case math.IsNaN(float64(v)) || math.IsInf(float64(v), 0):
		return 0, c.errorAt(b, line, fd.off, ErrSyntax, c.fieldName(f)+": "+quote(tok)+" is NaN or infinite")
	}
	c.x = append(c.x, v)
	return e, nil
}

// label reads the label field f at i and returns where it ends and its
// class.
func (c *csvReader) label(b []byte, i, line, f int) (int, int32, error) {
	fd, e, err := c.field(b, i, line, c.scratch)
	if err != nil {
		return 0, 0, err
	}
	if fd.quoted {
		c.scratch = fd.text[:0]
	}
	if len(fd.text) == 0 {
		return 0, 0, c.errorAt(b, line, fd.off, ErrSyntax, c.fieldName(f)+": empty label")
	}
	id, msg := c.labels.intern(fd.text, line)
	if msg != "" {
		return 0, 0, c.errorAt(b, line, fd.off, ErrSyntax, c.fieldName(f)+": "+msg)
	}
	return e, id, nil
}

// raggedError describes a record with the wrong number of fields.
func (c *csvReader) raggedError(b []byte, line int) error {
	fs, err := c.split(b, line)
	if err != nil {
		return err
	}
	return c.src.errorf(ErrSyntax, line, 0, fmt.Sprintf("%d fields, want %d as on line %d", len(fs), c.fields, c.first))
}
