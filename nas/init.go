package nas

import (
	"fmt"

	"github.com/autogan-go/autogan/layers"
	"github.com/autogan-go/autogan/tensor"
)

// InitType names the reference's weights_init variants for Conv2d weights.
type InitType string

const (
	InitXavierUniform InitType = "xavier_uniform" // every script of the reference
	InitNormal        InitType = "normal"         // cfg.py's default: N(0, 0.02)
	InitOrth          InitType = "orth"           // nn.init.orthogonal_ (gain 1)
)

// Valid reports whether the reference's weights_init knows the type.
func (k InitType) Valid() bool {
	return k == InitXavierUniform || k == InitNormal || k == InitOrth
}

// initReference applies the reference's weights_init (search.py,
// train.py): every Conv2d weight (spectral-norm wrapped ones included: the
// init lands on weight_orig) is redrawn from xavier_uniform (gain 1),
// N(0, 0.02) or orthogonal_, and every BatchNorm2d gets weight ~ N(1, 0.02) and bias 0.
// Conv biases, Linear layers and ConvTranspose2d (whose class name does not
// contain "Conv2d") keep PyTorch's default initialisation.
func initReference(convs []*layers.Conv2d, bns []*layers.BatchNorm2d, kind InitType, g *tensor.RNG) error {
	for _, c := range convs {
		switch kind {
		case InitXavierUniform:
			layers.XavierUniform(c.Weight.Value, 1, g)
		case InitNormal:
			layers.Normal(c.Weight.Value, 0, 0.02, g)
		case InitOrth:
			layers.Orthogonal(c.Weight.Value, 1, g)
		default:
			return fmt.Errorf("unknown init type %q (xavier_uniform, normal or orth)", kind)
		}
	}
	for _, bn := range bns {
		layers.Normal(bn.Weight.Value, 1, 0.02, g)
		bn.Bias.Value.Zero()
	}
	return nil
}

// convs and bns list the generator's Conv2d layers and batch norms in
// state order, for initReference.
func (g *SharedGenerator) convsAndBNs() ([]*layers.Conv2d, []*layers.BatchNorm2d) {
	var convs []*layers.Conv2d
	var bns []*layers.BatchNorm2d
	for _, c := range g.Cells {
		convs = append(convs, c.PostConv1.Conv, c.PreConv1.Conv, c.PostConv2.Conv, c.PreConv2.Conv, c.CSC)
		convs = append(convs, c.SkipInOps...)
		bns = append(bns, c.PostConv1.BN, c.PreConv1.BN, c.PostConv2.BN, c.PreConv2.BN)
	}
	convs = append(convs, g.ToRGB.Steps[2].(*layers.Conv2d))
	bns = append(bns, g.ToRGB.Steps[0].(*layers.BatchNorm2d))
	return convs, bns
}

// InitReference applies the reference's weights_init to the generator.
func (g *SharedGenerator) InitReference(kind InitType, rng *tensor.RNG) error {
	convs, bns := g.convsAndBNs()
	return initReference(convs, bns, kind, rng)
}

// InitReference applies the reference's weights_init to the discriminator.
func (d *Discriminator) InitReference(kind InitType, rng *tensor.RNG) error {
	var convs []*layers.Conv2d
	for _, c := range d.snConvs() {
		convs = append(convs, c.Conv)
	}
	return initReference(convs, nil, kind, rng)
}
