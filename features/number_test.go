package features

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/softmax-fast/softmax-fast/internal/testrng"
)

// newRNG returns the generator of a test's random data (testrng.New: the
// seed is logged, SOFTMAX_FAST_SEED repeats or randomizes it).
func newRNG(t testing.TB) *rand.Rand {
	t.Helper()
	return testrng.New(t)
}

// checkParse fails unless parseFloat32 agrees with strconv.ParseFloat(s, 32):
// both fail with the same kind of error or both give the same bits.
func checkParse(t *testing.T, s string) {
	t.Helper()
	got, gerr := parseFloat32([]byte(s))
	w, werr := strconv.ParseFloat(s, 32)
	want := float32(w)
	if (gerr == nil) != (werr == nil) {
		t.Fatalf("%q: error %v, strconv's %v", s, gerr, werr)
	}
	if gerr != nil && !errors.Is(gerr, werr.(*strconv.NumError).Err) {
		t.Fatalf("%q: error %v, strconv's %v", s, gerr, werr)
	}
	if math.Float32bits(got) != math.Float32bits(want) && !(math.IsNaN(float64(got)) && math.IsNaN(float64(want))) {
		t.Fatalf("%q: %g (%#08x), strconv %g (%#08x)", s, got, math.Float32bits(got), want, math.Float32bits(want))
	}
	// Within a line, with more text after the number, as the readers
	// call scanFloat32: the same end and value, or a fallback.
	v, n, ok := scanFloat32([]byte(s + " 12:34567890 "))
	if v2, n2, ok2 := scanFloat32([]byte(s)); n != n2 || ok != ok2 || math.Float32bits(v) != math.Float32bits(v2) {
		t.Fatalf("%q: in a line %g %d %v, alone %g %d %v", s, v, n, ok, v2, n2, ok2)
	}
}

var numberEdges = []string{
	"0", "-0", "+0", "0.0", "-0.0", "00", "000.000", "0e0", "-0e-999999", "0e99999999999",
	"1", "+1", "-1", ".5", "5.", "-.5", "+.5", "1.", "01", "007.50", "1e0", "1E5", "1e+5", "1e-5",
	"1e-45", "-1e-45", "7e-46", "7.1e-46", "1.4e-45", "1.5e-45", "2.1e-45", "2.9e-45", "1e-46",
	"1.1754943e-38", "1.1754942e-38", "1.17549435e-38", "5.877472e-39", "1e-38", "1e-39", "1e-40",
	"3.4028235e38", "3.4028236e38", "3.40282346e38", "3.4028234663852886e38", "3.4028235677973366e38",
	"3.4028235677973367e38", "1e38", "1e39", "-1e39", "1e308", "1e309", "1e-400", "-1e-400",
	"16777216", "16777217", "16777218", "16777219", "33554433", "33554435", "9007199254740992",
	"9007199254740993", "9007199254740993e-10", "1e22", "1e23", "9007199254740992e22", "1e-22", "1e-23",
	"1234567890123456789", "12345678901234567890", "0.1234567890123456789", "0.12345678901234567890",
	"1.00000000000000000000000000001", "0.000000000000000000000000000001",
	"100000000000000000000000000000000000000", "0.1", "0.2", "0.3", "0.7", "3.14159265358979",
	"0.003921569", "0.00392156862745098", "1.0000000596046448", "1.00000005960464477539062",
	"1.000000059604644775390625", "1.0000000596046448e0", "0.50000002980232238769531250",
	"inf", "-Inf", "+INF", "infinity", "nan", "NaN", "0x1p-2", "0X1.8P1", "1_000", "0x_1p0",
	"", "+", "-", ".", "+.", "e5", "1e", "1e+", "1e-", "--1", "1..2", "1.2.3", "1e5e5", "1ee5",
	" 1", "1 ", "abc", "1a", "0x", "1_", "_1", "1__0",
}

func TestParseFloat32Edges(t *testing.T) {
	for _, s := range numberEdges {
		checkParse(t, s)
	}
}

