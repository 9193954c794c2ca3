package study

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/autogan-go/autogan/internal/atomicfile"
	"github.com/autogan-go/autogan/nas"
)

// The document of a study: results.md with its charts, sample grids and
// the raw numbers as CSV. Everything in it is computed from the study
// directory, so writing it again gives the same file (the wall times
// aside, which are measurements).

// declaration is endpoint.md: the primary endpoint, written when the study
// is created, before any run.
func (s *Study) declaration(now time.Time) string {
	p := &s.Plan
	a, _ := p.Arm(p.Primary.A)
	b, _ := p.Arm(p.Primary.B)
	metric := map[string]string{"fid": "FID", "is": "Inception Score"}[p.Primary.Metric]
	var proxies []string
	for _, r := range p.ProxyRuns {
		proxies = append(proxies, "`"+r+"`")
	}
	return fmt.Sprintf(`# Primary endpoint

Declared %s, when the study was created and before its first run.

Study preset %s on %s.

**Primary endpoint.** The %s (scorer: %s) of the top-1 architecture of each
search after training from scratch at one fixed budget, compared between
%s (%d seeds) and %s (%d seeds): mean ± standard deviation over seeds and
the two-sided exact permutation test of the difference of the means, at
α = %g.

**Secondary.** The other metric of the same comparison; every other arm
against %s on both metrics (same test); Spearman's ρ between the reward of
each trained architecture under the final shared weights of %s and its
Inception Score after training from scratch, with a 95%% percentile
bootstrap interval (%d resamples).
`, now.UTC().Format("2006-01-02 15:04 MST"), p.Preset, datasetName(p.Search.Dataset), metric, scorerName(p.Search.Scorer),
		a.Label, a.Seeds, b.Label, b.Seeds, p.Alpha, a.Label, strings.Join(proxies, " and "), p.Bootstrap)
}

func datasetName(d string) string {
	if d == "" {
		return "shapes10"
	}
	return d
}

func scorerName(path string) string {
	if path == "" {
		return "the embedded Shapes-10 classifier"
	}
	return filepath.Base(path)
}

// Write writes the document into dir: results.md, the charts, the sample
// grids it shows, and runs.csv and trained.csv with the raw numbers.
func (r *Results) Write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	charts := map[string]interface{ SVG() ([]byte, error) }{
		"reward.svg":    r.rewardChart(),
		"final_fid.svg": r.finalChart("fid"),
		"final_is.svg":  r.finalChart("is"),
		"proxy.svg":     r.proxyChart(),
	}
	for _, name := range []string{"reward.svg", "final_fid.svg", "final_is.svg", "proxy.svg"} {
		b, err := charts[name].SVG()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := atomicfile.WriteBytes(filepath.Join(dir, name), b); err != nil {
			return err
		}
	}
	grids, err := r.copyGrids(dir)
	if err != nil {
		return err
	}
	if err := r.writeCSV(dir); err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, "results.md"), func(w io.Writer) error { return r.markdown(w, grids) })
}

// shownGrid is a sample grid the document shows.
type shownGrid struct{ File, Caption string }

