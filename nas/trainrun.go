package nas

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/autogan-go/autogan/cifar"
	"github.com/autogan-go/autogan/inception/metrics"
	"github.com/autogan-go/autogan/internal/progress"
)

// Opening a training run, new or interrupted, the way every caller does:
// cmd/train for one architecture, TrainTopK for the top K of a search, and
// package nas/study for each architecture of a study. The callers pass in
// how run directories are made (Runs) and how a configuration's scorer and
// data are opened (Opener), which live in the commands' packages.

// Runs creates and reopens run directories (the commands wire in package
// nas/rundir's); the derivation keeps one per trained architecture.
type Runs struct {
	Create func(path string) (Recorder, error)
	Open   func(path string) (Recorder, error)
	// OnStep, when set, becomes the OnStep of every training (tests).
	OnStep func(total int)
}

// Opener returns the scorer and the training data of a configuration.
type Opener func(cfg TrainConfig) (metrics.Scorer, cifar.Dataset, error)

// TrainRun trains in dir (see OpenTraining) until the training ends.
func TrainRun(ctx context.Context, dir string, cfg *TrainConfig, runs Runs, open Opener, rep *progress.Reporter) (*Trainer, error) {
	t, err := OpenTraining(dir, cfg, runs, open, rep)
	if err != nil {
		return nil, err
	}
	if err := t.Run(ctx); err != nil {
		if errors.Is(err, ErrInterrupted) {
			rep.Log("stopped; continue with: go run ./cmd/train -resume %s", dir)
		}
		return nil, err
	}
	return t, nil
}

// OpenTraining prepares a training run in dir: with cfg nil it resumes the
// run dir holds, with cfg it starts a new one there (refused if dir holds a
// run).
func OpenTraining(dir string, cfg *TrainConfig, runs Runs, open Opener, rep *progress.Reporter) (*Trainer, error) {
	resume := cfg == nil
	if resume {
		var c TrainConfig
		if err := c.LoadConfigFile(filepath.Join(dir, "config.json")); err != nil {
			return nil, fmt.Errorf("resume: %w", err)
		}
		cfg = &c
	}
	scorer, data, err := open(*cfg)
	if err != nil {
		return nil, err
	}
	var t *Trainer
	if resume {
		rec, err := runs.Open(dir)
		if err != nil {
			return nil, fmt.Errorf("resume: %w", err)
		}
		if t, err = ResumeTrainer(rec, scorer, data, rep); err != nil {
			return nil, err
		}
	} else {
		rec, err := runs.Create(dir)
		if err != nil {
			return nil, err
		}
		if t, err = NewTrainer(*cfg, rec, scorer, data, rep); err != nil {
			return nil, err
		}
		steps := fmt.Sprintf("%d generator steps", cfg.MaxIter)
		if g := t.PlannedGenSteps(); g != cfg.MaxIter {
			steps = fmt.Sprintf("%d generator steps (max_iter %d, rounded up to whole epochs as the reference does)", g, cfg.MaxIter)
		}
		rep.Log("training %s (%s) in %s: %d epochs of %s (%d images), %s, scorer %s",
			cfg.Arch, t.G.Arch().Describe(), dir, t.MaxEpoch(), cfg.Dataset, data.Len(), steps, scorer.Name())
		rep.Log("watch it live: go run ./cmd/report -serve %s", dir)
	}
	t.OnStep = runs.OnStep
	return t, nil
}
