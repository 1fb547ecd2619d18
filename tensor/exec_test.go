package tensor

import (
	"os"
	"os/exec"
	"strings"
)

func newChild(exe, test string, env ...string) *exec.Cmd {
	cmd := exec.Command(exe, "-test.run=^"+test+"$", "-test.v")
	cmd.Env = append(os.Environ(), "SOFTMAX_FAST_ISA_CHILD=1")
	cmd.Env = append(cmd.Env, env...)
	return cmd
}

func containsLine(out, line string) bool {
	for _, l := range strings.Split(out, "\n") {
		if strings.TrimSpace(l) == line {
			return true
		}
	}
	return false
}
