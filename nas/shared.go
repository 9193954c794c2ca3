package nas

import (
	"fmt"

	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/cifar"
)

// Shared GAN training: the reference's train_shared (functions.py;
// reference §4.4; the paper's training of the shared GAN). The generator holds every alternative of
// every cell; each discriminator batch trains the architecture sampled for
// it.

// startShared begins train_shared for this iteration: its step counters
// restart and, as every call of the reference iterates a new DataLoader,
// the data is reshuffled (even after a reset abandoned an epoch). Without
// weight sharing the iteration's architecture gets a GAN of its own.
func (s *Searcher) startShared() error {
	s.cur.Phase, s.cur.Epoch, s.cur.Step, s.cur.GenStep = phaseShared, 0, 0, 0
	s.cur.BestArch, s.cur.BestReward = "", 0 // no architecture rewarded yet
	if !s.Cfg.Strategy.SharesWeights() {
		if err := s.createGAN(fmt.Sprintf("random%d", s.cur.Iter)); err != nil {
			return err
		}
		a := s.uniformArch()
		s.cur.Candidates = append(s.cur.Candidates, Prefix{Arch: a})
		s.Report.Log("architecture %d/%d: %s", s.cur.Iter+1, s.Cfg.RandomArchs, a)
	}
	if err := s.ensureLoader(); err != nil {
		return err
	}
	s.loader.NewEpoch()
	return nil
}

// trainShared runs discriminator steps (with a generator step every
// n_critic) until shared_epoch epochs are done or the dynamic reset fires;
// then the controller's turn begins.
func (s *Searcher) trainShared() error {
	for s.cur.Phase == phaseShared {
		if err := s.steps.do(s.sharedStep); err != nil {
			return err
		}
	}
	return nil
}

// sharedStep is one iteration of train_shared: a D step on the next real
// batch and, every n_critic D steps, a G step, with the architecture
// sampled for this batch; then the dynamic-reset check.
func (s *Searcher) sharedStep() error {
	c := &s.Cfg
	real, lastOfEpoch, err := s.loader.Next()
	if err != nil {
		return err
	}
	defer real.Release()
	arch := s.sampleArch()
	s.G.SetArch(arch, s.cur.Stage)
	s.D.Stage = s.cur.Stage

	// D step: hinge loss on D(real) and D(G(z)) with the fake batch detached.
	s.cur.LastD = DiscriminatorStep(s.G, s.D, s.optD, real, s.rngZ, c.Latent)
	s.dWin.Push(s.cur.LastD)

	if err := s.checkFinite("shared", namedValue{"the discriminator's loss", s.cur.LastD}, namedOptimizer{"the discriminator's weights", s.optD}); err != nil {
		return err
	}

	// G step every n_critic D steps (at D steps 0, n, 2n, …).
	if s.cur.Step%c.NCritic == 0 {
		s.cur.LastG = GeneratorStep(s.G, s.D, s.optG, s.rngZ, c.GenBatch, c.Latent)
		s.gWin.Push(s.cur.LastG)
		s.cur.GenStep++
		if err := s.checkFinite("shared", namedValue{"the generator's loss", s.cur.LastG}, namedOptimizer{"the generator's weights", s.optG}); err != nil {
			return err
		}
	}
	if s.cur.Step%c.LogEvery == 0 {
		if err := s.Rec.Event(map[string]any{"event": "shared", "iter": s.cur.Iter, "stage": s.cur.Stage, "epoch": s.cur.Epoch,
			"step": s.cur.Step, "d_loss": s.cur.LastD, "g_loss": s.cur.LastG, "arch": arch.String(),
			"g_var": s.gWin.Var(), "d_var": s.dWin.Var()}); err != nil {
			return err
		}
	}
	s.progressShared()

	// Dynamic reset (the paper's dynamic resetting, reference §4.4): once the G window is
	// full, a collapsed variance of the last window of G or D losses aborts
	// this iteration's shared training; the controller is still trained,
	// then G and D are re-created.
	if c.DynamicReset && s.gWin.Full() && (s.gWin.Var() < c.ResetThreshold || s.dWin.Var() < c.ResetThreshold) {
		if err := s.Rec.Event(map[string]any{"event": "reset", "iter": s.cur.Iter, "step": s.cur.Step,
			"g_var": s.gWin.Var(), "d_var": s.dWin.Var()}); err != nil {
			return err
		}
		s.Report.Log("dynamic reset at iteration %d, step %d (G variance %.3g, D variance %.3g)",
			s.cur.Iter, s.cur.Step, s.gWin.Var(), s.dWin.Var())
		s.cur.ResetPending = true
		s.gWin.Clear()
		s.dWin.Clear()
		s.startController()
		return nil
	}
	s.cur.Step++
	if lastOfEpoch {
		s.cur.Epoch++
	}
	if s.sharedDone() {
		s.startController()
	}
	return nil
}

// sharedDone reports whether this iteration's shared training is over:
// shared_epoch epochs when the strategy shares weights, random_steps D
// steps per architecture when it does not (random search without sharing).
func (s *Searcher) sharedDone() bool {
	if !s.Cfg.Strategy.SharesWeights() {
		return s.cur.Step >= s.Cfg.RandomSteps
	}
	return s.cur.Epoch >= s.Cfg.SharedEpochs
}

// sampleArch draws the architecture of one discriminator batch: from the
// controller (batch of one, conditioned on the top-K prefixes), uniformly
// at random, or — without weight sharing — the iteration's own
// architecture. The reference draws a new one for every D minibatch.
func (s *Searcher) sampleArch() Arch {
	switch {
	case !s.Cfg.Strategy.SharesWeights():
		return s.cur.Candidates[s.cur.Iter].Arch
	case !s.Cfg.Strategy.UsesController():
		return s.uniformArch()
	}
	return s.ctrl.Sample(autodiff.NoGrad(), 1, s.cur.Prefixes, s.rngArch, s.rngArch).Archs[0]
}

// uniformArch draws every token uniformly (the random-search baselines).
func (s *Searcher) uniformArch() Arch { return UniformArch(s.rngArch) }

// ensureLoader (re)builds the data loader at the stage's resolution, as
// the reference does at every growth. The shuffling stream continues.
func (s *Searcher) ensureLoader() error {
	if s.loader != nil && s.loaderStage == s.cur.Stage {
		return nil
	}
	data, err := s.stageData(s.cur.Stage)
	if err != nil {
		return err
	}
	if s.loader, err = cifar.NewLoader(data, s.Cfg.DisBatch, s.rngData); err != nil {
		return err
	}
	s.loader.SetPrefetch(true)
	s.loaderStage = s.cur.Stage
	return nil
}

func (s *Searcher) progressShared() {
	if s.cur.Step == 0 {
		s.startSharedProgress(0)
	}
	s.Report.Update(s.cur.Step+1, fmt.Sprintf("D loss %.3f G loss %.3f", s.cur.LastD, s.cur.LastG))
}

// startSharedProgress begins the progress line of train_shared, done D
// steps in.
func (s *Searcher) startSharedProgress(done int) {
	c := &s.Cfg
	total := c.SharedEpochs * s.loader.BatchesPerEpoch()
	if !c.Strategy.SharesWeights() {
		total = c.RandomSteps
	}
	s.Report.StartAt(fmt.Sprintf("iteration %d/%d stage %d shared", s.cur.Iter+1, s.iterations(), s.cur.Stage), total, done, "D steps")
}
