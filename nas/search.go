package nas

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"time"

	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/cifar"
	"github.com/autogan-go/autogan/inception"
	"github.com/autogan-go/autogan/internal/progress"
	"github.com/autogan-go/autogan/layers"
	"github.com/autogan-go/autogan/optim"
	"github.com/autogan-go/autogan/tensor"
)

// Phases of a search iteration. The search is a state machine whose cursor
// (iteration, phase, epoch, step) is part of every checkpoint, so a run
// interrupted between any two steps continues exactly where it stopped.
const (
	phaseStart      = iota // beginning of an iteration: growth check
	phaseTopK              // evaluating candidates (growth or the final result)
	phaseShared            // shared GAN training (train_shared)
	phaseController        // controller training (train_controller)
	phaseEnd               // dynamic reset, sample grid, iteration checkpoint
	phaseDone
)

// ErrInterrupted is returned by Run when the context was cancelled: a
// checkpoint was written at the last step boundary and Resume continues.
var ErrInterrupted = errors.New("interrupted after writing a checkpoint; resume from the run directory")

// cursor is the serialisable position and small state of the search.
type cursor struct {
	Iter     int `json:"iter"`
	Stage    int `json:"stage"`
	Phase    int `json:"phase"`
	Epoch    int `json:"epoch"`     // epochs finished in this train_shared call
	Step     int `json:"step"`      // D steps in this train_shared call (restarts every call)
	GenStep  int `json:"gen_step"`  // G steps in this call
	CtrlStep int `json:"ctrl_step"` // controller steps in this iteration
	// Baseline is the per-token REINFORCE baseline; nil at the start of
	// every train_controller call, as in the reference.
	Baseline     []float64 `json:"baseline"`
	ResetPending bool      `json:"reset_pending"` // the dynamic reset fired in this iteration
	Resets       int       `json:"resets"`
	Prefixes     []Prefix  `json:"prefixes"` // top-K of the previous stage
	// Candidates being evaluated (growth or final selection) and their
	// rewards so far.
	Candidates []Prefix `json:"candidates"`
	Evaluated  int      `json:"evaluated"`
	Final      []Prefix `json:"final"`
	// Best reward of this iteration's controller steps, for the sample grid.
	BestArch   string  `json:"best_arch"`
	BestReward float64 `json:"best_reward"`
	LastD      float64 `json:"last_d_loss"`
	LastG      float64 `json:"last_g_loss"`
	TotalSteps int     `json:"total_steps"` // every unit of work done, for progress
}

// Searcher runs an AutoGAN architecture search.
type Searcher struct {
	Cfg    Config
	Dir    string           // the run directory
	Scorer inception.Scorer // IS (and FID) of rewards
	Data   cifar.Dataset    // training images at full resolution
	Report *progress.Reporter
	// OnStep, when set, is called after every step with the cursor's total
	// step count (tests use it to interrupt a run).
	OnStep func(total int)

	G    *SharedGenerator
	D    *Discriminator
	optG *optim.Adam
	optD *optim.Adam
	ctrl *Controller
	optC *optim.Adam

	loader      *cifar.Loader
	loaderStage int

	gWin, dWin *RunningStats
	cur        cursor

	root                                       *tensor.RNG
	rngData, rngZ, rngArch, rngCtrl, rngReward *tensor.RNG
	events                                     *eventLog
	resized                                    map[int]*cifar.Memory
	real                                       map[int][2][]float64
	iterStart                                  time.Time
}

