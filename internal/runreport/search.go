package runreport

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/autogan-go/autogan/internal/chart"
)

// The page of a search run (cmd/search): the shared GAN's losses and their
// variances with the dynamic resets, the controller's REINFORCE curves and
// choices, the candidates scored at each growth, the final architectures
// and the sample grids.

// Marker colours, from the same colour-blind-safe palette as the series.
const (
	colorGrow    = "#555555"
	colorReset   = "#CC79A7" // reddish purple
	colorDiverge = "#B2182B" // dark red
)

// searchSteps places the search's logged steps on one axis: the shared
// GAN's D steps are counted per iteration in metrics.jsonl, and the charts
// count them from the start of the search.
type searchSteps struct {
	offset map[int]float64 // first D step of each iteration
	total  float64         // D steps of all iterations seen
}

func newSearchSteps(m *metrics) searchSteps {
	// The length of an iteration is its "iteration" record's d_steps; for
	// the one still running, the last step logged.
	length := map[int]float64{}
	for _, it := range m.iterations {
		if finite(it.dSteps) && it.iter >= 0 {
			length[it.iter] = it.dSteps
		}
	}
	seen := map[int]float64{}
	note := func(iter, step float64) {
		if !finite(iter) {
			return
		}
		i := int(iter)
		if finite(step) {
			seen[i] = math.Max(seen[i], step+1)
		} else if _, ok := seen[i]; !ok {
			seen[i] = 0
		}
	}
	s := &m.shared
	for k := range s.iter {
		// Only where the iteration changes, and at the end: the steps
		// grow within an iteration.
		if k+1 == len(s.iter) || s.iter[k+1] != s.iter[k] {
			note(s.iter[k], s.step[k])
		}
	}
	for _, r := range m.resets {
		note(r.iter, r.step)
	}
	for _, it := range m.iterations {
		note(float64(it.iter), math.NaN())
	}
	for _, d := range m.diverged {
		// The run stops before it logs the step that diverged, which may
		// be the first of its iteration. A controller divergence counts
		// controller steps, not D steps.
		if d.where == "" || d.where == "shared" {
			note(d.iter, d.step)
		}
	}
	iters := make([]int, 0, len(seen))
	for i := range seen {
		iters = append(iters, i)
	}
	sort.Ints(iters)
	st := searchSteps{offset: map[int]float64{}}
	for _, i := range iters {
		st.offset[i] = st.total
		if l, ok := length[i]; ok {
			st.total += l
		} else {
			st.total += seen[i]
		}
	}
	return st
}

// at returns the search-wide D step of step of iteration iter.
func (st searchSteps) at(iter, step float64) float64 {
	if !finite(iter) || !finite(step) {
		return math.NaN()
	}
	off, ok := st.offset[int(iter)]
	if !ok {
		return math.NaN()
	}
	return off + step
}

// start returns the first D step of iteration iter (the end of the steps
// seen for an iteration not yet logged).
func (st searchSteps) start(iter int) float64 {
	if off, ok := st.offset[iter]; ok {
		return off
	}
	return st.total
}

// xs returns the search-wide D step of every shared record.
func (st searchSteps) xs(s *sharedColumns) []float64 {
	x := make([]float64, len(s.iter))
	for k := range x {
		x[k] = st.at(s.iter[k], s.step[k])
	}
	return x
}

func growLabel(g growEvent) string {
	if g.imageSize > 0 {
		return fmt.Sprintf("stage %d · %d×%d", g.stage, g.imageSize, g.imageSize)
	}
	return fmt.Sprintf("stage %d", g.stage)
}

// sharedMarkers returns the growths, resets and divergences on the D-step
// axis.
func sharedMarkers(m *metrics, st searchSteps) []chart.Marker {
	var ms []chart.Marker
	for _, g := range m.grows {
		ms = append(ms, chart.Marker{X: st.start(g.iter), Label: growLabel(g), Color: colorGrow})
	}
	for _, r := range m.resets {
		ms = append(ms, chart.Marker{X: st.at(r.iter, r.step), Label: "reset", Color: colorReset})
	}
	for _, d := range m.diverged {
		if d.where == "" || d.where == "shared" {
			ms = append(ms, chart.Marker{X: st.at(d.iter, d.step), Label: divergeLabel(d), Color: colorDiverge})
		}
	}
	return ms
}

