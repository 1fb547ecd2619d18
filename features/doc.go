// Package features reads data sets of numeric features, in LIBSVM
// (SVMlight) or CSV format, into a dense float32 matrix for training,
// testing or applying a classifier, and writes them.
//
// # Reading
//
// Read and ReadFile return a Set: N examples of D features, row-major, a
// class index per example and the class names. The format is detected from
// the content unless Options.Format names it (see Read for both formats).
// Classes are sorted (numerically for numbers), so a data set gives the
// same classes whatever the order of its rows. To read a test file like
// its training file, pass the training Set's Classes and D in
// Options.Classes and Options.Features: labels then index the same
// classes (-1 for a label the training set lacks) and the matrix has the
// same width. A file of new examples, without labels, reads with
// Options.NoLabel (and the training Set's D in Options.Features) for
// prediction; Options.IgnoreLabels reads the features of a file with or
// without labels in either format (a LIBSVM label is optional, a CSV label
// column is skipped). What is read but ignored is reported in
// Set.Warnings, never printed.
//
// # Training
//
// Set.Dataset views a Set as the input of package softmax, for a model of
// features (softmax.Dense.Features) of D inputs and len(Classes) classes,
// leaving out the examples of classes the training set lacks.
//
// # Errors
//
// Read never panics on any input. Every problem with the content is a
// *ParseError naming the file, the line, the column and the problem, such as
//
//	features: train.svm:7:12: index 3 after 5: indices must increase
//	features: iris.csv:4:9: field 3 ("petal_length"): bad number "1,5"
//
// and wrapping one of ErrSyntax, ErrTooLarge, ErrEmpty and ErrMismatch, or
// the reader's error. A data set of one class is no error: the caller
// decides.
//
// # Memory and speed
//
// Memory is in proportion to the data. A LIBSVM file is first read into a
// sparse form (8 bytes per index:value pair) and made dense only within
// the bound of Options.MaxDenseBytes, so a stray large index fails with
// an error that names it rather than allocating N times its size; indices
// above MaxFeatures (1<<24) are errors. A CSV file is read straight into
// dense rows. Lines may be of any length up to 1 GiB.
//
// The input is read in pieces of 1 MiB and scanned in place, without an
// allocation per line. An input of more than one piece is parsed in
// parallel: the calling goroutine reads pieces of whole lines (or CSV
// records, which may span lines) while up to GOMAXPROCS goroutines (no
// more than there are CPUs) parse them, each piece into a form of its own;
// the pieces are then joined in order on as many goroutines, a CSV
// file's rows being copied into one matrix (so that for a while they take
// twice its size). The result is the same, bitwise, as reading line by
// line on one goroutine, and so is the error: the first in the file. On
// 32-bit platforms CSV files are read on one goroutine.
//
// Numbers are parsed by a fast path of the package's own (Clinger's: a
// decimal of at most 19 digits and a power of ten that float64 holds
// exactly, rounded once, then to float32 unless that rounding could
// differ) and otherwise by strconv.ParseFloat; either way the result is
// bitwise strconv.ParseFloat(s, 32)'s.
//
// # Writing
//
// WriteLIBSVM and WriteCSV write a Set in a form that Read reads back with
// the same values, bitwise, and the same classes.
//
// # Concurrency
//
// The functions may be called from many goroutines at once; the package
// has no global state. Read and ReadFile may start goroutines, which end
// before they return.
package features
