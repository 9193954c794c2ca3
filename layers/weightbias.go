package layers

import (
	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/tensor"
)

// newWeightBias creates the parameters Linear, Conv2d and ConvTranspose2d
// share: a weight of the given shape and, when bias is set, a bias of out
// values, both initialised as PyTorch's reset_parameters does
// (DefaultInit). The bias is nil without one.
func newWeightBias(shape []int, out int, bias bool, g *tensor.RNG) (w, b *autodiff.Var) {
	w = autodiff.Param(tensor.New(shape...))
	var bt *tensor.Tensor
	if bias {
		bt = tensor.New(out)
		b = autodiff.Param(bt)
	}
	DefaultInit(w.Value, bt, g)
	return w, b
}

// weightBiasState lists weight and, when present, bias under PyTorch's
// names.
func weightBiasState(prefix string, w, b *autodiff.Var) []Entry {
	es := []Entry{{Name: prefix + "weight", Param: w}}
	if b != nil {
		es = append(es, Entry{Name: prefix + "bias", Param: b})
	}
	return es
}
