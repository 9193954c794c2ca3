package runreport

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"

	"github.com/autogan-go/autogan/internal/chart"
)

// The comparison page overlays the same charts for several runs (seeds,
// strategies, settings), one colour per run throughout the page, and puts
// their settings and results side by side.

// runLabels returns a short distinct label per run: the directory's base
// name, with parent folders added to the runs that share it.
func runLabels(runs []*Run) []string {
	labels := make([]string, len(runs))
	depth := make([]int, len(runs))
	for i := range depth {
		depth[i] = 1
	}
	for round := 0; round < 8; round++ {
		seen := map[string][]int{}
		for i, r := range runs {
			labels[i] = lastElems(r.Dir, depth[i])
			seen[labels[i]] = append(seen[labels[i]], i)
		}
		unique := true
		for _, same := range seen {
			if len(same) > 1 {
				unique = false
				for _, i := range same {
					depth[i]++
				}
			}
		}
		if unique {
			return labels
		}
	}
	for i := range labels {
		labels[i] = fmt.Sprintf("%s (%d)", labels[i], i+1)
	}
	return labels
}

func lastElems(dir string, n int) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	parts := strings.Split(filepath.ToSlash(abs), "/")
	if len(parts) > n {
		parts = parts[len(parts)-n:]
	}
	return strings.Join(parts, "/")
}

// overlay is one chart of the comparison: a series per run that has data.
type overlay struct {
	id, title string
	x, y      chart.Axis
	wide      bool
	series    []chart.Series
}

func (ov *overlay) add(s chart.Series) {
	if anyFinite(s.Y) || anyFinite(s.Lo) {
		ov.series = append(ov.series, s)
	}
}

func (ov *overlay) item() item {
	if len(ov.series) == 0 {
		return absent(ov.id, ov.title+": none of the runs has this data.")
	}
	c := &chart.XY{Title: ov.title, Width: chartW, Height: chartH, X: ov.x, Y: ov.y, Series: ov.series}
	if ov.wide {
		c.Width = wideChartW
		return wideChartOf(ov.id, c)
	}
	return chartOf(ov.id, c)
}

func comparePage(runs []*Run, o Options) *page {
	labels := runLabels(runs)
	p := &page{Title: fmt.Sprintf("Comparing %d runs", len(runs)), Subtitle: strings.Join(labels, " · ")}
	for i, r := range runs {
		for _, n := range append(schemaNotes(r), r.Notes()...) {
			p.Notes = append(p.Notes, labels[i]+": "+n)
		}
	}
	color := func(i int) string { return chart.Palette(i) }

	// The runs side by side.
	t := &table{ID: "runs", Wide: true, Head: []string{"", "run", "kind", "status", "setting", "seed", "result", "directory"}}
	for i, r := range runs {
		sp := headerOf(r)
		setting := ""
		switch r.Kind() {
		case "search":
			setting = r.cfg("strategy") + ", " + r.cfg("preset")
		case "train":
			setting = r.cfg("arch")
			if r.train != nil && r.train.Arch != "" {
				setting = r.train.Arch
			}
		}
		var res []string
		for _, h := range sp.Headline {
			res = append(res, h.Key+": "+h.Value)
		}
		t.Rows = append(t.Rows, []cell{{Text: "■", Color: color(i)}, {Text: labels[i]}, {Text: orDash(r.Kind())}, {Text: sp.Status},
			{Text: orDash(setting)}, {Text: orDash(r.cfg("seed")), Class: "num"}, {Text: strings.Join(res, "; ")}, {Text: r.Dir, Class: "desc"}})
	}
	p.Sections = append(p.Sections, section{ID: "runs", Title: "Runs", Items: []item{{Table: t}}})

	var search, train, eval []int
	for i, r := range runs {
		switch r.Kind() {
		case "search":
			search = append(search, i)
		case "train":
			train = append(train, i)
		case "eval":
			eval = append(eval, i)
		}
	}
	if len(search) > 0 {
		p.Sections = append(p.Sections, compareSearch(runs, labels, search, color)...)
	}
	if len(train) > 0 {
		p.Sections = append(p.Sections, compareTrain(runs, labels, train, color))
	}
	if len(eval) > 0 {
		p.Sections = append(p.Sections, compareEval(runs, labels, eval, color))
	}

	// The last grid of each run.
	g := &gallery{ID: "samples", Note: "The last sample grid of each run."}
	for i, r := range runs {
		if len(r.grids) == 0 {
			continue
		}
		last := r.grids[len(r.grids)-1]
		e, err := r.embed(last)
		if err != nil {
			p.Notes = append(p.Notes, fmt.Sprintf("%s: sample grid %s could not be read: %v", labels[i], last.name, err))
			continue
		}
		caption := labels[i]
		if last.unit != "" {
			caption += fmt.Sprintf(" · %s %d", last.unit, last.index)
		}
		g.Images = append(g.Images, e.galleryImage(caption))
	}
	if len(g.Images) > 0 {
		p.Sections = append(p.Sections, section{ID: "samples", Title: "Sample grids", Items: []item{{Gallery: g}}})
	}
	return p
}

