//go:build race

package softmax

// raceEnabled reports a -race build, in which sync.Pool drops items at
// random (so pooled buffers are sometimes allocated again).
const raceEnabled = true
