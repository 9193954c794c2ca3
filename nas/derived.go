package nas

import (
	"fmt"

	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/layers"
	"github.com/autogan-go/autogan/tensor"
)

// Generator is a generator with a fixed architecture, as trained from
// scratch, sampled and evaluated.
type Generator interface {
	layers.Module
	// Forward maps latents (N×LatentDim) to images N×3×S×S in [−1, 1].
	Forward(tp *autodiff.Tape, z *autodiff.Var) *autodiff.Var
	LatentDim() int
	ImageSize() int
	// Arch is the architecture in the search-space encoding.
	Arch() Arch
}

// NewDerived returns the search-space generator fixed to one architecture
// at stage 2, as train_derived.py trains it: its parameter names are those
// of the shared generator (cell2.pre_conv1.conv.weight, …), so checkpoints
// of train_derived.py load into it; the unused alternatives exist but
// receive no gradient.
func NewDerived(a Arch, gf, bw, latent int, g *tensor.RNG) (*FixedShared, error) {
	if len(a.Cells) != 3 {
		return nil, fmt.Errorf("architecture %q has %d cells; training needs all 3", a, len(a.Cells))
	}
	s := NewSharedGenerator(gf, bw, latent, g)
	s.SetArch(a, 2)
	return &FixedShared{s}, nil
}

// FixedShared is a SharedGenerator with its architecture fixed.
type FixedShared struct{ *SharedGenerator }

// LatentDim implements Generator.
func (f *FixedShared) LatentDim() int { return f.Latent }

// ImageSize implements Generator.
func (f *FixedShared) ImageSize() int { return f.BW << 3 }

// Arch implements Generator.
func (f *FixedShared) Arch() Arch { return f.arch }

// releasedCell is the cell of the released models (AutoGAN
// models/building_blocks.py): pre-activation only,
//
//	h  = c1(up(relu(n1(x))))
//	h += skip_in_ops[i](up(skip_i, to h's size))    for every skip input
//	out = c2(relu(n2(h))) (+ c_sc(up(x)) with a shortcut)
//
// returning (h after the skips — the same aliasing as the search cell —,
// out).
type releasedCell struct {
	C1, C2    *layers.Conv2d
	CSC       *layers.Conv2d // nil without shortcut
	SkipInOps []*layers.Conv2d
	N1, N2    *layers.BatchNorm2d // batch norm (model C's cell1), or nil
	IN        *layers.InstanceNorm2d
	cell      Cell
}

func newReleasedCell(ch int, c Cell, numSkip int, g *tensor.RNG) *releasedCell {
	r := &releasedCell{
		C1:   layers.NewConv2d(ch, ch, 3, 3, layers.Same(3), true, g),
		C2:   layers.NewConv2d(ch, ch, 3, 3, layers.Same(3), true, g),
		cell: c,
	}
	switch c.Norm {
	case NormBatch:
		r.N1, r.N2 = layers.NewBatchNorm2d(ch), layers.NewBatchNorm2d(ch)
	case NormInstance:
		r.IN = layers.NewInstanceNorm2d()
	}
	if c.Shortcut {
		r.CSC = layers.NewConv2d(ch, ch, 1, 1, tensor.Conv2DConfig{}, true, g)
	}
	for i := 0; i < numSkip; i++ {
		r.SkipInOps = append(r.SkipInOps, layers.NewConv2d(ch, ch, 1, 1, tensor.Conv2DConfig{}, true, g))
	}
	return r
}

// normReLU is the cell's normalisation and the ReLU after it (see
// blocks.go's normReLU).
func (r *releasedCell) normReLU(tp *autodiff.Tape, x *autodiff.Var, bn *layers.BatchNorm2d) *autodiff.Var {
	return normReLU(tp, x, r.cell.Norm, bn, r.IN)
}

func (r *releasedCell) forward(tp *autodiff.Tape, x *autodiff.Var, skips []*autodiff.Var) (skipOut, out *autodiff.Var) {
	up := r.cell.Up
	h2, w2 := 2*x.Value.Dim(2), 2*x.Value.Dim(3)
	h := r.C1.Forward(tp, upsample(tp, r.normReLU(tp, x, r.N1), up, nil, h2, w2))
	for i, ft := range skips {
		h = tp.Add(h, r.SkipInOps[i].Forward(tp, upsample(tp, ft, up, nil, h2, w2)))
	}
	skipOut = h
	out = r.C2.Forward(tp, r.normReLU(tp, h, r.N2))
	if r.CSC != nil {
		out = tp.Add(out, r.CSC.Forward(tp, upsample(tp, x, up, nil, h2, w2)))
	}
	return skipOut, out
}

func (r *releasedCell) State(prefix string) []layers.Entry {
	es := r.C1.State(prefix + "c1.")
	es = append(es, r.C2.State(prefix+"c2.")...)
	if r.N1 != nil {
		es = append(es, r.N1.State(prefix+"n1.")...)
		es = append(es, r.N2.State(prefix+"n2.")...)
	}
	if r.CSC != nil {
		es = append(es, r.CSC.State(prefix+"c_sc.")...)
	}
	for i, op := range r.SkipInOps {
		es = append(es, op.State(fmt.Sprintf("%sskip_in_ops.%d.", prefix, i))...)
	}
	return es
}

