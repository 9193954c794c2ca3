package nas

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/internal/buffer"
)

// Top-K selection: the reference's get_topk_arch_hidden (functions.py;
// reference §4.2; the paper's multi-level architecture search). At each
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
func (s *Searcher) startTopK() error {
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
// (old) stage. After the last one it keeps the top K and, after the last
// iteration, finishes the search; otherwise the search grows.
func (s *Searcher) evaluateCandidate() error {
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
	top, err := s.keepTopK()
	if err != nil {
		return err
	}
	if s.cur.Iter >= s.iterations() { // the selection after the last iteration (beginFinal)
		return s.finishSearch(top)
	}
	return s.growTo(top) // a growth inside an iteration (beginIteration)
}

// keepTopK ranks the scored candidates by reward, highest first, and
// returns the top K. On a tie the later candidate comes first, as in the
// reference, which sorts ascending (a stable sort) and reverses:
// sorted(..., key=perf)[::-1].
func (s *Searcher) keepTopK() ([]Prefix, error) {
	ranked := slices.Clone(s.cur.Candidates)
	slices.Reverse(ranked)
	sort.SliceStable(ranked, func(i, j int) bool { return ranked[i].Reward > ranked[j].Reward })
	top := ranked[:min(s.Cfg.TopK, len(ranked))]
	if err := s.Rec.Event(map[string]any{"event": "topk", "iter": s.cur.Iter, "archs": archStrings(top)}); err != nil {
		return nil, err
	}
	s.cur.Candidates = nil
	return top, nil
}

// finishSearch records the top K as the discovered architectures and
// writes result.json and the final checkpoint.
func (s *Searcher) finishSearch(top []Prefix) error {
	s.cur.Final = top
	s.cur.Phase = phaseDone
	if err := s.writeResult(); err != nil {
		return err
	}
	return s.checkpoint()
}

// growTo moves the multi-level search to its next cell: the top K become
// the prefixes (their hidden states carry over), a new controller and
// optimiser are created, and the shared training starts at the new, larger
// image size. The buffers cached for the smaller images are never asked
// for again.
func (s *Searcher) growTo(top []Prefix) error {
	c := &s.Cfg
	buffer.Release()
	s.cur.Prefixes = top
	s.cur.Stage = c.StageOf(s.cur.Iter)
	s.newController(s.cur.Stage)
	if err := s.Rec.Event(map[string]any{"event": "grow", "iter": s.cur.Iter, "stage": s.cur.Stage, "image_size": c.ImageSizeOf(s.cur.Stage)}); err != nil {
		return err
	}
	s.Report.Log("grew to stage %d (%d×%d images); prefixes: %s", s.cur.Stage, c.ImageSizeOf(s.cur.Stage), c.ImageSizeOf(s.cur.Stage), strings.Join(archStrings(top), " | "))
	return s.startShared()
}

func archStrings(ps []Prefix) []string {
	var archs []string
	for _, p := range ps {
		archs = append(archs, p.Arch.String())
	}
	return archs
}