func divergeLabel(d divergence) string {
	if d.which != "" {
		return "diverged (" + d.which + ")"
	}
	return "diverged"
}

// controllerMarkers returns the growths and divergences on the axis of
// controller steps (the index of the controller record).
func controllerMarkers(m *metrics) []chart.Marker {
	var ms []chart.Marker
	for _, g := range m.grows {
		k := sort.Search(len(m.controller), func(k int) bool { return m.controller[k].iter >= g.iter })
		ms = append(ms, chart.Marker{X: float64(k), Label: growLabel(g), Color: colorGrow})
	}
	for _, d := range m.diverged {
		if d.where != "controller" || !finite(d.iter) || !finite(d.step) {
			continue
		}
		// The run stops before it logs the step that diverged, so no
		// record has its (iter, step): mark where that record would be,
		// at the first later one or after the last.
		k := slices.IndexFunc(m.controller, func(c controllerStep) bool {
			it := float64(c.iter)
			return it > d.iter || it == d.iter && float64(c.step) >= d.step
		})
		if k < 0 {
			k = len(m.controller)
		}
		ms = append(ms, chart.Marker{X: float64(k), Label: divergeLabel(d), Color: colorDiverge})
	}
	return ms
}

func searchPage(r *Run, o Options) *page {
	m := r.tail.m
	st := newSearchSteps(m)
	p := &page{Title: "Architecture search · " + r.Name, Subtitle: r.Dir}
	searchHeader(r, p, st)

	// Shared GAN.
	shared := section{ID: "shared", Title: "Shared GAN",
		Intro: "The weight-sharing generator and the discriminator, trained on architectures the controller samples, " +
			"per discriminator step of the whole search. A dynamic reset re-creates both when the variance of the last " +
			"losses of G or D falls below the threshold."}
	markers := sharedMarkers(m, st)
	if len(m.shared.iter) == 0 {
		shared.Items = append(shared.Items,
			absent("losses", "No shared-GAN steps logged yet."),
			absent("variances", "No loss variances logged yet."))
	} else {
		x := st.xs(&m.shared)
		shared.Items = append(shared.Items, chartOf("losses", &chart.XY{
			Title: "Losses of the shared GAN", Width: chartW, Height: chartH,
			X: chart.Axis{Label: "discriminator step", Integer: true}, Y: chart.Axis{Label: "hinge loss"},
			Series: []chart.Series{
				{Name: "D loss", X: x, Y: m.shared.dLoss},
				{Name: "G loss", X: x, Y: m.shared.gLoss},
			},
			Markers: markers,
		}))
		v := &chart.XY{
			Title: "Loss variances and dynamic reset", Width: chartW, Height: chartH,
			X: chart.Axis{Label: "discriminator step", Integer: true}, Y: chart.Axis{Label: "variance of recent losses", Log: true},
			Series: []chart.Series{
				{Name: "D loss variance", X: x, Y: m.shared.dVar},
				{Name: "G loss variance", X: x, Y: m.shared.gVar},
			},
			Markers: markers,
		}
		if w := r.cfg("dynamic_reset_window"); w != "" {
			v.Subtitle = "over the last " + w + " losses"
		}
		if th := r.cfgFloat("dynamic_reset_threshold"); finite(th) && th > 0 && r.cfg("dynamic_reset") != "false" {
			v.Refs = []chart.RefLine{{Y: th, Label: "reset threshold " + chart.FormatValue(th), Color: colorReset}}
		}
		shared.Items = append(shared.Items, chartOf("variances", v))
	}
	p.Sections = append(p.Sections, shared)

	// Controller.
	ctrl := section{ID: "controller", Title: "Controller",
		Intro: "REINFORCE on the controller RNN, per controller step: the reward (the Inception Score of the " +
			"sampled architecture), the moving-average baseline, the advantage (reward − baseline) and the entropy " +
			"of the sampled choices; and how the choices converge over the iterations."}
	ctrl.Items = append(ctrl.Items, controllerCharts(r, m)...)
	ctrl.Items = append(ctrl.Items, iterationTimeChart(m))
	heat, heatNote := choiceHeatmap(r, m)
	ctrl.Items = append(ctrl.Items, heat)
	if heatNote != "" {
		p.Notes = append(p.Notes, heatNote)
	}
	p.Sections = append(p.Sections, ctrl)

	// Candidates and result.
	cands := section{ID: "candidates", Title: "Candidates and result",
		Intro: "At each growth the controller proposes candidates, which are scored by the Inception Score of the shared " +
			"generator; the top K are kept as the prefixes of the next stage. The last scoring picks the result."}
	cands.Items = append(cands.Items, candidatesChart(m), topKTable(m), finalTable(r, m))
	p.Sections = append(p.Sections, cands)

	// Sample grids.
	p.Sections = append(p.Sections, samplesSection(r, o, p, func(g grid) string {
		if g.unit != "iteration" {
			return g.name
		}
		s := fmt.Sprintf("iteration %d", g.index)
		if stage := stageOfIter(r, m, g.index); stage >= 0 {
			s += fmt.Sprintf(" · stage %d", stage)
		}
		return s
	}))
	addDivergenceWarnings(p, m)
	return p
}

