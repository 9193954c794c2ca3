package nas

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/autogan-go/autogan/inception/metrics"

	"github.com/autogan-go/autogan/cifar"
	"github.com/autogan-go/autogan/internal/progress"
	"github.com/autogan-go/autogan/layers"
	"github.com/autogan-go/autogan/optim"
	"github.com/autogan-go/autogan/tensor"
)

// Searcher runs an AutoGAN architecture search (paper §3; the reference's
// search.py). Run is the algorithm; its parts are in this file and in
// shared.go (the shared GAN), reinforce.go (the controller), topk.go (the
// growth and the final selection) and reward.go; checkpoint.go saves and
// resumes it.
type Searcher struct {
	Cfg    Config
	Rec    Recorder       // the run directory
	Scorer metrics.Scorer // IS (and FID) of rewards
	Data   cifar.Dataset  // training images at full resolution
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
	steps      *steps
	overridden bool // settings changed on resume: config.json follows at the next checkpoint

	root                                       *tensor.RNG
	rngData, rngZ, rngArch, rngCtrl, rngReward *tensor.RNG
	resized                                    map[int]*cifar.Memory // training images at each image size
	realFeatures                               map[int][2][]float64  // FID reward: mean and covariance of the real features, by stage
	iterStart                                  time.Time
}

// Run runs the search until it finishes (nil), fails, or ctx is cancelled
// (ErrInterrupted, after a checkpoint). A resumed search continues where
// its checkpoint stopped.
//
// The iteration is the reference's (search.py; reference §4.3):
//
//	for each iteration:
//	    MLAS, at the growth iterations: keep the top-K prefixes, start a
//	        controller for the next cell, grow images and discriminator
//	    train the shared GAN on architectures sampled by the controller,
//	        stopping early if the losses collapse (dynamic reset)
//	    train the controller with REINFORCE on the Inception Score
//	    after a dynamic reset, re-create the GAN; save grid and checkpoint
//	the discovered architectures: the top K of the last controller
//
// Each part returns at once if the cursor is past it, and continues from
// the cursor if the run stopped inside it.
func (s *Searcher) Run(ctx context.Context) error {
	defer s.Rec.Close()
	defer s.Report.Done()
	s.steps = &steps{ctx: ctx, total: &s.cur.TotalSteps, onStep: s.OnStep, save: s.checkpoint, log: s.logLine, where: s.where}
	for s.cur.Iter < s.iterations() {
		for _, part := range []func() error{
			s.beginIteration,  // decides whether the search grows now (MLAS)
			s.grow,            // multi-level search: top-K prefixes, a new controller, bigger images
			s.trainShared,     // the shared GAN, with the dynamic reset
			s.trainController, // the controller, with REINFORCE
			s.endIteration,    // the reset's re-initialisation, sample grid, checkpoint
		} {
			if err := part(); err != nil {
				return err
			}
		}
	}
	if err := s.beginFinal(); err != nil {
		return err
	}
	return s.selectFinal() // the top K of the last controller: the discovered architectures
}

// where names the search's position in messages, counting iterations from
// 1 as the progress line does (the metrics log's "iter" counts from 0).
func (s *Searcher) where() string {
	return fmt.Sprintf("iteration %d/%d, step %d", s.cur.Iter+1, s.iterations(), s.cur.TotalSteps)
}

// Phases of an iteration: the cursor's position in Run's loop.
const (
	phaseStart      = iota // beginning of an iteration
	phaseTopK              // scoring candidates (growth or the final selection)
	phaseShared            // shared GAN training (train_shared)
	phaseController        // controller training (train_controller)
	phaseEnd               // dynamic reset, sample grid, iteration checkpoint
	phaseDone
)

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

// NewSearcher prepares a new search recorded by rec: it writes the
// resolved configuration and builds the networks.
func NewSearcher(cfg Config, rec Recorder, scorer metrics.Scorer, data cifar.Dataset, rep *progress.Reporter) (*Searcher, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := newSearcher(cfg, rec, scorer, data, rep)
	if err := rec.WriteJSON("config.json", withEngine{cfg}); err != nil {
		return nil, err
	}
	if err := rec.Event(schemaRecord("search")); err != nil {
		return nil, err
	}
	if err := s.createGAN("init"); err != nil {
		return nil, err
	}
	s.cur.Stage = cfg.StageOf(0)
	s.newController(s.cur.Stage)
	return s, nil
}

