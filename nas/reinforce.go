package nas

import (
	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/tensor"
)

// reinforceLoss builds the controller's policy-gradient loss exactly as the
// reference's train_controller computes it, and returns the new baseline.
//
// With T tokens, log-probabilities logp (1×T) and entropies H (T×1):
//
//	r   = R + entropy_coeff·H                 T×1; H is NOT detached, so the
//	                                           entropy bonus gets gradients
//	b   = r                                   on the first step of a call
//	b   = decay·stopgrad(b_prev) + (1−decay)·r afterwards
//	adv = r − b                                exactly 0 on the first step
//	loss = Σ over the T×T broadcast of (−logp)·adv = −(Σ logp)·(Σ adv)
//
// The loss is a product of sums because the reference multiplies a 1×T row
// by a T×1 column. The baseline is a vector with one entry per token and is
// reset at every search iteration (train_controller starts with None).
func reinforceLoss(tp *autodiff.Tape, logp, entropies *autodiff.Var, reward float64, baseline []float64,
	coeff, decay float64) (loss *autodiff.Var, newBaseline []float64, adv *autodiff.Var, r *autodiff.Var) {
	r = tp.AddScalar(tp.MulScalar(entropies, float32(coeff)), float32(reward))
	var b *autodiff.Var
	if baseline == nil {
		b = r
	} else {
		prev := tensor.New(r.Value.Shape()...)
		for i, v := range baseline {
			prev.Data()[i] = float32(v)
		}
		b = tp.Add(tp.MulScalar(autodiff.Const(prev), float32(decay)), tp.MulScalar(r, float32(1-decay)))
	}
	adv = tp.Sub(r, b)
	loss = tp.Neg(tp.Mul(tp.Sum(logp, nil), tp.Sum(adv, nil)))
	newBaseline = make([]float64, b.Value.Len())
	for i, v := range b.Value.Data() {
		newBaseline[i] = float64(v)
	}
	return loss, newBaseline, adv, r
}
