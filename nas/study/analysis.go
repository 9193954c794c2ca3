package study

import (
	"fmt"
	"math"

	"github.com/autogan-go/autogan/tensor"
)

// The analyses of the document, computed from Results.

// trained returns the training of an architecture (nil if it has not
// finished).
func (r *Results) trained(arch string) *TrainedResult {
	for i := range r.Trained {
		if r.Trained[i].Arch == arch && r.Trained[i].Done {
			return &r.Trained[i]
		}
	}
	return nil
}

// metricOf reads a metric of a finished training: "fid" or "is" at the
// end of the training (the study evaluates once, at the end).
func metricOf(t *TrainedResult, metric string) float64 {
	if metric == "is" {
		return t.Summary.LastIS
	}
	return t.Summary.LastFID
}

// ArmValues returns, per seed of an arm whose search and top-1 training
// finished, the metric of the top-1 trained from scratch.
func (r *Results) ArmValues(arm, metric string) (values []float64, seeds []int) {
	for _, s := range r.Searches {
		if s.Run.Arm.Name != arm || !s.Done {
			continue
		}
		if t := r.trained(s.Top1); t != nil {
			values = append(values, metricOf(t, metric))
			seeds = append(seeds, s.Run.Seed)
		}
	}
	return values, seeds
}

// Comparison is a test of one arm against another on one metric.
type Comparison struct {
	A, B         string // arm names
	Metric       string
	MeanA, SDA   float64
	MeanB, SDB   float64
	NA, NB       int
	Diff, P      float64 // mean A − mean B; two-sided exact permutation p
	Significant  bool    // P < alpha
	BetterA      bool    // A's mean is the better one (lower FID, higher IS)
	Primary      bool
	Alpha        float64
	Insufficient bool // fewer than two values on a side: no test
	// MinP is the smallest p the test could give with these numbers of
	// seeds; when it is not below Alpha, no outcome could be significant.
	MinP float64
	// Note, when set, says why the comparison cannot show what its arms
	// are meant to show (e.g. no dynamic reset ever fired).
	Note string
}

// CannotReach reports whether the test could not be significant whatever
// the values: too few seeds for its α.
func (c Comparison) CannotReach() bool { return !c.Insufficient && c.MinP >= c.Alpha }

// Compare tests arm a against arm b on a metric.
func (r *Results) Compare(a, b, metric string) Comparison {
	va, _ := r.ArmValues(a, metric)
	vb, _ := r.ArmValues(b, metric)
	c := Comparison{A: a, B: b, Metric: metric, NA: len(va), NB: len(vb), Alpha: r.Plan.Alpha,
		Primary: r.Plan.Primary.A == a && r.Plan.Primary.B == b && r.Plan.Primary.Metric == metric}
	c.MeanA, c.SDA = MeanSD(va)
	c.MeanB, c.SDB = MeanSD(vb)
	c.MinP = MinP(len(va), len(vb))
	c.Note = r.resetNote(a, b)
	if len(va) < 2 || len(vb) < 2 {
		c.Insufficient = true
		c.Diff, c.P = c.MeanA-c.MeanB, math.NaN()
		return c
	}
	c.Diff, c.P = PermutationTest(va, vb)
	c.Significant = c.P < r.Plan.Alpha
	c.BetterA = c.Diff < 0 == (metric == "fid")
	return c
}

// resetNote explains a comparison of two arms that differ only in dynamic
// reset when no reset fired in any finished search of the arm that has it:
// its searches then ran step for step as they would have without, so the
// comparison says nothing about dynamic reset (paper Fig. 9).
func (r *Results) resetNote(a, b string) string {
	armA, okA := r.Plan.Arm(a)
	armB, okB := r.Plan.Arm(b)
	if !okA || !okB || armA.DynamicReset == armB.DynamicReset || armA.Strategy != armB.Strategy || armA.Reward != armB.Reward {
		return ""
	}
	withReset := armA
	if armB.DynamicReset {
		withReset = armB
	}
	done := 0
	for _, s := range r.Searches {
		if s.Run.Arm.Name != withReset.Name || !s.Done {
			continue
		}
		if s.Resets > 0 {
			return ""
		}
		done++
	}
	if done == 0 {
		return ""
	}
	return fmt.Sprintf("no dynamic reset fired in any of the %d finished searches of %s, so they ran exactly as they would have without it: this comparison says nothing about dynamic reset", done, withReset.Label)
}

// Comparisons are the primary comparison and every other arm against
// the primary's first arm (MLAS), on FID and IS.
func (r *Results) Comparisons() []Comparison {
	p := r.Plan.Primary
	out := []Comparison{r.Compare(p.A, p.B, p.Metric)}
	other := map[string]string{"fid": "is", "is": "fid"}[p.Metric]
	out = append(out, r.Compare(p.A, p.B, other))
	for _, arm := range r.Plan.Arms {
		if arm.Name == p.A || arm.Name == p.B {
			continue
		}
		for _, m := range []string{p.Metric, other} {
			out = append(out, r.Compare(p.A, arm.Name, m))
		}
	}
	return out
}

// ProxyPoints pairs, for one proxy run, the reward of every finished
// trained architecture under its final shared weights with a metric of
// its training from scratch.
func (r *Results) ProxyPoints(run, metric string) (proxy, trained []float64, archs []string) {
	scores := r.Proxy[run]
	for _, t := range r.Trained {
		ps, ok := scores[t.Arch]
		if !ok || !t.Done {
			continue
		}
		proxy = append(proxy, ps.Reward)
		trained = append(trained, metricOf(&t, metric))
		archs = append(archs, t.Arch)
	}
	return proxy, trained, archs
}

// Correlation is Spearman's ρ of the proxy against a trained metric.
type Correlation struct {
	Run, Metric string
	N           int
	Rho         float64
	CI          Interval
}

// ProxyCorrelation computes ρ and its bootstrap interval for one proxy
// run; the resamples come from the plan's StatsSeed (and the run's name),
// so the document is the same every time it is written.
func (r *Results) ProxyCorrelation(run, metric string) Correlation {
	x, y, _ := r.ProxyPoints(run, metric)
	c := Correlation{Run: run, Metric: metric, N: len(x), Rho: math.NaN(), CI: Interval{Lo: math.NaN(), Hi: math.NaN(), Level: 0.95}}
	if len(x) < 3 {
		return c
	}
	c.Rho = Spearman(x, y)
	rng := tensor.NewRNG(r.Plan.StatsSeed).Child(fmt.Sprintf("bootstrap/%s/%s", run, metric))
	c.CI = BootstrapSpearman(x, y, r.Plan.Bootstrap, 0.95, rng)
	return c
}