// stageOfIter returns the stage of an iteration from its records, or from
// the configured growth iterations; -1 if unknown.
func stageOfIter(r *Run, m *metrics, iter int) int {
	for _, it := range m.iterations {
		if it.iter == iter && it.stage >= 0 {
			return it.stage
		}
	}
	g1, g2 := r.cfgInt("grow_step1", -1), r.cfgInt("grow_step2", -1)
	switch {
	case g1 < 0 || g2 < 0:
		return -1
	case iter >= g2:
		return 2
	case iter >= g1:
		return 1
	}
	return 0
}

func searchHeader(r *Run, p *page, st searchSteps) {
	m := r.tail.m
	maxIter := r.cfgInt("max_search_iter", -1)
	switch {
	case m.finished || r.search != nil:
		p.Status, p.StatusClass = "finished", "done"
	case m.lines == 0:
		p.Status, p.StatusClass = "waiting for data", "waiting"
	default:
		p.Status, p.StatusClass = "not finished", "running"
	}

	// Headline: the best architecture so far and its reward.
	bestArch, bestReward := "", math.NaN()
	if r.search != nil && len(r.search.Architectures) > 0 {
		a := r.search.Architectures[0]
		bestArch, bestReward = a.Arch, float64(a.Reward)
	} else {
		for _, c := range m.candidates {
			if finite(c.reward) && (math.IsNaN(bestReward) || c.reward > bestReward) {
				bestArch, bestReward = c.arch, c.reward
			}
		}
	}
	if bestArch != "" {
		key := "best candidate so far"
		if r.search != nil {
			key = "best architecture"
		}
		p.Headline = append(p.Headline, fact{Key: key, Value: bestArch, Class: "arch"}, fact{Key: "reward", Value: fmtNum(bestReward)})
	}
	done := len(m.iterations)
	iters := strconv.Itoa(done)
	if maxIter > 0 {
		iters += " / " + strconv.Itoa(maxIter)
	}
	p.Headline = append(p.Headline, fact{Key: "iterations done", Value: iters},
		fact{Key: "dynamic resets", Value: strconv.Itoa(len(m.resets))})

	scorer := r.cfg("scorer")
	if r.search != nil && r.search.Scorer != "" {
		scorer = r.search.Scorer
	} else if scorer == "" && r.config != nil {
		scorer = "the dataset's default"
	}
	p.Facts = configFacts(r, []factSpec{
		{"preset", "preset", nil},
		{"strategy", "strategy", nil},
		{"reward", "reward", nil},
		{"dataset", "dataset", func(v string) string {
			if n := r.cfg("dataset_n"); n != "" && n != "0" {
				return v + " (" + n + " images)"
			}
			return v
		}},
		{"scorer", "", func(string) string { return scorer }},
		{"widths G / D", "gf_dim", func(v string) string { return v + " / " + r.cfg("df_dim") + " channels" }},
		{"latent", "latent_dim", nil},
		{"batch D / G", "dis_batch_size", func(v string) string { return v + " / " + r.cfg("gen_batch_size") }},
		{"iterations", "max_search_iter", func(v string) string {
			return v + " (grow at " + r.cfg("grow_step1") + ", " + r.cfg("grow_step2") + ")"
		}},
		{"controller", "ctrl_step", func(v string) string { return v + " steps / iteration" }},
		{"candidates", "num_candidate", func(v string) string { return v + ", keep top " + r.cfg("topk") }},
		{"dynamic reset", "dynamic_reset", func(v string) string {
			if v == "false" {
				return "off"
			}
			return "< " + r.cfg("dynamic_reset_threshold") + " over " + r.cfg("dynamic_reset_window")
		}},
		{"seed", "seed", nil},
		{"engine", "engine", engineFact},
	})

	var prog []fact
	stage := -1
	for _, it := range m.iterations {
		stage = max(stage, it.stage)
	}
	for _, g := range m.grows {
		stage = max(stage, g.stage)
	}
	if stage >= 0 {
		prog = append(prog, fact{Key: "stage reached", Value: strconv.Itoa(stage)})
	}
	lastIter := -1
	for k := range m.shared.iter {
		if v := m.shared.iter[len(m.shared.iter)-1-k]; finite(v) {
			lastIter = int(v)
			break
		}
	}
	if len(m.controller) > 0 {
		lastIter = max(lastIter, m.controller[len(m.controller)-1].iter)
	}
	if lastIter >= 0 && !m.finished {
		prog = append(prog, fact{Key: "working on", Value: fmt.Sprintf("iteration %d", lastIter)})
	}
	prog = append(prog,
		fact{Key: "D steps", Value: fmtCount(st.total), Title: "discriminator steps of the shared GAN, all iterations"},
		fact{Key: "controller steps", Value: strconv.Itoa(len(m.controller))},
		fact{Key: "candidates scored", Value: strconv.Itoa(len(m.candidates))})
	secs := 0.0
	for _, it := range m.iterations {
		if finite(it.seconds) {
			secs += it.seconds
		}
	}
	if secs > 0 {
		prog = append(prog, fact{Key: "time (done iterations)", Value: fmtDuration(secs)})
	}
	prog = append(prog, fact{Key: "records", Value: fmtCount(float64(m.lines)), Title: "lines of metrics.jsonl read"})
	p.Progress = prog
}

