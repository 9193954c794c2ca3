package autodiff

import (
	"fmt"

	"github.com/autogan-go/autogan/internal/parallel"
	"github.com/autogan-go/autogan/internal/vec"
	"github.com/autogan-go/autogan/tensor"
)

// Conv2D returns the convolution of x (N×C×H×W) with w (O×C×KH×KW) plus b
// (length O, may be nil). With relu the result is clamped at zero inside the
// convolution's own pass over memory, and the backward pass masks the
// gradient with the output's sign.
func (tp *Tape) Conv2D(x, w, b *Var, cfg tensor.Conv2DConfig, relu bool) *Var {
	var bias *tensor.Tensor
	if b != nil {
		bias = b.Value
	}
	y := tensor.Conv2D(x.Value, w.Value, bias, cfg, relu)
	return tp.record(y, func(g *tensor.Tensor) {
		if relu {
			maskByPositive(g, y)
		}
		if needs(b) {
			give(b, channelSums(g))
		}
		if needs(w) {
			if w.Grad != nil {
				tensor.Conv2DBackwardWeight(g, x.Value, w.Value.Shape(), cfg, w.Grad)
			} else {
				give(w, tensor.Conv2DBackwardWeight(g, x.Value, w.Value.Shape(), cfg, nil))
			}
		}
		if needs(x) {
			give(x, tensor.Conv2DBackwardInput(g, w.Value, x.Value.Shape(), cfg))
		}
		g.Release()
	}, nil, x, w, b)
}

// ConvTranspose2D returns the transposed convolution of x (N×Cin×H×W) with
// w (Cin×Cout×KH×KW, PyTorch's layout) plus b (length Cout, may be nil), as
// torch.nn.ConvTranspose2d with output size (H−1)·stride − 2·pad + KH. It is
// the adjoint of Conv2D, so its forward pass is Conv2D's input gradient and
// vice versa.
func (tp *Tape) ConvTranspose2D(x, w, b *Var, cfg tensor.Conv2DConfig) *Var {
	xs, ws := x.Value.Shape(), w.Value.Shape()
	if len(xs) != 4 || len(ws) != 4 || xs[1] != ws[0] {
		panic(fmt.Sprintf("autodiff.ConvTranspose2D: input %v and weight %v (want N×Cin×H×W and Cin×Cout×KH×KW)", xs, ws))
	}
	sh, sw := max(cfg.StrideH, 1), max(cfg.StrideW, 1)
	outShape := []int{xs[0], ws[1], (xs[2]-1)*sh - 2*cfg.PadH + ws[2], (xs[3]-1)*sw - 2*cfg.PadW + ws[3]}
	y := tensor.Conv2DBackwardInput(x.Value, w.Value, outShape, cfg)
	if b != nil {
		addChannelBias(y, b.Value)
	}
	return tp.record(y, func(g *tensor.Tensor) {
		if needs(b) {
			give(b, channelSums(g))
		}
		if needs(w) {
			if w.Grad != nil {
				tensor.Conv2DBackwardWeight(x.Value, g, ws, cfg, w.Grad)
			} else {
				give(w, tensor.Conv2DBackwardWeight(x.Value, g, ws, cfg, nil))
			}
		}
		if needs(x) {
			give(x, tensor.Conv2D(g, w.Value, nil, cfg, false))
		}
		g.Release()
	}, nil, x, w, b)
}

// maskByPositive zeroes g where y is not positive (the ReLU derivative
// expressed through its output).
func maskByPositive(g, y *tensor.Tensor) {
	gd, yd := g.Data(), y.Data()
	parallel.For(len(gd), 1<<15, func(lo, hi int) {
		vec.MaskPositive(gd[lo:hi], yd[lo:hi])
	})
}

// channelSums returns Σ over batch and space of g (N×C×…) per channel, in
// float64, in a fixed order.
func channelSums(g *tensor.Tensor) *tensor.Tensor {
	n, c := g.Dim(0), g.Dim(1)
	plane := g.Len() / max(n*c, 1)
	out := tensor.Empty(c)
	gd, od := g.Data(), out.Data()
	// Blocks of eight channels, each sum one chain over the images in
	// order: vec.ChannelSums runs the eight side by side.
	const block = 8
	parallel.For((c+block-1)/block, 1, func(lo, hi int) {
		var sums [block]float64
		for b := lo; b < hi; b++ {
			ch0 := b * block
			k := min(block, c-ch0)
			s := sums[:k]
			clear(s)
			for i := 0; i < n; i++ {
				off := (i*c + ch0) * plane
				vec.ChannelSums(s, gd[off:off+k*plane], plane)
			}
			for q, v := range s {
				od[ch0+q] = float32(v)
			}
		}
	})
	return out
}

// addChannelBias adds b[c] to every value of channel c of y (N×C×…).
func addChannelBias(y, b *tensor.Tensor) {
	n, c := y.Dim(0), y.Dim(1)
	if b.Len() != c {
		panic(fmt.Sprintf("autodiff: bias %v for %d channels", b.Shape(), c))
	}
	plane := y.Len() / max(n*c, 1)
	yd, bd := y.Data(), b.Data()
	parallel.For(n*c, max(1, (1<<14)/max(plane, 1)), func(lo, hi int) {
		for pl := lo; pl < hi; pl++ {
			v := bd[pl%c]
			for i := range yd[pl*plane : (pl+1)*plane] {
				yd[pl*plane+i] += v
			}
		}
	})
}
