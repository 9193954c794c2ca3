package runreport

import (
	"fmt"
	"math"
	"strconv"

	"github.com/autogan-go/autogan/internal/chart"
)

// The page of a training run (cmd/train): losses, learning rates, IS and
// FID at each evaluation with the best checkpoints marked, the table of
// evaluations and the sample grids.

// bestEvals returns the indices of the evaluations with the best IS and
// the best FID (-1 when none): the first evaluation reaching the best
// value, as the trainer keeps the first.
func bestEvals(evals []evaluation) (bestIS, bestFID int) {
	bestIS, bestFID = -1, -1
	for i, e := range evals {
		if finite(e.isMean) && (bestIS < 0 || e.isMean > evals[bestIS].isMean) {
			bestIS = i
		}
		if finite(e.fid) && (bestFID < 0 || e.fid < evals[bestFID].fid) {
			bestFID = i
		}
	}
	return bestIS, bestFID
}

func trainPage(r *Run, o Options) *page {
	m := r.tail.m
	p := &page{Title: "Training · " + r.Name, Subtitle: r.Dir}
	trainHeader(r, p)
	t := &m.train
	bi, bf := bestEvals(m.evals)

	losses := section{ID: "losses", Title: "Losses and learning rates",
		Intro: "Hinge losses of the discriminator and the generator per discriminator step, and the learning rates of the two Adam optimisers."}
	var markers []chart.Marker
	for _, d := range m.diverged {
		if finite(d.step) {
			markers = append(markers, chart.Marker{X: d.step, Label: divergeLabel(d), Color: colorDiverge})
		}
	}
	if len(t.step) == 0 {
		losses.Items = append(losses.Items, absent("losses", "No training steps logged yet."))
	} else {
		losses.Items = append(losses.Items, chartOf("losses", &chart.XY{
			Title: "Losses", Width: chartW, Height: chartH,
			X: chart.Axis{Label: "discriminator step", Integer: true}, Y: chart.Axis{Label: "hinge loss"},
			Series: []chart.Series{
				{Name: "D loss", X: t.step, Y: t.dLoss},
				{Name: "G loss", X: t.step, Y: t.gLoss},
			},
			Markers: markers,
		}))
	}
	if anyFinite(t.gLR) || anyFinite(t.dLR) {
		losses.Items = append(losses.Items, chartOf("lr", &chart.XY{
			Title: "Learning rates", Width: chartW, Height: chartH,
			X: chart.Axis{Label: "discriminator step", Integer: true}, Y: chart.Axis{Label: "learning rate"},
			Series: []chart.Series{
				{Name: "G learning rate", X: t.step, Y: t.gLR},
				{Name: "D learning rate", X: t.step, Y: t.dLR, Dashed: true},
			},
		}))
	} else {
		note := "Learning rates: this run's metrics do not record them"
		if lr := r.cfg("g_lr"); lr != "" {
			note += fmt.Sprintf(" (configured: G %s, D %s, decay %s)", lr, r.cfg("d_lr"), orDash(r.cfg("lr_decay")))
		}
		losses.Items = append(losses.Items, absent("lr", note+"."))
	}
	p.Sections = append(p.Sections, losses)

	ev := section{ID: "evaluation", Title: "Inception Score and FID",
		Intro: "Scores of the EMA generator at each evaluation (IS: mean ± standard deviation over 10 splits). The checkpoints keep the best of each."}
	if len(m.evals) == 0 {
		ev.Items = append(ev.Items, absent("is", "No evaluation yet."), absent("fid", "No evaluation yet."))
	} else {
		n := len(m.evals)
		x, is, lo, hi, fid := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		for i, e := range m.evals {
			x[i] = float64(e.epoch + 1)
			is[i], fid[i] = e.isMean, e.fid
			lo[i], hi[i] = e.isMean-e.isStd, e.isMean+e.isStd
		}
		isChart := &chart.XY{Title: "Inception Score", Width: chartW, Height: chartH,
			X: chart.Axis{Label: "epoch", Integer: true}, Y: chart.Axis{Label: "Inception Score"},
			Series: []chart.Series{{Name: "IS ± sd", X: x, Y: is, Lo: lo, Hi: hi, Style: chart.StyleLinePoints}}}
		if bi >= 0 {
			isChart.Markers = []chart.Marker{{X: x[bi], Label: "best IS " + checkpointName(r, true), Color: colorGrow}}
		}
		fidChart := &chart.XY{Title: "FID", Subtitle: "lower is better", Width: chartW, Height: chartH,
			X: chart.Axis{Label: "epoch", Integer: true}, Y: chart.Axis{Label: "Fréchet Inception Distance"},
			Series: []chart.Series{{Name: "FID", X: x, Y: fid, Style: chart.StyleLinePoints, Color: chart.Palette(1)}}}
		if bf >= 0 {
			fidChart.Markers = []chart.Marker{{X: x[bf], Label: "best FID " + checkpointName(r, false), Color: colorGrow}}
		}
		if !anyFinite(fid) {
			fidChart.Subtitle = "no FID in this run (no real statistics given)"
		}
		ev.Items = append(ev.Items, chartOf("is", isChart), chartOf("fid", fidChart))
		ev.Items = append(ev.Items, evalTable(m.evals, bi, bf))
	}
	p.Sections = append(p.Sections, ev)

	p.Sections = append(p.Sections, samplesSection(r, o, p, func(g grid) string {
		if g.unit == "epoch" {
			return "epoch " + strconv.Itoa(g.index)
		}
		return g.name
	}))
	addDivergenceWarnings(p, m)
	return p
}

