package vec

import "fmt"

// ReLU sets dst[i] = 0 where src[i] < 0 and src[i] elsewhere (NaN and −0
// pass through). dst and src must have the same length; they may be the
// same slice.
func ReLU(dst, src []float32) {
	if len(dst) != len(src) {
		panic(fmt.Sprintf("vec.ReLU: %d values into %d", len(src), len(dst)))
	}
	n := relu(dst, src)
	reluGeneric(dst[n:], src[n:])
}

// MaskPositive sets g[i] = 0 wherever y[i] > 0 does not hold (y[i] ≤ 0 or
// NaN): the gradient of a ReLU through its output or its input.
func MaskPositive(g, y []float32) {
	if len(g) != len(y) {
		panic(fmt.Sprintf("vec.MaskPositive: %d gradients for %d values", len(g), len(y)))
	}
	n := maskPositive(g, y)
	maskPositiveGeneric(g[n:], y[n:])
}

// Add sets dst[i] = x[i] + y[i]. The three slices must have the same
// length; dst may be x or y.
func Add(dst, x, y []float32) {
	if len(x) != len(dst) || len(y) != len(dst) {
		panic(fmt.Sprintf("vec.Add: %d and %d values into %d", len(x), len(y), len(dst)))
	}
	n := add(dst, x, y)
	addGeneric(dst[n:], x[n:], y[n:])
}

// WeightedSum sets dst[i] = a·x[i] + b·y[i], each product rounded to
// float32 before the addition (never fused into one FMA): the step of a
// linear interpolation as PyTorch computes it. The three slices must have
// the same length; dst may be x or y.
func WeightedSum(dst, x, y []float32, a, b float32) {
	if len(x) != len(dst) || len(y) != len(dst) {
		panic(fmt.Sprintf("vec.WeightedSum: %d and %d values into %d", len(x), len(y), len(dst)))
	}
	n := weightedSum(dst, x, y, a, b)
	weightedSumGeneric(dst[n:], x[n:], y[n:], a, b)
}

func weightedSumGeneric(dst, x, y []float32, a, b float32) {
	x, y = x[:len(dst)], y[:len(dst)]
	for i := range dst {
		dst[i] = float32(a*x[i]) + float32(b*y[i])
	}
}

// ScaleShift sets dst[i] = x[i]·a + b, the product rounded to float32
// before the addition (the affine step of a batch normalisation). dst and
// x must have the same length; they may be the same slice.
func ScaleShift(dst, x []float32, a, b float32) {
	if len(x) != len(dst) {
		panic(fmt.Sprintf("vec.ScaleShift: %d values into %d", len(x), len(dst)))
	}
	n := scaleShift(dst, x, a, b)
	scaleShiftGeneric(dst[n:], x[n:], a, b)
}

func scaleShiftGeneric(dst, x []float32, a, b float32) {
	x = x[:len(dst)]
	for i, v := range x {
		dst[i] = float32(v*a) + b
	}
}

// NormGrad sets dx[i] = ((g[i] − gradMean) − (x[i] − mean)·k)·scale, every
// operation rounded to float32 in that order: the input gradient of a
// batch normalisation in training, given its per-channel terms. The three
// slices must have the same length.
func NormGrad(dx, g, x []float32, mean, k, gradMean, scale float32) {
	if len(g) != len(dx) || len(x) != len(dx) {
		panic(fmt.Sprintf("vec.NormGrad: %d gradients and %d inputs into %d", len(g), len(x), len(dx)))
	}
	n := normGrad(dx, g, x, mean, k, gradMean, scale)
	normGradGeneric(dx[n:], g[n:], x[n:], mean, k, gradMean, scale)
}

func normGradGeneric(dx, g, x []float32, mean, k, gradMean, scale float32) {
	g, x = g[:len(dx)], x[:len(dx)]
	for i := range dx {
		proj := float32((x[i] - mean) * k)
		dx[i] = float32((g[i] - gradMean - proj) * scale)
	}
}

// Pool2x2Row sets dst[i] = (top[2i] + top[2i+1] + bottom[2i] +
// bottom[2i+1])/4, added in that order: one output row of a 2×2 average
// pooling with stride 2 from its two input rows, which must hold at least
// 2·len(dst) values.
func Pool2x2Row(dst, top, bottom []float32) {
	if len(top) < 2*len(dst) || len(bottom) < 2*len(dst) {
		panic(fmt.Sprintf("vec.Pool2x2Row: rows of %d and %d values for %d outputs", len(top), len(bottom), len(dst)))
	}
	n := pool2x2Row(dst, top, bottom)
	pool2x2RowGeneric(dst[n:], top[2*n:], bottom[2*n:])
}

func pool2x2RowGeneric(dst, top, bottom []float32) {
	top, bottom = top[:2*len(dst)], bottom[:2*len(dst)]
	for i := range dst {
		dst[i] = (top[2*i] + top[2*i+1] + bottom[2*i] + bottom[2*i+1]) / 4
	}
}

// Pool2x2RowGrad writes 0 + g[i]/4 to top[2i], top[2i+1], bottom[2i] and
// bottom[2i+1]: the gradient of Pool2x2Row, as a sum from zero gives it
// (a gradient of −0 becomes +0). top and bottom must hold at least
// 2·len(g) values.
func Pool2x2RowGrad(g, top, bottom []float32) {
	if len(top) < 2*len(g) || len(bottom) < 2*len(g) {
		panic(fmt.Sprintf("vec.Pool2x2RowGrad: rows of %d and %d values for %d gradients", len(top), len(bottom), len(g)))
	}
	n := pool2x2RowGrad(g, top, bottom)
	pool2x2RowGradGeneric(g[n:], top[2*n:], bottom[2*n:])
}

func pool2x2RowGradGeneric(g, top, bottom []float32) {
	top, bottom = top[:2*len(g)], bottom[:2*len(g)]
	for i, v := range g {
		v = 0 + float32(v/4) // float32(…): the compiler would fuse ·0.25 and + into an FMA
		top[2*i], top[2*i+1] = v, v
		bottom[2*i], bottom[2*i+1] = v, v
	}
}

func addGeneric(dst, x, y []float32) {
	x, y = x[:len(dst)], y[:len(dst)]
	for i := range dst {
		dst[i] = x[i] + y[i]
	}
}

func reluGeneric(dst, src []float32) {
	dst = dst[:len(src)]
	for i, v := range src {
		if v < 0 {
			v = 0
		}
		dst[i] = v
	}
}

func maskPositiveGeneric(g, y []float32) {
	g = g[:len(y)]
	for i, v := range y {
		if !(v > 0) {
			g[i] = 0
		}
	}
}
