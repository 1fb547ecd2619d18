package features

import (
	"fmt"

	"github.com/softmax-fast/softmax-fast/softmax"
	"github.com/softmax-fast/softmax-fast/tensor"
)

// MaxClasses is the most classes Dataset takes: softmax.Dataset's labels
// are bytes.
const MaxClasses = 256

// Dataset views the set as the input of package softmax (a Trainer's
// training, validation or test set, or a Dense's Accuracy and Confusion)
// for a model of features (softmax.Dense.Features): one example of D
// values per matrix row, and its label. The matrix's data is s.X, not a
// copy, so the view is only valid while s is. Examples labelled -1 (of a
// class not among Options.Classes) are left out through the matrix's
// Index; a caller that measures accuracy counts them as errors. A set read
// with Options.NoLabel, all of whose labels are -1, so gives a view of no
// rows (Rows 0, an empty Index, no Labels): predict on s.X instead. It is
// an error if s has more than MaxClasses classes.
func (s *Set) Dataset() (softmax.Dataset, error) {
	if len(s.Classes) > MaxClasses {
		return softmax.Dataset{}, fmt.Errorf("features: %s: %d classes; a softmax.Dataset takes at most %d", s.Path, len(s.Classes), MaxClasses)
	}
	x := &tensor.F32Matrix{Rows: s.N, Cols: s.D, Stride: s.D, Data: s.X}
	labels := make([]uint8, 0, s.N)
	var index []int32 // nil while every example so far is of a known class
	for i, y := range s.Labels {
		if y < 0 {
			if index == nil {
				index = make([]int32, i, s.N)
				for j := range index {
					index[j] = int32(j)
				}
			}
			continue
		}
		if index != nil {
			index = append(index, int32(i))
		}
		labels = append(labels, uint8(y))
	}
	if index != nil {
		x.Index, x.Rows = index, len(index)
	}
	return softmax.Dataset{Features: x, Labels: labels}, nil
}
