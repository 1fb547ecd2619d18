//go:build !linux

package mnist

import (
	"errors"
	"os"
)

// mapFile is not implemented here: the cache is read into a Go buffer.
func mapFile(*os.File, int) ([]byte, error) { return nil, errors.ErrUnsupported }

// unmapFile is never called: mapFile maps nothing.
func unmapFile([]byte) {}