// ReleasedGenerator is the generator of the released models
// (models/autogan_cifar10_{a,b,c}.py) with their exact parameter and
// buffer names, so the published weights load without conversion.
type ReleasedGenerator struct {
	L1     *layers.Linear
	Cells  [3]*releasedCell
	ToRGB  *layers.Sequential
	GF, BW int
	Latent int
	arch   Arch
}

// NewReleased builds a generator in the released models' layout. The
// architecture must be expressible in it: every cell pre-activation,
// upsampling by nearest or bilinear interpolation, and every cell taking
// skips from all earlier cells (A, B and C are such architectures).
func NewReleased(a Arch, gf, bw, latent int, g *tensor.RNG) (*ReleasedGenerator, error) {
	if len(a.Cells) != 3 {
		return nil, fmt.Errorf("architecture %q has %d cells, want 3", a, len(a.Cells))
	}
	for i, c := range a.Cells {
		all := (1 << i) - 1
		if c.Conv != ConvPre || c.Up == UpDeconv || c.Skip != all {
			return nil, fmt.Errorf("architecture %q does not fit the released models' layout (cell%d must be pre-activation, nearest or bilinear, with skips from every earlier cell); train it in the search-space layout", a, i+1)
		}
	}
	r := &ReleasedGenerator{L1: layers.NewLinear(latent, bw*bw*gf, true, g), GF: gf, BW: bw, Latent: latent, arch: a}
	for i, c := range a.Cells {
		r.Cells[i] = newReleasedCell(gf, c, i, g)
	}
	r.ToRGB = newToRGB(gf, g)
	return r, nil
}

// Forward implements Generator.
func (r *ReleasedGenerator) Forward(tp *autodiff.Tape, z *autodiff.Var) *autodiff.Var {
	h := tp.Reshape(r.L1.Forward(tp, z), z.Value.Dim(0), r.GF, r.BW, r.BW)
	var skips []*autodiff.Var
	for _, c := range r.Cells {
		var s *autodiff.Var
		s, h = c.forward(tp, h, skips)
		skips = append(skips, s)
	}
	return r.ToRGB.Forward(tp, h)
}

// State implements layers.Module.
func (r *ReleasedGenerator) State(prefix string) []layers.Entry {
	es := r.L1.State(prefix + "l1.")
	for i, c := range r.Cells {
		es = append(es, c.State(fmt.Sprintf("%scell%d.", prefix, i+1))...)
	}
	return append(es, r.ToRGB.State(prefix+"to_rgb.")...)
}

// SetTraining implements layers.Module.
func (r *ReleasedGenerator) SetTraining(on bool) {
	for _, c := range r.Cells {
		if c.N1 != nil {
			c.N1.SetTraining(on)
			c.N2.SetTraining(on)
		}
	}
	r.ToRGB.SetTraining(on)
}

// LatentDim implements Generator.
func (r *ReleasedGenerator) LatentDim() int { return r.Latent }

// ImageSize implements Generator.
func (r *ReleasedGenerator) ImageSize() int { return r.BW << 3 }

// Arch implements Generator.
func (r *ReleasedGenerator) Arch() Arch { return r.arch }

// InitReference applies the reference's weights_init.
func (r *ReleasedGenerator) InitReference(kind InitType, g *tensor.RNG) error {
	var convs []*layers.Conv2d
	var bns []*layers.BatchNorm2d
	for _, c := range r.Cells {
		convs = append(convs, c.C1, c.C2)
		if c.CSC != nil {
			convs = append(convs, c.CSC)
		}
		convs = append(convs, c.SkipInOps...)
		if c.N1 != nil {
			bns = append(bns, c.N1, c.N2)
		}
	}
	convs = append(convs, r.ToRGB.Steps[2].(*layers.Conv2d))
	bns = append(bns, r.ToRGB.Steps[0].(*layers.BatchNorm2d))
	return initReference(convs, bns, kind, g)
}

// NewGenerator returns the generator for an architecture: the released
// layout for the names autogan_cifar10_{a,b,c}, the search-space layout
// (train_derived.py) for integer encodings.
func NewGenerator(spec string, gf, bw, latent int, g *tensor.RNG) (Generator, error) {
	a, err := Parse(spec)
	if err != nil {
		return nil, err
	}
	if _, released := Released[spec]; released {
		return NewReleased(a, gf, bw, latent, g)
	}
	return NewDerived(a, gf, bw, latent, g)
}

// CheckWeightsFit refuses, before the generator is allocated, widths that
// the weights read from a file cannot fill: a file of a few bytes must not
// make us build a network of gigabytes that the strict load would then
// reject. Every layout has two 3×3 convolutions gf→gf per cell (three
// cells) and l1 (latent → bw·bw·gf), so a complete set of weights holds at
// least 54·gf² + bw²·gf·latent values; the network allocated is a small
// multiple of that.
func CheckWeightsFit(gf, bw, latent int, values int64) error {
	if gf <= 0 || bw <= 0 || latent <= 0 {
		return fmt.Errorf("generator widths gf %d, bottom width %d, latent %d must be positive", gf, bw, latent)
	}
	g, b, l := float64(gf), float64(bw), float64(latent)
	if need := float64(54*g*g) + float64(b*b*g*l); need > float64(values) { // float64(…): never fused into an FMA
		return fmt.Errorf("a generator of gf %d, bottom width %d, latent %d has at least %.0f weights; the file holds %d values", gf, bw, latent, need, values)
	}
	return nil
}
