package tensor

import (
	"fmt"

	"github.com/autogan-go/autogan/internal/parallel"
)

// Pool2DConfig is the geometry of a pooling window: a KH×KW window moved by
// the strides over an input padded by PadH/PadW on each side.
type Pool2DConfig struct {
	KH, KW           int
	StrideH, StrideW int
	PadH, PadW       int
}

func (c Pool2DConfig) outSize(op string, shape []int) (n, ch, h, w, oh, ow int) {
	if len(shape) != 4 || c.KH < 1 || c.KW < 1 || c.StrideH < 1 || c.StrideW < 1 || c.PadH < 0 || c.PadW < 0 ||
		2*c.PadH > c.KH || 2*c.PadW > c.KW {
		panic(fmt.Sprintf("tensor.%s: input %v with %+v", op, shape, c))
	}
	n, ch, h, w = shape[0], shape[1], shape[2], shape[3]
	oh, ow = (h+2*c.PadH-c.KH)/c.StrideH+1, (w+2*c.PadW-c.KW)/c.StrideW+1
	if oh < 1 || ow < 1 {
		panic(fmt.Sprintf("tensor.%s: input %v too small for %+v", op, shape, c))
	}
	return
}

// window returns the clipped input range of output position o along one
// axis and the unclipped size of the window.
func window(o, stride, pad, k, size int) (lo, hi, full int) {
	start := o*stride - pad
	end := start + k
	full = min(end, size+pad) - start // PyTorch counts padding only inside the padded input
	return max(start, 0), min(end, size), full
}

// AvgPool2D averages windows of x (N×C×H×W). With countPad the divisor is
// the window size including zero padding (PyTorch's default
// count_include_pad=True); without it only real input cells count, as in
// TensorFlow's SAME pooling and the FID Inception-v3.
func AvgPool2D(x *Tensor, c Pool2DConfig, countPad bool) *Tensor {
	n, ch, h, w, oh, ow := c.outSize("AvgPool2D", x.shape)
	y := Empty(n, ch, oh, ow)
	switch {
	case c.is2x2() && h%2 == 0 && w%2 == 0:
		avgPool2x2(x, y, n, ch, h, w, oh, ow)
		return y
	case c.is3x3s1p1():
		avgPool3x3(x, y, n, ch, h, w, countPad)
		return y
	}
	parallel.For(n*ch, planeGrain(h*w), func(lo, hi int) {
		for pl := lo; pl < hi; pl++ {
			src := x.data[pl*h*w : (pl+1)*h*w]
			dst := y.data[pl*oh*ow : (pl+1)*oh*ow]
			for oy := 0; oy < oh; oy++ {
				y0, y1, fh := window(oy, c.StrideH, c.PadH, c.KH, h)
				for ox := 0; ox < ow; ox++ {
					x0, x1, fw := window(ox, c.StrideW, c.PadW, c.KW, w)
					var s float32
					for iy := y0; iy < y1; iy++ {
						for _, v := range src[iy*w+x0 : iy*w+x1] {
							s += v
						}
					}
					div := fh * fw
					if !countPad {
						div = (y1 - y0) * (x1 - x0)
					}
					dst[oy*ow+ox] = s / float32(div)
				}
			}
		}
	})
	return y
}

// AvgPool2DBackward returns the input gradient of AvgPool2D.
func AvgPool2DBackward(dy *Tensor, inShape []int, c Pool2DConfig, countPad bool) *Tensor {
	n, ch, h, w, oh, ow := c.outSize("AvgPool2DBackward", inShape)
	if c.is2x2() && h%2 == 0 && w%2 == 0 {
		// Each value of dx gets exactly one gradient: no zeros needed.
		// (Odd sizes take the general loop, which gives the same bits.)
		dx := Empty(inShape...)
		avgPool2x2Backward(dy, dx, n, ch, h, w, oh, ow)
		return dx
	}
	dx := New(inShape...)
	parallel.For(n*ch, planeGrain(h*w), func(lo, hi int) {
		for pl := lo; pl < hi; pl++ {
			g := dy.data[pl*oh*ow : (pl+1)*oh*ow]
			dst := dx.data[pl*h*w : (pl+1)*h*w]
			for oy := 0; oy < oh; oy++ {
				y0, y1, fh := window(oy, c.StrideH, c.PadH, c.KH, h)
				for ox := 0; ox < ow; ox++ {
					x0, x1, fw := window(ox, c.StrideW, c.PadW, c.KW, w)
					div := fh * fw
					if !countPad {
						div = (y1 - y0) * (x1 - x0)
					}
					v := g[oy*ow+ox] / float32(div)
					for iy := y0; iy < y1; iy++ {
						row := dst[iy*w+x0 : iy*w+x1]
						for i := range row {
							row[i] += v
						}
					}
				}
			}
		}
	})
	return dx
}

// MaxPool2D takes the maximum of windows of x (N×C×H×W), padding with −∞.
// It also returns, for every output, the index within its plane of the
// input that won (the first one on ties), for the backward pass.
func MaxPool2D(x *Tensor, c Pool2DConfig) (*Tensor, []int32) {
	n, ch, h, w, oh, ow := c.outSize("MaxPool2D", x.shape)
	y := Empty(n, ch, oh, ow)
	arg := make([]int32, len(y.data))
	parallel.For(n*ch, planeGrain(h*w), func(lo, hi int) {
		for pl := lo; pl < hi; pl++ {
			src := x.data[pl*h*w : (pl+1)*h*w]
			for oy := 0; oy < oh; oy++ {
				y0, y1, _ := window(oy, c.StrideH, c.PadH, c.KH, h)
				for ox := 0; ox < ow; ox++ {
					x0, x1, _ := window(ox, c.StrideW, c.PadW, c.KW, w)
					best, bi := src[y0*w+x0], y0*w+x0
					for iy := y0; iy < y1; iy++ {
						for ix := x0; ix < x1; ix++ {
							if v := src[iy*w+ix]; v > best || v != v {
								best, bi = v, iy*w+ix
							}
						}
					}
					o := pl*oh*ow + oy*ow + ox
					y.data[o], arg[o] = best, int32(bi)
				}
			}
		}
	})
	return y, arg
}

// MaxPool2DBackward routes each output gradient to the input that won.
func MaxPool2DBackward(dy *Tensor, arg []int32, inShape []int) *Tensor {
	if len(inShape) != 4 || dy.Rank() != 4 || len(arg) != dy.Len() {
		panic(fmt.Sprintf("tensor.MaxPool2DBackward: gradient %v for input %v", dy.shape, inShape))
	}
	dx := New(inShape...)
	plane, oplane := inShape[2]*inShape[3], dy.shape[2]*dy.shape[3]
	parallel.For(inShape[0]*inShape[1], planeGrain(plane), func(lo, hi int) {
		for pl := lo; pl < hi; pl++ {
			dst := dx.data[pl*plane : (pl+1)*plane]
			for o := pl * oplane; o < (pl+1)*oplane; o++ {
				dst[arg[o]] += dy.data[o]
			}
		}
	})
	return dx
}

// planeGrain is how many image planes one parallel chunk handles: enough
// for about 16K elements.
func planeGrain(plane int) int { return max(1, (1<<14)/max(plane, 1)) }
