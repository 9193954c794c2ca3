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

// The kernels below take a multiple of 8 values of their first array.

//go:noescape
func weightedSumAVX2(dst, x, y *float32, n int, a, b float32)

//go:noescape
func scaleShiftAVX2(dst, x *float32, n int, a, b float32)

//go:noescape
func scaleShiftReLUAVX2(dst, x *float32, n int, a, b float32)

//go:noescape
func normGradAVX2(dx, grad, x *float32, n int, mean, k, gradMean, scale float32)

//go:noescape
func sum3AVX2(dst, a, b, c *float32, n int)

//go:noescape
func sum3DivAVX2(dst, a, b, c *float32, n int, d float32)

//go:noescape
func sum2DivAVX2(dst, a, b *float32, n int, d float32)

//go:noescape
func max3AVX2(dst, a, b, c *float32, n int)

//go:noescape
func max3Stride2AVX2(dst, src *float32, n int)

// The channel kernels take eight planes planeBytes apart and the first n
// values (a multiple of 4) of each.

//go:noescape
func sums8AVX2(acc *float64, x *float32, planeBytes, n int)

//go:noescape
func squares8AVX2(acc *float64, x *float32, planeBytes, n int, mean *float64)

//go:noescape
func dots8AVX2(sum, dot *float64, x, grad *float32, planeBytes, n int, mean *float32)

// interpolatePairsAVX2 does n pairs (a multiple of 8); it reads src[n].
//
//go:noescape
func interpolatePairsAVX2(src, dst *float32, n int, a0, a1, b0, b1 float32)

// addPairTermsAVX2 takes n ≥ 8 values, addPairTerms4AVX2 n ≥ 4; both read
// grad[0 … 2n+1].

//go:noescape
func addPairTermsAVX2(dst, grad *float32, n int, w0, w1, w2, w3 float32)

//go:noescape
func addPairTerms4AVX2(dst, grad *float32, n int, w0, w1, w2, w3 float32)

// The pooling kernels take whole planes whose output rows are a multiple
// of 8 values long.

//go:noescape
func pool2x2AVX2(dst, src *float32, rows, cols int)

//go:noescape
func pool2x2GradAVX2(grad, dst *float32, rows, cols int)

//go:noescape
func upsample2x2AVX2(src, dst *float32, rows, cols int)

//go:noescape
func upsample2x2GradAVX2(dx, grad *float32, rows, cols int)

// copyRowsAVX2 copies rows of cols values (a multiple of 8), contiguous in
// src, to rows dstStride values apart in dst, prefetching ahead values
// past every value read.
//
//go:noescape
func copyRowsAVX2(dst, src *float32, rows, cols, dstStride, ahead int)

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

func scaleShift(dst, x []float32, a, b float32, relu bool) int {
	n := len(dst) / 8 * 8
	if !useAVX2 || n == 0 {
		return 0
	}
	if relu {
		scaleShiftReLUAVX2(&dst[0], &x[0], n, a, b)
	} else {
		scaleShiftAVX2(&dst[0], &x[0], n, a, b)
	}
	return n
}

func normGrad(dx, g, x []float32, mean, k, gradMean, scale float32) int {
	n := len(dx) / 8 * 8
	if !useAVX2 || n == 0 {
		return 0
	}
	normGradAVX2(&dx[0], &g[0], &x[0], n, mean, k, gradMean, scale)
	return n
}

// copyRows reports whether it did the copy: rows of whole groups of 8.
func copyRows(dst []float32, dstStride int, src []float32, rows, cols, ahead int) bool {
	if !useAVX2 || cols%8 != 0 || rows == 0 || cols == 0 {
		return false
	}
	copyRowsAVX2(&dst[0], &src[0], rows, cols, dstStride, ahead)
	return true
}

// pool2x2 reports whether it did the plane: rows of whole groups of 8.
func pool2x2(dst, src []float32, rows, cols int) bool {
	if !useAVX2 || cols%8 != 0 || len(dst) == 0 {
		return false
	}
	pool2x2AVX2(&dst[0], &src[0], rows, cols)
	return true
}

func pool2x2Grad(g, dst []float32, rows, cols int) bool {
	if !useAVX2 || cols%8 != 0 || len(g) == 0 {
		return false
	}
	pool2x2GradAVX2(&g[0], &dst[0], rows, cols)
	return true
}

func sum3(dst, a, b, c []float32) int {
	n := len(dst) / 8 * 8
	if !useAVX2 || n == 0 {
		return 0
	}
	sum3AVX2(&dst[0], &a[0], &b[0], &c[0], n)
	return n
}