func newSearcher(cfg Config, rec Recorder, scorer metrics.Scorer, data cifar.Dataset, rep *progress.Reporter) *Searcher {
	if rep == nil {
		rep = progress.New(io.Discard, false, time.Hour)
	}
	root := tensor.NewRNG(cfg.Seed)
	return &Searcher{Cfg: cfg, Rec: rec, Scorer: scorer, Data: data, Report: rep, root: root,
		rngData: root.Child("data"), rngZ: root.Child("z"), rngArch: root.Child("arch"),
		rngCtrl: root.Child("controller"), rngReward: root.Child("reward"),
		gWin: NewRunningStats(cfg.ResetWindow), dWin: NewRunningStats(cfg.ResetWindow),
		resized: map[int]*cifar.Memory{}, realFeatures: map[int][2][]float64{}, loaderStage: -1}
}

func (s *Searcher) logLine(msg string) { s.Report.Log("%s", msg) }

// iterations is the number of search iterations; a strategy without weight
// sharing trains random_archs architectures, one per iteration.
func (s *Searcher) iterations() int {
	if !s.Cfg.Strategy.SharesWeights() {
		return s.Cfg.RandomArchs
	}
	return s.Cfg.MaxIters
}

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
// (create_ctrler of the reference: new weights, new Adam, every stage). A
// single-level search has one controller for all three cells. (The random
// strategies keep an unused stage controller, which their checkpoints
// have always held.)
func (s *Searcher) newController(stage int) {
	g := s.root.Child(fmt.Sprintf("controller/stage%d", stage))
	if s.Cfg.Strategy.UsesController() && !s.Cfg.Strategy.Multilevel() {
		s.ctrl = NewSLASController(s.Cfg.Hidden, g)
	} else {
		s.ctrl = NewController(stage, s.Cfg.Hidden, g)
	}
	s.optC = optim.NewAdam(layers.NamedParams(s.ctrl), s.Cfg.CtrlLR, s.Cfg.Beta1, s.Cfg.Beta2)
}

// beginIteration is the first step of an iteration: at a growth iteration
// of MLAS it draws the candidate prefixes (grow scores them), otherwise it
// starts the shared training.
func (s *Searcher) beginIteration() error {
	if s.cur.Phase != phaseStart {
		return nil
	}
	return s.steps.do(func() error {
		s.iterStart = time.Now()
		if s.growsNow() {
			return s.startTopK()
		}
		return s.startShared()
	})
}

// growsNow reports whether the multi-level search moves to its next cell
// at this iteration (grow_step1 and grow_step2).
func (s *Searcher) growsNow() bool {
	return s.Cfg.Strategy.Multilevel() && (s.cur.Iter == s.Cfg.GrowStep1 || s.cur.Iter == s.Cfg.GrowStep2)
}

// endIteration applies a pending dynamic reset, saves the sample grid and
// writes the iteration checkpoint. Without weight sharing it first scores
// the architecture this iteration trained.
func (s *Searcher) endIteration() error {
	if s.cur.Phase != phaseEnd {
		return nil
	}
	return s.steps.do(func() error {
		if !s.Cfg.Strategy.SharesWeights() {
			cand := &s.cur.Candidates[s.cur.Iter]
			// Without weight sharing every architecture is whole from the
			// start: the strategies other than MLAS search at stage 2.
			rew, is, err := s.reward(cand.Arch, s.cur.Stage)
			if err != nil {
				return err
			}
			cand.Reward = rew
			if err := s.Rec.Event(map[string]any{"event": "candidate", "iter": s.cur.Iter, "arch": cand.Arch.String(), "reward": rew, "is": is}); err != nil {
				return err
			}
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
		if err := s.Rec.Event(map[string]any{"event": "iteration", "iter": s.cur.Iter, "stage": s.cur.Stage,
			"d_steps": s.cur.Step, "g_steps": s.cur.GenStep, "resets": s.cur.Resets,
			"seconds": time.Since(s.iterStart).Seconds()}); err != nil {
			return err
		}
		s.cur.Iter++
		s.cur.Phase = phaseStart
		return s.checkpoint()
	})
}

// beginFinal is the step after the last iteration: the last controller
// samples the candidates of the final selection.
func (s *Searcher) beginFinal() error {
	if s.cur.Phase != phaseStart {
		return nil
	}
	return s.steps.do(func() error {
		s.iterStart = time.Now()
		return s.startTopK()
	})
}

func tensorMean(t *tensor.Tensor) float64 { return tensor.SumAll(t) / float64(t.Len()) }

func mean(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(max(len(v), 1))
}