// copyGrids copies the last sample grid of the best top-1 of each arm and
// of the named baselines next to the document.
func (r *Results) copyGrids(dir string) ([]shownGrid, error) {
	var out []shownGrid
	cp := func(t *TrainedResult, file, caption string) error {
		if t == nil || t.Grid == "" {
			return nil
		}
		b, err := os.ReadFile(filepath.Join(r.Dir, t.Grid))
		if err != nil {
			return err
		}
		if err := atomicfile.WriteBytes(filepath.Join(dir, file), b); err != nil {
			return err
		}
		out = append(out, shownGrid{file, caption})
		return nil
	}
	metric := r.Plan.Primary.Metric
	for _, arm := range r.Plan.Arms {
		var best *TrainedResult
		bestSeed := 0
		for _, s := range r.Searches {
			if s.Run.Arm.Name != arm.Name || !s.Done {
				continue
			}
			if t := r.trained(s.Top1); t != nil && (best == nil || better(metricOf(t, metric), metricOf(best, metric), metric)) {
				best, bestSeed = t, s.Run.Seed
			}
		}
		if best != nil {
			if err := cp(best, "samples-"+arm.Name+".png", fmt.Sprintf("%s, best seed (%d): %s, %s %s", arm.Label, bestSeed,
				best.Arch, strings.ToUpper(metric), fmtNum(metricOf(best, metric), 2))); err != nil {
				return nil, err
			}
		}
	}
	for _, t := range r.Trained {
		for _, shown := range []struct{ label, file string }{{"SNGAN-style", "sngan-style"}, {"AutoGAN-A (paper)", "autogan-a"}} {
			if !t.Done || !slices.Contains(t.Labels, shown.label) {
				continue
			}
			if err := cp(&t, "samples-"+shown.file+".png", fmt.Sprintf("%s: %s, %s %s", strings.Join(t.Labels, ", "), t.Arch,
				strings.ToUpper(metric), fmtNum(metricOf(&t, metric), 2))); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// better reports whether a is a better value of the metric than b.
func better(a, b float64, metric string) bool {
	if metric == "is" {
		return a > b
	}
	return a < b
}

// writeCSV writes runs.csv (one row per search) and trained.csv (one row
// per trained architecture).
func (r *Results) writeCSV(dir string) error {
	err := atomicfile.Write(filepath.Join(dir, "runs.csv"), func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write([]string{"run", "arm", "seed", "finished", "top1", "search_reward", "trained_fid", "trained_is", "d_steps", "reward_evaluations", "dynamic_resets", "wall_seconds"})
		for _, s := range r.Searches {
			fid, is := math.NaN(), math.NaN()
			if t := r.trained(s.Top1); t != nil {
				fid, is = t.Summary.LastFID, t.Summary.LastIS
			}
			cw.Write([]string{s.Run.Name, s.Run.Arm.Name, fmt.Sprint(s.Run.Seed), fmt.Sprint(s.Done), s.Top1, fmtNum(s.Top1Reward, 6),
				fmtNum(fid, 6), fmtNum(is, 6), fmt.Sprint(s.DSteps), fmt.Sprint(s.Rewards), fmt.Sprint(s.Resets), fmtNum(s.Seconds, 1)})
		}
		cw.Flush()
		return cw.Error()
	})
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, "trained.csv"), func(w io.Writer) error {
		cw := csv.NewWriter(w)
		head := []string{"arch", "labels", "finished", "fid", "is", "is_std"}
		for _, run := range r.Plan.ProxyRuns {
			head = append(head, "proxy_reward_"+run)
		}
		cw.Write(append(head, "wall_seconds"))
		for _, t := range r.Trained {
			row := []string{t.Arch, strings.Join(t.Labels, "; "), fmt.Sprint(t.Done),
				fmtNum(t.Summary.LastFID, 6), fmtNum(t.Summary.LastIS, 6), fmtNum(t.Summary.LastISStd, 6)}
			for _, run := range r.Plan.ProxyRuns {
				v := math.NaN()
				if ps, ok := r.Proxy[run][t.Arch]; ok {
					v = ps.Reward
				}
				row = append(row, fmtNum(v, 6))
			}
			cw.Write(append(row, fmtNum(t.Seconds, 1)))
		}
		cw.Flush()
		return cw.Error()
	})
}

