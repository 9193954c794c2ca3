package classifier

import (
	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/layers"
	"github.com/autogan-go/autogan/tensor"
)

// Net is the small convolutional classifier of a scorer (the embedded one
// was trained on Shapes-10 by cmd/trainscorer):
//
//	input 8-bit RGB → [−1, 1] → bilinear resize to 32×32 (smaller images,
//	                                 such as search stages' 8×8, are upsampled)
//	c1 3×3 conv 3→32, batch norm, ReLU
//	c2 3×3 conv 32→32, batch norm, ReLU, 2×2 average pool   → 16×16
//	c3 3×3 conv 32→64, batch norm, ReLU, 2×2 average pool   → 8×8
//	c4 3×3 conv 64→128, batch norm, ReLU, global average    → 128 features
//	fc linear 128→classes                                   → logits
//
// About 105,000 parameters. Batch normalisation uses batch statistics while
// training and the running ones for scoring (SetTraining(false)).
type Net struct {
	C1, C2, C3, C4     *layers.Conv2d
	BN1, BN2, BN3, BN4 *layers.BatchNorm2d
	FC                 *layers.Linear
}

// InputSize is the input size of the network.
const InputSize = 32

// FeatureDim is the length of the features (the scorer's "pool3").
const FeatureDim = 128

// NewNet returns a freshly initialised network with the given number of
// classes.
func NewNet(classes int, g *tensor.RNG) *Net {
	conv := func(in, out int) *layers.Conv2d { return layers.NewConv2d(in, out, 3, 3, layers.Same(3), true, g) }
	return &Net{C1: conv(3, 32), C2: conv(32, 32), C3: conv(32, 64), C4: conv(64, FeatureDim),
		BN1: layers.NewBatchNorm2d(32), BN2: layers.NewBatchNorm2d(32), BN3: layers.NewBatchNorm2d(64), BN4: layers.NewBatchNorm2d(FeatureDim),
		FC: layers.NewLinear(FeatureDim, classes, true, g)}
}

// Classes is the number of classes the network tells apart.
func (m *Net) Classes() int { return m.FC.Weight.Value.Dim(0) }

// State implements layers.Module.
func (m *Net) State(prefix string) []layers.Entry {
	var es []layers.Entry
	for _, c := range []struct {
		name string
		mod  layers.Module
	}{{"c1", m.C1}, {"bn1", m.BN1}, {"c2", m.C2}, {"bn2", m.BN2}, {"c3", m.C3}, {"bn3", m.BN3},
		{"c4", m.C4}, {"bn4", m.BN4}, {"fc", m.FC}} {
		es = append(es, c.mod.State(prefix+c.name+".")...)
	}
	return es
}

// SetTraining implements layers.Module.
func (m *Net) SetTraining(on bool) {
	for _, bn := range []*layers.BatchNorm2d{m.BN1, m.BN2, m.BN3, m.BN4} {
		bn.SetTraining(on)
	}
}

// Input converts 8-bit images to the network input (N×3×32×32 in [−1, 1]).
func (m *Net) Input(pix []uint8, n, h, w int) *tensor.Tensor {
	x := tensor.FromUint8(pix, n, 3, h, w)
	if h == InputSize && w == InputSize {
		return x
	}
	y := tensor.UpsampleBilinear(x, InputSize, InputSize)
	x.Release()
	return y
}

// Forward returns the 128-dimensional features and the logits of x.
func (m *Net) Forward(tp *autodiff.Tape, x *autodiff.Var) (features, logits *autodiff.Var) {
	pool := tensor.Pool2DConfig{KH: 2, KW: 2, StrideH: 2, StrideW: 2}
	block := func(c *layers.Conv2d, bn *layers.BatchNorm2d, h *autodiff.Var) *autodiff.Var {
		return tp.ReLU(bn.Forward(tp, c.Forward(tp, h)))
	}
	h := block(m.C1, m.BN1, x)
	h = tp.AvgPool2D(block(m.C2, m.BN2, h), pool, true)
	h = tp.AvgPool2D(block(m.C3, m.BN3, h), pool, true)
	features = tp.GlobalAvgPool(block(m.C4, m.BN4, h))
	return features, m.FC.Forward(tp, features)
}
