package study

import (
	"fmt"
	"math"
	"strings"

	"github.com/autogan-go/autogan/internal/chart"
	"github.com/autogan-go/autogan/nas"
)

// The charts of the document, as SVG files beside results.md.

// rewardChart draws the controller's reward per search iteration for the
// arms rewarded by IS that train a controller: the mean over seeds, with a
// band from the lowest to the highest seed (the paper's Figs. 9 and 10).
func (r *Results) rewardChart() *chart.XY {
	c := &chart.XY{Title: "Controller reward per search iteration",
		Subtitle: "mean over seeds; band: lowest to highest seed. MLAS scores 8×8 and 16×16 images before its growths.",
		X:        chart.Axis{Label: "search iteration", Integer: true},
		Y:        chart.Axis{Label: "reward (IS)"}}
	for _, arm := range r.Plan.Arms {
		if !arm.Strategy.UsesController() || arm.Reward != nas.RewardIS {
			continue
		}
		var curves [][]float64
		for _, s := range r.Searches {
			if s.Run.Arm.Name == arm.Name && s.Done {
				curves = append(curves, s.Curve)
			}
		}
		if len(curves) == 0 {
			continue
		}
		n := len(curves[0])
		ser := chart.Series{Name: fmt.Sprintf("%s (%d seeds)", arm.Label, len(curves)), X: make([]float64, n),
			Y: make([]float64, n), Lo: make([]float64, n), Hi: make([]float64, n), Style: chart.StyleLinePoints}
		for i := 0; i < n; i++ {
			var v []float64
			for _, cv := range curves {
				if i < len(cv) && !math.IsNaN(cv[i]) {
					v = append(v, cv[i])
				}
			}
			ser.X[i] = float64(i + 1)
			ser.Y[i], _ = MeanSD(v)
			ser.Lo[i], ser.Hi[i] = minMax(v)
		}
		c.Series = append(c.Series, ser)
	}
	if r.hasArm(nas.MLAS) {
		s := r.Plan.Search
		c.Markers = []chart.Marker{{X: float64(s.GrowStep1) + 1, Label: "MLAS: 16×16"}, {X: float64(s.GrowStep2) + 1, Label: "MLAS: 32×32"}}
	}
	return c
}

func (r *Results) hasArm(st nas.Strategy) bool {
	for _, a := range r.Plan.Arms {
		if a.Strategy == st {
			return true
		}
	}
	return false
}

func minMax(v []float64) (lo, hi float64) {
	if len(v) == 0 {
		return math.NaN(), math.NaN()
	}
	lo, hi = v[0], v[0]
	for _, x := range v {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	return lo, hi
}

// finalChart draws a trained metric per arm (the top-1 of each seed, mean
// ± standard deviation and every seed's value) and per baseline.
func (r *Results) finalChart(metric string) *chart.Bars {
	name := map[string]string{"fid": "FID", "is": "IS"}[metric]
	title := map[string]string{"fid": "FID after training from scratch (lower is better)", "is": "Inception Score after training from scratch (higher is better)"}[metric]
	c := &chart.Bars{Title: title,
		Subtitle: "search arms: the top-1 of each seed, mean ± standard deviation, one dot per seed; baselines: one training each",
		XLabel:   "search strategy (top-1 of each seed) or baseline", Y: chart.Axis{Label: name}, Dots: true, Width: 820}
	ser := chart.BarSeries{}
	for _, arm := range r.Plan.Arms {
		v, _ := r.ArmValues(arm.Name, metric)
		m, sd := MeanSD(v)
		c.Categories = append(c.Categories, arm.Short)
		ser.Values = append(ser.Values, m)
		ser.Lo, ser.Hi = append(ser.Lo, m-sd), append(ser.Hi, m+sd)
		ser.Points = append(ser.Points, v)
	}
	var random []float64
	for _, t := range r.Trained {
		if !t.Done {
			continue
		}
		counted := false // one point per architecture, whatever its labels
		for _, l := range t.Labels {
			switch {
			case len(l) > 7 && l[:7] == "random ":
				if !counted {
					random = append(random, metricOf(&t, metric))
					counted = true
				}
			case l == "SNGAN-style" || len(l) > 8 && l[:8] == "AutoGAN-":
				v := metricOf(&t, metric)
				c.Categories = append(c.Categories, strings.TrimSuffix(l, " (paper)"))
				ser.Values = append(ser.Values, v)
				ser.Lo, ser.Hi = append(ser.Lo, v), append(ser.Hi, v)
				ser.Points = append(ser.Points, nil)
			}
		}
	}
	if len(random) > 0 {
		m, sd := MeanSD(random)
		c.Categories = append(c.Categories, fmt.Sprintf("%d random", len(random)))
		ser.Values = append(ser.Values, m)
		ser.Lo, ser.Hi = append(ser.Lo, m-sd), append(ser.Hi, m+sd)
		ser.Points = append(ser.Points, random)
	}
	c.Series = []chart.BarSeries{ser}
	return c
}

// proxyChart is the paper's Fig. 7: the reward of each trained
// architecture under a search's final shared weights against its IS after
// training from scratch, with Spearman's ρ and its interval.
func (r *Results) proxyChart() *chart.XY {
	c := &chart.XY{Title: "Search reward against IS after training (paper Fig. 7)",
		X: chart.Axis{Label: "reward under the final shared weights (IS)"},
		Y: chart.Axis{Label: "IS after training"}}
	sub := ""
	for _, run := range r.Plan.ProxyRuns {
		x, y, archs := r.ProxyPoints(run, "is")
		corr := r.ProxyCorrelation(run, "is")
		c.Series = append(c.Series, chart.Series{Name: fmt.Sprintf("weights of %s (n = %d)", run, len(x)), X: x, Y: y,
			Labels: archs, Style: chart.StylePoints, Trend: true})
		if sub != "" {
			sub += "; "
		}
		sub += fmt.Sprintf("%s: Spearman ρ = %s %s", run, fmtNum(corr.Rho, 2), fmtInterval(corr.CI))
	}
	c.Subtitle = sub
	return c
}

// fmtInterval writes an interval as "[lo, hi]".
func fmtInterval(iv Interval) string {
	return fmt.Sprintf("[%s, %s]", fmtNum(iv.Lo, 2), fmtNum(iv.Hi, 2))
}

// fmtNum writes a number with d decimals, or "–" when it is not finite.
func fmtNum(v float64, d int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	return fmt.Sprintf("%.*f", d, v)
}