// NewSearcher prepares a new search in dir (which must not hold another
// run): it writes the resolved configuration and builds the networks.
func NewSearcher(cfg Config, dir string, scorer inception.Scorer, data cifar.Dataset, rep *progress.Reporter) (*Searcher, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(dir, checkpointFile)); err == nil {
		return nil, fmt.Errorf("%s already holds a search; resume it with -resume %s or choose another -run", dir, dir)
	}
	if err := os.MkdirAll(filepath.Join(dir, "samples"), 0o755); err != nil {
		return nil, err
	}
	s := newSearcher(cfg, dir, scorer, data, rep)
	if err := writeJSON(filepath.Join(dir, "config.json"), cfg); err != nil {
		return nil, err
	}
	var err error
	if s.events, err = openEventLog(filepath.Join(dir, "metrics.jsonl"), 0); err != nil {
		return nil, err
	}
	if err := s.createGAN("init"); err != nil {
		return nil, err
	}
	s.cur.Stage = cfg.StageOf(0)
	s.newController(s.cur.Stage)
	return s, nil
}

func newSearcher(cfg Config, dir string, scorer inception.Scorer, data cifar.Dataset, rep *progress.Reporter) *Searcher {
	if rep == nil {
		rep = progress.New(discard{}, false, time.Hour)
	}
	root := tensor.NewRNG(cfg.Seed)
	return &Searcher{Cfg: cfg, Dir: dir, Scorer: scorer, Data: data, Report: rep, root: root,
		rngData: root.Child("data"), rngZ: root.Child("z"), rngArch: root.Child("arch"),
		rngCtrl: root.Child("controller"), rngReward: root.Child("reward"),
		gWin: NewRunningStats(cfg.ResetWindow), dWin: NewRunningStats(cfg.ResetWindow),
		resized: map[int]*cifar.Memory{}, real: map[int][2][]float64{}, loaderStage: -1}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// createGAN builds G and D with the reference's initialisation and fresh
// Adam optimisers; tag names the random stream ("init", "reset3", …).
func (s *Searcher) createGAN(tag string) error {
	c := &s.Cfg
	gr, dr := s.root.Child(tag+"/G"), s.root.Child(tag+"/D")
	s.G = NewSharedGenerator(c.GF, c.BottomWidth, c.Latent, gr)
	if err := s.G.InitReference(c.InitType, gr); err != nil {
		return err
	}
	s.D = NewDiscriminator(c.DF, dr)
	if err := s.D.InitReference(c.InitType, dr); err != nil {
		return err
	}
	s.optG = optim.NewAdam(layers.NamedParams(s.G), c.GLR, c.Beta1, c.Beta2)
	s.optD = optim.NewAdam(layers.NamedParams(s.D), c.DLR, c.Beta1, c.Beta2)
	return nil
}

// newController creates the controller of a stage and its optimiser
// (create_ctrler of the reference: new weights, new Adam, every stage).
func (s *Searcher) newController(stage int) {
	g := s.root.Child(fmt.Sprintf("controller/stage%d", stage))
	if s.Cfg.Strategy == "slas" {
		s.ctrl = NewSLASController(s.Cfg.Hidden, g)
	} else {
		s.ctrl = NewController(stage, s.Cfg.Hidden, g)
	}
	s.optC = optim.NewAdam(layers.NamedParams(s.ctrl), s.Cfg.CtrlLR, s.Cfg.Beta1, s.Cfg.Beta2)
}

// Run continues the search until it finishes (nil), fails, or ctx is
// cancelled (ErrInterrupted, after a checkpoint).
func (s *Searcher) Run(ctx context.Context) error {
	defer s.events.Close()
	defer s.Report.Done()
	return runSteps(ctx, s, &s.cur.TotalSteps, s.OnStep)
}

func (s *Searcher) done() bool { return s.cur.Phase == phaseDone }

func (s *Searcher) saveInterrupted() error {
	if err := s.checkpoint(); err != nil {
		return err
	}
	s.Report.Log("interrupted: checkpoint written at iteration %d, step %d", s.cur.Iter, s.cur.TotalSteps)
	return nil
}

// step performs one unit of work of the current phase.
func (s *Searcher) step() error {
	c := &s.Cfg
	switch s.cur.Phase {
	case phaseStart:
		s.iterStart = time.Now()
		if s.cur.Iter >= s.iterations() {
			return s.startTopK(true)
		}
		if c.Strategy == "mlas" && (s.cur.Iter == c.GrowStep1 || s.cur.Iter == c.GrowStep2) {
			return s.startTopK(false)
		}
		return s.startShared()
	case phaseTopK:
		return s.evaluateCandidate()
	case phaseShared:
		return s.sharedStep()
	case phaseController:
		return s.controllerStep()
	case phaseEnd:
		return s.endIteration()
	}
	return fmt.Errorf("nas: unknown phase %d", s.cur.Phase)
}

// startShared begins train_shared for this iteration.
func (s *Searcher) startShared() error {
	s.cur.Phase, s.cur.Epoch, s.cur.Step, s.cur.GenStep = phaseShared, 0, 0, 0
	s.cur.BestArch, s.cur.BestReward = "", 0 // no architecture rewarded yet
	if s.Cfg.Strategy == "random-independent" {
		// A new architecture trained from scratch: fresh G, D and optimisers.
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
	// Every train_shared call of the reference iterates a new DataLoader
	// iterator: a fresh permutation, even after a reset abandoned an epoch.
	s.loader.NewEpoch()
	return nil
}

// iterations is the number of search iterations (random-independent: the
// number of architectures).
func (s *Searcher) iterations() int {
	if s.Cfg.Strategy == "random-independent" {
		return s.Cfg.RandomArchs
	}
	return s.Cfg.MaxIters
}

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

// sampleArch draws the architecture of one discriminator batch: from the
// controller (batch of one, conditioned on the top-K prefixes), or
// uniformly for the random strategies. The reference draws a new one for
// every D minibatch.
func (s *Searcher) sampleArch() Arch {
	switch s.Cfg.Strategy {
	case "random":
		return s.uniformArch()
	case "random-independent":
		return s.cur.Candidates[s.cur.Iter].Arch
	}
	return s.ctrl.Sample(autodiff.NoGrad(), 1, s.cur.Prefixes, s.rngArch, s.rngArch).Archs[0]
}

// uniformArch draws every token uniformly (the random-search baselines).
func (s *Searcher) uniformArch() Arch {
	var v []int
	for st := 0; st < 3; st++ {
		for _, t := range tokensPerStage(st) {
			v = append(v, s.rngArch.IntN(t))
		}
	}
	a, _ := FromInts(v)
	return a
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
	s.cur.LastD = discriminatorStep(s.G, s.D, s.optD, real, s.rngZ, c.Latent)
	s.dWin.Push(s.cur.LastD)

	// G step every n_critic D steps (at D steps 0, n, 2n, …).
	if s.cur.Step%c.NCritic == 0 {
		s.cur.LastG = generatorStep(s.G, s.D, s.optG, s.rngZ, c.GenBatch, c.Latent)
		s.gWin.Push(s.cur.LastG)
		s.cur.GenStep++
	}
	if s.cur.Step%c.LogEvery == 0 {
		s.events.write(map[string]any{"event": "shared", "iter": s.cur.Iter, "stage": s.cur.Stage, "epoch": s.cur.Epoch,
			"step": s.cur.Step, "d_loss": s.cur.LastD, "g_loss": s.cur.LastG, "arch": arch.String(),
			"g_var": s.gWin.Var(), "d_var": s.dWin.Var()})
	}
	s.progressShared()

	// Dynamic reset: once the G window is full, a collapsed variance of the
	// last window of G or D losses aborts this iteration's shared training;
	// the controller is still trained, then G and D are re-created.
	if c.DynamicReset && s.gWin.Full() && (s.gWin.Var() < c.ResetThreshold || s.dWin.Var() < c.ResetThreshold) {
		s.events.write(map[string]any{"event": "reset", "iter": s.cur.Iter, "step": s.cur.Step,
			"g_var": s.gWin.Var(), "d_var": s.dWin.Var()})
		s.Report.Log("dynamic reset at iteration %d, step %d (G variance %.3g, D variance %.3g)",
			s.cur.Iter, s.cur.Step, s.gWin.Var(), s.dWin.Var())
		s.cur.ResetPending = true
		s.gWin.Clear()
		s.dWin.Clear()
		return s.startController()
	}
	s.cur.Step++
	if lastOfEpoch {
		s.cur.Epoch++
	}
	limit := c.SharedEpochs
	if c.Strategy == "random-independent" {
		if s.cur.Step >= c.RandomSteps {
			return s.startController()
		}
		return nil
	}
	if s.cur.Epoch >= limit {
		return s.startController()
	}
	return nil
}

// startController ends shared training and begins train_controller.
func (s *Searcher) startController() error {
	s.cur.Phase, s.cur.CtrlStep, s.cur.Baseline = phaseController, 0, nil
	if s.Cfg.Strategy == "random" || s.Cfg.Strategy == "random-independent" {
		s.cur.Phase = phaseEnd // no controller to train
		return nil
	}
	s.Report.Start(fmt.Sprintf("iteration %d/%d stage %d controller", s.cur.Iter+1, s.iterations(), s.cur.Stage), s.Cfg.CtrlSteps, "steps")
	return nil
}

// controllerStep is one REINFORCE step: sample one architecture with
// gradients, reward it with the IS of the shared generator (eval mode),
// and update the controller (see reinforceLoss).
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
		"adv": tensorMean(adv.Value), "baseline": mean(baseline), "loss": float64(loss.Value.Item())}
	s.optC.ZeroGrad()
	tp.Backward(loss)
	s.optC.Step()
	s.cur.Baseline = baseline
	s.events.write(rec)
	if s.cur.BestArch == "" || rew > s.cur.BestReward {
		s.cur.BestArch, s.cur.BestReward = arch.String(), rew
	}
	s.cur.CtrlStep++
	s.Report.Update(s.cur.CtrlStep, fmt.Sprintf("iter %d stage %d controller: IS %.3f arch %s", s.cur.Iter, stage, is, arch))
	return nil
}