func sum3Div(dst, a, b, c []float32, d float32) int {
	n := len(dst) / 8 * 8
	if !useAVX2 || n == 0 {
		return 0
	}
	sum3DivAVX2(&dst[0], &a[0], &b[0], &c[0], n, d)
	return n
}

func sum2Div(dst, a, b []float32, d float32) int {
	n := len(dst) / 8 * 8
	if !useAVX2 || n == 0 {
		return 0
	}
	sum2DivAVX2(&dst[0], &a[0], &b[0], n, d)
	return n
}

func max3(dst, a, b, c []float32) int {
	n := len(dst) / 8 * 8
	if !useAVX2 || n == 0 {
		return 0
	}
	max3AVX2(&dst[0], &a[0], &b[0], &c[0], n)
	return n
}

// max3Stride2 does the groups of eight windows whose sixteen values and
// the two after them are in src (the kernel reads src[2i+2 … 2i+17]).
func max3Stride2(dst, src []float32) int {
	n := min(len(dst), (len(src)-2)/2) / 8 * 8
	if !useAVX2 || n <= 0 {
		return 0
	}
	max3Stride2AVX2(&dst[0], &src[0], n)
	return n
}

// channelSums does the planes in whole groups of eight and returns how
// many it did; the values of a plane past the last multiple of 4 are added
// after the kernel's, in order.
func channelSums(acc []float64, x []float32, plane int) int {
	k, n := len(acc)/8*8, plane/4*4
	if !useAVX2 || n == 0 {
		return 0
	}
	for b := 0; b < k; b += 8 {
		sums8AVX2(&acc[b], &x[b*plane], 4*plane, n)
		for q := b; q < b+8 && n < plane; q++ {
			channelSumsGeneric(acc[q:q+1], x[q*plane+n:(q+1)*plane], plane-n)
		}
	}
	return k
}

func channelSquares(acc []float64, x []float32, plane int, mean []float64) int {
	k, n := len(acc)/8*8, plane/4*4
	if !useAVX2 || n == 0 {
		return 0
	}
	for b := 0; b < k; b += 8 {
		squares8AVX2(&acc[b], &x[b*plane], 4*plane, n, &mean[b])
		for q := b; q < b+8 && n < plane; q++ {
			channelSquaresGeneric(acc[q:q+1], x[q*plane+n:(q+1)*plane], plane-n, mean[q:q+1])
		}
	}
	return k
}

func channelDots(sum, dot []float64, x, g []float32, plane int, mean []float32) int {
	k, n := len(sum)/8*8, plane/4*4
	if !useAVX2 || n == 0 {
		return 0
	}
	for b := 0; b < k; b += 8 {
		dots8AVX2(&sum[b], &dot[b], &x[b*plane], &g[b*plane], 4*plane, n, &mean[b])
		for q := b; q < b+8 && n < plane; q++ {
			channelDotsGeneric(sum[q:q+1], dot[q:q+1], x[q*plane+n:(q+1)*plane], g[q*plane+n:(q+1)*plane], plane-n, mean[q:q+1])
		}
	}
	return k
}

// interpolatePairs does the pairs in whole groups of eight and returns how
// many it did.
func interpolatePairs(dst, src []float32, a0, a1, b0, b1 float32) int {
	n := (len(src) - 1) / 8 * 8
	if !useAVX2 || n == 0 {
		return 0
	}
	interpolatePairsAVX2(&src[0], &dst[0], n, a0, a1, b0, b1)
	return n
}

// addPairTerms reports whether it did the row: four values or more.
func addPairTerms(dst, g []float32, w0, w1, w2, w3 float32) bool {
	switch n := len(dst); {
	case !useAVX2 || n < 4:
		return false
	case n < 8:
		addPairTerms4AVX2(&dst[0], &g[0], n, w0, w1, w2, w3)
	default:
		addPairTermsAVX2(&dst[0], &g[0], n, w0, w1, w2, w3)
	}
	return true
}

// upsample2x2 reports whether it did the plane: rows of whole groups of 8.
func upsample2x2(dst, src []float32, rows, cols int) bool {
	if !useAVX2 || cols%8 != 0 || len(src) == 0 {
		return false
	}
	upsample2x2AVX2(&src[0], &dst[0], rows, cols)
	return true
}

func upsample2x2Grad(dx, g []float32, rows, cols int) bool {
	if !useAVX2 || cols%8 != 0 || len(dx) == 0 {
		return false
	}
	upsample2x2GradAVX2(&dx[0], &g[0], rows, cols)
	return true
}
