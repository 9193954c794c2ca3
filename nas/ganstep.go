package nas

import (
	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/layers"
	"github.com/autogan-go/autogan/optim"
	"github.com/autogan-go/autogan/tensor"
)

// The two updates of the GAN, shared by the search's shared-weight
// training (train_shared in the reference's functions.py) and by training
// an architecture from scratch (functions.train): the same hinge losses,
// the same order of random draws.

// discriminatorStep updates D on one real batch and as many generated
// images, with the hinge loss, and returns the loss. The fake batch is
// generated without a tape (G.detach() in the reference), so D's loss does
// not reach G.
func discriminatorStep(g Forwarder, d *Discriminator, optD *optim.Adam, real *tensor.Tensor, rngZ *tensor.RNG, latent int) float64 {
	z := tensor.New(real.Dim(0), latent)
	rngZ.FillNormal(z, 0, 1)
	optD.ZeroGrad()
	tp := autodiff.NewTape()
	realOut := d.Forward(tp, autodiff.Const(real))
	fake := Generate(g, z)
	z.Release()
	fakeOut := d.Forward(tp, autodiff.Const(fake))
	dLoss := layers.HingeLossD(tp, realOut, fakeOut)
	loss := float64(dLoss.Value.Item())
	tp.Backward(dLoss)
	fake.Release()
	optD.Step()
	return loss
}

// generatorStep updates G on n fresh latents with the hinge loss
// −mean(D(G(z))) and returns it. D's parameters are frozen for the pass
// so that no gradient is computed for them (the reference only zeroes and
// ignores them; the result is the same, the work is not).
func generatorStep(g Forwarder, d *Discriminator, optG *optim.Adam, rngZ *tensor.RNG, n, latent int) float64 {
	z := tensor.New(n, latent)
	rngZ.FillNormal(z, 0, 1)
	dParams := layers.Params(d)
	for _, p := range dParams {
		p.SetRequiresGrad(false)
	}
	optG.ZeroGrad()
	tp := autodiff.NewTape()
	gLoss := layers.HingeLossG(tp, d.Forward(tp, g.Forward(tp, autodiff.Const(z))))
	loss := float64(gLoss.Value.Item())
	tp.Backward(gLoss)
	optG.Step()
	for _, p := range dParams {
		p.SetRequiresGrad(true)
	}
	z.Release()
	return loss
}
