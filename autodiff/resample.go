package autodiff

import (
	"fmt"

	"github.com/autogan-go/autogan/tensor"
)

// UpsampleNearest resizes x (N×C×H×W) to h×w by nearest-neighbour sampling,
// as F.interpolate(mode="nearest") (by scale 2: h, w = 2H, 2W).
func (tp *Tape) UpsampleNearest(x *Var, h, w int) *Var {
	checkImage("UpsampleNearest", x)
	return tp.record(tensor.UpsampleNearest(x.Value, h, w), func(g *tensor.Tensor) {
		give(x, tensor.UpsampleNearestBackward(g, x.Value.Shape()))
		g.Release()
	}, nil, x)
}

// UpsampleBilinear resizes x (N×C×H×W) to h×w bilinearly with half-pixel
// centres, as F.interpolate(mode="bilinear", align_corners=False).
func (tp *Tape) UpsampleBilinear(x *Var, h, w int) *Var {
	checkImage("UpsampleBilinear", x)
	return tp.record(tensor.UpsampleBilinear(x.Value, h, w), func(g *tensor.Tensor) {
		give(x, tensor.UpsampleBilinearBackward(g, x.Value.Shape()))
		g.Release()
	}, nil, x)
}

// AvgPool2D averages windows of x; countPad selects PyTorch's
// count_include_pad (true is PyTorch's default).
func (tp *Tape) AvgPool2D(x *Var, cfg tensor.Pool2DConfig, countPad bool) *Var {
	return tp.record(tensor.AvgPool2D(x.Value, cfg, countPad), func(g *tensor.Tensor) {
		give(x, tensor.AvgPool2DBackward(g, x.Value.Shape(), cfg, countPad))
		g.Release()
	}, nil, x)
}

// MaxPool2D takes the maximum of windows of x.
func (tp *Tape) MaxPool2D(x *Var, cfg tensor.Pool2DConfig) *Var {
	y, arg := tensor.MaxPool2D(x.Value, cfg)
	return tp.record(y, func(g *tensor.Tensor) {
		give(x, tensor.MaxPool2DBackward(g, arg, x.Value.Shape()))
		g.Release()
	}, nil, x)
}

// GlobalSumPool sums x (N×C×H×W) over both spatial axes, giving N×C (the
// pooling of the reference discriminator, whose comment says "average").
func (tp *Tape) GlobalSumPool(x *Var) *Var {
	checkImage("GlobalSumPool", x)
	return tp.Sum(x, []int{2, 3})
}

// GlobalAvgPool averages x (N×C×H×W) over both spatial axes, giving N×C.
func (tp *Tape) GlobalAvgPool(x *Var) *Var {
	checkImage("GlobalAvgPool", x)
	return tp.Mean(x, []int{2, 3})
}

func checkImage(op string, x *Var) {
	if x.Value.Rank() != 4 {
		panic(fmt.Sprintf("autodiff.%s: input %v is not N×C×H×W", op, x.Value.Shape()))
	}
}
