package layers

import (
	"math"

	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/tensor"
)

// LSTMCell is torch.nn.LSTMCell: one step of a long short-term memory
//
//	gates = x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh     (N×4H, in the order i, f, g, o)
//	c' = σ(f)⊙c + σ(i)⊙tanh(g)
//	h' = σ(o)⊙tanh(c')
//
// with weights and both biases drawn from U(±1/√H) at construction.
type LSTMCell struct {
	WeightIH, WeightHH, BiasIH, BiasHH *autodiff.Var
	Hidden                             int
}

// NewLSTMCell returns a cell with input size in and hidden size hidden.
func NewLSTMCell(in, hidden int, g *tensor.RNG) *LSTMCell {
	bound := 1 / math.Sqrt(float64(hidden))
	mk := func(shape ...int) *autodiff.Var {
		t := tensor.New(shape...)
		Uniform(t, bound, g)
		return autodiff.Param(t)
	}
	// PyTorch initialises the parameters in registration order.
	return &LSTMCell{WeightIH: mk(4*hidden, in), WeightHH: mk(4*hidden, hidden),
		BiasIH: mk(4 * hidden), BiasHH: mk(4 * hidden), Hidden: hidden}
}

// Forward runs one step from state (h, c) (both N×H) on input x (N×in) and
// returns the new state.
func (l *LSTMCell) Forward(tp *autodiff.Tape, x, h, c *autodiff.Var) (h2, c2 *autodiff.Var) {
	gates := tp.Add(tp.Linear(x, l.WeightIH, l.BiasIH), tp.Linear(h, l.WeightHH, l.BiasHH))
	H := l.Hidden
	i := tp.Sigmoid(tp.Slice(gates, 1, 0, H))
	f := tp.Sigmoid(tp.Slice(gates, 1, H, 2*H))
	g := tp.Tanh(tp.Slice(gates, 1, 2*H, 3*H))
	o := tp.Sigmoid(tp.Slice(gates, 1, 3*H, 4*H))
	c2 = tp.Add(tp.Mul(f, c), tp.Mul(i, g))
	h2 = tp.Mul(o, tp.Tanh(c2))
	return h2, c2
}

// State implements Module: weight_ih, weight_hh, bias_ih, bias_hh.
func (l *LSTMCell) State(prefix string) []Entry {
	return []Entry{
		{Name: prefix + "weight_ih", Param: l.WeightIH},
		{Name: prefix + "weight_hh", Param: l.WeightHH},
		{Name: prefix + "bias_ih", Param: l.BiasIH},
		{Name: prefix + "bias_hh", Param: l.BiasHH},
	}
}

// SetTraining implements Module; it has no mode.
func (l *LSTMCell) SetTraining(bool) {}