// controllerCharts draws reward, advantage and entropy per controller step.
func controllerCharts(r *Run, m *metrics) []item {
	n := len(m.controller)
	if n == 0 {
		why := "No controller steps logged yet."
		if strings.HasPrefix(r.cfg("strategy"), "random") {
			why = "The " + r.cfg("strategy") + " strategy trains no controller."
		}
		return []item{absent("reward", why), absent("advantage", why), absent("entropy", why)}
	}
	x := make([]float64, n)
	reward, is, baseline, adv, entropy := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	differ := false
	for k, c := range m.controller {
		x[k] = float64(k)
		reward[k], is[k], baseline[k], adv[k], entropy[k] = c.reward, c.is, c.baseline, c.adv, c.entropy
		if finite(c.is) && finite(c.reward) && math.Abs(c.is-c.reward) > 1e-9*math.Max(1, math.Abs(c.reward)) {
			differ = true
		}
	}
	style := chart.StyleLine
	if n <= 300 {
		style = chart.StyleLinePoints
	}
	markers := controllerMarkers(m)
	xAxis := chart.Axis{Label: "controller step", Integer: true}
	rs := []chart.Series{{Name: "reward", X: x, Y: reward, Style: style}}
	if differ {
		isStyle := chart.StylePoints
		if n > 300 {
			isStyle = chart.StyleLine
		}
		rs = append(rs, chart.Series{Name: "IS", X: x, Y: is, Style: isStyle})
	}
	rs = append(rs, chart.Series{Name: "baseline", X: x, Y: baseline, Dashed: true, Color: chart.Palette(6)})
	// The reward is the score plus the entropy bonus (nas/reinforce.go).
	score, yLabel := "IS", "Inception Score"
	if rw := r.cfg("reward"); rw != "" && rw != "is" {
		score, yLabel = rw, "reward"
		if rw == "fid" {
			score = "1/FID"
		}
	}
	sub := "reward = " + score
	if c := r.cfg("entropy_coeff"); c != "" && c != "0" {
		sub += " + " + c + " × entropy"
	}
	return []item{
		chartOf("reward", &chart.XY{Title: "Controller reward", Subtitle: sub, Width: chartW, Height: chartH,
			X: xAxis, Y: chart.Axis{Label: yLabel}, Series: rs, Markers: markers}),
		chartOf("advantage", &chart.XY{Title: "Advantage (reward − baseline)", Width: chartW, Height: chartH,
			X: xAxis, Y: chart.Axis{Label: "advantage"},
			Series:  []chart.Series{{Name: "advantage", X: x, Y: adv, Style: style, Color: chart.Palette(2)}},
			Refs:    []chart.RefLine{{Y: 0}},
			Markers: markers}),
		chartOf("entropy", &chart.XY{Title: "Entropy of the sampled choices", Width: chartW, Height: chartH,
			X: xAxis, Y: chart.Axis{Label: "entropy (nats)"},
			Series:  []chart.Series{{Name: "entropy", X: x, Y: entropy, Style: style, Color: chart.Palette(3)}},
			Markers: markers}),
	}
}