// startTopK samples the candidates of a growth (the top-K prefixes for the
// next stage, with the old controller) or of the final selection.
func (s *Searcher) startTopK(final bool) error {
	c := &s.Cfg
	var cands []Prefix
	switch c.Strategy {
	case "random-independent":
		cands = s.cur.Candidates // each already trained; rewards computed below
	case "random":
		for i := 0; i < c.NumCandidates; i++ {
			cands = append(cands, Prefix{Arch: s.uniformArch()})
		}
	default:
		smp := s.ctrl.Sample(autodiff.NoGrad(), c.NumCandidates, s.cur.Prefixes, s.rngArch, s.rngArch)
		for i, a := range smp.Archs {
			h := s.ctrl.Hidden
			cands = append(cands, Prefix{Arch: a, H: append([]float32(nil), smp.H.Data()[i*h:(i+1)*h]...),
				C: append([]float32(nil), smp.C.Data()[i*h:(i+1)*h]...)})
		}
		smp.H.Release()
		smp.C.Release()
	}
	s.cur.Candidates, s.cur.Evaluated = cands, 0
	if c.Strategy == "random-independent" {
		s.cur.Evaluated = len(cands) // rewarded right after their training
	}
	s.cur.Phase = phaseTopK
	if final {
		s.cur.Iter = s.iterations()
	}
	s.Report.Start(fmt.Sprintf("top-%d of %d candidates", c.TopK, len(cands)), len(cands), "candidates")
	return nil
}

