package study

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/autogan-go/autogan/cifar"
	"github.com/autogan-go/autogan/inception/metrics"
	"github.com/autogan-go/autogan/internal/progress"
	"github.com/autogan-go/autogan/nas"
	"github.com/autogan-go/autogan/tensor"
)

// The pieces of a study. Each is resumable and skips itself once done, so
// Run, a Slurm array task or a rerun after a kill can call any of them.

// Reference is the content of reference.json: how real images score
// against real images, the floor of FID and the ceiling of IS at the
// study's evaluation size.
type Reference struct {
	Images int     `json:"images"` // per set
	IS     float64 `json:"real_is"`
	ISStd  float64 `json:"real_is_std"`
	// FID between two disjoint sets of Images training images.
	FID float64 `json:"real_vs_real_fid"`
	// TrainImages is the number of images the FID statistics of every
	// training (real_stats.npz) come from.
	TrainImages int `json:"train_images"`
}

// RunReference computes the FID statistics of the training data that
// every training is scored against (real_stats.npz), and the reference
// scores of real images (reference.json).
func (s *Study) RunReference(ctx context.Context) error {
	path := filepath.Join(s.Dir, referenceFile)
	if fileExists(path) {
		return nil
	}
	return s.timed("reference", func() error {
		scorer, data, err := s.open(s.Plan.Train.GANConfig)
		if err != nil {
			return err
		}
		rep := s.env.Report
		rep.Log("study: FID statistics of %d training images, and real images against real images", data.Len())
		all, err := metrics.Evaluate(metrics.DatasetImages(data), scorer, metrics.EvalConfig{Progress: rep, Stage: "real statistics"})
		if err != nil {
			return err
		}
		mu, sigma, err := all.Features.MeanCov()
		if err != nil {
			return err
		}
		if err := metrics.WriteStatsFile(filepath.Join(s.Dir, realStatsFile), mu, sigma); err != nil {
			return err
		}
		n := min(s.Plan.Train.EvalImages, data.Len()/2)
		a, err := metrics.Evaluate(imageRange{data, 0, n}, scorer, metrics.EvalConfig{})
		if err != nil {
			return err
		}
		b, err := metrics.Evaluate(imageRange{data, n, n}, scorer, metrics.EvalConfig{})
		if err != nil {
			return err
		}
		ref := Reference{Images: n, TrainImages: data.Len()}
		if ref.IS, ref.ISStd, err = a.InceptionScore(); err != nil {
			return err
		}
		muB, sigmaB, err := b.Features.MeanCov()
		if err != nil {
			return err
		}
		if ref.FID, err = a.FID(muB, sigmaB); err != nil {
			return err
		}
		return writeJSON(path, ref)
	})
}

// imageRange is n images of a dataset from first on.
type imageRange struct {
	d        cifar.Dataset
	first, n int
}

func (r imageRange) Len() int         { return r.n }
func (r imageRange) Size() (h, w int) { return metrics.DatasetImages(r.d).Size() }
func (r imageRange) Fill(start, n int, pix []uint8) error {
	return metrics.DatasetImages(r.d).Fill(r.first+start, n, pix)
}

// searchDir is the run directory of a search.
func (s *Study) searchDir(name string) string { return filepath.Join(s.Dir, "search", name) }

// searchRun returns the search of a name.
func (s *Study) searchRun(name string) (SearchRun, error) {
	for _, r := range s.Plan.Searches() {
		if r.Name == name {
			return r, nil
		}
	}
	var names []string
	for _, r := range s.Plan.Searches() {
		names = append(names, r.Name)
	}
	return SearchRun{}, fmt.Errorf("the study has no search %q (%s)", name, strings.Join(names, ", "))
}

// RunSearch runs (or continues) one search of the plan.
func (s *Study) RunSearch(ctx context.Context, name string) error {
	r, err := s.searchRun(name)
	if err != nil {
		return err
	}
	dir := s.searchDir(name)
	if fileExists(filepath.Join(dir, "result.json")) {
		return nil
	}
	return s.timed("search/"+name, func() error {
		cfg := s.Plan.SearchConfig(r, 0)
		scorer, data, err := s.open(cfg.GANConfig)
		if err != nil {
			return err
		}
		cfg = s.Plan.SearchConfig(r, data.Len())
		var srch *nas.Searcher
		if fileExists(filepath.Join(dir, "checkpoint.safetensors")) {
			rec, err := s.env.Runs.Open(dir)
			if err != nil {
				return err
			}
			if srch, err = nas.Resume(rec, scorer, data, s.env.Report); err != nil {
				return err
			}
		} else {
			rec, err := s.env.Runs.Create(dir)
			if err != nil {
				return err
			}
			if srch, err = nas.NewSearcher(cfg, rec, scorer, data, s.env.Report); err != nil {
				return err
			}
		}
		srch.OnStep = s.env.Runs.OnStep
		s.progress("search " + name + " (" + r.Arm.Label + ")")
		return srch.Run(ctx)
	})
}