// markdown writes results.md.
func (r *Results) markdown(w io.Writer, grids []shownGrid) error {
	p := &r.Plan
	pr := func(format string, a ...any) { fmt.Fprintf(w, format, a...) }
	pr("# Does the search beat random search? A study on %s\n\n", datasetName(p.Search.Dataset))
	pr("AutoGAN's claims (paper §4.3) rest on two findings: its multi-level search finds better generators than the alternatives, ")
	pr("and the reward used during the search ranks architectures the way training from scratch does (Fig. 7). ")
	pr("This study tests both at CPU scale, with several seeds per strategy, and reports the spread the paper does not.\n\n")
	if len(r.Missing) > 0 {
		pr("> **Incomplete:** not finished yet: %s. The numbers below use what has finished.\n\n", strings.Join(r.Missing, ", "))
	}

	pr("## Conclusion\n\n")
	comps := r.Comparisons()
	for _, line := range r.conclusion(comps) {
		pr("- %s\n", line)
	}
	pr("\n")

	pr("## The primary endpoint, declared before the runs\n\n")
	decl := strings.TrimSpace(r.Declaration)
	decl = strings.TrimPrefix(decl, "# Primary endpoint")
	for _, l := range strings.Split(strings.TrimSpace(decl), "\n") {
		pr("> %s\n", l)
	}
	pr("\n(Quoted from `endpoint.md`, which the study wrote when it was created.)\n\n")

	pr("## Search strategies: the top-1 architecture trained from scratch\n\n")
	pr("Every search had the same budget: %d discriminator steps (%d iterations × %d epoch(s) of the data; a dynamic reset ends an iteration early, hence the counts below) and %d reward evaluations. ",
		r.plannedDSteps(), p.Search.MaxIters, p.Search.SharedEpochs, p.RewardBudget())
	pr("Each search's top-1 was then trained from scratch with the same settings and seed (%d generator steps) and scored once at the end on %d images.\n\n", p.Train.MaxIter, p.Train.EvalImages)
	pr("| strategy | seeds | FID of the top-1 (mean ± sd) | IS of the top-1 (mean ± sd) | FID per seed | D steps (mean) | reward evaluations | dynamic resets (mean) | search wall time (mean) |\n")
	pr("|---|---|---|---|---|---|---|---|---|\n")
	for _, arm := range p.Arms {
		fid, _ := r.ArmValues(arm.Name, "fid")
		is, _ := r.ArmValues(arm.Name, "is")
		var dsteps, rewards, resets, secs []float64
		for _, s := range r.Searches {
			if s.Run.Arm.Name == arm.Name && s.Done {
				dsteps, rewards = append(dsteps, float64(s.DSteps)), append(rewards, float64(s.Rewards))
				resets, secs = append(resets, float64(s.Resets)), append(secs, s.Seconds)
			}
		}
		mf, sf := MeanSD(fid)
		mi, si := MeanSD(is)
		md, _ := MeanSD(dsteps)
		mr, _ := MeanSD(rewards)
		mz, _ := MeanSD(resets)
		ms, _ := MeanSD(secs)
		if len(fid) < 2 {
			sf, si = math.NaN(), math.NaN() // no spread from one seed
		}
		pr("| %s | %d/%d | %s ± %s | %s ± %s | %s | %s | %s | %s | %s |\n", arm.Label, len(fid), arm.Seeds, fmtNum(mf, 2), fmtNum(sf, 2),
			fmtNum(mi, 3), fmtNum(si, 3), joinNums(fid, 2), fmtNum(md, 0), fmtNum(mr, 0), fmtNum(mz, 1), fmtDuration(ms))
	}
	pr("\n![FID after training](final_fid.svg)\n\n![IS after training](final_is.svg)\n\n")

	pr("### Tests\n\n")
	pr("Two-sided exact permutation tests of the difference of the means (every split of the pooled seeds; with 5 against 5 the smallest possible p is 0.008, with 5 against 3 it is 0.036; twice the smaller one-sided p, as SciPy).\n\n")
	pr("| comparison | metric | mean difference | p | at α = %g |\n|---|---|---|---|---|\n", p.Alpha)
	for _, c := range comps {
		a, _ := p.Arm(c.A)
		b, _ := p.Arm(c.B)
		label := fmt.Sprintf("%s vs %s", a.Label, b.Label)
		if c.Primary {
			label = "**" + label + " (primary)**"
		}
		verdict := "not significant"
		switch {
		case c.Insufficient:
			verdict = "too few seeds to test"
		case c.CannotReach():
			verdict = fmt.Sprintf("cannot be significant with %d vs %d seeds (smallest possible p %s)", c.NA, c.NB, fmtNum(c.MinP, 3))
		case c.Significant && c.BetterA:
			verdict = "significant: " + a.Label + " better"
		case c.Significant:
			verdict = "significant: " + b.Label + " better"
		}
		if c.Note != "" {
			verdict += "; uninformative (see the conclusion)"
		}
		pr("| %s (%d vs %d seeds) | %s | %s | %s | %s |\n", label, c.NA, c.NB, strings.ToUpper(c.Metric), fmtSigned(c.Diff, 3), fmtNum(c.P, 3), verdict)
	}
	pr("\n%s\n\n", exploratoryCaveat(comps))

	pr("## Baselines at the same training budget\n\n")
	pr("| architecture | why it is here | FID | IS |\n|---|---|---|---|\n")
	for _, t := range r.Trained {
		if !t.Done || !isBaseline(t.Labels) {
			continue
		}
		pr("| `%s` | %s | %s | %s ± %s |\n", t.Arch, strings.Join(t.Labels, ", "), fmtNum(t.Summary.LastFID, 2), fmtNum(t.Summary.LastIS, 3), fmtNum(t.Summary.LastISStd, 3))
	}
	if r.Reference != nil {
		pr("\nFor scale: two disjoint sets of %d real training images are %s apart in FID, and real images have an IS of %s ± %s.\n",
			r.Reference.Images, fmtNum(r.Reference.FID, 2), fmtNum(r.Reference.IS, 3), fmtNum(r.Reference.ISStd, 3))
	}
	pr("\n")

	pr("## The searches\n\n![Controller reward](reward.svg)\n\n")
	pr("An architecture found by several searches is trained once, and its result counts for each of them. Every architecture is trained with the same seed, so the spread over seeds above is the spread of the searches' results, not of training.\n\n")
	pr("| run | top-1 architecture | its search reward | its FID after training | its IS after training | D steps | reward evaluations | dynamic resets | wall time |\n|---|---|---|---|---|---|---|---|---|\n")
	for _, s := range r.Searches {
		if !s.Done {
			pr("| %s | (not finished) | | | | | | | |\n", s.Run.Name)
			continue
		}
		fid, is := math.NaN(), math.NaN()
		if t := r.trained(s.Top1); t != nil {
			fid, is = t.Summary.LastFID, t.Summary.LastIS
		}
		pr("| %s | `%s` | %s | %s | %s | %d | %d | %d | %s |\n", s.Run.Name, s.Top1, fmtNum(s.Top1Reward, 4), fmtNum(fid, 2), fmtNum(is, 3),
			s.DSteps, s.Rewards, s.Resets, fmtDuration(s.Seconds))
	}
	pr("\n")

	pr("## Does the reward rank architectures as training does? (paper Fig. 7)\n\n")
	pr("Every trained architecture was scored with the final shared weights of a search, on the same %d latents, and compared with its Inception Score after training from scratch (the paper reports Spearman's ρ = 0.779).\n\n", p.Search.RewardImages)
	pr("| shared weights of | architectures | Spearman ρ vs trained IS (95%% bootstrap interval) | Spearman ρ vs trained −FID (interval) |\n|---|---|---|---|\n")
	var degenerate []string
	for _, run := range p.ProxyRuns {
		ci := r.ProxyCorrelation(run, "is")
		cf := r.ProxyCorrelation(run, "fid")
		pr("| %s | %d | %s %s | %s %s |\n", run, ci.N, fmtNum(ci.Rho, 3), fmtInterval(ci.CI), fmtNum(-cf.Rho, 3), fmtInterval(Interval{Lo: -cf.CI.Hi, Hi: -cf.CI.Lo}))
		for _, c := range []Correlation{ci, cf} {
			if c.CI.Degenerate > 0 {
				degenerate = append(degenerate, fmt.Sprintf("%d of the %d resamples for %s against trained %s", c.CI.Degenerate, c.CI.Resamples, run, strings.ToUpper(c.Metric)))
			}
		}
	}
	if len(degenerate) > 0 {
		pr("\nLeft out of the intervals because every resampled value was tied (ρ undefined): %s.\n", strings.Join(degenerate, "; "))
	}
	pr("\n![Proxy against trained IS](proxy.svg)\n\n")

	if len(grids) > 0 {
		pr("## Samples\n\nThe last sample grid of some trained generators (their exponential moving average, fixed latents):\n\n")
		for _, g := range grids {
			pr("**%s**\n\n![%s](%s)\n\n", g.Caption, g.Caption, g.File)
		}
	}

	r.writeBudget(pr)
	r.writeSetup(pr)
	return nil
}

