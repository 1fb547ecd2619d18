package tensor

import (
	"errors"
	"fmt"
	"math/bits"
)

// ErrShape is returned (wrapped, with the shapes) when the operands of an
// operation do not fit together or a matrix header is inconsistent.
var ErrShape = errors.New("tensor: shape mismatch")

// Matrix is a row-major float32 matrix, possibly a view into a larger one:
// element (i, j) is Data[i*Stride+j]. Stride >= Cols; Data holds at least
// (Rows-1)*Stride+Cols elements (none when Rows or Cols is 0).
type Matrix struct {
	Rows, Cols, Stride int
	Data               []float32
}

// NewMatrix returns a zeroed rows x cols matrix with Stride == cols.
// It panics, like make, if rows or cols is negative.
func NewMatrix(rows, cols int) *Matrix {
	return &Matrix{Rows: rows, Cols: cols, Stride: cols, Data: make([]float32, rows*cols)}
}

// MatrixFrom wraps data as a rows x cols matrix with Stride == cols, without
// copying. It fails when data has fewer than rows*cols elements.
func MatrixFrom(rows, cols int, data []float32) (*Matrix, error) {
	m := &Matrix{Rows: rows, Cols: cols, Stride: cols, Data: data}
	if err := m.check("matrix"); err != nil {
		return nil, err
	}
	return m, nil
}

// At returns element (i, j). It panics on an index out of range, like a
// slice access.
func (m *Matrix) At(i, j int) float32 {
	if uint(i) >= uint(m.Rows) || uint(j) >= uint(m.Cols) {
		panic(fmt.Sprintf("tensor: index (%d, %d) out of range for %dx%d matrix", i, j, m.Rows, m.Cols))
	}
	return m.Data[i*m.Stride+j]
}

// Set sets element (i, j) to v. It panics on an index out of range.
func (m *Matrix) Set(i, j int, v float32) {
	if uint(i) >= uint(m.Rows) || uint(j) >= uint(m.Cols) {
		panic(fmt.Sprintf("tensor: index (%d, %d) out of range for %dx%d matrix", i, j, m.Rows, m.Cols))
	}
	m.Data[i*m.Stride+j] = v
}

// Row returns row i as a slice of length Cols sharing m's storage.
func (m *Matrix) Row(i int) []float32 {
	return m.Data[i*m.Stride : i*m.Stride+m.Cols : i*m.Stride+m.Cols]
}

// View returns the rows x cols sub-matrix whose top-left element is (i, j),
// sharing m's storage.
func (m *Matrix) View(i, j, rows, cols int) (*Matrix, error) {
	if i < 0 || j < 0 || rows < 0 || cols < 0 || i+rows > m.Rows || j+cols > m.Cols {
		return nil, fmt.Errorf("%w: view (%d, %d) size %dx%d of a %dx%d matrix", ErrShape, i, j, rows, cols, m.Rows, m.Cols)
	}
	v := &Matrix{Rows: rows, Cols: cols, Stride: m.Stride}
	if rows > 0 && cols > 0 {
		start := i*m.Stride + j
		v.Data = m.Data[start : start+(rows-1)*m.Stride+cols]
	}
	return v, nil
}

// Validate reports, as an error wrapping ErrShape, a header that is
// inconsistent with Data: negative sizes, Stride < Cols, or fewer elements
// than the header needs. Every operation of the package checks this itself;
// Validate is for callers that check their own inputs up front.
func (m *Matrix) Validate() error { return m.check("matrix") }

// check reports whether the header is consistent with Data. Its common
// case is a few comparisons (fits, inlined), since the one-image paths
// check W on every call; checkAll finds what is wrong.
func (m *Matrix) check(name string) error {
	if m != nil && fits(m.Rows, m.Cols, m.Stride, len(m.Data)) {
		return nil
	}
	return m.checkAll(name)
}

func (m *Matrix) checkAll(name string) error {
	if m == nil {
		return fmt.Errorf("%w: %s is nil", ErrShape, name)
	}
	return checkDims(name, m.Rows, m.Cols, m.Stride, len(m.Data))
}

// fits reports whether rows, cols >= 1, stride >= cols and a header of
// rows x cols with that stride fits in n elements ((rows-1)*stride + cols
// <= n, computed without overflow or a division): the common case of
// checkDims, cheap enough to be inlined.
func fits(rows, cols, stride, n int) bool {
	hi, lo := bits.Mul64(uint64(rows-1), uint64(stride))
	return rows >= 1 && cols >= 1 && stride >= cols && hi == 0 && lo < uint64(n) && uint64(n)-lo >= uint64(cols)
}

func checkDims(name string, rows, cols, stride, n int) error {
	if rows < 0 || cols < 0 {
		return fmt.Errorf("%w: %s has negative size %dx%d", ErrShape, name, rows, cols)
	}
	if rows == 0 || cols == 0 {
		return nil
	}
	if stride < cols {
		return fmt.Errorf("%w: %s stride %d < cols %d", ErrShape, name, stride, cols)
	}
	if !fits(rows, cols, stride, n) { // (rows-1)*stride + cols > n, or overflows
		return fmt.Errorf("%w: %s is %dx%d with stride %d but holds %d elements", ErrShape, name, rows, cols, stride, n)
	}
	return nil
}

// U8Matrix is a row-major uint8 matrix, such as a set of images with one
// image per row: element (i, j) is Data[r*Stride+j] where r = i, or
// r = Index[i] when Index is not nil. Index selects rows (a minibatch) from a
// larger matrix without copying; Rows must then equal len(Index), and every
// index must be in [0, Data's row count).
type U8Matrix struct {
	Rows, Cols, Stride int
	Data               []uint8
	Index              []int32
}

// rowOff returns the offset in Data of row i.
func (x *U8Matrix) rowOff(i int) int { return (*dataRows[uint8])(x).rowOff(i) }

// Row returns row i of x, sharing its storage.
func (x *U8Matrix) Row(i int) []uint8 {
	o := x.rowOff(i)
	return x.Data[o : o+x.Cols : o+x.Cols]
}

// Validate reports, as an error wrapping ErrShape, a header that is
// inconsistent with Data or an Index entry out of range (see U8Matrix).
func (x *U8Matrix) Validate() error { return x.check("uint8 matrix") }

func (x *U8Matrix) check(name string) error { return (*dataRows[uint8])(x).check(name) }

// F32Matrix is a row-major float32 matrix of data rows, such as a data set
// of feature vectors (embeddings, tabular data) with one sample per row:
// element (i, j) is Data[r*Stride+j] where r = i, or r = Index[i] when
// Index is not nil. Index selects rows (a minibatch) from a larger matrix
// without copying; Rows must then equal len(Index), and every index must be
// in [0, Data's row count). It is the float32 counterpart of U8Matrix, for
// the products that pick rows by index (MatMulF32T, MatMulTF32); a Matrix
// is the operand of the general products.
type F32Matrix struct {
	Rows, Cols, Stride int
	Data               []float32
	Index              []int32
}

// rowOff returns the offset in Data of row i.
func (x *F32Matrix) rowOff(i int) int { return (*dataRows[float32])(x).rowOff(i) }

// Row returns row i of x, sharing its storage.
func (x *F32Matrix) Row(i int) []float32 {
	o := x.rowOff(i)
	return x.Data[o : o+x.Cols : o+x.Cols]
}

// Validate reports, as an error wrapping ErrShape, a header that is
// inconsistent with Data or an Index entry out of range (see F32Matrix).
func (x *F32Matrix) Validate() error { return x.check("float32 matrix") }

func (x *F32Matrix) check(name string) error { return (*dataRows[float32])(x).check(name) }
