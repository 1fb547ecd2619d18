package features

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"sync"
	"sync/atomic"
)

// entry is one stored index:value pair: the 0-based feature and its value.
type entry struct {
	col uint32
	val float32
}

// blockLen is the number of entries in the largest blocks of the sparse
// form: 8 MiB; the first blocks are smaller, for small files.
const blockLen = 1 << 20

// sparse holds LIBSVM examples in a sparse form, in proportion to the
// text, before the dense matrix is sized: those of a whole file, or of one
// piece of it when pieces are read in parallel (see pieces.go).
type sparse struct {
	path   string
	labels *labeler
	limit  int // Options.Features, or MaxFeatures
	// noLabel (Options.NoLabel): a first token without a colon is a label
	// to ignore, and every example's class is -1.
	noLabel bool

	blocks [][]entry // full blocks
	cur    []entry   // the block being filled
	size   int       // the capacity of the last block made
	rowLen []uint32  // entries stored per example
	ids    []int32   // each example's class, first-seen numbering
	stored int64     // entries stored

	maxIndex, maxLine   int   // the largest index stored, and its line
	ignored             int64 // values ignored (index above limit)
	maxIgnored, ignLine int   // the largest index ignored, and its line
}

func newSparse(path string, opt *Options) *sparse {
	p := &sparse{path: path, labels: newLabeler(true), limit: MaxFeatures, noLabel: opt.NoLabel}
	if opt.Features > 0 {
		p.limit = opt.Features
	}
	return p
}

// errorf returns a *ParseError at a line and 1-based column.
func (p *sparse) errorf(kind error, line, col int, msg string) *ParseError {
	return &ParseError{Path: p.path, Line: line, Col: col, Msg: msg, Err: kind}
}

// readLIBSVM reads a LIBSVM file line by line on the calling goroutine.
func readLIBSVM(src *source, opt *Options) (*Set, error) {
	p := newSparse(src.path, opt)
	for {
		rec, line, err := src.next(false)
		if err == errNoRecord {
			break
		}
		if err != nil {
			return nil, err
		}
		if err := p.line(rec, line); err != nil {
			return nil, err
		}
	}
	return assemble([]*sparse{p}, opt, 1)
}

// assemble makes the Set of the examples read into parts, in the order of
// the file; workers goroutines fill the dense matrix. The largest indices
// and their lines, the counts and the classes' first-seen order are the
// same as for the file read in one part.
func assemble(parts []*sparse, opt *Options, workers int) (*Set, error) {
	var all *sparse // the totals
	remaps := make([][]int32, len(parts))
	rowStart := make([]int, len(parts))
	if len(parts) == 1 {
		all = parts[0]
	} else {
		all = &sparse{path: parts[0].path, labels: newLabeler(true)}
		n := 0
		for i, p := range parts {
			var err error
			if remaps[i], err = all.labels.merge(p.labels, all.path); err != nil {
				return nil, err
			}
			rowStart[i] = n
			if len(p.ids) > math.MaxInt-n {
				return nil, p.errorf(ErrTooLarge, 0, 0, "too many examples")
			}
			n += len(p.ids)
			all.stored += p.stored
			if p.maxIndex > all.maxIndex {
				all.maxIndex, all.maxLine = p.maxIndex, p.maxLine
			}
			if p.ignored > 0 && (all.ignored == 0 || p.maxIgnored > all.maxIgnored) {
				all.maxIgnored, all.ignLine = p.maxIgnored, p.ignLine
			}
			all.ignored += p.ignored
		}
		all.ids = make([]int32, n) // filled with the matrix
	}
	if len(all.ids) == 0 {
		return nil, all.errorf(ErrEmpty, 0, 0, "no examples")
	}
	set := &Set{N: len(all.ids), D: all.maxIndex, Labels: all.ids}
	if opt.Features > 0 {
		set.D = opt.Features
	}
	if err := all.checkDense(set, opt.MaxDenseBytes); err != nil {
		return nil, err
	}
	set.X = make([]float32, set.N*set.D)
	if len(parts) == 1 {
		parts[0].fill(set.X, set.D, nil, nil)
	} else {
		var next atomic.Int64
		var wg sync.WaitGroup
		for range min(workers, len(parts)) {
			wg.Go(func() {
				for {
					i := int(next.Add(1) - 1)
					if i >= len(parts) {
						return
					}
					r := rowStart[i]
					p := parts[i]
					parts[i] = nil
					var labels []int32
					if !opt.NoLabel {
						labels = set.Labels[r : r+len(p.ids)]
					}
					p.fill(set.X[r*set.D:], set.D, labels, remaps[i])
				}
			})
		}
		wg.Wait()
	}
	if all.ignored > 0 {
		set.Warnings = append(set.Warnings, fmt.Sprintf("ignored %d values with indices above %d, the training set's features (Options.Features); the largest, %d, on line %d",
			all.ignored, opt.Features, all.maxIgnored, all.ignLine))
	}
	if opt.NoLabel {
		noLabels(set, opt.Classes)
		return set, nil
	}
	if err := all.labels.finish(set, opt.Classes); err != nil {
		return nil, err
	}
	return set, nil
}