func checkpointName(r *Run, is bool) string {
	if r.train != nil {
		if is && r.train.BestISCheckpoint != "" {
			return "(" + r.train.BestISCheckpoint + ")"
		}
		if !is && r.train.BestFIDCheckpt != "" {
			return "(" + r.train.BestFIDCheckpt + ")"
		}
	}
	if is {
		return "(best_is.safetensors)"
	}
	return "(best.safetensors)"
}

func evalTable(evals []evaluation, bi, bf int) item {
	t := &table{ID: "evaluations", Caption: "Evaluations", Wide: true,
		Head: []string{"epoch", "G steps", "IS", "± sd", "FID", "images", "checkpoint"}}
	for i, e := range evals {
		isCell := cell{Text: fmtNum(e.isMean), Class: "num"}
		fidCell := cell{Text: fmtNum(e.fid), Class: "num"}
		var marks []string
		if i == bi {
			isCell.Class = "num best"
			marks = append(marks, "best IS")
		}
		if i == bf {
			fidCell.Class = "num best"
			marks = append(marks, "best FID")
		}
		mark := ""
		for k, s := range marks {
			if k > 0 {
				mark += ", "
			}
			mark += s
		}
		t.Rows = append(t.Rows, []cell{{Text: strconv.Itoa(e.epoch + 1), Class: "num"}, {Text: fmtCount(e.gSteps), Class: "num"},
			isCell, {Text: fmtNum(e.isStd), Class: "num"}, fidCell, {Text: fmtCount(e.images), Class: "num"}, {Text: mark}})
	}
	return item{Table: t}
}