// evaluateCandidate rewards the next candidate; after the last one it keeps
// the top K (sorted by reward, descending; the order is stable for ties)
// and either starts the new stage or finishes the search.
func (s *Searcher) evaluateCandidate() error {
	c := &s.Cfg
	if s.cur.Evaluated < len(s.cur.Candidates) {
		cand := &s.cur.Candidates[s.cur.Evaluated]
		rew, is, err := s.reward(cand.Arch, s.evalStage())
		if err != nil {
			return err
		}
		cand.Reward = rew
		s.events.write(map[string]any{"event": "candidate", "iter": s.cur.Iter, "index": s.cur.Evaluated,
			"arch": cand.Arch.String(), "reward": rew, "is": is})
		s.cur.Evaluated++
		s.Report.Update(s.cur.Evaluated, fmt.Sprintf("IS %.3f %s", is, cand.Arch))
		return nil
	}
	ranked := slices.Clone(s.cur.Candidates)
	sort.SliceStable(ranked, func(i, j int) bool { return ranked[i].Reward > ranked[j].Reward })
	top := ranked[:min(c.TopK, len(ranked))]
	var archs []string
	for _, p := range top {
		archs = append(archs, p.Arch.String())
	}
	s.events.write(map[string]any{"event": "topk", "iter": s.cur.Iter, "archs": archs})
	s.cur.Candidates = nil
	if s.cur.Iter >= s.iterations() {
		s.cur.Final = top
		s.cur.Phase = phaseDone
		if err := s.writeResult(); err != nil {
			return err
		}
		return s.checkpoint()
	}
	// Growth: the prefixes and their hidden states carry over; a new
	// controller and optimiser are created; the data grows.
	s.cur.Prefixes = top
	s.cur.Stage = c.StageOf(s.cur.Iter)
	s.newController(s.cur.Stage)
	s.events.write(map[string]any{"event": "grow", "iter": s.cur.Iter, "stage": s.cur.Stage, "image_size": c.ImageSizeOf(s.cur.Stage)})
	s.Report.Log("grew to stage %d (%d×%d images); prefixes: %v", s.cur.Stage, c.ImageSizeOf(s.cur.Stage), c.ImageSizeOf(s.cur.Stage), archs)
	return s.startShared()
}

