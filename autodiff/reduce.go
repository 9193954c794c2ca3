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
func (tp *Tape) Sum(a *Var, axes []int) *Var { return tp.reduce(a, axes, false) }

// Mean returns the mean of a over axes (all axes when nil), dropping them.
func (tp *Tape) Mean(a *Var, axes []int) *Var { return tp.reduce(a, axes, true) }

// reduce is Sum, or Mean when mean is set. Every input value receives the
// gradient of the output value it was reduced into, divided by the number
// of values reduced for a mean.
func (tp *Tape) reduce(a *Var, axes []int, mean bool) *Var {
	shape := a.Value.Shape()
	kept := keptShape(shape, axes)
	op, scale := tensor.Sum, float32(1)
	if mean {
		op = tensor.Mean
		n := 1
		for i := range shape {
			if kept[i] == 1 { // a reduced axis (or a size-1 axis, which changes nothing)
				n *= shape[i]
			}
		}
		scale = 1 / float32(n)
	}
	return tp.record(op(a.Value, axes, false), func(g *tensor.Tensor) {
		g.SetShape(kept...)
		if mean {
			g.Scale(scale)
		}
		ga := tensor.BroadcastTo(g, shape...)
		g.Release()
		give(a, ga)
	}, nil, a)
}
