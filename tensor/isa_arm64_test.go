//go:build !purego

package tensor

// archLevels are the levels of this GOARCH's assembly.
var archLevels = []ISA{NEON}

// unavailable says why level l cannot run here (NEON always can).
func unavailable(l ISA) string { return "unknown level" }
