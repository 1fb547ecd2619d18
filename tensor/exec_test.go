package tensor

import (
	"errors"
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

// cannotExec reports whether err says the child could not be started at all
// (as opposed to having run and failed).
func cannotExec(err error) bool {
	var ee *exec.ExitError
	return err != nil && !errors.As(err, &ee)
}
