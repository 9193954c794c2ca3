package layers

import (
	"fmt"
	"math"

	"github.com/autogan-go/autogan/tensor"
)

// Fans returns fan_in and fan_out of a weight as PyTorch computes them:
// fan_in = size(1)·receptive field, fan_out = size(0)·receptive field.
// For ConvTranspose2d's weight (in×out×kh×kw) this makes fan_in come from
// dimension 1, the output channels, which is what PyTorch's default
// initialisation of that layer uses.
func Fans(shape []int) (fanIn, fanOut int) {
	if len(shape) < 2 {
		panic(fmt.Sprintf("layers.Fans: shape %v has fewer than 2 dimensions", shape))
	}
	rf := 1
	for _, d := range shape[2:] {
		rf *= d
	}
	return shape[1] * rf, shape[0] * rf
}

// Uniform fills t with U(−bound, bound).
func Uniform(t *tensor.Tensor, bound float64, g *tensor.RNG) {
	g.FillUniform(t, float32(-bound), float32(bound))
}

// KaimingUniform fills a weight as PyTorch's kaiming_uniform_ with
// leaky-ReLU slope a and fan_in mode: U(±√3·√(2/(1+a²))/√fan_in). With
// a = √5 — the default of Linear, Conv2d and ConvTranspose2d — the bound is
// 1/√fan_in.
func KaimingUniform(w *tensor.Tensor, a float64, g *tensor.RNG) {
	fanIn, _ := Fans(w.Shape())
	gain := math.Sqrt(2 / (1 + a*a))
	Uniform(w, math.Sqrt(3)*gain/math.Sqrt(float64(fanIn)), g)
}

// DefaultInit initialises a weight and its bias (which may be nil) like
// PyTorch's Linear, Conv2d and ConvTranspose2d reset_parameters:
// kaiming_uniform with a = √5 and a bias U(±1/√fan_in).
func DefaultInit(w, b *tensor.Tensor, g *tensor.RNG) {
	KaimingUniform(w, math.Sqrt(5), g)
	if b != nil {
		fanIn, _ := Fans(w.Shape())
		Uniform(b, 1/math.Sqrt(float64(fanIn)), g)
	}
}

// XavierUniform fills w with U(±gain·√(6/(fan_in+fan_out))), as
// torch.nn.init.xavier_uniform_.
func XavierUniform(w *tensor.Tensor, gain float64, g *tensor.RNG) {
	fanIn, fanOut := Fans(w.Shape())
	Uniform(w, gain*math.Sqrt(6/float64(fanIn+fanOut)), g)
}

// Normal fills t with N(mean, std²), as torch.nn.init.normal_.
func Normal(t *tensor.Tensor, mean, std float32, g *tensor.RNG) { g.FillNormal(t, mean, std) }
