package autodiff

import "github.com/autogan-go/autogan/tensor"

// keptShape is the shape of a reduction with keepDims: reduced axes become 1.
func keptShape(shape []int, axes []int) []int {
	out := append([]int(nil), shape...)
	if axes == nil {
		for i := range out {
			out[i] = 1
		}
		return out
	}
	for _, a := range axes {
		if a < 0 {
			a += len(shape)
		}
		out[a] = 1
	}
	return out
}

// Sum returns the sum of a over axes (all axes when nil), dropping them.
func (tp *Tape) Sum(a *Var, axes []int) *Var {
	return tp.reduceSum(a, axes, 1)
}

// Mean returns the mean of a over axes (all axes when nil), dropping them.
func (tp *Tape) Mean(a *Var, axes []int) *Var {
	shape := a.Value.Shape()
	kept := keptShape(shape, axes)
	n := 1
	for i := range shape {
		if kept[i] == 1 { // a reduced axis (or a size-1 axis, which changes nothing)
			n *= shape[i]
		}
	}
	return tp.reduceSum(a, axes, 1/float32(n))
}

func (tp *Tape) reduceSum(a *Var, axes []int, scale float32) *Var {
	var y *tensor.Tensor
	if scale == 1 {
		y = tensor.Sum(a.Value, axes, false)
	} else {
		y = tensor.Mean(a.Value, axes, false)
	}
	return tp.record(y, func(g *tensor.Tensor) {
		shape := a.Value.Shape()
		g.SetShape(keptShape(shape, axes)...)
		if scale != 1 {
			g.Scale(scale)
		}
		ga := tensor.BroadcastTo(g, shape...)
		g.Release()
		give(a, ga)
	}, nil, a)
}
