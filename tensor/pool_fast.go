package tensor

import (
	"github.com/autogan-go/autogan/internal/buffer"
	"github.com/autogan-go/autogan/internal/parallel"
	"github.com/autogan-go/autogan/internal/vec"
)

// Fast paths for the pooling windows the networks use. They give the same
// values as the general loops (max is exact; sums may round differently in
// the last bit, because the 3×3 path adds three row sums instead of nine
// values in turn).

// is2x2 reports a 2×2 window with stride 2 and no padding (the
// discriminator's downsampling).
func (c Pool2DConfig) is2x2() bool {
	return c.KH == 2 && c.KW == 2 && c.StrideH == 2 && c.StrideW == 2 && c.PadH == 0 && c.PadW == 0
}

// avgPool2x2 averages 2×2 blocks: (a + b + c + d)/4 in PyTorch's order.
func avgPool2x2(x, y *Tensor, n, ch, h, w, oh, ow int) {
	parallel.For(n*ch, planeGrain(h*w), func(lo, hi int) {
		for pl := lo; pl < hi; pl++ {
			vec.Pool2x2(y.data[pl*oh*ow:(pl+1)*oh*ow], x.data[pl*h*w:(pl+1)*h*w], oh, ow)
		}
	})
}

// avgPool2x2Backward writes a quarter of each output gradient to its 2×2
// block of dx. The general loop of AvgPool2DBackward adds it to a zero;
// the blocks do not overlap, so every value gets one addition, which is
// written here as 0 + v (not v: a gradient of −0 becomes +0 there) and
// gives the same bits without clearing dx first. h and w are even.
func avgPool2x2Backward(dy, dx *Tensor, n, ch, h, w, oh, ow int) {
	parallel.For(n*ch, planeGrain(h*w), func(lo, hi int) {
		for pl := lo; pl < hi; pl++ {
			vec.Pool2x2Grad(dy.data[pl*oh*ow:(pl+1)*oh*ow], dx.data[pl*h*w:(pl+1)*h*w], oh, ow)
		}
	})
}

// is3x3s1p1 reports the Inception tower pool window.
func (c Pool2DConfig) is3x3s1p1() bool {
	return c.KH == 3 && c.KW == 3 && c.StrideH == 1 && c.StrideW == 1 && c.PadH == 1 && c.PadW == 1
}

// avgPool3x3 averages 3×3 windows with stride 1 and padding 1 separably:
// three-value row sums, then sums of three row sums, divided by 9 or (without
// countPad) by the number of real cells.
func avgPool3x3(x, y *Tensor, n, ch, h, w int, countPad bool) {
	parallel.For(n*ch, planeGrain(h*w), func(lo, hi int) {
		rows := buffer.Get(h * w) // scratch: from the cache, warm
		defer buffer.Put(rows)
		for pl := lo; pl < hi; pl++ {
			avgPool3x3Plane(y.data[pl*h*w:(pl+1)*h*w], x.data[pl*h*w:(pl+1)*h*w], rows, h, w, countPad)
		}
	})
}