// isSep reports whether c ends a LIBSVM token.
func isSep(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '#' }

// tokenEnd returns the end of the token that starts at i.
func tokenEnd(b []byte, i int) int {
	for i < len(b) && !isSep(b[i]) {
		i++
	}
	return i
}

// lines reads the lines of b, the first of which is line, up to the first
// error.
func (p *sparse) lines(b []byte, line int) error {
	for len(b) > 0 {
		rec := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			rec, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		if err := p.line(rec, line); err != nil {
			return err
		}
		line++
	}
	return nil
}

// line reads one line (without its '\n').
func (p *sparse) line(b []byte, line int) error {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r') {
		i++
	}
	if i == len(b) || b[i] == '#' {
		return nil
	}
	j := tokenEnd(b, i)
	id := int32(-1)
	switch hasColon := bytes.IndexByte(b[i:j], ':') >= 0; {
	case p.noLabel:
		if !hasColon {
			i = j // a label, ignored
		}
	case hasColon:
		return p.errorf(ErrSyntax, line, i+1, "missing label before "+quote(b[i:j]))
	default:
		var msg string
		if id, msg = p.labels.intern(b[i:j], line); msg != "" {
			return p.errorf(ErrSyntax, line, i+1, msg)
		}
		i = j
	}
	if len(p.ids) == math.MaxInt {
		return p.errorf(ErrTooLarge, line, 0, "too many examples")
	}
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r') {
		i++
	}
	if bytes.HasPrefix(b[i:], []byte("qid:")) {
		j := tokenEnd(b, i)
		q := b[i+4 : j]
		if _, err := strconv.ParseUint(string(q), 10, 64); err != nil {
			return p.errorf(ErrSyntax, line, i+1, "bad query id "+quote(b[i:j])+": want qid:N, N an unsigned integer")
		}
		i = j
	}

	cur := p.cur
	n := 0    // entries stored for this line
	prev := 0 // the previous index
	last := 0 // the last index stored
	for {
		for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r') {
			i++
		}
		if i == len(b) || b[i] == '#' {
			break
		}
		start := i
		u, e := digits(b, i, 0)
		i = e
		idx := MaxFeatures + 1 // for any index too large
		if u <= MaxFeatures && i-start <= 19 {
			idx = int(u)
		}
		if i == start || i == len(b) || b[i] != ':' {
			p.cur = cur
			return p.pairError(b, line, start)
		}
		colon := i
		i++
		v, m, ok := scanFloat32(b[i:])
		if e := i + m; !ok || (e < len(b) && !isSep(b[e])) {
			e = tokenEnd(b, i)
			var err error
			if v, err = parseFloat32(b[i:e]); err != nil || math.IsInf(float64(v), 0) || math.IsNaN(float64(v)) {
				p.cur = cur
				return p.valueError(b, line, start, colon, e, err)
			}
			m = e - i
		}
		i += m
		if idx <= prev {
			p.cur = cur
			return p.orderError(line, start, idx, prev)
		}
		if idx > MaxFeatures {
			p.cur = cur
			return p.errorf(ErrTooLarge, line, start+1, "index "+string(b[start:colon])+" above the limit "+strconv.Itoa(MaxFeatures)+" (MaxFeatures)")
		}
		prev = idx
		if idx > p.limit {
			if p.ignored == 0 || idx > p.maxIgnored {
				p.maxIgnored, p.ignLine = idx, line
			}
			p.ignored++
			continue
		}
		if len(cur) == cap(cur) {
			cur = p.grow(cur)
		}
		cur = append(cur, entry{uint32(idx - 1), v})
		n++
		last = idx
	}
	p.cur = cur
	if last > p.maxIndex {
		p.maxIndex, p.maxLine = last, line
	}
	p.rowLen = append(p.rowLen, uint32(n))
	p.ids = append(p.ids, id)
	p.stored += int64(n)
	return nil
}

