// Package plot draws the pictures a user looks at after training a
// classifier, with nothing but the standard library:
//
//   - Templates: a PNG of each class's weight row as a red/blue heat map,
//     the "templates" a linear classifier matches images against;
//   - Curves: an SVG line chart of per-epoch loss and accuracies, on two
//     y axes;
//   - Confusion: a PNG heat map of a confusion matrix, with counts, shares
//     and the overall accuracy.
//
// The functions take plain slices, not the softmax or mnist types, so the
// package depends on neither. They check their input and return an error
// for anything they cannot draw (empty or ragged data, NaN weights, negative
// counts, a picture over MaxPixels); they never print. Text in the PNGs is
// drawn with a small built-in bitmap font covering printable ASCII; other
// characters are shown as '?'.
package plot
