package autodiff

import (
	"math"

	"github.com/autogan-go/autogan/internal/parallel"
	"github.com/autogan-go/autogan/internal/vec"
	"github.com/autogan-go/autogan/tensor"
)

// unary records an element-wise operation y = f(x) whose derivative is
// expressed through x and y by deriv(x, y).
func (tp *Tape) unary(a *Var, y *tensor.Tensor, deriv func(x, y float32) float32) *Var {
	return tp.record(y, func(g *tensor.Tensor) {
		x, yd, gd := a.Value.Data(), y.Data(), g.Data()
		parallel.For(len(gd), elementGrain, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				gd[i] *= deriv(x[i], yd[i])
			}
		})
		give(a, g)
	}, nil, a)
}

// elementGrain is the number of elements of one parallel chunk of the
// element-wise gradients (as in package tensor).
const elementGrain = 1 << 15

// ReLU returns max(a, 0); its gradient is 1 where a > 0 and 0 elsewhere.
func (tp *Tape) ReLU(a *Var) *Var {
	y := tensor.ReLU(a.Value)
	return tp.record(y, func(g *tensor.Tensor) {
		x, gd := a.Value.Data(), g.Data()
		parallel.For(len(gd), elementGrain, func(lo, hi int) {
			vec.MaskPositive(gd[lo:hi], x[lo:hi])
		})
		give(a, g)
	}, nil, a)
}

// LeakyReLU returns a where a > 0 and slope·a elsewhere.
func (tp *Tape) LeakyReLU(a *Var, slope float32) *Var {
	y := tensor.Map(a.Value, func(v float32) float32 {
		if v > 0 {
			return v
		}
		return v * slope
	})
	return tp.unary(a, y, func(x, _ float32) float32 {
		if x > 0 {
			return 1
		}
		return slope
	})
}

// Tanh returns tanh a; the gradient uses the output: 1 − y².
func (tp *Tape) Tanh(a *Var) *Var {
	return tp.unary(a, tensor.Tanh(a.Value), func(_, y float32) float32 { return 1 - float32(y*y) })
}

// Sigmoid returns 1/(1+e⁻ᵃ); the gradient is y(1 − y).
func (tp *Tape) Sigmoid(a *Var) *Var {
	return tp.unary(a, tensor.Sigmoid(a.Value), func(_, y float32) float32 { return y * (1 - y) })
}

// Exp returns eᵃ; the gradient is the output itself.
func (tp *Tape) Exp(a *Var) *Var {
	return tp.unary(a, tensor.Exp(a.Value), func(_, y float32) float32 { return y })
}

// Log returns ln a; the gradient is 1/a.
func (tp *Tape) Log(a *Var) *Var {
	return tp.unary(a, tensor.Log(a.Value), func(x, _ float32) float32 { return 1 / x })
}

// lastAxisRows views a as rows of its last axis.
func lastAxisRows(t *tensor.Tensor) (rows, n int) {
	n = t.Dim(-1)
	return t.Len() / max(n, 1), n
}

// Softmax returns the softmax over the last axis, computed in float64 with
// the maximum subtracted. Backward: dx = y·(g − Σ g·y).
func (tp *Tape) Softmax(a *Var) *Var {
	y := tensor.Empty(a.Value.Shape()...)
	rows, n := lastAxisRows(a.Value)
	x, yd := a.Value.Data(), y.Data()
	for r := 0; r < rows; r++ {
		softmaxRow(yd[r*n:(r+1)*n], x[r*n:(r+1)*n], false)
	}
	return tp.record(y, func(g *tensor.Tensor) {
		gd := g.Data()
		for r := 0; r < rows; r++ {
			gr, yr := gd[r*n:(r+1)*n], yd[r*n:(r+1)*n]
			var dot float64
			for i := range gr {
				dot += float64(gr[i]) * float64(yr[i])
			}
			for i := range gr {
				gr[i] = float32(float64(yr[i]) * (float64(gr[i]) - dot))
			}
		}
		give(a, g)
	}, nil, a)
}

// LogSoftmax returns log(softmax(a)) over the last axis. Backward:
// dx = g − softmax·Σ g.
func (tp *Tape) LogSoftmax(a *Var) *Var {
	y := tensor.Empty(a.Value.Shape()...)
	rows, n := lastAxisRows(a.Value)
	x, yd := a.Value.Data(), y.Data()
	for r := 0; r < rows; r++ {
		softmaxRow(yd[r*n:(r+1)*n], x[r*n:(r+1)*n], true)
	}
	return tp.record(y, func(g *tensor.Tensor) {
		gd := g.Data()
		for r := 0; r < rows; r++ {
			gr, yr := gd[r*n:(r+1)*n], yd[r*n:(r+1)*n]
			var sum float64
			for _, v := range gr {
				sum += float64(v)
			}
			for i := range gr {
				gr[i] = float32(float64(gr[i]) - float64(math.Exp(float64(yr[i]))*sum))
			}
		}
		give(a, g)
	}, nil, a)
}

// softmaxRow writes softmax (or log-softmax) of x into y in float64.
func softmaxRow(y, x []float32, log bool) {
	m := math.Inf(-1)
	for _, v := range x {
		m = math.Max(m, float64(v))
	}
	var s float64
	for _, v := range x {
		s += math.Exp(float64(v) - m)
	}
	lse := m + math.Log(s)
	for i, v := range x {
		if log {
			y[i] = float32(float64(v) - lse)
		} else {
			y[i] = float32(math.Exp(float64(v) - lse))
		}
	}
}
