package nas

import (
	"fmt"
	"slices"
	"sort"

	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/internal/buffer"
)

// Top-K selection: the reference's get_topk_arch_hidden (functions.py;
// reference §4.6; the paper's multi-level architecture search). At each
// growth of the multi-level search, and once more at the end, the
// controller samples num_candidate architectures, each is scored on the
// shared generator, and the top K are kept: at a growth as the prefixes
// (with their LSTM states) that the next stage's controller extends, at the
// end as the discovered architectures.

// grow scores the candidates of a growth; its last step keeps the top K
// as prefixes, creates the next stage's controller and starts the shared
// training at the new resolution.
func (s *Searcher) grow() error { return s.scoreCandidates() }

// selectFinal scores the candidates of the final selection; its last step
// writes result.json.
func (s *Searcher) selectFinal() error { return s.scoreCandidates() }

func (s *Searcher) scoreCandidates() error {
	for s.cur.Phase == phaseTopK {
		if err := s.steps.do(s.evaluateCandidate); err != nil {
			return err
		}
	}
	return nil
}

// startTopK samples the candidates of a growth (the top-K prefixes for the
// next stage, with the old controller) or of the final selection. Random
// search draws them uniformly; without weight sharing the candidates are
// the architectures already trained and scored, one per iteration.
func (s *Searcher) startTopK(final bool) error {
	c := &s.Cfg
	var cands []Prefix
	switch {
	case !c.Strategy.SharesWeights():
		cands = s.cur.Candidates
	case !c.Strategy.UsesController():
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
	if !c.Strategy.SharesWeights() {
		s.cur.Evaluated = len(cands) // scored right after their training
	}
	s.cur.Phase = phaseTopK
	if final {
		s.cur.Iter = s.iterations()
	}
	s.startTopKProgress()
	return nil
}

// startTopKProgress begins the progress line of the candidates' scoring,
// at the candidates already scored.
func (s *Searcher) startTopKProgress() {
	n := len(s.cur.Candidates)
	s.Report.StartAt(fmt.Sprintf("top-%d of %d candidates", s.Cfg.TopK, n), n, s.cur.Evaluated, "candidates")
}

// evaluateCandidate rewards the next candidate, at the controller's
// (old) stage; after the last one it keeps the top K (sorted by reward,
// descending; the order is stable for ties) and either starts the new
// stage or finishes the search.
func (s *Searcher) evaluateCandidate() error {
	c := &s.Cfg
	if s.cur.Evaluated < len(s.cur.Candidates) {
		cand := &s.cur.Candidates[s.cur.Evaluated]
		rew, is, err := s.reward(cand.Arch, s.cur.Stage)
		if err != nil {
			return err
		}
		cand.Reward = rew
		if err := s.Rec.Event(map[string]any{"event": "candidate", "iter": s.cur.Iter, "index": s.cur.Evaluated,
			"arch": cand.Arch.String(), "reward": rew, "is": is}); err != nil {
			return err
		}
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
	if err := s.Rec.Event(map[string]any{"event": "topk", "iter": s.cur.Iter, "archs": archs}); err != nil {
		return err
	}
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
	// controller and optimiser are created; the data grows. The buffers
	// cached for the smaller images are never asked for again.
	buffer.Release()
	s.cur.Prefixes = top
	s.cur.Stage = c.StageOf(s.cur.Iter)
	s.newController(s.cur.Stage)
	if err := s.Rec.Event(map[string]any{"event": "grow", "iter": s.cur.Iter, "stage": s.cur.Stage, "image_size": c.ImageSizeOf(s.cur.Stage)}); err != nil {
		return err
	}
	s.Report.Log("grew to stage %d (%d×%d images); prefixes: %v", s.cur.Stage, c.ImageSizeOf(s.cur.Stage), c.ImageSizeOf(s.cur.Stage), archs)
	return s.startShared()
}
