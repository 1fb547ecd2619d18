//go:build !linux

package mnist

// makeBytes returns make([]byte, n) (huge pages are only asked for on Linux).
func makeBytes(n int) []byte { return make([]byte, n) }