// conclusion states the findings in words, plainly: which differences
// are significant and which are not.
func (r *Results) conclusion(comps []Comparison) []string {
	var out []string
	p := &r.Plan
	for _, c := range comps {
		if !c.Primary && c.Metric != p.Primary.Metric {
			continue
		}
		a, _ := p.Arm(c.A)
		b, _ := p.Arm(c.B)
		m := strings.ToUpper(c.Metric)
		head := ""
		if c.Primary {
			head = "**Primary endpoint:** "
		}
		means := fmt.Sprintf("%s of the top-1: %s %s ± %s vs %s %s ± %s over %d and %d seeds", m, a.Label, fmtNum(c.MeanA, 2), fmtNum(c.SDA, 2),
			b.Label, fmtNum(c.MeanB, 2), fmtNum(c.SDB, 2), c.NA, c.NB)
		var line string
		switch {
		case c.Insufficient:
			line = fmt.Sprintf("%s%s vs %s: too few seeds with a trained top-1 to test (%d and %d).", head, a.Label, b.Label, c.NA, c.NB)
		case c.CannotReach():
			line = fmt.Sprintf("%s%s: the test cannot be significant with this few seeds (smallest possible p %s ≥ %g; p = %s).", head, means, fmtNum(c.MinP, 3), c.Alpha, fmtNum(c.P, 3))
		case c.Significant:
			winner := a.Label
			if !c.BetterA {
				winner = b.Label
			}
			line = fmt.Sprintf("%s%s: %s is better, and the difference is significant (p = %s < %g).", head, means, winner, fmtNum(c.P, 3), c.Alpha)
		default:
			line = fmt.Sprintf("%s%s: **no significant difference** (p = %s ≥ %g).", head, means, fmtNum(c.P, 3), c.Alpha)
		}
		if c.Note != "" {
			line += " But " + c.Note + "."
		}
		if !c.Primary && c.Significant {
			line += " (An exploratory test, not corrected for multiple testing.)"
		}
		out = append(out, line)
	}
	for _, run := range p.ProxyRuns {
		c := r.ProxyCorrelation(run, "is")
		if c.N < 3 {
			continue
		}
		var verdict string
		switch {
		case math.IsNaN(c.Rho) || math.IsNaN(c.CI.Lo):
			verdict = "ρ or its interval is undefined (the values are tied): nothing can be said"
		case c.CI.Lo > 0:
			verdict = "the interval lies above 0: the reward ranks architectures as training does"
		case c.CI.Hi < 0:
			verdict = "the interval lies below 0: the reward ranks architectures in the opposite order to training"
		default:
			verdict = "the interval includes 0: no evidence that the reward ranks architectures as training does"
		}
		out = append(out, fmt.Sprintf("Proxy validity under the weights of %s: Spearman ρ = %s %s over %d architectures (paper: 0.779); %s.",
			run, fmtNum(c.Rho, 2), fmtInterval(c.CI), c.N, verdict))
	}
	return out
}

