package autodiff

import (
	"math"
	"testing"

	"github.com/autogan-go/autogan/tensor"
)

// gradCheck compares the gradients Backward computes for L = Σ f(x)·R
// (R a fixed random tensor) with central finite differences
// (L(x+h) − L(x−h))/2h, for every element of every input (or a spread of
// at most 60 per input).
func gradCheck(t *testing.T, name string, inputs []*tensor.Tensor, f func(tp *Tape, xs []*Var) *Var) {
	t.Helper()
	const h, tol = 1e-2, 2e-2
	g := tensor.NewRNG(uint64(len(name)) * 7919)
	var r *tensor.Tensor
	loss := func(tp *Tape, xs []*Var) (*Var, float64) {
		y := f(tp, xs)
		if r == nil {
			r = g.Normals(y.Value.Shape()...)
		}
		l := tp.Sum(tp.Mul(y, Const(r)), nil)
		return l, float64(l.Value.Item())
	}
	// Analytic gradients.
	tp := NewTape()
	params := make([]*Var, len(inputs))
	for i, in := range inputs {
		params[i] = Param(in)
	}
	l, _ := loss(tp, params)
	tp.Backward(l)
	for i, in := range inputs {
		d := in.Data()
		step := max(1, len(d)/60)
		for j := 0; j < len(d); j += step {
			orig := d[j]
			d[j] = orig + h
			_, lp := loss(NoGrad(), constants(inputs))
			d[j] = orig - h
			_, lm := loss(NoGrad(), constants(inputs))
			d[j] = orig
			num := (lp - lm) / (2 * h)
			var ana float64
			if params[i].Grad != nil {
				ana = float64(params[i].Grad.Data()[j])
			}
			if math.Abs(num-ana) > tol*math.Max(1, math.Abs(num)) {
				t.Errorf("%s: d/d input%d[%d]: backward %v, finite difference %v", name, i, j, ana, num)
				return
			}
		}
	}
}

func constants(ts []*tensor.Tensor) []*Var {
	vs := make([]*Var, len(ts))
	for i, t := range ts {
		vs[i] = Const(t)
	}
	return vs
}

// awayFromZero returns normal values with |x| ≥ 0.2, so that a finite
// difference never crosses the kink of ReLU-like functions.
func awayFromZero(g *tensor.RNG, shape ...int) *tensor.Tensor {
	x := g.Normals(shape...)
	for i, v := range x.Data() {
		if v >= 0 {
			x.Data()[i] = v + 0.2
		} else {
			x.Data()[i] = v - 0.2
		}
	}
	return x
}

// spread returns a random permutation of well-separated values, so max
// pooling never sees a near tie.
func spread(g *tensor.RNG, shape ...int) *tensor.Tensor {
	x := tensor.New(shape...)
	for i, p := range g.Perm(x.Len()) {
		x.Data()[i] = float32(p)*0.1 - float32(x.Len())*0.05
	}
	return x
}

