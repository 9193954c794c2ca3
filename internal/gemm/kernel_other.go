//go:build !amd64 || purego

package gemm

// archKernels returns no assembly kernels: the pure-Go kernel is used.
func archKernels() []*Kernel { return nil }