// iterationTimeChart draws the wall time of each finished iteration.
func iterationTimeChart(m *metrics) item {
	var x, y []float64
	total := 0.0
	for _, it := range m.iterations {
		x = append(x, float64(it.iter))
		y = append(y, it.seconds)
		if finite(it.seconds) {
			total += it.seconds
		}
	}
	if !anyFinite(y) {
		return absent("iteration-time", "No finished iteration with its time yet.")
	}
	return chartOf("iteration-time", &chart.XY{Title: "Time per iteration", Subtitle: "total " + fmtDuration(total),
		Width: chartW, Height: chartH,
		X: chart.Axis{Label: "search iteration", Integer: true}, Y: chart.Axis{Label: "wall time (s)"},
		Series: []chart.Series{{Name: "seconds", X: x, Y: y, Style: chart.StyleLinePoints, Color: chart.Palette(4)}}})
}

// choiceKey is a heatmap row: a choice of a token of a cell.
type choiceKey struct {
	cell   int
	token  string
	choice int
}

func tokenOrder(t string) int {
	switch t {
	case "conv":
		return 0
	case "norm":
		return 1
	case "up":
		return 2
	case "shortcut":
		return 3
	case "skip":
		return 4
	}
	return 5
}

// choiceHeatmap shows the controller's choice probabilities per token over
// the iterations: the mean over each iteration's controller steps of the
// logged "probs". For runs that do not log them it shows the share of the
// iteration's sampled architectures that took each choice. It returns a
// note for records it could not place.
func choiceHeatmap(r *Run, m *metrics) (item, string) {
	useProbs := false
	for _, c := range m.controller {
		if c.probs != nil {
			useProbs = true
			break
		}
	}
	var cols []int
	colOf := map[int]int{}
	for _, c := range m.controller {
		if _, ok := colOf[c.iter]; !ok && c.iter >= 0 {
			colOf[c.iter] = len(cols)
			cols = append(cols, c.iter)
		}
	}
	sort.Ints(cols)
	for k, it := range cols {
		colOf[it] = k
	}
	sum := map[choiceKey][]float64{}
	cnt := map[choiceKey][]float64{}
	// addTo adds a value to a cell; a non-finite one only makes sure the
	// row exists (an empty cell).
	addTo := func(k choiceKey, col int, v float64) {
		if sum[k] == nil {
			sum[k] = make([]float64, len(cols))
			cnt[k] = make([]float64, len(cols))
		}
		if finite(v) {
			sum[k][col] += v
			cnt[k][col]++
		}
	}
	skipped := 0
	var skipWhy error
	slas := r.cfg("strategy") == "slas" || (r.search != nil && r.search.Strategy == "slas")
	for _, c := range m.controller {
		col, ok := colOf[c.iter]
		if !ok {
			skipped++
			continue
		}
		if useProbs {
			if c.probs == nil {
				skipped++
				continue
			}
			slots, err := slotsOf(len(c.probs), c.stage, c.tokens)
			if err != nil {
				skipped, skipWhy = skipped+1, err
				continue
			}
			for t, s := range slots {
				for ch, v := range c.probs[t] {
					addTo(choiceKey{s.cell, s.token, ch}, col, v)
				}
			}
			continue
		}
		ints := parseArch(c.arch)
		if !slas && c.stage >= 0 && c.stage <= 2 {
			// The multi-level search samples only the stage's cell; the
			// earlier cells are the kept prefixes.
			k := len(cellTokenNames(c.stage + 1))
			if len(ints) >= k {
				ints = ints[len(ints)-k:]
			}
		}
		slots, err := slotsOf(len(ints), c.stage, nil)
		if err != nil {
			skipped, skipWhy = skipped+1, err
			continue
		}
		for t, s := range slots {
			for ch := range choiceNames(s.token, s.cell) {
				v := 0.0
				if ints[t] == ch {
					v = 1
				}
				addTo(choiceKey{s.cell, s.token, ch}, col, v)
			}
		}
	}
	note := ""
	if skipped > 0 {
		note = fmt.Sprintf("choice heatmap: %d controller records could not be placed", skipped)
		if skipWhy != nil {
			note += fmt.Sprintf(" (e.g. %v)", skipWhy)
		}
	}
	if len(sum) == 0 {
		why := "No controller choices logged yet."
		if strings.HasPrefix(r.cfg("strategy"), "random") {
			why = "The " + r.cfg("strategy") + " strategy samples architectures uniformly: there are no choices to learn."
		}
		it := absent("choices", why)
		it.Chart.Wide = true
		return it, note
	}
	keys := make([]choiceKey, 0, len(sum))
	for k := range sum {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b choiceKey) int {
		if a.cell != b.cell {
			return a.cell - b.cell
		}
		if oa, ob := tokenOrder(a.token), tokenOrder(b.token); oa != ob {
			return oa - ob
		}
		if a.token != b.token {
			if a.token < b.token {
				return -1
			}
			return 1
		}
		return a.choice - b.choice
	})
	h := &chart.Heatmap{
		Width: wideChartW, Height: 110 + 15*len(keys),
		XLabel: "search iteration", YLabel: "cell, token: choice",
		Min: 0, Max: 1,
	}
	if useProbs {
		h.Title = "Controller's choice probabilities"
		h.Subtitle = "mean over each iteration's controller steps"
		h.ValueLabel = "probability"
	} else {
		h.Title = "Choices the controller sampled"
		h.Subtitle = "share of each iteration's controller steps (this run does not log the probabilities)"
		h.ValueLabel = "share of samples"
	}
	for _, it := range cols {
		h.Cols = append(h.Cols, strconv.Itoa(it))
	}
	for _, k := range keys {
		h.Rows = append(h.Rows, choiceRowLabel(tokenSlot{k.cell, k.token}, k.choice))
		row := make([]float64, len(cols))
		for c := range cols {
			row[c] = math.NaN()
			if cnt[k][c] > 0 {
				row[c] = sum[k][c] / cnt[k][c]
			}
		}
		h.Values = append(h.Values, row)
	}
	return wideChartOf("choices", h), note
}

