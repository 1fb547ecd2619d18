package features

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// labeler interns labels: each distinct spelling is looked up once in a
// map (the lookup with a []byte key does not allocate), and consecutive
// equal labels, common in sorted files, skip even that.
type labeler struct {
	integers bool             // LIBSVM: labels are integers, named in decimal
	spelled  map[string]int32 // a label as written -> its class
	byName   map[string]int32 // a class's name -> the class (integers, or when merging)
	names    []string         // the classes in first-seen order
	values   []int64          // their values (integers only)
	lines    []int            // the line each class was first seen on
	last     string           // the previous label as written
	lastID   int32
}

func newLabeler(integers bool) *labeler {
	return &labeler{integers: integers, spelled: map[string]int32{}, byName: map[string]int32{}, lastID: -1}
}

// intern returns the class of a label as written; it fails, with a message,
// for a LIBSVM label that is not an integer.
func (l *labeler) intern(b []byte, line int) (int32, string) {
	if l.lastID >= 0 && string(b) == l.last {
		return l.lastID, ""
	}
	id, ok := l.spelled[string(b)]
	if !ok {
		name := string(b)
		var v int64
		if l.integers {
			var msg string
			if v, msg = integerLabel(b); msg != "" {
				return 0, msg
			}
			name = strconv.FormatInt(v, 10)
		}
		if len(l.names) == math.MaxInt32 {
			return 0, "more than 2^31-1 classes"
		}
		if id, ok = l.byName[name]; !ok {
			id = int32(len(l.names))
			l.names = append(l.names, name)
			l.lines = append(l.lines, line)
			if l.integers {
				l.values = append(l.values, v)
				l.byName[name] = id
			}
		}
		l.spelled[string(b)] = id
	}
	l.last, l.lastID = string(b), id
	return id, ""
}

// merge adds the classes of p, the labeler of a later piece of the file,
// in p's first-seen order, and returns the classes in l of p's classes. A
// file of more than 2^31-1 classes, which the memory of no computer holds
// as a map, fails here on the line of the first class too many, where
// intern fails on the first new spelling after that many.
func (l *labeler) merge(p *labeler, path string) ([]int32, error) {
	remap := make([]int32, len(p.names))
	for i, name := range p.names {
		id, ok := l.byName[name]
		if !ok {
			if len(l.names) == math.MaxInt32 {
				return nil, &ParseError{Path: path, Line: p.lines[i], Msg: "more than 2^31-1 classes", Err: ErrSyntax}
			}
			id = int32(len(l.names))
			l.names = append(l.names, name)
			l.lines = append(l.lines, p.lines[i])
			if l.integers {
				l.values = append(l.values, p.values[i])
			}
			l.byName[name] = id
		}
		remap[i] = id
	}
	return remap, nil
}

// integerLabel parses a LIBSVM label: a number with an integer value of at
// most 2^53 in magnitude, such as "1", "-1", "+1", "1.0" or "1e3".
func integerLabel(b []byte) (int64, string) {
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, "bad label " + quote(b) + ": want a number"
	}
	if f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, "label " + quote(b) + " is not an integer (of at most 2^53)"
	}
	return int64(f), ""
}

// classOrder sorts class names: integers (LIBSVM) or CSV labels that are all
// numbers numerically, ties by name; other labels byte-wise.
func classOrder(names []string, values []int64, integers bool) []int {
	idx := make([]int, len(names))
	for i := range idx {
		idx[i] = i
	}
	if integers {
		slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(values[a], values[b]) })
		return idx
	}
	nums := make([]float64, len(names))
	numeric := true
	for i, s := range names {
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || math.IsNaN(f) {
			numeric = false
			break
		}
		nums[i] = f
	}
	slices.SortFunc(idx, func(a, b int) int {
		if numeric {
			if c := cmp.Compare(nums[a], nums[b]); c != 0 {
				return c
			}
		}
		return strings.Compare(names[a], names[b])
	})
	return idx
}

// finish maps the first-seen classes to the set's: sorted, or those of
// Options.Classes. It fills set.Classes and set.Unknown, rewrites
// set.Labels and adds a warning for unknown labels.
func (l *labeler) finish(set *Set, given []string) error {
	remap := make([]int32, len(l.names))
	firstLine := 0
	if given == nil {
		order := classOrder(l.names, l.values, l.integers)
		set.Classes = make([]string, len(order))
		for to, from := range order {
			set.Classes[to] = l.names[from]
			remap[from] = int32(to)
		}
	} else {
		known := make(map[string]int32, len(given))
		for i, c := range given {
			key := c
			if l.integers {
				if v, msg := integerLabel([]byte(c)); msg == "" {
					key = strconv.FormatInt(v, 10)
				}
			}
			if j, dup := known[key]; dup {
				return fmt.Errorf("features: Options.Classes has %q (%d) and %q (%d), the same class", given[j], j, c, i)
			}
			known[key] = int32(i)
		}
		set.Classes = slices.Clone(given)
		var unknown []string
		var values []int64
		for i, name := range l.names {
			id, ok := known[name]
			if !ok {
				id = -1
				if firstLine == 0 {
					firstLine = l.lines[i] // names are in first-seen order
				}
				unknown = append(unknown, name)
				if l.integers {
					values = append(values, l.values[i])
				}
			}
			remap[i] = id
		}
		for _, i := range classOrder(unknown, values, l.integers) {
			set.Unknown = append(set.Unknown, unknown[i])
		}
	}
	count := 0
	for i, id := range set.Labels {
		set.Labels[i] = remap[id]
		if remap[id] < 0 {
			count++
		}
	}
	if count > 0 {
		shown := set.Unknown
		more := ""
		if len(shown) > 10 {
			shown, more = shown[:10], fmt.Sprintf(" and %d more", len(set.Unknown)-10)
		}
		q := make([]string, len(shown))
		for i, s := range shown {
			q[i] = strconv.Quote(s)
		}
		set.Warnings = append(set.Warnings, fmt.Sprintf("%d examples (the first on line %d) have labels not among the training set's classes (Options.Classes): %s%s",
			count, firstLine, strings.Join(q, ", "), more))
	}
	return nil
}

// noLabels sets the labels and classes of a set read with Options.NoLabel:
// every label -1, the classes a copy of the given ones.
func noLabels(set *Set, given []string) {
	for i := range set.Labels {
		set.Labels[i] = -1
	}
	set.Classes = slices.Clone(given)
}
