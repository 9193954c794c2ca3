package study

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/autogan-go/autogan/nas"
)

// Plan is everything a study will run, fixed when the study starts and
// kept in its directory (study.json): the search settings every arm starts
// from, the training settings every architecture is trained with, the arms
// and their seeds, the baselines, and the statistics. A study resumed or
// documented later reads its plan from there, never from a preset.
type Plan struct {
	Preset string `json:"preset"`
	// Search is the MLAS search every arm starts from; each arm changes
	// its strategy (and what the budget rules below need) and its seed.
	Search nas.Config `json:"search"`
	// Train is the from-scratch training of every architecture: the same
	// settings and the same seed for all, so that the architecture is the
	// only difference between two trained generators.
	Train nas.TrainConfig `json:"train"`
	Arms  []Arm           `json:"arms"`

	// RandomBaselines uniformly random architectures are trained beside
	// the searches' results, drawn from BaselineSeed.
	RandomBaselines int    `json:"random_baselines"`
	BaselineSeed    uint64 `json:"baseline_seed"`
	// IndependentArchs is how many architectures the search without
	// weight sharing trains, each for its share of the D steps.
	IndependentArchs int `json:"independent_archs"`

	// ProxyRuns are the searches whose final shared weights score every
	// trained architecture (the proxy of the paper's Fig. 7), with
	// latents from ProxySeed. At least MinProxy architectures are trained:
	// random ones are added when the searches agree so often that fewer
	// are distinct.
	ProxyRuns []string `json:"proxy_runs"`
	ProxySeed uint64   `json:"proxy_seed"`
	MinProxy  int      `json:"min_proxy_archs"`

	// Bootstrap is the number of resamples of the intervals of Spearman's
	// ρ, drawn from StatsSeed; Alpha the significance level of the tests.
	Bootstrap int     `json:"bootstrap"`
	StatsSeed uint64  `json:"stats_seed"`
	Alpha     float64 `json:"alpha"`
	// Primary is the endpoint declared before any run: the metric and the
	// two arms it compares.
	Primary Endpoint `json:"primary"`
}

// Arm is one search strategy of the study, run with Seeds seeds (1, 2, …).
type Arm struct {
	Name  string `json:"name"`  // "mlas", "random", …: the run names are <name>-s<seed>
	Label string `json:"label"` // for tables and legends
	Short string `json:"short"` // for the categories of charts
	// Strategy, DynamicReset and Reward are the search settings that make
	// the arm what it is; everything else comes from Plan.Search.
	Strategy     nas.Strategy `json:"strategy"`
	DynamicReset bool         `json:"dynamic_reset"`
	Reward       nas.Reward   `json:"reward"`
	Seeds        int          `json:"seeds"`
}

// Endpoint names the primary comparison of a study.
type Endpoint struct {
	Metric string `json:"metric"` // "fid" or "is" of the top-1 architectures trained from scratch
	A      string `json:"a"`      // the arm compared …
	B      string `json:"b"`      // … with this one
}

// The arms a study can run (the paper's §4.3 ablations).
func armMLAS(seeds int) Arm {
	return Arm{Name: "mlas", Label: "MLAS (AutoGAN)", Short: "MLAS", Strategy: nas.MLAS, DynamicReset: true, Reward: nas.RewardIS, Seeds: seeds}
}

func armRandom(seeds int) Arm {
	return Arm{Name: "random", Label: "random search, shared weights", Short: "random, shared", Strategy: nas.RandomShared, DynamicReset: true, Reward: nas.RewardIS, Seeds: seeds}
}

func armSLAS(seeds int) Arm {
	return Arm{Name: "slas", Label: "SLAS (single-level)", Short: "SLAS", Strategy: nas.SLAS, DynamicReset: true, Reward: nas.RewardIS, Seeds: seeds}
}

func armNoReset(seeds int) Arm {
	return Arm{Name: "mlas-no-reset", Label: "MLAS without dynamic reset", Short: "MLAS, no reset", Strategy: nas.MLAS, DynamicReset: false, Reward: nas.RewardIS, Seeds: seeds}
}

func armFID(seeds int) Arm {
	return Arm{Name: "mlas-fid", Label: "MLAS with the 1/FID reward", Short: "MLAS, 1/FID", Strategy: nas.MLAS, DynamicReset: true, Reward: nas.RewardInvFID, Seeds: seeds}
}

