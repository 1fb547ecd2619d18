package features

import (
	"errors"
	"strconv"
	"strings"
)

// The kinds of problem a *ParseError reports; test for them with errors.Is.
var (
	// ErrSyntax is a malformed line: a bad label, number or index, a NaN
	// or infinite value, a value beyond float32's range, an index of 0,
	// indices out of order or repeated, index:value without the colon, a
	// CSV row with the wrong number of fields, a quoting error.
	ErrSyntax = errors.New("syntax error")
	// ErrTooLarge is an index above MaxFeatures, or a dense matrix beyond
	// the bound described in Options.MaxDenseBytes.
	ErrTooLarge = errors.New("too large")
	// ErrEmpty is an input without examples (blank, only comments or only a
	// CSV header).
	ErrEmpty = errors.New("no examples")
	// ErrMismatch is a file that does not fit the Options: a CSV file
	// whose feature columns differ in number from Options.Features, or
	// whose header lacks Options.LabelColumn.
	ErrMismatch = errors.New("does not match the options")
)

// ParseError reports a problem with the content of a data file (or stream),
// or an error reading it.
type ParseError struct {
	Path string // the file, or the name given to Read
	Line int    // 1-based line of the problem; 0 if none applies (an empty file)
	Col  int    // 1-based byte column within the line; 0 if none applies
	Msg  string // what is wrong, lower case
	// Err is ErrSyntax, ErrTooLarge, ErrEmpty, ErrMismatch, or the error
	// the reader returned.
	Err error
	// Columns and WantColumns, for a CSV file whose feature columns differ
	// in number from Options.Features (ErrMismatch), are the file's count
	// and Options.Features; 0 for any other problem.
	Columns, WantColumns int
}

// Error returns "features: path:line:col: msg", leaving out the parts that
// do not apply.
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("features: ")
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(":")
	}
	if e.Line > 0 {
		b.WriteString(strconv.Itoa(e.Line))
		b.WriteString(":")
		if e.Col > 0 {
			b.WriteString(strconv.Itoa(e.Col))
			b.WriteString(":")
		}
	}
	if b.Len() > len("features: ") {
		b.WriteString(" ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the kind of problem (ErrSyntax, ErrTooLarge, ErrEmpty,
// ErrMismatch) or the read error.
func (e *ParseError) Unwrap() error { return e.Err }

// quote returns b quoted for a message, cut to a readable length.
func quote(b []byte) string {
	const max = 40
	if len(b) > max {
		return strconv.Quote(string(b[:max])) + "..."
	}
	return strconv.Quote(string(b))
}
