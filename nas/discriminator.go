package nas

import (
	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/layers"
	"github.com/autogan-go/autogan/tensor"
)

// The discriminator of AutoGAN (models_search/shared_gan.py; the same
// blocks in models/autogan_cifar10_*.py): SN-GAN's ResNet discriminator
// for CIFAR with every convolution and the final linear layer wrapped by
// spectral normalisation.

var downsample = tensor.Pool2DConfig{KH: 2, KW: 2, StrideH: 2, StrideW: 2}

// optimizedBlock is OptimizedDisBlock: avgpool(c2(relu(c1(x)))) +
// c_sc(avgpool(x)). No activation on the input, and the shortcut pools
// before its convolution.
type optimizedBlock struct {
	C1, C2, CSC *layers.SNConv2d
}

func newOptimizedBlock(in, out int, g *tensor.RNG) *optimizedBlock {
	return &optimizedBlock{
		C1:  layers.NewSNConv2d(in, out, 3, 3, layers.Same(3), true, g),
		C2:  layers.NewSNConv2d(out, out, 3, 3, layers.Same(3), true, g),
		CSC: layers.NewSNConv2d(in, out, 1, 1, tensor.Conv2DConfig{}, true, g),
	}
}

func (b *optimizedBlock) forward(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	h := tp.AvgPool2D(b.C2.Forward(tp, b.C1.ForwardReLU(tp, x)), downsample, true)
	return tp.Add(h, b.CSC.Forward(tp, tp.AvgPool2D(x, downsample, true)))
}

// disBlock is DisBlock with hidden width = in: c2(relu(c1(relu(x)))),
// pooled when downsampling, plus the shortcut, which is learnable (a 1×1
// convolution, then the pool) when downsampling and the identity otherwise.
type disBlock struct {
	C1, C2, CSC *layers.SNConv2d // CSC nil for the identity shortcut
	down        bool
}

func newDisBlock(ch int, down bool, g *tensor.RNG) *disBlock {
	b := &disBlock{
		C1:   layers.NewSNConv2d(ch, ch, 3, 3, layers.Same(3), true, g),
		C2:   layers.NewSNConv2d(ch, ch, 3, 3, layers.Same(3), true, g),
		down: down,
	}
	if down {
		b.CSC = layers.NewSNConv2d(ch, ch, 1, 1, tensor.Conv2DConfig{}, true, g)
	}
	return b
}

func (b *disBlock) forward(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	h := b.C2.Forward(tp, b.C1.ForwardReLU(tp, tp.ReLU(x)))
	sc := x
	if b.CSC != nil {
		sc = b.CSC.Forward(tp, x)
	}
	if b.down {
		h = tp.AvgPool2D(h, downsample, true)
		sc = tp.AvgPool2D(sc, downsample, true)
	}
	return tp.Add(h, sc)
}

// Discriminator is the growing discriminator of the search, and with stage
// 2 the discriminator of training from scratch:
//
//	block1 OptimizedDisBlock(3, df)           (downsamples)
//	block2 DisBlock(df, df, downsample)       (learnable shortcut)
//	block3 DisBlock(df, df)                   (identity shortcut)
//	block4 DisBlock(df, df)
//	l5     Linear(df, 1, no bias)
//
//	D(x) = l5(Σ over space of relu(block4(…first stage+1 of block1…3…(x))))
//
// At stage 0 (8×8 images) only block1 and block4 run; stage 1 (16×16) adds
// block2; stage 2 (32×32) uses all four. The same object serves every stage
// (blocks start training when first used, no fade-in). The pooling is a sum,
// although the reference's comment calls it an average.
type Discriminator struct {
	Block1                 *optimizedBlock
	Block2, Block3, Block4 *disBlock
	L5                     *layers.SNLinear
	DF                     int
	Stage                  int
}

// NewDiscriminator builds the discriminator with PyTorch's default
// initialisation and spectral normalisation buffers.
func NewDiscriminator(df int, g *tensor.RNG) *Discriminator {
	return &Discriminator{
		Block1: newOptimizedBlock(3, df, g),
		Block2: newDisBlock(df, true, g),
		Block3: newDisBlock(df, false, g),
		Block4: newDisBlock(df, false, g),
		L5:     layers.NewSNLinear(df, 1, false, g),
		DF:     df,
		Stage:  2,
	}
}

// Forward returns the critic values (N×1) of images x.
func (d *Discriminator) Forward(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	h := d.Block1.forward(tp, x)
	if d.Stage >= 1 {
		h = d.Block2.forward(tp, h)
	}
	if d.Stage >= 2 {
		h = d.Block3.forward(tp, h)
	}
	h = tp.ReLU(d.Block4.forward(tp, h))
	return d.L5.Forward(tp, tp.GlobalSumPool(h))
}

// State implements layers.Module.
func (d *Discriminator) State(prefix string) []layers.Entry {
	var es []layers.Entry
	for _, b := range []struct {
		name   string
		c1, c2 *layers.SNConv2d
		csc    *layers.SNConv2d
	}{
		{"block1", d.Block1.C1, d.Block1.C2, d.Block1.CSC},
		{"block2", d.Block2.C1, d.Block2.C2, d.Block2.CSC},
		{"block3", d.Block3.C1, d.Block3.C2, d.Block3.CSC},
		{"block4", d.Block4.C1, d.Block4.C2, d.Block4.CSC},
	} {
		es = append(es, b.c1.State(prefix+b.name+".c1.")...)
		es = append(es, b.c2.State(prefix+b.name+".c2.")...)
		if b.csc != nil {
			es = append(es, b.csc.State(prefix+b.name+".c_sc.")...)
		}
	}
	return append(es, d.L5.State(prefix+"l5.")...)
}

// SetTraining implements layers.Module: it switches spectral norm's power
// iteration (the reference never puts D in eval mode).
func (d *Discriminator) SetTraining(on bool) {
	for _, c := range d.snConvs() {
		c.SetTraining(on)
	}
	d.L5.SetTraining(on)
}

func (d *Discriminator) snConvs() []*layers.SNConv2d {
	cs := []*layers.SNConv2d{d.Block1.C1, d.Block1.C2, d.Block1.CSC, d.Block2.C1, d.Block2.C2, d.Block2.CSC,
		d.Block3.C1, d.Block3.C2, d.Block4.C1, d.Block4.C2}
	return cs
}
