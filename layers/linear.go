package layers

import (
	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/tensor"
)

// Linear is y = x·Wᵀ + b (torch.nn.Linear): weight out×in, bias out.
type Linear struct {
	Weight, Bias *autodiff.Var // Bias may be nil
}

// NewLinear returns a Linear layer with PyTorch's default initialisation.
func NewLinear(in, out int, bias bool, g *tensor.RNG) *Linear {
	l := &Linear{}
	l.Weight, l.Bias = newWeightBias([]int{out, in}, out, bias, g)
	return l
}

// Forward applies the layer to x (N×in).
func (l *Linear) Forward(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	return tp.Linear(x, l.Weight, l.Bias)
}

// State implements Module: weight, bias.
func (l *Linear) State(prefix string) []Entry {
	return weightBiasState(prefix, l.Weight, l.Bias)
}

// SetTraining implements Module; Linear has no mode.
func (l *Linear) SetTraining(bool) {}
