package runreport

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/autogan-go/autogan/internal/chart"
)

// The page of an evaluation run (cmd/eval -run): the Inception Score and
// FID, and for a sharded evaluation the shards with their timing and the
// merges of their partial results.

// maxShardRows bounds the table of shard records.
const maxShardRows = 200

func evalPage(r *Run, o Options) *page {
	m := r.tail.m
	p := &page{Title: "Evaluation · " + r.Name, Subtitle: r.Dir}
	evalHeader(r, p)

	res := section{ID: "result", Title: "Result",
		Intro: "The final result and every merge of partial results (a sharded evaluation merges its shards' files; the merged result equals a single run's)."}
	t := &table{ID: "results", Wide: true, Head: []string{"what", "images", "IS", "± sd", "FID"}}
	if e := m.evalResult; e != nil {
		t.Rows = append(t.Rows, []cell{{Text: "result"}, {Text: fmtCount(e.n), Class: "num"}, {Text: fmtNum(e.isMean), Class: "num"},
			{Text: fmtNum(e.isStd), Class: "num"}, {Text: fmtNum(e.fid), Class: "num"}})
	}
	for _, g := range m.merges {
		t.Rows = append(t.Rows, []cell{{Text: fmt.Sprintf("merge of %s parts", fmtCount(g.parts))}, {Text: fmtCount(g.images), Class: "num"},
			{Text: fmtNum(g.isMean), Class: "num"}, {Text: fmtNum(g.isStd), Class: "num"}, {Text: fmtNum(g.fid), Class: "num"}})
	}
	if len(t.Rows) == 0 {
		it := absent("results", "No result yet.")
		it.Chart.Wide = true
		res.Items = append(res.Items, it)
	} else {
		res.Items = append(res.Items, item{Table: t})
	}
	p.Sections = append(p.Sections, res)

	sh := section{ID: "shards", Title: "Shards and timing",
		Intro: "Each record is a finished shard or block range of a shard: its images and wall time."}
	if len(m.shards) == 0 {
		sh.Items = append(sh.Items, absent("shard-time", "No shard records: the evaluation ran in one piece, or has not finished a block yet."))
	} else {
		sh.Items = append(sh.Items, shardCharts(m.shards)...)
		sh.Items = append(sh.Items, shardTable(m.shards))
	}
	p.Sections = append(p.Sections, sh)
	addDivergenceWarnings(p, m)
	return p
}

func shardName(s shardEvent) string {
	if finite(s.shard) && finite(s.shards) {
		return fmt.Sprintf("%d/%d", int(s.shard), int(s.shards))
	}
	if finite(s.shard) {
		return strconv.Itoa(int(s.shard))
	}
	return "?"
}

// shardCharts draws the wall time and the images per second of each shard
// (the sum of its records; unknown if one of them lacks the value).
func shardCharts(shards []shardEvent) []item {
	type total struct {
		name            string
		order           float64
		seconds, images float64
	}
	byName := map[string]*total{}
	var names []string
	for _, s := range shards {
		name := shardName(s)
		t := byName[name]
		if t == nil {
			t = &total{name: name, order: s.shard}
			byName[name] = t
			names = append(names, name)
		}
		// A record without a value leaves the total unknown (NaN, drawn
		// as "n/a"): skipping it would show 0 or an undercount.
		t.seconds += s.seconds
		t.images += s.images
	}
	sort.SliceStable(names, func(i, j int) bool { return byName[names[i]].order < byName[names[j]].order })
	secs, rate := make([]float64, len(names)), make([]float64, len(names))
	for i, name := range names {
		t := byName[name]
		secs[i] = t.seconds
		rate[i] = nan()
		if finite(t.seconds) && t.seconds > 0 {
			rate[i] = t.images / t.seconds
		}
	}
	return []item{
		chartOf("shard-time", &chart.Bars{Title: "Wall time per shard", Width: chartW, Height: chartH,
			XLabel: "shard", Y: chart.Axis{Label: "wall time (s)"}, Categories: names,
			Series: []chart.BarSeries{{Values: secs}}}),
		chartOf("shard-rate", &chart.Bars{Title: "Throughput per shard", Width: chartW, Height: chartH,
			XLabel: "shard", Y: chart.Axis{Label: "images per second"}, Categories: names,
			Series: []chart.BarSeries{{Values: rate, Color: chart.Palette(2)}}}),
	}
}

func shardTable(shards []shardEvent) item {
	t := &table{ID: "shard-records", Wide: true, Head: []string{"shard", "blocks", "images", "seconds", "images/s"}}
	for i, s := range shards {
		if i == maxShardRows {
			t.Caption = fmt.Sprintf("The first %d of %d records", maxShardRows, len(shards))
			break
		}
		blocks := "–"
		if finite(s.firstBlock) && finite(s.endBlock) {
			blocks = fmt.Sprintf("%d–%d", int(s.firstBlock), int(s.endBlock))
		}
		rate := nan()
		if s.seconds > 0 {
			rate = s.images / s.seconds
		}
		t.Rows = append(t.Rows, []cell{{Text: shardName(s)}, {Text: blocks, Class: "num"}, {Text: fmtCount(s.images), Class: "num"},
			{Text: fmtNum(s.seconds), Class: "num"}, {Text: fmtNum(rate), Class: "num"}})
	}
	return item{Table: t}
}

// evalHeader fills the status, the headline numbers and the settings.
func evalHeader(r *Run, p *page) {
	m := r.tail.m
	switch {
	case m.evalResult != nil || len(m.merges) > 0:
		p.Status, p.StatusClass = "finished", "done"
	case m.lines == 0:
		p.Status, p.StatusClass = "waiting for data", "waiting"
	default:
		p.Status, p.StatusClass = "not finished", "running"
	}
	is, sd, fid, n := nan(), nan(), nan(), nan()
	scorer, source := "", ""
	if e := m.evalResult; e != nil {
		is, sd, fid, n, scorer, source = e.isMean, e.isStd, e.fid, e.n, e.scorer, e.source
	} else if k := len(m.merges); k > 0 {
		g := m.merges[k-1]
		is, sd, fid, n = g.isMean, g.isStd, g.fid, g.images
	}
	if finite(is) {
		p.Headline = append(p.Headline, fact{Key: "Inception Score", Value: fmtNum(is) + " ± " + fmtNum(sd)})
	}
	if finite(fid) {
		p.Headline = append(p.Headline, fact{Key: "FID", Value: fmtNum(fid)})
	}
	if finite(n) {
		p.Headline = append(p.Headline, fact{Key: "images", Value: fmtCount(n)})
	}
	p.Facts = configFacts(r, []factSpec{
		{"source", "", func(string) string { return source }},
		{"scorer", "", func(string) string { return scorer }},
		{"checkpoint", "checkpoint", nil},
		{"protocol", "protocol", nil},
		{"seed", "seed", nil},
	})
}
