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

// copyRows<width>AVX2 (kernel_amd64.s) copy n runs of width values, ld
// bytes apart in src, to consecutive runs of dst.
//
//go:noescape
func copyRows6AVX2(dst, src *float32, ld, n int)

//go:noescape
func copyRows12AVX2(dst, src *float32, ld, n int)

//go:noescape
func copyRows16AVX2(dst, src *float32, ld, n int)

//go:noescape
func copyRows32AVX2(dst, src *float32, ld, n int)

// copyRows sets dst[t·width+i] = src[base+t·stride+i] for i < width and
// t < n with vector moves, for the widths of the kernels' slivers, and
// reports whether it did (false: the caller copies).
func copyRows(dst, src []float32, base, stride, n, width int) bool {
	if !transposeAVX2 || n == 0 || len(dst) < n*width || base < 0 || base+(n-1)*stride+width > len(src) {
		return false
	}
	switch width {
	case 6:
		copyRows6AVX2(&dst[0], &src[base], 4*stride, n)
	case 12:
		copyRows12AVX2(&dst[0], &src[base], 4*stride, n)
	case 16:
		copyRows16AVX2(&dst[0], &src[base], 4*stride, n)
	case 32:
		copyRows32AVX2(&dst[0], &src[base], 4*stride, n)
	default:
		return false
	}
	return true
}

// copyRuns<width>AVX2 (kernel_amd64.s) copy n runs of width values at
// src + 4·offs[t] to dst, runs ld bytes apart.
//
//go:noescape
func copyRuns8AVX2(dst, src *float32, offs *int, n, ld int)

//go:noescape
func copyRuns16AVX2(dst, src *float32, offs *int, n, ld int)

//go:noescape
func copyRuns32AVX2(dst, src *float32, offs *int, n, ld int)

// copyRuns copies the runs with vector moves when width is 8, 16 or 32 (the
// caller checked the indices) and reports whether it did.
func copyRuns(dst []float32, ld, width int, src []float32, offs []int) bool {
	if !transposeAVX2 {
		return false
	}
	switch width {
	case 8:
		copyRuns8AVX2(&dst[0], &src[0], &offs[0], len(offs), 4*ld)
	case 16:
		copyRuns16AVX2(&dst[0], &src[0], &offs[0], len(offs), 4*ld)
	case 32:
		copyRuns32AVX2(&dst[0], &src[0], &offs[0], len(offs), 4*ld)
	default:
		return false
	}
	return true
}
