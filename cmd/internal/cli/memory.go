package cli

import (
	"os"
	"runtime/debug"
)

// heapGrowthPercent is the garbage collector's target for the long-running
// commands: a collection starts when the heap has grown by half of what was
// live after the last one, not by all of it (Go's default, GOGC=100).
//
// Why: the buffer cache (internal/buffer) keeps the large activation and
// packing buffers alive between steps so that their pages are not faulted in
// again, so the live heap is large and the default target lets the process
// grow to about twice it. Few allocations reach the collector (the big ones
// are recycled), so collecting at +50% costs no measurable time: the demo
// search with the AVX2 kernels took 2 min 51 s either way on a 2-vCPU
// machine, and its peak memory fell from 1.56 GB to 1.16 GB, with the same
// result. Garbage collection never changes a result.
const heapGrowthPercent = 50

// LimitHeapGrowth sets the collector's target to heapGrowthPercent unless
// the user chose one with the GOGC environment variable.
func LimitHeapGrowth() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(heapGrowthPercent)
	}
}