// evalStage is the stage at which candidates are scored: the controller's
// stage (the old one during a growth).
func (s *Searcher) evalStage() int { return s.cur.Stage }

// endIteration applies a pending dynamic reset, saves the sample grid and
// writes the iteration checkpoint.
func (s *Searcher) endIteration() error {
	c := &s.Cfg
	if c.Strategy == "random-independent" {
		cand := &s.cur.Candidates[s.cur.Iter]
		rew, is, err := s.reward(cand.Arch, 2)
		if err != nil {
			return err
		}
		cand.Reward = rew
		s.events.write(map[string]any{"event": "candidate", "iter": s.cur.Iter, "arch": cand.Arch.String(), "reward": rew, "is": is})
		s.cur.BestArch = cand.Arch.String()
	}
	if err := s.writeGrid(); err != nil {
		return err
	}
	if s.cur.ResetPending {
		s.cur.Resets++
		s.Report.Log("re-initialising the shared GAN (reset %d)", s.cur.Resets)
		if err := s.createGAN(fmt.Sprintf("reset%d", s.cur.Resets)); err != nil {
			return err
		}
		s.cur.ResetPending = false
	}
	s.events.write(map[string]any{"event": "iteration", "iter": s.cur.Iter, "stage": s.cur.Stage,
		"d_steps": s.cur.Step, "g_steps": s.cur.GenStep, "resets": s.cur.Resets,
		"seconds": time.Since(s.iterStart).Seconds()})
	s.cur.Iter++
	s.cur.Phase = phaseStart
	return s.checkpoint()
}

func (s *Searcher) progressShared() {
	c := &s.Cfg
	total := c.SharedEpochs * s.loader.BatchesPerEpoch()
	if c.Strategy == "random-independent" {
		total = c.RandomSteps
	}
	if s.cur.Step == 0 {
		s.Report.Start(fmt.Sprintf("iteration %d/%d stage %d shared", s.cur.Iter+1, s.iterations(), s.cur.Stage), total, "D steps")
	}
	s.Report.Update(s.cur.Step+1, fmt.Sprintf("D loss %.3f G loss %.3f", s.cur.LastD, s.cur.LastG))
}

func tensorMean(t *tensor.Tensor) float64 { return tensor.SumAll(t) / float64(t.Len()) }

func mean(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(max(len(v), 1))
}