func isBaseline(labels []string) bool {
	for _, l := range labels {
		if !strings.HasPrefix(l, "top-1 of ") {
			return true
		}
	}
	return false
}

// plannedDSteps is the discriminator steps of the plan's search: from the
// number of training images when the plan fixes it, otherwise the most a
// finished search made.
func (r *Results) plannedDSteps() int {
	s := &r.Plan.Search
	if s.DatasetN > 0 {
		return s.MaxIters * s.SharedEpochs * ((s.DatasetN + s.DisBatch - 1) / s.DisBatch)
	}
	most := 0
	for _, sr := range r.Searches {
		most = max(most, sr.DSteps)
	}
	return most
}

// writeBudget writes the wall time of every stage.
func (r *Results) writeBudget(pr func(string, ...any)) {
	pr("## Budget\n\n| stage | pieces | wall time | per piece |\n|---|---|---|---|\n")
	var total float64
	row := func(name string, secs []float64) {
		var sum float64
		for _, s := range secs {
			sum += s
		}
		total += sum
		m, _ := MeanSD(secs)
		pr("| %s | %d | %s | %s |\n", name, len(secs), fmtDuration(sum), fmtDuration(m))
	}
	single := func(job string) []float64 {
		if sec := r.Seconds[job]; sec > 0 {
			return []float64{sec}
		}
		return nil
	}
	row("reference statistics", single("reference"))
	for _, arm := range r.Plan.Arms {
		var secs []float64
		for _, s := range r.Searches {
			if s.Run.Arm.Name == arm.Name && s.Done {
				secs = append(secs, s.Seconds)
			}
		}
		row("search: "+arm.Label, secs)
	}
	var train []float64
	for _, t := range r.Trained {
		if t.Done {
			train = append(train, t.Seconds)
		}
	}
	row("training from scratch", train)
	row("proxy rewards", single("proxy"))
	pr("| **total of the finished pieces** | | **%s** | |\n\n", fmtDuration(total))
	pr("MLAS trains its first iterations on 8×8 and 16×16 images, so equal steps are not equal time. A piece's wall time is summed over the runs that continued it after an interruption (a killed piece loses the time of its last run). On one machine, which runs the pieces one after another, the total is the study's wall time; on a cluster the pieces overlap.\n\n")
}