// candidatesChart shows every candidate's reward at each scoring, the kept
// ones marked.
func candidatesChart(m *metrics) item {
	if len(m.candidates) == 0 {
		return absent("candidates", "No candidates scored yet: the first growth scores them.")
	}
	kept := map[string]bool{} // iter|arch
	for _, t := range m.topK {
		for _, a := range t.archs {
			kept[strconv.Itoa(t.iter)+"|"+a] = true
		}
	}
	var all, top chart.Series
	all = chart.Series{Name: "candidate", Style: chart.StylePoints, Color: chart.Palette(5)}
	top = chart.Series{Name: "kept (top K)", Style: chart.StylePoints, Color: chart.Palette(1)}
	for _, c := range m.candidates {
		label := c.arch
		s := &all
		if finite(c.iter) && kept[strconv.Itoa(int(c.iter))+"|"+c.arch] {
			s = &top
		}
		s.X = append(s.X, c.iter)
		s.Y = append(s.Y, c.reward)
		s.Labels = append(s.Labels, label)
	}
	return chartOf("candidates", &chart.XY{Title: "Candidates scored at each growth and at the end",
		Width: chartW, Height: chartH,
		X: chart.Axis{Label: "search iteration", Integer: true}, Y: chart.Axis{Label: "reward (Inception Score)"},
		Series: []chart.Series{all, top}})
}