func armIndependent(seeds int) Arm {
	return Arm{Name: "random-independent", Label: "random search, no sharing", Short: "random, no sharing", Strategy: nas.RandomIndependent, DynamicReset: true, Reward: nas.RewardIS, Seeds: seeds}
}

// PresetNames lists the study presets.
var PresetNames = []string{"cpu", "paper", "tiny"}

// Preset returns the plan of a named scale on a dataset ("shapes10",
// "fashion-mnist", "cifar10", …; data_dir and scorer are set by the
// caller for data that is not built in).
//
//   - tiny: seconds, for tests; the arms of cpu with 1–2 seeds.
//   - cpu: about 2.5 hours on two cores (for the committed studies): MLAS and
//     random search × 5 seeds, SLAS and MLAS without reset × 3, 32×32
//     images, small networks.
//   - paper: the reference's search and training settings with every
//     ablation; for a cluster (deploy/slurm/study.sbatch).
func Preset(name, dataset string) (Plan, error) {
	p := Plan{Preset: name, BaselineSeed: 2019, ProxySeed: 779, MinProxy: 16,
		Bootstrap: 10000, StatsSeed: 1, Alpha: 0.05, Primary: Endpoint{Metric: "fid", A: "mlas", B: "random"}}
	switch name {
	case "tiny":
		p.Search, p.Train = nas.MustPreset("tiny"), nas.MustTrainPreset("tiny")
		p.Search.CtrlSteps, p.Search.NumCandidates = 2, 3
		p.Train.MaxIter, p.Train.EvalImages = 4, 100
		p.Arms = []Arm{armMLAS(2), armRandom(2), armSLAS(1), armNoReset(1)}
		p.RandomBaselines, p.IndependentArchs, p.MinProxy, p.Bootstrap = 1, 2, 6, 500
	case "cpu":
		p.Search, p.Train = cpuSearch(), cpuTrain()
		p.Arms = []Arm{armMLAS(5), armRandom(5), armSLAS(3), armNoReset(3)}
		p.RandomBaselines, p.IndependentArchs = 3, 8
	case "paper":
		p.Search, p.Train = nas.MustPreset("paper"), nas.MustTrainPreset("paper")
		p.Arms = []Arm{armMLAS(5), armRandom(5), armSLAS(3), armNoReset(3), armFID(3), armIndependent(3)}
		p.RandomBaselines, p.IndependentArchs = 5, 20
		// One evaluation at the end of the training, as at the other
		// scales: every trained architecture is compared at one budget.
		p.Train.ValFreq = 1 << 20
	default:
		return Plan{}, fmt.Errorf("unknown study preset %q (%s)", name, strings.Join(PresetNames, ", "))
	}
	p.ProxyRuns = []string{"mlas-s1", "random-s1"}
	if dataset != "" {
		p.Search.Dataset, p.Train.Dataset = dataset, dataset
	}
	p.Search.Preset, p.Train.Preset = "study-"+name, "study-"+name
	return p, p.Validate()
}

// cpuSearch is the search of the cpu preset: the demo search's networks
// and schedule on 32×32 images.
func cpuSearch() nas.Config {
	c := nas.MustPreset("demo")
	return c
}

// cpuTrain is the training of the cpu preset: the demo training's recipe
// (and its first 8,192 training images, of any dataset) for 768 generator
// steps (three epochs of 256 batches instead of eight), with one
// evaluation at its end, so that some twenty trainings fit beside the
// sixteen searches. Every architecture gets the same budget; a study at
// this scale compares how far architectures get in 768 steps, not where
// they converge.
func cpuTrain() nas.TrainConfig {
	c := nas.MustTrainPreset("demo")
	c.MaxIter, c.ValFreq = 768, 1<<20
	return c
}

// Bounds of a plan. study.json and -config files are read as they are,
// so a value past these is refused rather than left to run for ever.
const (
	// maxSeeds bounds the seeds of an arm: PermutationTest enumerates all
	// C(n_a+n_b, n_a) splits of two arms' values, 2,704,156 at 12 against
	// 12, and a seed more in both arms multiplies that by about four
	// (C(40, 20) at 20 against 20 is 1.4·10¹¹).
	maxSeeds = 12
	// maxTrained bounds random_baselines and min_proxy_archs: each is an
	// architecture trained from scratch, far more than a study can afford
	// past this (and the random ones are drawn until that many differ).
	maxTrained = 1024
	// maxBootstrap bounds the resamples of the bootstrap, all held in
	// memory at once.
	maxBootstrap = 1_000_000
)