// writeSetup writes the machine, the settings and the commands.
func (r *Results) writeSetup(pr func(string, ...any)) {
	p := &r.Plan
	s, t := &p.Search, &p.Train
	pr("## Setup\n\n")
	pr("Machines:\n\n")
	for _, m := range r.Machines {
		pr("- %s\n", m)
	}
	pr("\n| setting | search | training |\n|---|---|---|\n")
	pr("| data | %s, %s, %d×%d | %s, %d×%d |\n", datasetName(s.Dataset), imageCount(s.DatasetN), s.ImgSize, s.ImgSize, imageCount(t.DatasetN), t.ImgSize, t.ImgSize)
	pr("| scorer | %s | same |\n", scorerName(s.Scorer))
	pr("| generator / discriminator channels | %d / %d | %d / %d |\n", s.GF, s.DF, t.GF, t.DF)
	pr("| batches (G / D), n_critic | %d / %d, %d | %d / %d, %d |\n", s.GenBatch, s.DisBatch, s.NCritic, t.GenBatch, t.DisBatch, t.NCritic)
	pr("| Adam learning rates (G / D), betas | %g / %g, (%g, %g) | %g / %g, (%g, %g) |\n", s.GLR, s.DLR, s.Beta1, s.Beta2, t.GLR, t.DLR, t.Beta1, t.Beta2)
	pr("| schedule | %d iterations × %d epoch(s); MLAS grows at %d and %d | %d generator steps, EMA %g |\n", s.MaxIters, s.SharedEpochs, s.GrowStep1, s.GrowStep2, t.MaxIter, t.EMADecay)
	pr("| controller | %d steps per iteration, %d candidates, top-%d | |\n", s.CtrlSteps, s.NumCandidates, s.TopK)
	pr("| rewards / evaluation | %d images per reward | %d images, once at the end |\n", s.RewardImages, t.EvalImages)
	pr("| dynamic reset | window %d, threshold %g | |\n", s.ResetWindow, s.ResetThreshold)
	pr("| seeds | %d + seed − 1 | %d for every architecture |\n\n", s.Seed, t.Seed)
	pr("SLAS scores %d final candidates and random search %d (the reward budget)", 3*s.NumCandidates, p.RewardBudget())
	for _, a := range p.Arms {
		if a.Strategy == nas.RandomIndependent {
			pr("; random search without sharing trains %d architectures for an equal share of the steps", p.IndependentArchs)
			break
		}
	}
	pr(". The full plan is `study.json` in the study directory.\n\n")
	pr("Reproduce (the study resumes if interrupted; `-document` rewrites this page from the runs):\n\n```\n")
	cmd := fmt.Sprintf("go run ./cmd/study -preset %s -dataset %s", p.Preset, datasetName(s.Dataset))
	if s.DataDir != "" {
		cmd += " -data_dir " + userPath(s.DataDir)
	}
	if s.Scorer != "" {
		cmd += " -scorer " + userPath(s.Scorer)
	}
	pr("%s -dir STUDY\ngo run ./cmd/study -dir STUDY -document -out DIR\n```\n\n", cmd)
	pr("(STUDY is the study's folder, here `%s`; DIR is where the document goes.)\n", filepath.Base(r.Dir))
}