func compareSearch(runs []*Run, labels []string, idx []int, color func(int) string) []section {
	step := chart.Axis{Label: "discriminator step", Integer: true}
	dLoss := overlay{id: "losses", title: "D loss", x: step, y: chart.Axis{Label: "hinge loss"}}
	gLoss := overlay{id: "g-losses", title: "G loss", x: step, y: chart.Axis{Label: "hinge loss"}}
	dVar := overlay{id: "variances", title: "D loss variance", x: step, y: chart.Axis{Label: "variance of recent losses", Log: true}}
	gVar := overlay{id: "g-variances", title: "G loss variance", x: step, y: chart.Axis{Label: "variance of recent losses", Log: true}}
	ctrlStep := chart.Axis{Label: "controller step", Integer: true}
	reward := overlay{id: "reward", title: "Controller reward", x: ctrlStep, y: chart.Axis{Label: "Inception Score"}}
	baseline := overlay{id: "baseline", title: "Controller baseline", x: ctrlStep, y: chart.Axis{Label: "Inception Score"}}
	entropy := overlay{id: "entropy", title: "Entropy of the sampled choices", x: ctrlStep, y: chart.Axis{Label: "entropy (nats)"}}
	cands := overlay{id: "candidates", title: "Candidates scored at each growth and at the end", x: chart.Axis{Label: "search iteration", Integer: true},
		y: chart.Axis{Label: "reward (Inception Score)"}}
	for _, i := range idx {
		m := runs[i].tail.m
		name, c := labels[i], color(i)
		x := newSearchSteps(m).xs(&m.shared)
		dLoss.add(chart.Series{Name: name, Color: c, X: x, Y: m.shared.dLoss})
		gLoss.add(chart.Series{Name: name, Color: c, X: x, Y: m.shared.gLoss})
		dVar.add(chart.Series{Name: name, Color: c, X: x, Y: m.shared.dVar})
		gVar.add(chart.Series{Name: name, Color: c, X: x, Y: m.shared.gVar})
		n := len(m.controller)
		cx, r, b, e := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		for k, s := range m.controller {
			cx[k], r[k], b[k], e[k] = float64(k), s.reward, s.baseline, s.entropy
		}
		reward.add(chart.Series{Name: name, Color: c, X: cx, Y: r})
		baseline.add(chart.Series{Name: name, Color: c, X: cx, Y: b})
		entropy.add(chart.Series{Name: name, Color: c, X: cx, Y: e})
		var px, py []float64
		var pl []string
		for _, s := range m.candidates {
			px, py, pl = append(px, s.iter), append(py, s.reward), append(pl, s.arch)
		}
		cands.add(chart.Series{Name: name, Color: c, X: px, Y: py, Labels: pl, Style: chart.StylePoints})
	}
	return []section{
		{ID: "shared", Title: "Search: shared GAN", Items: []item{dLoss.item(), gLoss.item(), dVar.item(), gVar.item()}},
		{ID: "controller", Title: "Search: controller and candidates", Items: []item{reward.item(), baseline.item(), entropy.item(), cands.item()}},
	}
}

