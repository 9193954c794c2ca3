package autodiff

import (
	"slices"

	"github.com/autogan-go/autogan/tensor"
)

// sumToShape reduces a broadcast gradient g back to shape by summing over
// the stretched axes; it takes ownership of g and returns an owned tensor.
func sumToShape(g *tensor.Tensor, shape []int) *tensor.Tensor {
	gs := g.Shape()
	if slices.Equal(gs, shape) {
		return g
	}
	lead := len(gs) - len(shape)
	var axes []int
	for i := range gs {
		if i < lead || shape[i-lead] == 1 && gs[i] != 1 {
			axes = append(axes, i)
		}
	}
	s := tensor.Sum(g, axes, true)
	g.Release()
	s.SetShape(shape...)
	return s
}

// Add returns a + b with broadcasting.
func (tp *Tape) Add(a, b *Var) *Var {
	return tp.record(tensor.Add(a.Value, b.Value), func(g *tensor.Tensor) {
		switch {
		case needs(a) && needs(b):
			give(b, sumToShape(g.Clone(), b.Value.Shape()))
			give(a, sumToShape(g, a.Value.Shape()))
		case needs(a):
			give(a, sumToShape(g, a.Value.Shape()))
		default:
			give(b, sumToShape(g, b.Value.Shape()))
		}
	}, nil, a, b)
}

// Sub returns a − b with broadcasting.
func (tp *Tape) Sub(a, b *Var) *Var {
	return tp.record(tensor.Sub(a.Value, b.Value), func(g *tensor.Tensor) {
		if needs(b) {
			gb := tensor.Neg(g)
			give(b, sumToShape(gb, b.Value.Shape()))
		}
		give(a, sumToShape(g, a.Value.Shape()))
	}, nil, a, b)
}

// Mul returns a·b element-wise with broadcasting.
func (tp *Tape) Mul(a, b *Var) *Var {
	return tp.record(tensor.Mul(a.Value, b.Value), func(g *tensor.Tensor) {
		if needs(a) {
			give(a, sumToShape(tensor.Mul(g, b.Value), a.Value.Shape()))
		}
		if needs(b) {
			give(b, sumToShape(tensor.Mul(g, a.Value), b.Value.Shape()))
		}
		g.Release()
	}, nil, a, b)
}

// Div returns a / b element-wise with broadcasting.
func (tp *Tape) Div(a, b *Var) *Var {
	return tp.record(tensor.Div(a.Value, b.Value), func(g *tensor.Tensor) {
		if needs(a) {
			give(a, sumToShape(tensor.Div(g, b.Value), a.Value.Shape()))
		}
		if needs(b) {
			// d(a/b)/db = −a/b²
			q := tensor.Div(a.Value, b.Value)
			t := tensor.Div(q, b.Value)
			q.Release()
			gb := tensor.Mul(g, t)
			t.Release()
			gb.Scale(-1)
			give(b, sumToShape(gb, b.Value.Shape()))
		}
		g.Release()
	}, nil, a, b)
}

// AddScalar returns a + s.
func (tp *Tape) AddScalar(a *Var, s float32) *Var {
	return tp.record(tensor.AddScalar(a.Value, s), func(g *tensor.Tensor) { give(a, g) }, nil, a)
}

// MulScalar returns a·s.
func (tp *Tape) MulScalar(a *Var, s float32) *Var {
	return tp.record(tensor.MulScalar(a.Value, s), func(g *tensor.Tensor) {
		g.Scale(s)
		give(a, g)
	}, nil, a)
}

// Neg returns −a.
func (tp *Tape) Neg(a *Var) *Var { return tp.MulScalar(a, -1) }
