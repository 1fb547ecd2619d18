package mnist

// CRC-32C of a buffer checked in parallel pieces: the CRC of a
// concatenation A||B follows from the CRCs of A and B and the length of B,
// since the register is linear over GF(2): crc(A||B) = S(crc(A), len(B)) xor
// crc(B), where S runs a CRC register through len(B) zero bytes. S is a
// 32x32 bit matrix, raised to the power len(B) by repeated squaring (about
// 64 products of 32x32 matrices for a 27 MB piece: microseconds).

// castagnoliReversed is the CRC-32C polynomial in the bit order of the
// register (hash/crc32.Castagnoli).
const castagnoliReversed = 0x82f63b78

// gf2Matrix is a 32x32 matrix over GF(2): column i (the image of bit i) in
// element i.
type gf2Matrix [32]uint32

// times returns m·v.
func (m *gf2Matrix) times(v uint32) uint32 {
	var s uint32
	for i := 0; v != 0; i, v = i+1, v>>1 {
		if v&1 != 0 {
			s ^= m[i]
		}
	}
	return s
}

// square returns m·m.
func (m *gf2Matrix) square() gf2Matrix {
	var r gf2Matrix
	for i := range m {
		r[i] = m.times(m[i])
	}
	return r
}

// crc32cCombine returns the CRC-32C of A||B from crcA = CRC-32C(A),
// crcB = CRC-32C(B) and lenB = len(B) (as hash/crc32 computes them, with
// the pre- and post-inversion).
func crc32cCombine(crcA, crcB uint32, lenB int64) uint32 {
	// One zero bit: the register shifts right, and the polynomial comes in
	// where a 1 leaves.
	var m gf2Matrix
	m[0] = castagnoliReversed
	for i := 1; i < 32; i++ {
		m[i] = 1 << (i - 1)
	}
	m = m.square() // two bits
	m = m.square() // four
	m = m.square() // one zero byte
	for n := lenB; n > 0; n >>= 1 {
		if n&1 != 0 {
			crcA = m.times(crcA)
		}
		if n > 1 {
			m = m.square()
		}
	}
	return crcA ^ crcB
}
