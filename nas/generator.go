package nas

import (
	"fmt"

	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/layers"
	"github.com/autogan-go/autogan/tensor"
)

// SharedGenerator is the weight-sharing generator of the search (AutoGAN
// models_search/shared_gan.py): a linear layer to a bw×bw×gf tensor (no
// activation after it), three cells of width gf that each double the
// resolution and hold every alternative, and one to_rgb head
// (BN → ReLU → 3×3 conv → tanh) shared by all stages, with no fade-in. The
// architecture and the stage are switched with SetArch before a forward
// pass: at stage s only cells 1…s+1 run and to_rgb reads the last one.
type SharedGenerator struct {
	L1     *layers.Linear
	Cells  [3]*searchCell
	ToRGB  *layers.Sequential
	GF, BW int
	Latent int

	arch  Arch
	stage int
}

// NewSharedGenerator builds the generator with PyTorch's default
// initialisation; InitReference then applies the reference's weights_init.
func NewSharedGenerator(gf, bw, latent int, g *tensor.RNG) *SharedGenerator {
	return &SharedGenerator{
		L1:     layers.NewLinear(latent, bw*bw*gf, true, g),
		Cells:  [3]*searchCell{newSearchCell(gf, gf, 0, g), newSearchCell(gf, gf, 1, g), newSearchCell(gf, gf, 2, g)},
		ToRGB:  newToRGB(gf, g),
		GF:     gf,
		BW:     bw,
		Latent: latent,
	}
}

// newToRGB is BN → ReLU → 3×3 conv to 3 channels → tanh, named to_rgb.0 and
// to_rgb.2 as in the reference's Sequential.
func newToRGB(gf int, g *tensor.RNG) *layers.Sequential {
	return &layers.Sequential{Steps: []layers.Step{layers.NewBatchNorm2d(gf), layers.ReLU,
		layers.NewConv2d(gf, 3, 3, 3, layers.Same(3), true, g), layers.Tanh}}
}

// SetArch selects the architecture (at least stage+1 cells) and the stage.
func (g *SharedGenerator) SetArch(a Arch, stage int) {
	if stage < 0 || stage > 2 || len(a.Cells) < stage+1 {
		panic(fmt.Sprintf("nas: architecture %q for stage %d", a, stage))
	}
	g.arch, g.stage = a, stage
}

// Forward generates images from latents z (N×Latent): N×3×H×W in [−1, 1]
// with H = bw·2^(stage+1).
func (g *SharedGenerator) Forward(tp *autodiff.Tape, z *autodiff.Var) *autodiff.Var {
	n := z.Value.Dim(0)
	h := tp.Reshape(g.L1.Forward(tp, z), n, g.GF, g.BW, g.BW)
	var skips []*autodiff.Var
	for i := 0; i <= g.stage; i++ {
		cell := g.arch.Cells[i]
		var s *autodiff.Var
		s, h = g.Cells[i].forward(tp, h, skips, cell, func(j int) bool { return g.arch.SkipFrom(i, j) })
		skips = append(skips, s)
	}
	return g.ToRGB.Forward(tp, h)
}

// State implements layers.Module.
func (g *SharedGenerator) State(prefix string) []layers.Entry {
	es := g.L1.State(prefix + "l1.")
	for i, c := range g.Cells {
		es = append(es, c.State(fmt.Sprintf("%scell%d.", prefix, i+1))...)
	}
	return append(es, g.ToRGB.State(prefix+"to_rgb.")...)
}

// SetTraining implements layers.Module.
func (g *SharedGenerator) SetTraining(on bool) {
	for _, c := range g.Cells {
		c.SetTraining(on)
	}
	g.ToRGB.SetTraining(on)
}
