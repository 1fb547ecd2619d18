package features

import (
	"math"
	"strconv"
)

// pow10 holds the powers of ten that float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// digits reads the decimal digits at b[i:] into m (m*10 + digit for each,
// wrapping on overflow) and returns m and the index after them, one byte
// at a time: reading eight at a time (finding the digits' end by
// arithmetic) does not pay on the few digits of the numbers in data files.
func digits(b []byte, i int, m uint64) (uint64, int) {
	for ; i < len(b); i++ {
		c := b[i] - '0'
		if c > 9 {
			break
		}
		m = m*10 + uint64(c)
	}
	return m, i
}

// scanFloat32 reads a decimal number at the start of b: an optional sign,
// digits with an optional point, at least one digit, and an optional
// exponent. It returns the number of bytes it read and, when ok, the value,
// rounded to float32 exactly as strconv.ParseFloat(s, 32) rounds it. It
// reports !ok when the number needs strconv: more than 19 digits (leading
// zeros count), an exponent outside the exact range, a float64 result on a
// float32 rounding boundary, or text that is not of the simple form
// (hexadecimal, "inf", "nan", underscores, no digits, "1e"). The caller
// then checks that n reaches a delimiter and otherwise (or when !ok) parses
// the whole token with strconv, so the result never depends on which path
// was taken.
//
// The fast path is Clinger's: a mantissa m < 2^53 and a power of ten 10^k
// with |k| <= 22 are both exact in float64, so m*10^k or m/10^-k is one
// correctly rounded operation. Rounding that float64 to float32 gives the
// correctly rounded float32 unless the float64 lies exactly on a float32
// rounding boundary (a midpoint), where the decimal value may lie on
// either side: then strconv decides.
func scanFloat32(b []byte) (v float32, n int, ok bool) {
	i := 0
	neg := false
	if i < len(b) && (b[i] == '-' || b[i] == '+') {
		neg = b[i] == '-'
		i++
	}
	// m may wrap: more than 19 digits leave the number to strconv.
	start := i
	m, i := digits(b, i, 0)
	nd := i - start
	exp := 0 // decimal exponent of m
	if i < len(b) && b[i] == '.' {
		i++
		frac := i
		m, i = digits(b, i, m)
		nd += i - frac
		exp = frac - i
	}
	if nd == 0 {
		return 0, i, false
	}
	if i < len(b) && b[i]|0x20 == 'e' {
		i++
		eneg := false
		if i < len(b) && (b[i] == '-' || b[i] == '+') {
			eneg = b[i] == '-'
			i++
		}
		e := 0
		start := i
		for ; i < len(b); i++ {
			c := b[i] - '0'
			if c > 9 {
				break
			}
			if e < 100000 {
				e = e*10 + int(c)
			}
		}
		if i == start {
			return 0, i, false
		}
		if eneg {
			e = -e
		}
		exp += e
	}
	if nd > 19 {
		return 0, i, false
	}
	if m == 0 {
		if neg {
			return float32(math.Copysign(0, -1)), i, true
		}
		return 0, i, true
	}
	if m > 1<<53 || exp < -22 || exp > 22 {
		return 0, i, false
	}
	f := float64(m)
	if exp < 0 {
		f /= pow10[-exp]
	} else {
		f *= pow10[exp]
	}
	// f lies in [1e-22, 2^53*1e22], well inside float32's normal range,
	// where a float32 keeps the top 24 of float64's 53 significand bits: f
	// is a float32 midpoint when the 29 bits below are exactly 100...0.
	if math.Float64bits(f)&(1<<29-1) == 1<<28 {
		return 0, i, false
	}
	v = float32(f)
	if neg {
		v = -v
	}
	return v, i, true
}

// parseFloat32 parses a whole token as a float32, as
// strconv.ParseFloat(string(tok), 32) does (value and error), using the fast
// path when it applies.
func parseFloat32(tok []byte) (float32, error) {
	if v, n, ok := scanFloat32(tok); ok && n == len(tok) {
		return v, nil
	}
	f, err := strconv.ParseFloat(string(tok), 32)
	return float32(f), err
}