// avgPool3x3Plane is avgPool3x3 for one plane, with rows as scratch. It
// computes the sums of avgPool3x3Loop in the same order, so the same bits
// (only which NaN comes out of two may differ: Go's compiler orders the
// operands of an addition as it likes), with the vector kernels of package
// vec over whole planes: the row sums of the plane taken as one long row,
// whose values at the ends of each row (where the long row mixes two rows)
// are then recomputed, and the column sums of all inner rows in one call,
// whose end columns are recomputed without countPad (their windows have
// two columns, not three). The Inception tower's pools (35×35, 17×17 and
// 8×8 planes) took 6% of its forward pass with the loop.
func avgPool3x3Plane(dst, src, rows []float32, h, w int, countPad bool) {
	if h < 3 || w < 3 {
		avgPool3x3Loop(dst, src, rows, h, w, countPad)
		return
	}
	n := h * w
	vec.Sum3(rows[1:n-1], src[:n-2], src[1:n-1], src[2:])
	for iy := 0; iy < h; iy++ {
		r, o := src[iy*w:(iy+1)*w], rows[iy*w:(iy+1)*w]
		o[0] = r[0] + r[1]
		o[w-1] = r[w-2] + r[w-1]
	}
	// The top and bottom rows' windows have two rows, the others three:
	// 6 or 9 cells without countPad (but at the end columns), 9 with it.
	edge := float32(9)
	if !countPad {
		edge = 6
	}
	vec.Sum2Div(dst[:w], rows[:w], rows[w:2*w], edge)
	vec.Sum3Div(dst[w:n-w], rows[:n-2*w], rows[w:n-w], rows[2*w:], 9)
	vec.Sum2Div(dst[n-w:], rows[n-2*w:n-w], rows[n-w:], edge)
	if countPad {
		return
	}
	// The end columns: windows of two columns.
	for oy := 0; oy < h; oy++ {
		y0, y1 := max(oy-1, 0), min(oy+1, h-1)
		div := float32((y1 - y0 + 1) * 2)
		for _, ox := range [2]int{0, w - 1} {
			s := rows[y0*w+ox]
			for yy := y0 + 1; yy <= y1; yy++ {
				s += rows[yy*w+ox]
			}
			dst[oy*w+ox] = s / div
		}
	}
}

// avgPool3x3Loop is avgPool3x3Plane written as plain loops: the
// definition the vector version follows, and the one small planes use.
func avgPool3x3Loop(dst, src, rows []float32, h, w int, countPad bool) {
	for iy := 0; iy < h; iy++ {
		r, o := src[iy*w:(iy+1)*w], rows[iy*w:(iy+1)*w]
		for ix := range o {
			s := r[ix]
			if ix > 0 {
				s = r[ix-1] + s
			}
			if ix+1 < w {
				s += r[ix+1]
			}
			o[ix] = s
		}
	}
	for oy := 0; oy < h; oy++ {
		y0, y1 := max(oy-1, 0), min(oy+1, h-1)
		cellsH := y1 - y0 + 1 // window rows inside the image
		out := dst[oy*w : (oy+1)*w]
		for ox := range out {
			s := rows[y0*w+ox]
			for yy := y0 + 1; yy <= y1; yy++ {
				s += rows[yy*w+ox]
			}
			div := float32(9)
			if !countPad {
				cellsW := min(ox+1, w-1) - max(ox-1, 0) + 1
				div = float32(cellsH * cellsW)
			}
			out[ox] = s / div
		}
	}
}

// MaxPool2DValues is MaxPool2D without the argmax, for inference. 3×3
// windows (stride 1 with padding 1, or stride 2 without padding) take the
// maximum separably, first along rows, then along columns, with Go's
// branch-free max (which returns NaN when an argument is NaN, as PyTorch).
func MaxPool2DValues(x *Tensor, c Pool2DConfig) *Tensor {
	n, ch, h, w, oh, ow := c.outSize("MaxPool2DValues", x.shape)
	s1 := c.is3x3s1p1()
	s2 := c.KH == 3 && c.KW == 3 && c.StrideH == 2 && c.StrideW == 2 && c.PadH == 0 && c.PadW == 0
	if !s1 && !s2 {
		y, _ := MaxPool2D(x, c)
		return y
	}
	y := Empty(n, ch, oh, ow)
	parallel.For(n*ch, planeGrain(h*w), func(lo, hi int) {
		rows := buffer.Get(h * ow)
		defer buffer.Put(rows)
		for pl := lo; pl < hi; pl++ {
			src := x.data[pl*h*w : (pl+1)*h*w]
			dst := y.data[pl*oh*ow : (pl+1)*oh*ow]
			if s2 {
				maxPool3x3Stride2Plane(dst, src, rows, h, w, ow)
			} else {
				maxPool3x3Plane(dst, src, rows, h, w)
			}
		}
	})
	return y
}