func trainHeader(r *Run, p *page) {
	m := r.tail.m
	maxIter := r.cfgInt("max_iter", -1)
	gSteps := math.NaN()
	if n := len(m.train.gSteps); n > 0 {
		gSteps = m.train.gSteps[n-1]
	}
	if k := len(m.evals); k > 0 && finite(m.evals[k-1].gSteps) && !(gSteps >= m.evals[k-1].gSteps) {
		gSteps = m.evals[k-1].gSteps
	}
	switch {
	case r.train != nil || (maxIter > 0 && gSteps >= float64(maxIter)):
		p.Status, p.StatusClass = "finished", "done"
	case m.lines == 0:
		p.Status, p.StatusClass = "waiting for data", "waiting"
	default:
		p.Status, p.StatusClass = "not finished", "running"
	}
	bi, bf := bestEvals(m.evals)
	if bi >= 0 {
		e := m.evals[bi]
		p.Headline = append(p.Headline, fact{Key: "best IS", Value: fmtNum(e.isMean) + " ± " + fmtNum(e.isStd) + " (epoch " + strconv.Itoa(e.epoch+1) + ")"})
	}
	if bf >= 0 {
		e := m.evals[bf]
		p.Headline = append(p.Headline, fact{Key: "best FID", Value: fmtNum(e.fid) + " (epoch " + strconv.Itoa(e.epoch+1) + ")"})
	}
	steps := fmtCount(gSteps)
	if maxIter > 0 {
		steps += " / " + fmtCount(float64(maxIter))
	}
	p.Headline = append(p.Headline, fact{Key: "generator steps", Value: steps})

	arch := r.cfg("arch")
	if r.train != nil && r.train.Arch != "" {
		arch = r.train.Arch
	}
	scorer := r.cfg("scorer")
	if r.train != nil && r.train.Scorer != "" {
		scorer = r.train.Scorer
	}
	p.Facts = configFacts(r, []factSpec{
		{"architecture", "", func(string) string { return arch }},
		{"preset", "preset", nil},
		{"dataset", "dataset", func(v string) string {
			if n := r.cfg("dataset_n"); n != "" && n != "0" {
				return v + " (" + n + " images)"
			}
			return v
		}},
		{"scorer", "", func(string) string { return scorer }},
		{"widths G / D", "gf_dim", func(v string) string { return v + " / " + r.cfg("df_dim") + " channels" }},
		{"batch D / G", "dis_batch_size", func(v string) string { return v + " / " + r.cfg("gen_batch_size") }},
		{"learning rate G / D", "g_lr", func(v string) string { return v + " / " + r.cfg("d_lr") }},
		{"lr decay", "lr_decay", nil},
		{"n_critic", "n_critic", nil},
		{"EMA", "ema", nil},
		{"evaluation", "val_freq", func(v string) string {
			return "every " + v + " epochs, " + r.cfg("num_eval_imgs") + " images"
		}},
		{"seed", "seed", nil},
		{"engine", "engine", engineFact},
	})
	for i := range p.Facts {
		if p.Facts[i].Key == "architecture" {
			p.Facts[i].Class = "arch"
		}
	}
	var prog []fact
	if n := len(m.train.epoch); n > 0 && finite(m.train.epoch[n-1]) {
		prog = append(prog, fact{Key: "epoch", Value: strconv.Itoa(int(m.train.epoch[n-1]) + 1)})
	}
	if n, atLeast := trainDSteps(m); finite(n) {
		f := fact{Key: "D steps", Value: fmtCount(n)}
		if atLeast != "" {
			f.Value, f.Title = "≥ "+f.Value, "at least: "+atLeast
		}
		prog = append(prog, f)
	}
	prog = append(prog, fact{Key: "evaluations", Value: strconv.Itoa(len(m.evals))},
		fact{Key: "records", Value: fmtCount(float64(m.lines)), Title: "lines of metrics.jsonl read"})
	p.Progress = prog
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// trainDSteps returns how many discriminator steps the log accounts for
// (NaN if none) and, when the number is only a lower bound, why. Each
// evaluation records the exact count (d_steps); train records come only
// every log_every steps, so a step logged after the last evaluation (or in
// a log older than d_steps) gives only a lower bound.
func trainDSteps(m *metrics) (float64, string) {
	n := math.NaN()
	if k := len(m.evals); k > 0 {
		n = m.evals[k-1].dSteps
	}
	if k := len(m.train.step); k > 0 && finite(m.train.step[k-1]) && !(m.train.step[k-1]+1 <= n) {
		return m.train.step[k-1] + 1, "the count at the last logged D step (logged every log_every steps)"
	}
	return n, ""
}