// topKTable lists the architectures kept at each growth.
func topKTable(m *metrics) item {
	t := &table{ID: "topk", Caption: "Kept at each growth",
		Head: []string{"iteration", "then", "rank", "architecture", "reward"}}
	reward := map[string]float64{}
	for _, c := range m.candidates {
		reward[strconv.Itoa(int(c.iter))+"|"+c.arch] = c.reward
	}
	for _, k := range m.topK {
		then := "final selection"
		for _, g := range m.grows {
			if g.iter == k.iter {
				then = growLabel(g)
			}
		}
		for i, a := range k.archs {
			row := []cell{{Text: strconv.Itoa(k.iter), Class: "num"}, {Text: then}, {Text: strconv.Itoa(i + 1), Class: "num"},
				{Text: a, Class: "arch"}, {Text: fmtNum(valueOr(reward, strconv.Itoa(k.iter)+"|"+a)), Class: "num"}}
			if i > 0 {
				row[0].Text, row[1].Text = "", ""
			}
			t.Rows = append(t.Rows, row)
		}
	}
	if len(t.Rows) == 0 {
		return absent("topk", "Nothing kept yet: the first growth keeps the top K candidates.")
	}
	return item{Table: t}
}

func valueOr(m map[string]float64, k string) float64 {
	if v, ok := m[k]; ok {
		return v
	}
	return math.NaN()
}

// finalTable lists the result: the top architectures with their
// descriptions (result.json), or the "result" record's list.
func finalTable(r *Run, m *metrics) item {
	t := &table{ID: "result", Caption: "Result: the best architectures", Wide: true,
		Head: []string{"rank", "reward", "architecture", "description"}}
	if r.search != nil {
		for _, a := range r.search.Architectures {
			t.Rows = append(t.Rows, []cell{{Text: strconv.Itoa(a.Rank), Class: "num"}, {Text: fmtNum(float64(a.Reward)), Class: "num"},
				{Text: a.Arch, Class: "arch"}, {Text: a.Description, Class: "desc"}})
		}
	} else if m.finished {
		reward := map[string]float64{}
		last := -1
		for _, c := range m.candidates {
			last = max(last, int(c.iter))
		}
		for _, c := range m.candidates {
			if int(c.iter) == last {
				reward[c.arch] = c.reward
			}
		}
		for i, a := range m.result {
			t.Rows = append(t.Rows, []cell{{Text: strconv.Itoa(i + 1), Class: "num"}, {Text: fmtNum(valueOr(reward, a)), Class: "num"},
				{Text: a, Class: "arch"}, {Text: "(result.json not found)", Class: "desc"}})
		}
	}
	if len(t.Rows) == 0 {
		it := absent("result", "The search has not finished: the result appears here at the end.")
		it.Chart.Wide = true
		return it
	}
	return item{Table: t}
}

// samplesSection embeds the run's sample grids.
func samplesSection(r *Run, o Options, p *page, caption func(grid) string) section {
	s := section{ID: "samples", Title: "Sample grids",
		Intro: "Images of the generator, one grid per " + gridUnit(r) + " (click one to enlarge it)."}
	if len(r.grids) == 0 {
		s.Items = append(s.Items, absent("samples", "No sample grids yet."))
		return s
	}
	g, notes := galleryOf("samples", r.grids, o.maxGrids(), caption, r.embed)
	p.Notes = append(p.Notes, notes...)
	s.Items = append(s.Items, item{Gallery: g})
	return s
}

func gridUnit(r *Run) string {
	if len(r.grids) > 0 && r.grids[0].unit != "" {
		return r.grids[0].unit
	}
	return "step"
}

func addDivergenceWarnings(p *page, m *metrics) {
	for _, d := range m.diverged {
		at := ""
		switch {
		case finite(d.iter):
			at = fmt.Sprintf(" at iteration %d", int(d.iter))
		case finite(d.epoch):
			at = fmt.Sprintf(" in epoch %d", int(d.epoch)+1)
		}
		if finite(d.step) {
			at += fmt.Sprintf(", step %d", int(d.step))
		}
		what := "a value"
		if d.which != "" {
			what = d.which
		}
		where := ""
		if d.where != "" {
			where = " (" + d.where + ")"
		}
		p.Warnings = append(p.Warnings, fmt.Sprintf("The run diverged%s%s: %s is not finite. Non-finite values are gaps in the charts.", at, where, what))
	}
}