// Candidate is an architecture the study trains from scratch, with the
// reasons it is trained (several when a search found a baseline, or two
// searches the same architecture).
type Candidate struct {
	Arch   string   `json:"arch"`
	Labels []string `json:"labels"`
}

// Slug is the name of the candidate's training directory: its integers,
// cells separated by underscores ("1-0-1-1_1-0-0-1-1_1-0-1-0-3").
func (c Candidate) Slug() (string, error) { return Slug(c.Arch) }

// Slug is the directory name of an architecture (see Candidate.Slug), or
// the error of one that does not parse.
func Slug(arch string) (string, error) {
	a, err := nas.Parse(arch)
	if err != nil {
		return "", err
	}
	v := a.Ints()
	var b strings.Builder
	for i, x := range v {
		switch {
		case i == 4 || i == 9:
			b.WriteByte('_')
		case i > 0:
			b.WriteByte('-')
		}
		fmt.Fprint(&b, x)
	}
	return b.String(), nil
}

// Candidates lists the architectures trained from scratch, each once: the
// top-1 of every search (in the order of Searches), the named baselines
// (SNGAN-style, the paper's A, B and C), RandomBaselines uniformly random
// architectures, and more random ones while fewer than MinProxy are
// distinct. It needs every search finished: the list depends on their
// results.
func (s *Study) Candidates() ([]Candidate, error) {
	var list []Candidate
	add := func(arch, label string) {
		i := slices.IndexFunc(list, func(c Candidate) bool { return c.Arch == arch })
		if i < 0 {
			list = append(list, Candidate{Arch: arch})
			i = len(list) - 1
		}
		list[i].Labels = append(list[i].Labels, label)
	}
	var unfinished []string
	for _, r := range s.Plan.Searches() {
		top, done, err := s.top1(r.Name)
		if err != nil {
			return nil, err
		}
		if !done {
			unfinished = append(unfinished, r.Name)
			continue
		}
		add(top.Arch, "top-1 of "+r.Name)
	}
	if len(unfinished) > 0 {
		return nil, fmt.Errorf("the trained architectures depend on every search's result; not finished: %s", strings.Join(unfinished, ", "))
	}
	for _, b := range namedBaselines() {
		add(b.Arch, b.Labels[0])
	}
	rng := tensor.NewRNG(s.Plan.BaselineSeed).Child("random architectures")
	for k := 1; k <= s.Plan.RandomBaselines || len(list) < s.Plan.MinProxy; k++ {
		add(nas.UniformArch(rng).String(), fmt.Sprintf("random %d", k))
	}
	return list, nil
}

// top1 returns the architecture a search found best, from its
// result.json, and whether the search has finished (written that file).
// The file is checked, not trusted: one that cannot be read, lists no
// architecture or one that does not parse is an error naming it (every
// trained architecture comes from here or is valid by construction, so
// the trainings' directories and the proxy can rely on it).
func (s *Study) top1(name string) (top nas.ResultArch, done bool, err error) {
	dir := s.searchDir(name)
	path := filepath.Join(dir, "result.json")
	if !fileExists(path) {
		return nas.ResultArch{}, false, nil
	}
	res, err := nas.LoadResult(dir)
	if err != nil {
		return nas.ResultArch{}, false, err
	}
	if len(res.Architectures) == 0 {
		return nas.ResultArch{}, false, fmt.Errorf("%s lists no architectures", path)
	}
	top = res.Architectures[0]
	if _, err := nas.Parse(top.Arch); err != nil {
		return nas.ResultArch{}, false, fmt.Errorf("%s: %w", path, err)
	}
	return top, true, nil
}

// MaxTrainings is the most candidates there can be, known before the
// searches end: every search's top-1 distinct from the baselines, or
// MinProxy (cluster scripts size the training array with it).
func (s *Study) MaxTrainings() int {
	return max(len(s.Plan.Searches())+len(namedBaselines())+s.Plan.RandomBaselines, s.Plan.MinProxy)
}

// trainDir is the run directory of a candidate's training, and its slug.
func (s *Study) trainDir(c Candidate) (dir, slug string, err error) {
	if slug, err = c.Slug(); err != nil {
		return "", "", err
	}
	return filepath.Join(s.Dir, "train", slug), slug, nil
}

