//go:build unix

package runreport

import (
	"syscall"
	"time"
)

// cpuTime returns the processor time this process used so far (user and
// system): on a shared machine a better measure of work than wall time.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &u) != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
