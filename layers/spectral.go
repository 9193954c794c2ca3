package layers

import (
	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/tensor"
)

// SpectralNorm is torch.nn.utils.spectral_norm applied to a weight: the
// module's weight parameter is renamed weight_orig and the weight used in
// the computation is weight_orig/σ, σ its largest singular value estimated
// by power iteration with the buffers u (length out) and v (length
// in·kh·kw). In training mode every Weight call runs one power iteration
// (without gradient) before normalising; in eval mode u and v stay fixed.
// Every discriminator forward call in the reference therefore advances u
// and v once.
type SpectralNorm struct {
	U, V     *tensor.Tensor
	Eps      float32
	Training bool
}

// NewSpectralNorm draws u and v from N(0, 1) and normalises them, as
// spectral_norm does when it is applied to a module.
func NewSpectralNorm(weight *tensor.Tensor, g *tensor.RNG) *SpectralNorm {
	rows := weight.Dim(0)
	s := &SpectralNorm{U: g.Normals(rows), V: g.Normals(weight.Len() / rows), Eps: 1e-12, Training: true}
	autodiff.Normalize(s.U.Data(), s.Eps)
	autodiff.Normalize(s.V.Data(), s.Eps)
	return s
}

// Weight returns the normalised weight for this forward pass.
func (s *SpectralNorm) Weight(tp *autodiff.Tape, orig *autodiff.Var) *autodiff.Var {
	if s.Training {
		autodiff.PowerIteration(orig.Value.Data(), s.U.Data(), s.V.Data(), s.Eps)
	}
	return tp.SpectralNormalize(orig, s.U, s.V)
}

// SNConv2d is a Conv2d wrapped by spectral_norm. Its state names are those
// of PyTorch: bias, weight_orig, weight_u, weight_v.
type SNConv2d struct {
	Conv *Conv2d // Conv.Weight holds weight_orig
	SN   *SpectralNorm
}

// NewSNConv2d returns a spectrally normalised convolution; the weight is
// initialised like Conv2d's before u and v are drawn.
func NewSNConv2d(in, out, kh, kw int, cfg tensor.Conv2DConfig, bias bool, g *tensor.RNG) *SNConv2d {
	c := NewConv2d(in, out, kh, kw, cfg, bias, g)
	return &SNConv2d{Conv: c, SN: NewSpectralNorm(c.Weight.Value, g)}
}

// Forward applies the normalised convolution.
func (c *SNConv2d) Forward(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	return tp.Conv2D(x, c.SN.Weight(tp, c.Conv.Weight), c.Conv.Bias, c.Conv.Config, false)
}

// ForwardReLU applies the normalised convolution and a fused ReLU.
func (c *SNConv2d) ForwardReLU(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	return tp.Conv2D(x, c.SN.Weight(tp, c.Conv.Weight), c.Conv.Bias, c.Conv.Config, true)
}

// State implements Module.
func (c *SNConv2d) State(prefix string) []Entry {
	return snState(prefix, c.Conv.Weight, c.Conv.Bias, c.SN)
}

// SetTraining implements Module.
func (c *SNConv2d) SetTraining(on bool) { c.SN.Training = on }

// SNLinear is a Linear wrapped by spectral_norm.
type SNLinear struct {
	Lin *Linear
	SN  *SpectralNorm
}

// NewSNLinear returns a spectrally normalised linear layer.
func NewSNLinear(in, out int, bias bool, g *tensor.RNG) *SNLinear {
	l := NewLinear(in, out, bias, g)
	return &SNLinear{Lin: l, SN: NewSpectralNorm(l.Weight.Value, g)}
}

// Forward applies the normalised linear layer.
func (l *SNLinear) Forward(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	return tp.Linear(x, l.SN.Weight(tp, l.Lin.Weight), l.Lin.Bias)
}

// State implements Module.
func (l *SNLinear) State(prefix string) []Entry {
	return snState(prefix, l.Lin.Weight, l.Lin.Bias, l.SN)
}

// SetTraining implements Module.
func (l *SNLinear) SetTraining(on bool) { l.SN.Training = on }

// snState lists a spectrally normalised layer's state in PyTorch's order:
// spectral_norm removes "weight" and registers "weight_orig" after the bias,
// then the buffers u and v.
func snState(prefix string, w, b *autodiff.Var, sn *SpectralNorm) []Entry {
	var es []Entry
	if b != nil {
		es = append(es, Entry{Name: prefix + "bias", Param: b})
	}
	return append(es,
		Entry{Name: prefix + "weight_orig", Param: w},
		Entry{Name: prefix + "weight_u", Buffer: sn.U},
		Entry{Name: prefix + "weight_v", Buffer: sn.V})
}
