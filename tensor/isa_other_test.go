//go:build purego || !(amd64 || arm64)

package tensor

// archLevels are the levels of this build's assembly: none.
var archLevels []ISA

func unavailable(l ISA) string { return "this build has no assembly" }
