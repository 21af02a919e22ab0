//go:build unix

package benchmarks

import (
	"syscall"
	"time"
)

// processCPU returns the user plus system CPU time the process has used
// so far (getrusage(RUSAGE_SELF)), and whether it could be read.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