func TestGradients(t *testing.T) {
	g := tensor.NewRNG(2024)
	n := g.Normals
	pos := func(shape ...int) *tensor.Tensor { // positive, for Log and Div
		x := g.Normals(shape...)
		for i, v := range x.Data() {
			x.Data()[i] = float32(math.Abs(float64(v))) + 0.5
		}
		return x
	}
	one := func(f func(tp *Tape, x *Var) *Var) func(tp *Tape, xs []*Var) *Var {
		return func(tp *Tape, xs []*Var) *Var { return f(tp, xs[0]) }
	}
	two := func(f func(tp *Tape, a, b *Var) *Var) func(tp *Tape, xs []*Var) *Var {
		return func(tp *Tape, xs []*Var) *Var { return f(tp, xs[0], xs[1]) }
	}
	conv := tensor.Conv2DConfig{PadH: 1, PadW: 1}
	cases := []struct {
		name   string
		inputs []*tensor.Tensor
		f      func(tp *Tape, xs []*Var) *Var
	}{
		{"Add broadcast", []*tensor.Tensor{n(2, 3, 4), n(3, 1)}, two((*Tape).Add)},
		{"Sub broadcast", []*tensor.Tensor{n(4), n(2, 3, 4)}, two((*Tape).Sub)},
		{"Mul broadcast", []*tensor.Tensor{n(2, 3, 4), n(1, 3, 1)}, two((*Tape).Mul)},
		{"Div", []*tensor.Tensor{n(2, 3), pos(2, 3)}, two((*Tape).Div)},
		{"Div broadcast", []*tensor.Tensor{n(2, 3), pos(1)}, two((*Tape).Div)},
		{"AddScalar", []*tensor.Tensor{n(5)}, one(func(tp *Tape, x *Var) *Var { return tp.AddScalar(x, 3) })},
		{"MulScalar", []*tensor.Tensor{n(5)}, one(func(tp *Tape, x *Var) *Var { return tp.MulScalar(x, -2.5) })},
		{"Neg", []*tensor.Tensor{n(5)}, one((*Tape).Neg)},
		{"ReLU", []*tensor.Tensor{awayFromZero(g, 3, 7)}, one((*Tape).ReLU)},
		{"LeakyReLU", []*tensor.Tensor{awayFromZero(g, 3, 7)}, one(func(tp *Tape, x *Var) *Var { return tp.LeakyReLU(x, 0.2) })},
		{"Tanh", []*tensor.Tensor{n(3, 7)}, one((*Tape).Tanh)},
		{"Sigmoid", []*tensor.Tensor{n(3, 7)}, one((*Tape).Sigmoid)},
		{"Exp", []*tensor.Tensor{n(3, 7)}, one((*Tape).Exp)},
		{"Log", []*tensor.Tensor{pos(3, 7)}, one((*Tape).Log)},
		{"Softmax", []*tensor.Tensor{n(3, 6)}, one((*Tape).Softmax)},
		{"LogSoftmax", []*tensor.Tensor{n(3, 6)}, one((*Tape).LogSoftmax)},
		{"Sum axes", []*tensor.Tensor{n(2, 3, 4)}, one(func(tp *Tape, x *Var) *Var { return tp.Sum(x, []int{0, 2}) })},
		{"Sum all", []*tensor.Tensor{n(2, 3, 4)}, one(func(tp *Tape, x *Var) *Var { return tp.Sum(x, nil) })},
		{"Mean axis", []*tensor.Tensor{n(2, 3, 4)}, one(func(tp *Tape, x *Var) *Var { return tp.Mean(x, []int{-1}) })},
		{"Mean all", []*tensor.Tensor{n(2, 3, 4)}, one(func(tp *Tape, x *Var) *Var { return tp.Mean(x, nil) })},
		{"Reshape", []*tensor.Tensor{n(2, 3, 4)}, one(func(tp *Tape, x *Var) *Var { return tp.Reshape(x, 4, -1) })},
		{"Permute", []*tensor.Tensor{n(2, 3, 4)}, one(func(tp *Tape, x *Var) *Var { return tp.Permute(x, 2, 0, 1) })},
		{"Transpose", []*tensor.Tensor{n(3, 5)}, one(func(tp *Tape, x *Var) *Var { return tp.Transpose(x, 0, 1) })},
		{"Concat", []*tensor.Tensor{n(2, 3), n(2, 2)}, two(func(tp *Tape, a, b *Var) *Var { return tp.Concat(1, a, b) })},
		{"Slice", []*tensor.Tensor{n(3, 6)}, one(func(tp *Tape, x *Var) *Var { return tp.Slice(x, 1, 2, 5) })},
		{"Gather", []*tensor.Tensor{n(5, 3)}, one(func(tp *Tape, x *Var) *Var { return tp.Gather(x, []int{4, 0, 4, 2}) })},
		{"MatMul", []*tensor.Tensor{n(3, 4), n(4, 5)}, two(func(tp *Tape, a, b *Var) *Var { return tp.MatMul(a, b, false, false) })},
		{"MatMul ᵀ·", []*tensor.Tensor{n(4, 3), n(4, 5)}, two(func(tp *Tape, a, b *Var) *Var { return tp.MatMul(a, b, true, false) })},
		{"MatMul ·ᵀ", []*tensor.Tensor{n(3, 4), n(5, 4)}, two(func(tp *Tape, a, b *Var) *Var { return tp.MatMul(a, b, false, true) })},
		{"MatMul ᵀ·ᵀ", []*tensor.Tensor{n(4, 3), n(5, 4)}, two(func(tp *Tape, a, b *Var) *Var { return tp.MatMul(a, b, true, true) })},
		{"Linear", []*tensor.Tensor{n(3, 4), n(5, 4), n(5)}, func(tp *Tape, xs []*Var) *Var { return tp.Linear(xs[0], xs[1], xs[2]) }},
		{"Conv2D", []*tensor.Tensor{n(2, 3, 5, 5), n(4, 3, 3, 3), n(4)},
			func(tp *Tape, xs []*Var) *Var { return tp.Conv2D(xs[0], xs[1], xs[2], conv, false) }},
		{"Conv2D stride 2 1×7", []*tensor.Tensor{n(1, 2, 7, 9), n(3, 2, 1, 7), n(3)},
			func(tp *Tape, xs []*Var) *Var {
				return tp.Conv2D(xs[0], xs[1], xs[2], tensor.Conv2DConfig{StrideH: 2, StrideW: 2, PadW: 3}, false)
			}},
		{"ConvTranspose2D k2 s2", []*tensor.Tensor{n(2, 3, 3, 3), n(3, 4, 2, 2), n(4)},
			func(tp *Tape, xs []*Var) *Var {
				return tp.ConvTranspose2D(xs[0], xs[1], xs[2], tensor.Conv2DConfig{StrideH: 2, StrideW: 2})
			}},
		{"BatchNorm2D train", []*tensor.Tensor{n(3, 2, 3, 3), n(2), n(2)},
			func(tp *Tape, xs []*Var) *Var {
				st := &BatchNormState{RunningMean: tensor.New(2), RunningVar: tensor.Full(1, 2), Momentum: 0.1, Eps: 1e-5}
				return tp.BatchNorm2D(xs[0], xs[1], xs[2], st, true)
			}},
		{"BatchNorm2D eval", []*tensor.Tensor{n(3, 2, 3, 3), n(2), n(2)},
			func(tp *Tape, xs []*Var) *Var {
				st := &BatchNormState{RunningMean: tensor.FromSlice([]float32{0.3, -0.2}, 2),
					RunningVar: tensor.FromSlice([]float32{1.5, 0.7}, 2), Momentum: 0.1, Eps: 1e-5}
				return tp.BatchNorm2D(xs[0], xs[1], xs[2], st, false)
			}},
		{"InstanceNorm2D", []*tensor.Tensor{n(2, 3, 4, 4)}, one(func(tp *Tape, x *Var) *Var { return tp.InstanceNorm2D(x, 1e-5) })},
		{"UpsampleNearest ×2", []*tensor.Tensor{n(2, 2, 3, 3)}, one(func(tp *Tape, x *Var) *Var { return tp.UpsampleNearest(x, 6, 6) })},
		{"UpsampleNearest ×4", []*tensor.Tensor{n(1, 2, 2, 2)}, one(func(tp *Tape, x *Var) *Var { return tp.UpsampleNearest(x, 8, 8) })},
		{"UpsampleBilinear ×2", []*tensor.Tensor{n(2, 2, 3, 3)}, one(func(tp *Tape, x *Var) *Var { return tp.UpsampleBilinear(x, 6, 6) })},
		{"UpsampleBilinear odd", []*tensor.Tensor{n(1, 2, 3, 4)}, one(func(tp *Tape, x *Var) *Var { return tp.UpsampleBilinear(x, 7, 5) })},
		{"AvgPool2D 2×2", []*tensor.Tensor{n(2, 2, 4, 6)}, one(func(tp *Tape, x *Var) *Var {
			return tp.AvgPool2D(x, tensor.Pool2DConfig{KH: 2, KW: 2, StrideH: 2, StrideW: 2}, true)
		})},
		{"AvgPool2D 3×3 pad no-count", []*tensor.Tensor{n(1, 2, 5, 5)}, one(func(tp *Tape, x *Var) *Var {
			return tp.AvgPool2D(x, tensor.Pool2DConfig{KH: 3, KW: 3, StrideH: 1, StrideW: 1, PadH: 1, PadW: 1}, false)
		})},
		{"MaxPool2D 3×3 s2", []*tensor.Tensor{spread(g, 1, 2, 7, 7)}, one(func(tp *Tape, x *Var) *Var {
			return tp.MaxPool2D(x, tensor.Pool2DConfig{KH: 3, KW: 3, StrideH: 2, StrideW: 2})
		})},
		{"MaxPool2D 3×3 s1 pad", []*tensor.Tensor{spread(g, 1, 2, 5, 5)}, one(func(tp *Tape, x *Var) *Var {
			return tp.MaxPool2D(x, tensor.Pool2DConfig{KH: 3, KW: 3, StrideH: 1, StrideW: 1, PadH: 1, PadW: 1})
		})},
		{"GlobalSumPool", []*tensor.Tensor{n(2, 3, 4, 4)}, one((*Tape).GlobalSumPool)},
		{"GlobalAvgPool", []*tensor.Tensor{n(2, 3, 4, 4)}, one((*Tape).GlobalAvgPool)},
		{"SpectralNormalize", []*tensor.Tensor{n(4, 2, 3, 3)}, one(func(tp *Tape, x *Var) *Var {
			u, v := tensor.NewRNG(5).Normals(4), tensor.NewRNG(6).Normals(18)
			return tp.SpectralNormalize(x, u, v)
		})},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { gradCheck(t, c.name, c.inputs, c.f) })
	}
}
