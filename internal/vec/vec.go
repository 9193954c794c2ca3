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
// before the addition (the affine step of a batch normalisation); with
// relu, max(0, x[i]·a + b) in the same pass, with the bits of [ReLU]
// applied after it (NaN and −0 pass through). dst and x must have the
// same length; they may be the same slice.
func ScaleShift(dst, x []float32, a, b float32, relu bool) {
	if len(x) != len(dst) {
		panic(fmt.Sprintf("vec.ScaleShift: %d values into %d", len(x), len(dst)))
	}
	n := scaleShift(dst, x, a, b, relu)
	scaleShiftGeneric(dst[n:], x[n:], a, b, relu)
}

func scaleShiftGeneric(dst, x []float32, a, b float32, relu bool) {
	x = x[:len(dst)]
	for i, v := range x {
		v = float32(v*a) + b
		if relu && v < 0 {
			v = 0
		}
		dst[i] = v
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

// CopyRows copies rows rows of cols values, contiguous in src, to dst,
// where they start dstStride values apart: an image's rows into a padded
// plane. One call copies every row; a copy call per row of 8 or 16 values
// cost more than the copy.
//
// While it copies, the AVX2 kernel asks the cache for the values ahead
// values past each one it reads: the caller's next rows (the same rows of
// the next channel, for the Winograd padding), which then arrive before
// they are copied. It only reads them into the cache, and a prefetch
// never faults, so any ahead is safe, even past the end of src; 0 asks
// for nothing new. The result does not depend on it.
func CopyRows(dst []float32, dstStride int, src []float32, rows, cols, ahead int) {
	if rows < 0 || cols < 0 || dstStride < cols || len(src) < rows*cols || rows > 0 && len(dst) < (rows-1)*dstStride+cols {
		panic(fmt.Sprintf("vec.CopyRows: %d rows of %d values from %d values into %d with stride %d", rows, cols, len(src), len(dst), dstStride))
	}
	if !copyRows(dst, dstStride, src, rows, cols, ahead) {
		for r := range rows {
			copy(dst[r*dstStride:r*dstStride+cols], src[r*cols:(r+1)*cols])
		}
	}
}

// Pool2x2 sets dst[r·cols+i], for rows×cols outputs, to the average of
// the 2×2 block of src (2·rows rows of 2·cols values) at row 2r, column
// 2i: (a + b + c + d)/4, top-left, top-right, bottom-left, bottom-right,
// added in that order (PyTorch's). It is a 2×2 average pooling with stride
// 2 of one plane.
func Pool2x2(dst, src []float32, rows, cols int) {
	if rows < 0 || cols < 0 || len(dst) != rows*cols || len(src) != 4*rows*cols {
		panic(fmt.Sprintf("vec.Pool2x2: %d values into %d for %d×%d outputs", len(src), len(dst), rows, cols))
	}
	if !pool2x2(dst, src, rows, cols) {
		pool2x2Generic(dst, src, rows, cols)
	}
}

func pool2x2Generic(dst, src []float32, rows, cols int) {
	for r := range rows {
		out, top, bottom := dst[r*cols:(r+1)*cols], src[4*r*cols:(4*r+2)*cols], src[(4*r+2)*cols:(4*r+4)*cols]
		for i := range out {
			out[i] = (top[2*i] + top[2*i+1] + bottom[2*i] + bottom[2*i+1]) / 4
		}
	}
}

// Pool2x2Grad is the gradient of Pool2x2: it writes 0 + g/4 for each of
// the rows×cols gradients g to the four values of its 2×2 block of dst
// (2·rows rows of 2·cols values), as a sum from zero gives it (a gradient
// of −0 becomes +0).
func Pool2x2Grad(g, dst []float32, rows, cols int) {
	if rows < 0 || cols < 0 || len(g) != rows*cols || len(dst) != 4*rows*cols {
		panic(fmt.Sprintf("vec.Pool2x2Grad: %d gradients into %d values for %d×%d", len(g), len(dst), rows, cols))
	}
	if !pool2x2Grad(g, dst, rows, cols) {
		pool2x2GradGeneric(g, dst, rows, cols)
	}
}

func pool2x2GradGeneric(g, dst []float32, rows, cols int) {
	for r := range rows {
		in, top, bottom := g[r*cols:(r+1)*cols], dst[4*r*cols:(4*r+2)*cols], dst[(4*r+2)*cols:(4*r+4)*cols]
		for i, v := range in {
			v = 0 + float32(v/4) // float32(…): the compiler would fuse ·0.25 and + into an FMA
			top[2*i], top[2*i+1] = v, v
			bottom[2*i], bottom[2*i+1] = v, v
		}
	}
}

// Upsample2x2 writes every value of src (rows×cols) to its 2×2 block of
// dst (2·rows rows of 2·cols values): a nearest-neighbour up-sampling by
// two of one plane.
func Upsample2x2(dst, src []float32, rows, cols int) {
	if rows < 0 || cols < 0 || len(src) != rows*cols || len(dst) != 4*rows*cols {
		panic(fmt.Sprintf("vec.Upsample2x2: %d values into %d for %d×%d", len(src), len(dst), rows, cols))
	}
	if !upsample2x2(dst, src, rows, cols) {
		upsample2x2Generic(dst, src, rows, cols)
	}
}

func upsample2x2Generic(dst, src []float32, rows, cols int) {
	for r := range rows {
		in, top, bottom := src[r*cols:(r+1)*cols], dst[4*r*cols:(4*r+2)*cols], dst[(4*r+2)*cols:(4*r+4)*cols]
		for i, v := range in {
			top[2*i], top[2*i+1] = v, v
			bottom[2*i], bottom[2*i+1] = v, v
		}
	}
}

// Upsample2x2Grad is the gradient of Upsample2x2: dx[r·cols+i] is the sum
// of the 2×2 block of g at row 2r, column 2i, from zero, top-left,
// top-right, bottom-left, bottom-right: (((0 + a) + b) + c) + d (a block
// of −0 gives +0).
func Upsample2x2Grad(dx, g []float32, rows, cols int) {
	if rows < 0 || cols < 0 || len(dx) != rows*cols || len(g) != 4*rows*cols {
		panic(fmt.Sprintf("vec.Upsample2x2Grad: %d gradients into %d values for %d×%d", len(g), len(dx), rows, cols))
	}
	if !upsample2x2Grad(dx, g, rows, cols) {
		upsample2x2GradGeneric(dx, g, rows, cols)
	}
}

func upsample2x2GradGeneric(dx, g []float32, rows, cols int) {
	for r := range rows {
		out, top, bottom := dx[r*cols:(r+1)*cols], g[4*r*cols:(4*r+2)*cols], g[(4*r+2)*cols:(4*r+4)*cols]
		for i := range out {
			out[i] = (((0 + top[2*i]) + top[2*i+1]) + bottom[2*i]) + bottom[2*i+1]
		}
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