// TestParseFloat32Fast checks that the numbers of typical files take the
// fast path, which the speed depends on.
func TestParseFloat32Fast(t *testing.T) {
	for _, s := range []string{"0", "1", "-1", "0.5", "0.003921569", "0.00392156862745098", "255", "-3.75e-5", "1e10", "12345.678"} {
		if _, n, ok := scanFloat32([]byte(s)); !ok || n != len(s) {
			t.Errorf("%q: not on the fast path", s)
		}
	}
}

// randomDecimal returns a decimal string of one of several shapes.
func randomDecimal(rng *rand.Rand) string {
	switch rng.IntN(8) {
	case 0: // a random float32, shortest form
		return strconv.FormatFloat(float64(math.Float32frombits(rng.Uint32())), 'g', -1, 32)
	case 1: // a random float32 with too few or too many digits
		f := float64(math.Float32frombits(rng.Uint32()))
		return strconv.FormatFloat(f, "efg"[rng.IntN(3)], rng.IntN(25), 64)
	case 2: // close to a float32 midpoint: float64 shortest form, or exact
		a := math.Float32frombits(rng.Uint32() &^ (1 << 31))
		b := math.Nextafter32(a, float32(math.Inf(1)))
		m := (float64(a) + float64(b)) / 2
		if rng.IntN(2) == 0 {
			return strconv.FormatFloat(m, 'g', -1, 64)
		}
		return strconv.FormatFloat(m, 'e', 60, 64)
	case 3: // a midpoint of float32s near 1: few digits, on the fast path
		a := float32(1+rng.Float64()) * float32(math.Pow(10, float64(rng.IntN(14)-7)))
		b := math.Nextafter32(a, float32(math.Inf(1)))
		return strconv.FormatFloat((float64(a)+float64(b))/2, 'g', -1, 64)
	case 4: // i/255, as a data file has it
		i := rng.IntN(256)
		if rng.IntN(2) == 0 {
			return strconv.FormatFloat(float64(i)/255, 'g', -1, 64)
		}
		return strconv.FormatFloat(float64(float32(i)/255), 'g', -1, 32)
	case 5: // random digits, point and exponent
		var b []byte
		if rng.IntN(3) == 0 {
			b = append(b, "+-"[rng.IntN(2)])
		}
		nd := rng.IntN(25)
		for range nd {
			b = append(b, byte('0'+rng.IntN(10)))
		}
		if rng.IntN(2) == 0 {
			b = append(b, '.')
			for range rng.IntN(25) {
				b = append(b, byte('0'+rng.IntN(10)))
			}
		}
		if rng.IntN(2) == 0 {
			b = append(b, "eE"[rng.IntN(2)])
			if rng.IntN(2) == 0 {
				b = append(b, "+-"[rng.IntN(2)])
			}
			b = strconv.AppendInt(b, int64(rng.IntN(60)), 10)
		}
		return string(b)
	case 6: // small integers and decimals with leading zeros
		return fmt.Sprintf("%0*d.%0*de%d", rng.IntN(5), rng.IntN(1000), rng.IntN(8), rng.IntN(100000), rng.IntN(50)-25)
	default: // a random float64
		return strconv.FormatFloat(math.Float64frombits(rng.Uint64()), 'g', -1, 64)
	}
}

func TestParseFloat32Random(t *testing.T) {
	rng := newRNG(t)
	n := 1_000_000
	if testing.Short() {
		n = 100_000
	}
	for range n {
		checkParse(t, randomDecimal(rng))
	}
}

// TestParseFloat32Midpoints checks every 13th float32 midpoint between 1
// and 2, and between 2^-20 and 2^-19, written with its shortest float64
// digits: the double-rounding case that the fast path must leave to
// strconv.
func TestParseFloat32Midpoints(t *testing.T) {
	step := 13
	if testing.Short() {
		step = 997
	}
	for _, lo := range []float32{1, 1.0 / (1 << 20)} {
		base := math.Float32bits(lo)
		for k := uint32(0); k < 1<<23; k += uint32(step) {
			a := math.Float32frombits(base + k)
			b := math.Float32frombits(base + k + 1)
			m := (float64(a) + float64(b)) / 2
			checkParse(t, strconv.FormatFloat(m, 'g', -1, 64))
		}
	}
}

func FuzzParseFloat32(f *testing.F) {
	for _, s := range numberEdges {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkParse(t, s)
	})
}