// TrainConfig returns the training settings of an architecture: the
// plan's, scored against the study's real statistics.
func (s *Study) TrainConfig(arch string) nas.TrainConfig {
	c := s.Plan.Train
	c.Arch = arch
	c.FIDStats = filepath.Join(s.Dir, realStatsFile)
	return c
}

// RunTraining trains (or continues training) the i-th candidate (0-based).
func (s *Study) RunTraining(ctx context.Context, i int) error {
	cands, err := s.Candidates()
	if err != nil {
		return err
	}
	if i < 0 || i >= len(cands) {
		return fmt.Errorf("the study trains %d architectures, not a number %d", len(cands), i+1)
	}
	if err := s.RunReference(ctx); err != nil { // the FID statistics
		return err
	}
	c := cands[i]
	dir, slug, err := s.trainDir(c)
	if err != nil {
		return err
	}
	if fileExists(filepath.Join(dir, "train_result.json")) {
		return nil
	}
	return s.timed("train/"+slug, func() error {
		cfg := s.TrainConfig(c.Arch)
		start := &cfg
		if fileExists(filepath.Join(dir, "checkpoint.safetensors")) {
			start = nil // continue the interrupted run
		}
		s.progress(fmt.Sprintf("training %d/%d: %s (%s)", i+1, len(cands), c.Arch, strings.Join(c.Labels, ", ")))
		open := func(tc nas.TrainConfig) (metrics.Scorer, cifar.Dataset, error) { return s.open(tc.GANConfig) }
		_, err := nas.TrainRun(ctx, dir, start, s.env.Runs, open, s.env.Report)
		return err
	})
}

// ProxyScore is the reward of an architecture under a search's final
// shared weights.
type ProxyScore struct {
	Reward float64 `json:"reward"`
	IS     float64 `json:"is"`
}

// Proxy is the content of proxy.json: per proxy run, per architecture.
type Proxy map[string]map[string]ProxyScore

// RunProxy scores every candidate under the final shared weights of each
// of the plan's proxy runs, every architecture on the same latents.
func (s *Study) RunProxy(ctx context.Context) error {
	path := filepath.Join(s.Dir, proxyFile)
	if fileExists(path) {
		return nil
	}
	cands, err := s.Candidates()
	if err != nil {
		return err
	}
	return s.timed("proxy", func() error {
		out := Proxy{}
		for _, name := range s.Plan.ProxyRuns {
			r, err := s.searchRun(name)
			if err != nil {
				return err
			}
			scorer, data, err := s.open(s.Plan.SearchConfig(r, 0).GANConfig)
			if err != nil {
				return err
			}
			rec, err := s.env.Runs.Open(s.searchDir(name))
			if err != nil {
				return err
			}
			// The search is opened only for its final shared weights, not
			// continued: its "resumed … at iteration" line would mislead.
			srch, err := nas.Resume(rec, scorer, data, progress.Quiet())
			if err != nil {
				return err
			}
			rec.Close()
			s.env.Report.Start("proxy rewards under "+name, len(cands), "architectures")
			scores := map[string]ProxyScore{}
			for k, c := range cands {
				if ctx.Err() != nil {
					return nas.ErrInterrupted // nothing kept: the proxy rewards take a minute
				}
				a, err := nas.Parse(c.Arch)
				if err != nil {
					return err
				}
				rew, is, err := srch.ScoreArch(a, s.Plan.ProxySeed)
				if err != nil {
					return err
				}
				scores[c.Arch] = ProxyScore{Reward: rew, IS: is}
				s.env.Report.Update(k+1, fmt.Sprintf("%s: reward %.4f", c.Arch, rew))
			}
			s.env.Report.Done()
			out[name] = scores
		}
		return writeJSON(path, out)
	})
}

// progress logs the piece of work that starts, with the study's progress
// so far.
func (s *Study) progress(what string) {
	done, total := s.countDone()
	s.env.Report.Log("study %s: %d/%d pieces done; now %s", s.Dir, done, total, what)
}

// countDone counts the finished pieces of work (searches and, once they
// are known, trainings).
func (s *Study) countDone() (done, total int) {
	for _, r := range s.Plan.Searches() {
		total++
		if fileExists(filepath.Join(s.searchDir(r.Name), "result.json")) {
			done++
		}
	}
	cands, err := s.Candidates()
	if err != nil {
		// Unknown until the searches end: at least the baselines.
		return done, total + len(namedBaselines()) + s.Plan.RandomBaselines
	}
	for _, c := range cands {
		total++
		if dir, _, err := s.trainDir(c); err == nil && fileExists(filepath.Join(dir, "train_result.json")) {
			done++
		}
	}
	return done, total
}
