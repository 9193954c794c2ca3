package layers

import "github.com/autogan-go/autogan/autodiff"

// HingeLossD is the discriminator's hinge loss of the reference
// (AutoGAN functions.py, train_shared and train):
//
//	mean(relu(1 − D(x))) + mean(relu(1 + D(G(z))))
func HingeLossD(tp *autodiff.Tape, real, fake *autodiff.Var) *autodiff.Var {
	lr := tp.Mean(tp.ReLU(tp.AddScalar(tp.Neg(real), 1)), nil)
	lf := tp.Mean(tp.ReLU(tp.AddScalar(fake, 1)), nil)
	return tp.Add(lr, lf)
}

// HingeLossG is the generator's hinge loss: −mean(D(G(z))).
func HingeLossG(tp *autodiff.Tape, fake *autodiff.Var) *autodiff.Var {
	return tp.Neg(tp.Mean(fake, nil))
}