// Validate checks that the plan can run: valid search and training
// settings, known and unique arms, an endpoint between two of them, and
// counts within the bounds above.
func (p *Plan) Validate() error {
	if err := p.Search.Validate(); err != nil {
		return fmt.Errorf("search settings: %w", err)
	}
	if err := p.Train.Validate(); err != nil {
		return fmt.Errorf("training settings: %w", err)
	}
	seen := map[string]bool{}
	for _, a := range p.Arms {
		switch {
		case a.Name == "" || strings.ContainsAny(a.Name, "/\\ ") || seen[a.Name]:
			return fmt.Errorf("arm %q: names must be unique words", a.Name)
		case !a.Strategy.Valid() || !a.Reward.Valid():
			return fmt.Errorf("arm %s: strategy %q and reward %q must be valid", a.Name, a.Strategy, a.Reward)
		case a.Seeds < 1 || a.Seeds > maxSeeds:
			return fmt.Errorf("arm %s: seeds must be 1…%d, not %d (the exact permutation test compares every split of two arms' seeds: "+
				"2.7 million at %d against %d, about four times as many with a seed more in both)", a.Name, maxSeeds, a.Seeds, maxSeeds, maxSeeds)
		case a.Strategy == nas.RandomIndependent && p.IndependentArchs < 1:
			return fmt.Errorf("arm %s: independent_archs must be at least 1", a.Name)
		}
		seen[a.Name] = true
	}
	if p.Primary.Metric != "fid" && p.Primary.Metric != "is" {
		return fmt.Errorf("primary endpoint: metric must be fid or is, not %q", p.Primary.Metric)
	}
	if !seen[p.Primary.A] || !seen[p.Primary.B] || p.Primary.A == p.Primary.B {
		return fmt.Errorf("primary endpoint: %q and %q must be two arms of the study", p.Primary.A, p.Primary.B)
	}
	for _, r := range p.ProxyRuns {
		if !slices.ContainsFunc(p.Searches(), func(s SearchRun) bool { return s.Name == r }) {
			return fmt.Errorf("proxy run %q is not a search of the study", r)
		}
	}
	for _, c := range []struct {
		key string
		n   int
	}{{"random_baselines", p.RandomBaselines}, {"min_proxy_archs", p.MinProxy}} {
		if c.n < 0 || c.n > maxTrained {
			return fmt.Errorf("%s must be 0…%d, not %d (each is an architecture trained from scratch)", c.key, maxTrained, c.n)
		}
	}
	if p.Bootstrap < 100 || p.Bootstrap > maxBootstrap || p.Alpha <= 0 || p.Alpha >= 1 {
		return fmt.Errorf("bootstrap must be 100…%d (the resamples are held in memory) and alpha in (0, 1)", maxBootstrap)
	}
	return nil
}

// Arm returns the arm of a name.
func (p *Plan) Arm(name string) (Arm, bool) {
	i := slices.IndexFunc(p.Arms, func(a Arm) bool { return a.Name == name })
	if i < 0 {
		return Arm{}, false
	}
	return p.Arms[i], true
}

// SearchRun is one search of a study: an arm with a seed.
type SearchRun struct {
	Name string // <arm>-s<seed>, also its directory under search/
	Arm  Arm
	Seed int
}

// Searches lists the searches in the order a study runs them: seed by
// seed, every arm in turn, so that a study stopped half-way has compared
// the arms on the same seeds.
func (p *Plan) Searches() []SearchRun {
	var runs []SearchRun
	for seed := 1; ; seed++ {
		added := false
		for _, a := range p.Arms {
			if seed <= a.Seeds {
				runs = append(runs, SearchRun{Name: fmt.Sprintf("%s-s%d", a.Name, seed), Arm: a, Seed: seed})
				added = true
			}
		}
		if !added {
			return runs
		}
	}
}

// RewardBudget is the number of reward evaluations of the plan's MLAS
// search: one per controller step, and num_candidate at each of its two
// growths and at the final selection. Every arm gets as many.
func (p *Plan) RewardBudget() int {
	s := &p.Search
	return s.MaxIters*s.CtrlSteps + 3*s.NumCandidates
}

