package nas

import (
	"fmt"

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

// Controller training: the reference's train_controller (functions.py;
// reference §4.5; the paper's training of the controller).

// startController ends the shared training and begins train_controller,
// whose baseline starts afresh. Strategies without a controller go
// straight to the end of the iteration.
func (s *Searcher) startController() {
	s.cur.Phase, s.cur.CtrlStep, s.cur.Baseline = phaseController, 0, nil
	if !s.Cfg.Strategy.UsesController() {
		s.cur.Phase = phaseEnd
		return
	}
	s.startControllerProgress()
}

// startControllerProgress begins the progress line of train_controller,
// at the steps already done.
func (s *Searcher) startControllerProgress() {
	s.Report.StartAt(fmt.Sprintf("iteration %d/%d stage %d controller", s.cur.Iter+1, s.iterations(), s.cur.Stage), s.Cfg.CtrlSteps, s.cur.CtrlStep, "steps")
}

// trainController runs ctrl_step REINFORCE steps, then one step that hands
// the iteration to its end.
func (s *Searcher) trainController() error {
	for s.cur.Phase == phaseController {
		if err := s.steps.do(s.controllerStep); err != nil {
			return err
		}
	}
	return nil
}

// controllerStep is one REINFORCE step: sample one architecture with
// gradients, reward it with the IS of the shared generator (eval mode),
// and update the controller (see reinforceLoss). After the last one it
// moves the cursor to the iteration's end.
func (s *Searcher) controllerStep() error {
	c := &s.Cfg
	if s.cur.CtrlStep >= c.CtrlSteps {
		s.cur.Phase = phaseEnd
		return nil
	}
	tp := autodiff.NewTape()
	smp := s.ctrl.Sample(tp, 1, s.cur.Prefixes, s.rngCtrl, s.rngCtrl)
	arch := smp.Archs[0]
	stage := s.cur.Stage
	rew, is, err := s.reward(arch, stage)
	if err != nil {
		tp.Free()
		return err
	}
	loss, baseline, adv, r := reinforceLoss(tp, smp.LogProbs, smp.Entropies, rew, s.cur.Baseline, c.EntropyCoeff, c.BaselineDecay)
	for _, v := range []*autodiff.Var{adv, r, smp.Entropies} {
		tp.Keep(v)
	}
	rec := map[string]any{"event": "controller", "iter": s.cur.Iter, "stage": stage, "step": s.cur.CtrlStep,
		"arch": arch.String(), "is": is, "reward": tensorMean(r.Value), "entropy": tensorMean(smp.Entropies.Value),
		"adv": tensorMean(adv.Value), "baseline": mean(baseline), "loss": float64(loss.Value.Item()),
		"probs": smp.Probs, "tokens": s.ctrl.TokenNames()}
	s.optC.ZeroGrad()
	tp.Backward(loss)
	s.optC.Step()
	if err := s.checkFinite("controller", namedValue{"the controller's reward", rew}, namedOptimizer{"the controller's weights", s.optC}); err != nil {
		return err
	}
	s.cur.Baseline = baseline
	if err := s.Rec.Event(rec); err != nil {
		return err
	}
	if s.cur.BestArch == "" || rew > s.cur.BestReward {
		s.cur.BestArch, s.cur.BestReward = arch.String(), rew
	}
	s.cur.CtrlStep++
	s.Report.Update(s.cur.CtrlStep, fmt.Sprintf("IS %.3f arch %s", is, arch))
	return nil
}