// grow returns a new block once cur is full, twice as large as the last
// one up to blockLen entries; the entries stay where they are.
func (p *sparse) grow(cur []entry) []entry {
	if len(cur) > 0 {
		p.blocks = append(p.blocks, cur)
	}
	p.size = min(max(2*p.size, 256), blockLen)
	return make([]entry, 0, p.size)
}

// pairError describes a token at start that is not index:value.
func (p *sparse) pairError(b []byte, line, start int) error {
	e := tokenEnd(b, start)
	tok := b[start:e]
	colon := bytes.IndexByte(tok, ':')
	switch {
	case colon < 0:
		return p.errorf(ErrSyntax, line, start+1, quote(tok)+" is not index:value (no colon)")
	case colon == 0:
		return p.errorf(ErrSyntax, line, start+1, "missing index before the colon in "+quote(tok))
	}
	return p.errorf(ErrSyntax, line, start+1, "bad index "+quote(tok[:colon])+" in "+quote(tok)+": want a positive integer")
}

// valueError describes the bad value b[colon+1:ve] of the pair at start.
func (p *sparse) valueError(b []byte, line, start, colon, ve int, err error) error {
	index := string(b[start:colon])
	vs := colon + 1
	val := b[vs:ve]
	switch {
	case len(val) == 0:
		return p.errorf(ErrSyntax, line, vs+1, "missing value after \""+index+":\"")
	case err == nil:
		return p.errorf(ErrSyntax, line, vs+1, "value "+quote(val)+" of index "+index+" is NaN or infinite")
	case err.(*strconv.NumError).Err == strconv.ErrRange:
		return p.errorf(ErrSyntax, line, vs+1, "value "+quote(val)+" of index "+index+" is beyond float32's range")
	}
	return p.errorf(ErrSyntax, line, vs+1, "bad value "+quote(val)+" of index "+index)
}

// orderError describes an index that does not increase.
func (p *sparse) orderError(line, start, idx, prev int) error {
	switch {
	case idx == 0:
		return p.errorf(ErrSyntax, line, start+1, "index 0: indices start at 1")
	case idx == prev:
		return p.errorf(ErrSyntax, line, start+1, fmt.Sprintf("index %d repeated", idx))
	}
	return p.errorf(ErrSyntax, line, start+1, fmt.Sprintf("index %d after %d: indices must increase", idx, prev))
}

// checkDense checks the dense matrix of the set against the memory rule.
func (p *sparse) checkDense(set *Set, maxBytes int64) error {
	n, d := int64(set.N), int64(set.D)
	elems := n * d // at most 2^63/2^24 * 2^24: no overflow
	if d > 0 && n > math.MaxInt64/d {
		elems = math.MaxInt64
	}
	ok := false
	switch {
	case elems > int64(math.MaxInt/8):
		// beyond this platform's address space
	case maxBytes > 0:
		ok = elems <= maxBytes/4
	default:
		ok = elems <= 64<<20 || elems/32 <= p.stored
	}
	if !ok {
		where := fmt.Sprintf("the largest index, %d, is on line %d", p.maxIndex, p.maxLine)
		line := p.maxLine
		if set.D > p.maxIndex {
			where = fmt.Sprintf("Options.Features is %d", set.D)
			line = 0
		}
		return p.errorf(ErrTooLarge, line, 0, fmt.Sprintf(
			"a dense matrix of %d x %d float32 (%s) for %d stored values is too large (see Options.MaxDenseBytes); %s",
			set.N, set.D, byteSize(elems*4), p.stored, where))
	}
	return nil
}

// fill writes the examples into x, rows of d, releasing the sparse form
// block by block; when labels is not nil, it also writes the examples'
// classes there, mapped by remap.
func (p *sparse) fill(x []float32, d int, labels, remap []int32) {
	if labels != nil {
		for i, id := range p.ids {
			labels[i] = remap[id]
		}
	}
	blocks := append(p.blocks, p.cur)
	p.blocks, p.cur = nil, nil
	bi, k := 0, 0
	for r, l := range p.rowLen {
		row := x[r*d : (r+1)*d]
		for range l {
			for k == len(blocks[bi]) {
				blocks[bi] = nil
				bi, k = bi+1, 0
			}
			e := blocks[bi][k]
			row[e.col] = e.val
			k++
		}
	}
	p.rowLen = nil
}

// byteSize formats a byte count in binary units.
func byteSize(b int64) string {
	const units = "KMGTPE"
	if b < 1024 {
		return strconv.FormatInt(b, 10) + " B"
	}
	f := float64(b)
	i := -1
	for f >= 1024 && i < len(units)-1 {
		f /= 1024
		i++
	}
	return strconv.FormatFloat(f, 'f', 1, 64) + " " + units[i:i+1] + "iB"
}
