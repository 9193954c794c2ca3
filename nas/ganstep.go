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
// the same order of random draws. Each is split in two: the *Backward
// function computes the loss and leaves the gradients in the parameters
// (the whole-step parity tests compare them there, before the optimiser
// runs), and the *Step function wraps it with the latents, zero_grad and
// the optimiser step. The two Step functions are exported so that
// cmd/bench times the code a search and a training run, not a copy of it.

// DiscriminatorStep updates D on one real batch and as many generated
// images (latents drawn from rngZ), with the hinge loss, and returns the
// loss. It is one iteration of the inner loop of the reference's
// train_shared and train (functions.py), D's half.
func DiscriminatorStep(g Forwarder, d *Discriminator, optD *optim.Adam, real *tensor.Tensor, rngZ *tensor.RNG, latent int) float64 {
	z := tensor.New(real.Dim(0), latent)
	rngZ.FillNormal(z, 0, 1)
	optD.ZeroGrad()
	loss := discriminatorBackward(g, d, real, z)
	z.Release()
	optD.Step()
	return loss
}

// discriminatorBackward computes D's hinge loss
//
//	mean(relu(1 − D(real))) + mean(relu(1 + D(G(z))))
//
// in the reference's order (D(real) first, then the fake batch), and
// backpropagates it into D's gradients. The fake batch is generated
// without a tape (G(z).detach() in the reference), so the loss does not
// reach G; G runs in whatever mode it is in (training: its batch norms use
// and update batch statistics, as in the reference). Each D call runs one
// power iteration of every spectral norm.
func discriminatorBackward(g Forwarder, d *Discriminator, real, z *tensor.Tensor) float64 {
	tp := autodiff.NewTape()
	realOut := d.Forward(tp, autodiff.Const(real))
	fake := Generate(g, z)
	fakeOut := d.Forward(tp, autodiff.Const(fake))
	dLoss := layers.HingeLossD(tp, realOut, fakeOut)
	loss := float64(dLoss.Value.Item())
	tp.Backward(dLoss)
	fake.Release()
	return loss
}

// GeneratorStep updates G on n fresh latents (drawn from rngZ) with the
// hinge loss −mean(D(G(z))) and returns it: G's half of the iteration,
// which the reference runs every n_critic D steps.
func GeneratorStep(g Forwarder, d *Discriminator, optG *optim.Adam, rngZ *tensor.RNG, n, latent int) float64 {
	z := tensor.New(n, latent)
	rngZ.FillNormal(z, 0, 1)
	optG.ZeroGrad()
	loss := generatorBackward(g, d, z)
	optG.Step()
	z.Release()
	return loss
}

// generatorBackward computes −mean(D(G(z))) and backpropagates it into
// G's gradients. D's parameters are frozen for the pass so that no
// gradient is computed for them (the reference computes and later zeroes
// them; the result is the same, the work is not). D's spectral norms still
// run their power iteration, as every D call of the reference does.
func generatorBackward(g Forwarder, d *Discriminator, z *tensor.Tensor) float64 {
	dParams := layers.Params(d)
	for _, p := range dParams {
		p.SetRequiresGrad(false)
	}
	tp := autodiff.NewTape()
	gLoss := layers.HingeLossG(tp, d.Forward(tp, g.Forward(tp, autodiff.Const(z))))
	loss := float64(gLoss.Value.Item())
	tp.Backward(gLoss)
	for _, p := range dParams {
		p.SetRequiresGrad(true)
	}
	return loss
}
