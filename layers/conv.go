package layers

import (
	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/tensor"
)

// Conv2d is a 2-D convolution (torch.nn.Conv2d): weight out×in×kh×kw,
// bias out, any stride and separate H/W padding.
type Conv2d struct {
	Weight, Bias *autodiff.Var // Bias may be nil
	Config       tensor.Conv2DConfig
}

// NewConv2d returns a convolution with PyTorch's default initialisation.
func NewConv2d(in, out, kh, kw int, cfg tensor.Conv2DConfig, bias bool, g *tensor.RNG) *Conv2d {
	c := &Conv2d{Config: cfg}
	c.Weight, c.Bias = newWeightBias([]int{out, in, kh, kw}, out, bias, g)
	return c
}

// Same returns the configuration of a stride-1 convolution that keeps the
// spatial size with an odd k×k kernel (padding k/2).
func Same(k int) tensor.Conv2DConfig { return tensor.Conv2DConfig{PadH: k / 2, PadW: k / 2} }

// Forward applies the convolution to x (N×in×H×W).
func (c *Conv2d) Forward(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	return tp.Conv2D(x, c.Weight, c.Bias, c.Config, false)
}

// ForwardReLU applies the convolution followed by ReLU, fused in one pass.
func (c *Conv2d) ForwardReLU(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	return tp.Conv2D(x, c.Weight, c.Bias, c.Config, true)
}

// State implements Module: weight, bias.
func (c *Conv2d) State(prefix string) []Entry {
	return weightBiasState(prefix, c.Weight, c.Bias)
}

// SetTraining implements Module; Conv2d has no mode.
func (c *Conv2d) SetTraining(bool) {}

// ConvTranspose2d is a transposed convolution (torch.nn.ConvTranspose2d):
// weight in×out×kh×kw, bias out.
type ConvTranspose2d struct {
	Weight, Bias *autodiff.Var
	Config       tensor.Conv2DConfig
}

// NewConvTranspose2d returns a transposed convolution with PyTorch's
// default initialisation (fan_in taken from weight dimension 1).
func NewConvTranspose2d(in, out, kh, kw int, cfg tensor.Conv2DConfig, bias bool, g *tensor.RNG) *ConvTranspose2d {
	c := &ConvTranspose2d{Config: cfg}
	c.Weight, c.Bias = newWeightBias([]int{in, out, kh, kw}, out, bias, g)
	return c
}

// Forward applies the transposed convolution to x (N×in×H×W).
func (c *ConvTranspose2d) Forward(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	return tp.ConvTranspose2D(x, c.Weight, c.Bias, c.Config)
}

// State implements Module: weight, bias.
func (c *ConvTranspose2d) State(prefix string) []Entry {
	return weightBiasState(prefix, c.Weight, c.Bias)
}

// SetTraining implements Module; it has no mode.
func (c *ConvTranspose2d) SetTraining(bool) {}
