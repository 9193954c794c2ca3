//go:build !amd64 || purego

package gemm

// archKernels returns no assembly kernels: the pure-Go kernel is used.
func archKernels() []*Kernel { return nil }

// transposeRuns is transposeRunsGeneric without assembly.
func transposeRuns(dst []float32, ld int, src []float32, offs []int, n int) {
	transposeRunsGeneric(dst, ld, src, offs, n)
}

// copyRows reports that it copied nothing: the caller's loop does it.
func copyRows(dst, src []float32, base, stride, n, width int) bool { return false }

// copyRuns reports that it copied nothing: CopyRuns's loop does it.
func copyRuns(dst []float32, ld, width int, src []float32, offs []int) bool { return false }
