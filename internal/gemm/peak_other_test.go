//go:build !amd64 || purego

package gemm

// measurePeak is 0 without assembly kernels: no peak to compare with.
func measurePeak() float64 { return 0 }
