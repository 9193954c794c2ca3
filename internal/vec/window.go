package vec

import "fmt"

// The sums and maxima of separable windows: a 3×3 average pooling of
// stride 1 adds three neighbours along each row, then three of those row
// sums down each column, and divides by the window's size; a max pooling
// takes maxima the same way. Each value is one chain of
// additions in the order written, so the kernels give the bits of the
// loops (except which NaN comes out of two, which Go's compiler decides
// when it orders the operands of an addition).
// dst must not overlap the sources (the kernels take eight values at a
// time, and the pooling passes shifted views of one row as a, b and c).

// Sum3 sets dst[i] = (a[i] + b[i]) + c[i].
func Sum3(dst, a, b, c []float32) {
	checkWindow("Sum3", dst, a, b, c)
	n := sum3(dst, a, b, c)
	sum3Generic(dst[n:], a[n:], b[n:], c[n:])
}

// Sum3Div sets dst[i] = ((a[i] + b[i]) + c[i]) / d.
func Sum3Div(dst, a, b, c []float32, d float32) {
	checkWindow("Sum3Div", dst, a, b, c)
	n := sum3Div(dst, a, b, c, d)
	sum3DivGeneric(dst[n:], a[n:], b[n:], c[n:], d)
}

// Sum2Div sets dst[i] = (a[i] + b[i]) / d.
func Sum2Div(dst, a, b []float32, d float32) {
	checkWindow("Sum2Div", dst, a, b)
	n := sum2Div(dst, a, b, d)
	sum2DivGeneric(dst[n:], a[n:], b[n:], d)
}

func checkWindow(op string, dst []float32, srcs ...[]float32) {
	for _, s := range srcs {
		if len(s) != len(dst) {
			panic(fmt.Sprintf("vec.%s: %d values into %d", op, len(s), len(dst)))
		}
	}
}

func sum3Generic(dst, a, b, c []float32) {
	for i := range dst {
		dst[i] = (a[i] + b[i]) + c[i]
	}
}

func sum3DivGeneric(dst, a, b, c []float32, d float32) {
	for i := range dst {
		dst[i] = ((a[i] + b[i]) + c[i]) / d
	}
}

func sum2DivGeneric(dst, a, b []float32, d float32) {
	for i := range dst {
		dst[i] = (a[i] + b[i]) / d
	}
}

// Max3 sets dst[i] = max(a[i], b[i], c[i]) with Go's max: NaN if any is
// NaN, +0 if any is +0 and none is larger.
func Max3(dst, a, b, c []float32) {
	checkWindow("Max3", dst, a, b, c)
	n := max3(dst, a, b, c)
	max3Generic(dst[n:], a[n:], b[n:], c[n:])
}

// Max3Stride2 sets dst[i] = max(src[2i], src[2i+1], src[2i+2]): a row of
// a 3×3 max pooling of stride 2. src must hold 2·len(dst)+1 values.
func Max3Stride2(dst, src []float32) {
	if len(src) < 2*len(dst)+1 {
		panic(fmt.Sprintf("vec.Max3Stride2: %d values for %d windows", len(src), len(dst)))
	}
	n := max3Stride2(dst, src)
	max3Stride2Generic(dst[n:], src[2*n:])
}

func max3Generic(dst, a, b, c []float32) {
	for i := range dst {
		dst[i] = max(a[i], b[i], c[i])
	}
}

func max3Stride2Generic(dst, src []float32) {
	for i := range dst {
		dst[i] = max(src[2*i], src[2*i+1], src[2*i+2])
	}
}
