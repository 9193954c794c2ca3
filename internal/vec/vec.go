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
