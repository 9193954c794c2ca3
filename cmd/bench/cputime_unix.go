//go:build unix

package main

import "syscall"

// processCPU returns the CPU time (user + system) the process has used, in
// milliseconds. On a shared machine it is a steadier measure of work than
// the wall clock, which also counts the time other processes hold the cores.
func processCPU() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e6
}