// userPath shows a file the study read as a user would name it: as given
// when it is relative to the repository, by its name when it is an absolute
// path of the machine that ran the study.
func userPath(p string) string {
	if filepath.IsAbs(p) {
		return filepath.Base(p)
	}
	return p
}

// imageCount describes the dataset_n setting: the first n images, or all.
func imageCount(n int) string {
	if n <= 0 {
		return "all images"
	}
	return fmt.Sprintf("%d images", n)
}

func joinNums(v []float64, d int) string {
	var parts []string
	for _, x := range v {
		parts = append(parts, fmtNum(x, d))
	}
	return strings.Join(parts, ", ")
}

func fmtSigned(v float64, d int) string {
	if math.IsNaN(v) {
		return "–"
	}
	return fmt.Sprintf("%+.*f", d, v)
}

// fmtDuration writes seconds as 1h02m, 3m05s or 12s.
func fmtDuration(sec float64) string {
	if math.IsNaN(sec) || sec <= 0 {
		return "–"
	}
	d := time.Duration(sec * float64(time.Second)).Round(time.Second)
	switch {
	case d >= time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	case d >= time.Minute:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%ds", int(d.Seconds()))
}

// exploratoryCaveat says how to read the tests other than the primary one:
// they were not declared as the endpoint and are not corrected for being
// many, so some "significant" ones are expected by chance alone.
func exploratoryCaveat(comps []Comparison) string {
	tested, alpha := 0, 0.0
	for _, c := range comps {
		if !c.Primary && !c.Insufficient && !c.CannotReach() {
			tested++
			alpha = c.Alpha
		}
	}
	if tested == 0 {
		return "Only the primary comparison is a test the study was designed for; the others are exploratory."
	}
	return fmt.Sprintf("Only the primary comparison is a test the study was designed for. The other %d are exploratory and not corrected for multiple testing: at α = %g, even if no arm differed from MLAS, each would come out significant with probability %g, so a significant secondary difference is a lead to follow, not a finding.",
		tested, alpha, alpha)
}