// SearchConfig returns the settings of one search. The arms share one
// budget: the same number of discriminator steps (max_search_iter ×
// shared_epoch epochs of the same data; a dynamic reset ends an iteration
// early, which the results count) and of reward evaluations
// (RewardBudget):
//
//   - MLAS (with or without reset, IS or 1/FID reward): the plan's search.
//   - SLAS has no growths, so its final selection scores the candidates
//     MLAS scores at its two growths too: 3 × num_candidate.
//   - random search with shared weights trains no controller, so all its
//     evaluations go to the final selection: num_candidate = the budget.
//   - random search without sharing trains independent_archs GANs of
//     their own, which share the D steps; each is scored once.
//
// images is the number of training images (for the length of an epoch).
func (p *Plan) SearchConfig(r SearchRun, images int) nas.Config {
	c := p.Search
	c.Strategy, c.DynamicReset, c.Reward = r.Arm.Strategy, r.Arm.DynamicReset, r.Arm.Reward
	c.Seed = p.Search.Seed + uint64(r.Seed) - 1
	switch r.Arm.Strategy {
	case nas.SLAS:
		c.NumCandidates = 3 * p.Search.NumCandidates
	case nas.RandomShared:
		c.NumCandidates, c.CtrlSteps = p.RewardBudget(), 0
	case nas.RandomIndependent:
		batches := (images + c.DisBatch - 1) / c.DisBatch
		c.RandomArchs = p.IndependentArchs
		c.RandomSteps = max(1, c.MaxIters*c.SharedEpochs*batches/p.IndependentArchs)
		c.NumCandidates, c.CtrlSteps = p.IndependentArchs, 0
		c.TopK = min(c.TopK, c.NumCandidates)
	}
	return c
}

// Named baselines trained beside the searches' results.
var (
	// SNGANStyle is the hand-designed generator of the search space: in
	// every cell pre-activation, batch norm, nearest-neighbour up-sampling
	// and a shortcut, without skip connections (the SN-GAN / WGAN-GP
	// residual block the paper starts from, §3.1).
	SNGANStyle = nas.MustParse("1 1 1 1 1 1 1 1 0 1 1 1 1 0")
)

// namedBaselines are the architectures every study trains: the SNGAN-style
// generator and the paper's released A, B and C (in the search space's
// layout, like every other trained architecture).
func namedBaselines() []Candidate {
	return []Candidate{
		{Arch: SNGANStyle.String(), Labels: []string{"SNGAN-style"}},
		{Arch: nas.Released["autogan_cifar10_a"].String(), Labels: []string{"AutoGAN-A (paper)"}},
		{Arch: nas.Released["autogan_cifar10_b"].String(), Labels: []string{"AutoGAN-B (paper)"}},
		{Arch: nas.Released["autogan_cifar10_c"].String(), Labels: []string{"AutoGAN-C (paper)"}},
	}
}

// LoadPlanFile lays the JSON object of a file over p: keys present in the
// file replace p's values (nested settings key by key, the list of arms
// as a whole); unknown keys are an error.
func LoadPlanFile(path string, p *Plan) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	preset := slices.Clone(p.Arms)
	if err := decodeStrict(b, p); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	// encoding/json decodes a list into the elements already there, so an
	// arm of the file would have inherited the settings it does not name
	// from whichever arm of the preset stood at its position. Each arm of
	// the file is laid over the arm of its name instead: the preset's, or
	// the study's known arm, or nothing.
	var keys struct {
		Arms []json.RawMessage `json:"arms"`
	}
	if err := json.Unmarshal(b, &keys); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if keys.Arms == nil {
		return nil
	}
	p.Arms = p.Arms[:0:0]
	for i, raw := range keys.Arms {
		var named struct {
			Name string `json:"name"`
		}
		if err := json.Unmarshal(raw, &named); err != nil {
			return fmt.Errorf("%s: arm %d: %w", path, i+1, err)
		}
		arm, _ := knownArm(named.Name, preset)
		if err := decodeStrict(raw, &arm); err != nil {
			return fmt.Errorf("%s: arm %d: %w", path, i+1, err)
		}
		p.Arms = append(p.Arms, arm)
	}
	return nil
}

// knownArm returns the arm of a name: the one in arms, or else the study's
// own arm of that name (with no seeds).
func knownArm(name string, arms []Arm) (Arm, bool) {
	for _, a := range arms {
		if a.Name == name {
			return a, true
		}
	}
	for _, a := range []Arm{armMLAS(0), armRandom(0), armSLAS(0), armNoReset(0), armFID(0), armIndependent(0)} {
		if a.Name == name {
			return a, true
		}
	}
	return Arm{Name: name}, false
}