func compareTrain(runs []*Run, labels []string, idx []int, color func(int) string) section {
	step := chart.Axis{Label: "discriminator step", Integer: true}
	dLoss := overlay{id: "train-d-loss", title: "D loss", x: step, y: chart.Axis{Label: "hinge loss"}}
	gLoss := overlay{id: "train-g-loss", title: "G loss", x: step, y: chart.Axis{Label: "hinge loss"}}
	lr := overlay{id: "lr", title: "G learning rate", x: step, y: chart.Axis{Label: "learning rate"}}
	epoch := chart.Axis{Label: "epoch", Integer: true}
	is := overlay{id: "is", title: "Inception Score", x: epoch, y: chart.Axis{Label: "Inception Score"}}
	fid := overlay{id: "fid", title: "FID", x: epoch, y: chart.Axis{Label: "Fréchet Inception Distance"}}
	for _, i := range idx {
		m := runs[i].tail.m
		name, c := labels[i], color(i)
		dLoss.add(chart.Series{Name: name, Color: c, X: m.train.step, Y: m.train.dLoss})
		gLoss.add(chart.Series{Name: name, Color: c, X: m.train.step, Y: m.train.gLoss})
		lr.add(chart.Series{Name: name, Color: c, X: m.train.step, Y: m.train.gLR})
		n := len(m.evals)
		x, y, lo, hi, f := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		for k, e := range m.evals {
			x[k], y[k], lo[k], hi[k], f[k] = float64(e.epoch+1), e.isMean, e.isMean-e.isStd, e.isMean+e.isStd, e.fid
		}
		is.add(chart.Series{Name: name, Color: c, X: x, Y: y, Lo: lo, Hi: hi, Style: chart.StyleLinePoints})
		fid.add(chart.Series{Name: name, Color: c, X: x, Y: f, Style: chart.StyleLinePoints})
	}
	items := []item{is.item(), fid.item(), dLoss.item(), gLoss.item()}
	if len(lr.series) > 0 {
		items = append(items, lr.item())
	}
	return section{ID: "training", Title: "Training", Items: items}
}

func compareEval(runs []*Run, labels []string, idx []int, color func(int) string) section {
	var cats []string
	var is, lo, hi, fid []float64
	for _, i := range idx {
		m := runs[i].tail.m
		v, sd, f := math.NaN(), math.NaN(), math.NaN()
		if e := m.evalResult; e != nil {
			v, sd, f = e.isMean, e.isStd, e.fid
		} else if k := len(m.merges); k > 0 {
			v, sd, f = m.merges[k-1].isMean, m.merges[k-1].isStd, m.merges[k-1].fid
		}
		cats = append(cats, labels[i])
		is, lo, hi, fid = append(is, v), append(lo, v-sd), append(hi, v+sd), append(fid, f)
	}
	items := []item{
		chartOf("eval-is", &chart.Bars{Title: "Inception Score", Subtitle: "± sd over 10 splits", Width: chartW, Height: chartH,
			XLabel: "run", Y: chart.Axis{Label: "Inception Score"}, Categories: cats,
			Series: []chart.BarSeries{{Values: is, Lo: lo, Hi: hi}}, Dots: true}),
	}
	if anyFinite(fid) {
		items = append(items, chartOf("eval-fid", &chart.Bars{Title: "FID", Subtitle: "lower is better", Width: chartW, Height: chartH,
			XLabel: "run", Y: chart.Axis{Label: "Fréchet Inception Distance"}, Categories: cats,
			Series: []chart.BarSeries{{Values: fid, Color: chart.Palette(1)}}, Dots: true}))
	}
	return section{ID: "evaluations", Title: "Evaluations", Items: items}
}

// headerOf returns the header of a run's page (status, headline numbers,
// settings) without building its charts.
func headerOf(r *Run) *page {
	p := &page{}
	switch r.Kind() {
	case "search":
		searchHeader(r, p, newSearchSteps(r.tail.m))
	case "train":
		trainHeader(r, p)
	case "eval":
		evalHeader(r, p)
	default:
		p.Status = "waiting for data"
	}
	return p
}
