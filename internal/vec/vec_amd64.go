//go:build amd64 && !purego

package vec

import "github.com/klauspost/cpuid/v2"

// The kernels of vec_amd64.s; n is a multiple of 32.

//go:noescape
func reluAVX2(dst, src *float32, n int)

//go:noescape
func maskPositiveAVX2(grad, y *float32, n int)

//go:noescape
func addAVX2(dst, x, y *float32, n int)

// weightedSumAVX2 takes a multiple of 8 values.
//
//go:noescape
func weightedSumAVX2(dst, x, y *float32, n int, a, b float32)

var useAVX2 = cpuid.CPU.Supports(cpuid.AVX2)

// relu does the whole groups of 32 values and returns how many it did.
func relu(dst, src []float32) int {
	n := len(src) / 32 * 32
	if !useAVX2 || n == 0 {
		return 0
	}
	reluAVX2(&dst[0], &src[0], n)
	return n
}

func maskPositive(g, y []float32) int {
	n := len(y) / 32 * 32
	if !useAVX2 || n == 0 {
		return 0
	}
	maskPositiveAVX2(&g[0], &y[0], n)
	return n
}

func add(dst, x, y []float32) int {
	n := len(dst) / 32 * 32
	if !useAVX2 || n == 0 {
		return 0
	}
	addAVX2(&dst[0], &x[0], &y[0], n)
	return n
}

func weightedSum(dst, x, y []float32, a, b float32) int {
	n := len(dst) / 8 * 8
	if !useAVX2 || n == 0 {
		return 0
	}
	weightedSumAVX2(&dst[0], &x[0], &y[0], n, a, b)
	return n
}
