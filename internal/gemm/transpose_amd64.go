//go:build amd64 && !purego

package gemm

import "github.com/klauspost/cpuid/v2"

// transpose4AVX2 and transpose2AVX2 (kernel_amd64.s) transpose 4 or 2 runs
// of n values (n a multiple of 8) at src + 4·offs[i] into dst, runs ld
// bytes apart.
//
//go:noescape
func transpose4AVX2(dst *float32, ld int, src *float32, offs *int, n int)

//go:noescape
func transpose2AVX2(dst *float32, ld int, src *float32, offs *int, n int)

var transposeAVX2 = cpuid.CPU.Supports(cpuid.AVX2)

// transposeRuns transposes 4 or 2 runs (the caller checked every index):
// whole groups of eight values in assembly, the rest in Go.
func transposeRuns(dst []float32, ld int, src []float32, offs []int, n int) {
	n8 := 0
	if transposeAVX2 && n >= 8 {
		n8 = n / 8 * 8
		if len(offs) == 4 {
			transpose4AVX2(&dst[0], 4*ld, &src[0], &offs[0], n8)
		} else {
			transpose2AVX2(&dst[0], 4*ld, &src[0], &offs[0], n8)
		}
	}
	if n8 < n {
		var rest [4]int
		for i, o := range offs {
			rest[i] = o + n8
		}
		transposeRunsGeneric(dst[n8*ld:], ld, src, rest[:len(offs)], n-n8)
	}
}
