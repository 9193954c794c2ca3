package nas

import (
	"errors"
	"fmt"
	"math"
)

// A GAN can diverge: a learning rate too large, and a loss or a weight
// becomes NaN or infinite, after which every later step is meaningless.
// Both runs check every loss and every optimiser step, stop at the step it
// happens, record a "diverged" event and return a *Divergence without
// writing a checkpoint, so the last one (from before the divergence) stays
// intact: resuming from it with smaller learning rates (-resume with
// -g_lr, -d_lr, …; see SearchResumeSettings) goes on from the last good
// state.

// ErrDiverged matches every *Divergence (errors.Is).
var ErrDiverged = errors.New("the run diverged")

// Divergence says where a run diverged and what.
type Divergence struct {
	Where      string  // "iteration 3 (stage 1), step 41"
	What       string  // "the discriminator's loss", "the generator's weights (cell1.c1.weight)"
	Value      float64 // the non-finite value, when it is a loss
	Dir        string  // the run directory
	Checkpoint bool    // whether a checkpoint from before exists
}

func (d *Divergence) Error() string {
	v := ""
	if d.Value != 0 {
		v = fmt.Sprintf(" (%v)", d.Value)
	}
	if !d.Checkpoint {
		return fmt.Sprintf("diverged at %s: %s became non-finite%s, before any checkpoint was written: "+
			"start again with smaller learning rates (-g_lr, -d_lr) in a new run directory", d.Where, d.What, v)
	}
	return fmt.Sprintf("diverged at %s: %s became non-finite%s; the checkpoint from before is intact: "+
		"resume it with smaller learning rates, e.g. -resume %s -g_lr 1e-4 -d_lr 1e-4", d.Where, d.What, v, d.Dir)
}

func (d *Divergence) Unwrap() error { return ErrDiverged }

// finiteCheck returns the first non-finite quantity among the losses given
// as (name, value) pairs and the optimisers' last steps, as a divergence
// description ("" when everything is finite).
func finiteCheck(losses []namedValue, opts []namedOptimizer) (what string, value float64) {
	for _, l := range losses {
		if math.IsNaN(l.value) || math.IsInf(l.value, 0) {
			return l.name, l.value
		}
	}
	for _, o := range opts {
		if p := o.opt.NonFinite(); p != "" {
			return fmt.Sprintf("%s (%s)", o.name, p), 0
		}
	}
	return "", 0
}

type namedValue struct {
	name  string
	value float64
}

type namedOptimizer struct {
	name string
	opt  interface{ NonFinite() string }
}

// checkFinite stops the search at a non-finite loss or weight: it records
// the divergence and returns it (no checkpoint is written).
// The event says in which phase ("shared" or "controller") and at which
// step of that phase, so that the run report marks it on the right chart.
func (s *Searcher) checkFinite(phase string, loss namedValue, opt namedOptimizer) error {
	what, v := finiteCheck([]namedValue{loss}, []namedOptimizer{opt})
	if what == "" {
		return nil
	}
	where := fmt.Sprintf("iteration %d/%d (stage %d), step %d", s.cur.Iter+1, s.iterations(), s.cur.Stage, s.cur.TotalSteps)
	step := s.cur.Step
	if phase == "controller" {
		step = s.cur.CtrlStep
	}
	if err := s.Rec.Event(map[string]any{"event": "diverged", "where": phase, "iter": s.cur.Iter, "step": step,
		"ctrl_step": s.cur.CtrlStep, "which": what, "value": v}); err != nil {
		return err
	}
	return &Divergence{Where: where, What: what, Value: v, Dir: s.Rec.Path(), Checkpoint: s.Rec.Exists(checkpointFile)}
}

// checkFinite stops the training at a non-finite loss or weight.
func (t *Trainer) checkFinite(loss namedValue, opt namedOptimizer) error {
	what, v := finiteCheck([]namedValue{loss}, []namedOptimizer{opt})
	if what == "" {
		return nil
	}
	where := fmt.Sprintf("epoch %d, D step %d", t.cur.Epoch+1, t.cur.GlobalStep)
	if err := t.Rec.Event(map[string]any{"event": "diverged", "where": "train", "epoch": t.cur.Epoch, "step": t.cur.GlobalStep,
		"which": what, "value": v}); err != nil {
		return err
	}
	return &Divergence{Where: where, What: what, Value: v, Dir: t.Rec.Path(), Checkpoint: t.Rec.Exists(trainCheckpoint)}
}