// maxPool3x3Plane is the 3×3 max pooling of stride 1 and padding 1 of one
// plane, with rows (h·w values) as scratch, on the vector kernels as
// avgPool3x3Plane: the row maxima of the plane taken as one long row, the
// ends of each row recomputed, then the column maxima of all rows at once
// (max(a, b, b) for the top and bottom rows, whose windows have two rows).
// Maxima do not depend on the order they are taken in, so it gives the
// values of maxPoolLoop (NaN for NaN, whatever its payload).
func maxPool3x3Plane(dst, src, rows []float32, h, w int) {
	if h < 3 || w < 3 {
		maxPoolLoop(dst, src, rows, h, w, w, 1, 1)
		return
	}
	n := h * w
	vec.Max3(rows[1:n-1], src[:n-2], src[1:n-1], src[2:])
	for iy := 0; iy < h; iy++ {
		r, o := src[iy*w:(iy+1)*w], rows[iy*w:(iy+1)*w]
		o[0] = max(r[0], r[1])
		o[w-1] = max(r[w-2], r[w-1])
	}
	vec.Max3(dst[:w], rows[:w], rows[w:2*w], rows[w:2*w])
	vec.Max3(dst[w:n-w], rows[:n-2*w], rows[w:n-w], rows[2*w:])
	vec.Max3(dst[n-w:], rows[n-2*w:n-w], rows[n-w:], rows[n-w:])
}

// maxPool3x3Stride2Plane is the 3×3 max pooling of stride 2 without
// padding of one plane (the Inception stem's and reduction blocks'), with
// rows (h·ow values) as scratch: the maxima of every row's windows, then
// of three rows for each output row. ow is the output's width.
func maxPool3x3Stride2Plane(dst, src, rows []float32, h, w, ow int) {
	if h < 3 || w < 3 {
		maxPoolLoop(dst, src, rows, h, w, ow, 2, 0)
		return
	}
	for iy := 0; iy < h; iy++ {
		vec.Max3Stride2(rows[iy*ow:(iy+1)*ow], src[iy*w:(iy+1)*w])
	}
	for oy := 0; oy < len(dst)/ow; oy++ {
		r := rows[2*oy*ow:]
		vec.Max3(dst[oy*ow:(oy+1)*ow], r[:ow], r[ow:2*ow], r[2*ow:3*ow])
	}
}

// maxPoolLoop is the separable 3×3 max pooling written as plain loops, for
// a stride of 1 (with padding 1) or 2 (without padding): the definition the
// vector versions follow, and the one small planes use. rows holds h rows
// of ow values.
func maxPoolLoop(dst, src, rows []float32, h, w, ow, stride, pad int) {
	for iy := 0; iy < h; iy++ {
		r, o := src[iy*w:(iy+1)*w], rows[iy*ow:(iy+1)*ow]
		if stride == 2 {
			for ox := range o {
				o[ox] = max(r[2*ox], r[2*ox+1], r[2*ox+2])
			}
			continue
		}
		if w == 1 {
			o[0] = r[0]
			continue
		}
		o[0] = max(r[0], r[1])
		for ox := 1; ox < w-1; ox++ {
			o[ox] = max(r[ox-1], r[ox], r[ox+1])
		}
		o[w-1] = max(r[w-2], r[w-1])
	}
	for oy := 0; oy < len(dst)/ow; oy++ {
		y0 := max(oy*stride-pad, 0)
		y1 := min(oy*stride-pad+2, h-1)
		out := dst[oy*ow : (oy+1)*ow]
		copy(out, rows[y0*ow:(y0+1)*ow])
		for yy := y0 + 1; yy <= y1; yy++ {
			r := rows[yy*ow : (yy+1)*ow]
			for ox, v := range r {
				out[ox] = max(out[ox], v)
			}
		}
	}
}
