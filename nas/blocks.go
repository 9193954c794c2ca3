package nas

import (
	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/layers"
	"github.com/autogan-go/autogan/tensor"
)

// The building blocks of the shared (search) generator, after AutoGAN
// models_search/building_blocks_search.py. Every block owns every
// alternative (both norms and a deconvolution, even the blocks that never
// upsample), so parameter names and counts match the reference's: 3,716,995
// parameters at gf = 128.

// upsample resizes x to h×w by bilinear or nearest interpolation, the
// cell's up mode; in deconv mode it applies deconv once instead (×2), and
// h and w are not used (deconv may be nil in the other modes).
func upsample(tp *autodiff.Tape, x *autodiff.Var, mode UpType, deconv *layers.ConvTranspose2d, h, w int) *autodiff.Var {
	switch mode {
	case UpBilinear:
		return tp.UpsampleBilinear(x, h, w)
	case UpNearest:
		return tp.UpsampleNearest(x, h, w)
	}
	return deconv.Forward(tp, x)
}

// normReLU is the blocks' norm → ReLU: the cell's normalisation (none,
// batch or instance) and the ReLU after it, fused into one pass where
// there is a normalisation (the same bits as the two apart).
func normReLU(tp *autodiff.Tape, x *autodiff.Var, norm NormType, bn *layers.BatchNorm2d, in *layers.InstanceNorm2d) *autodiff.Var {
	switch norm {
	case NormBatch:
		return bn.ForwardReLU(tp, x)
	case NormInstance:
		return in.ForwardReLU(tp, x)
	}
	return tp.ReLU(x)
}

// preBlock is PreGenBlock: norm → ReLU → (upsample) → 3×3 conv.
type preBlock struct {
	BN      *layers.BatchNorm2d
	IN      *layers.InstanceNorm2d
	Deconv  *layers.ConvTranspose2d
	Conv    *layers.Conv2d
	upBlock bool
}

func newPreBlock(in, out int, up bool, g *tensor.RNG) *preBlock {
	return &preBlock{BN: layers.NewBatchNorm2d(in), IN: layers.NewInstanceNorm2d(),
		Deconv: newDeconv(in, in, g), Conv: layers.NewConv2d(in, out, 3, 3, layers.Same(3), true, g), upBlock: up}
}

func (b *preBlock) forward(tp *autodiff.Tape, x *autodiff.Var, c Cell) *autodiff.Var {
	h := normReLU(tp, x, c.Norm, b.BN, b.IN)
	if b.upBlock {
		h = upsample(tp, h, c.Up, b.Deconv, 2*h.Value.Dim(2), 2*h.Value.Dim(3))
	}
	return b.Conv.Forward(tp, h)
}

func (b *preBlock) State(prefix string) []layers.Entry {
	var es []layers.Entry
	es = append(es, b.BN.State(prefix+"bn.")...)
	es = append(es, b.Deconv.State(prefix+"deconv.")...)
	return append(es, b.Conv.State(prefix+"conv.")...)
}

func (b *preBlock) SetTraining(on bool) { b.BN.SetTraining(on) }

// postBlock is PostGenBlock: (upsample) → 3×3 conv → norm → ReLU.
type postBlock struct {
	Deconv  *layers.ConvTranspose2d
	Conv    *layers.Conv2d
	BN      *layers.BatchNorm2d
	IN      *layers.InstanceNorm2d
	upBlock bool
}

func newPostBlock(in, out int, up bool, g *tensor.RNG) *postBlock {
	return &postBlock{Deconv: newDeconv(in, in, g), Conv: layers.NewConv2d(in, out, 3, 3, layers.Same(3), true, g),
		BN: layers.NewBatchNorm2d(out), IN: layers.NewInstanceNorm2d(), upBlock: up}
}

func (b *postBlock) forward(tp *autodiff.Tape, x *autodiff.Var, c Cell) *autodiff.Var {
	h := x
	if b.upBlock {
		h = upsample(tp, h, c.Up, b.Deconv, 2*h.Value.Dim(2), 2*h.Value.Dim(3))
	}
	if c.Norm == NormNone {
		return b.Conv.ForwardReLU(tp, h) // conv and ReLU fused
	}
	return normReLU(tp, b.Conv.Forward(tp, h), c.Norm, b.BN, b.IN)
}

func (b *postBlock) State(prefix string) []layers.Entry {
	var es []layers.Entry
	es = append(es, b.Deconv.State(prefix+"deconv.")...)
	es = append(es, b.Conv.State(prefix+"conv.")...)
	return append(es, b.BN.State(prefix+"bn.")...)
}

func (b *postBlock) SetTraining(on bool) { b.BN.SetTraining(on) }

// newDeconv is a 2×2 stride-2 transposed convolution with PyTorch's default
// initialisation (the reference's weights_init leaves it alone: its class
// name does not contain "Conv2d").
func newDeconv(in, out int, g *tensor.RNG) *layers.ConvTranspose2d {
	return layers.NewConvTranspose2d(in, out, 2, 2, tensor.Conv2DConfig{StrideH: 2, StrideW: 2}, true, g)
}
