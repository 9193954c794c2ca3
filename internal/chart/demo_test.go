package chart

import (
	"bytes"
	"flag"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
)

// The demo gallery: one realistic chart of every kind the run report and
// the study draw, checked like any other output and, with
//
//	go test ./internal/chart -run Gallery -demo /tmp/chartdemo
//
// written as SVG files with an index.html to look at in a browser.
var demoDir = flag.String("demo", "", "write the demo gallery (SVG files and index.html) to this directory")

type demoChart struct {
	file  string
	chart Chart
	// maxBytes bounds the size of the document: decimation and merged
	// hover strips must keep even a paper-length run small.
	maxBytes int
}

// demoGallery builds the gallery once for all tests: its data take longer
// to make than the charts to draw.
var demoGallery = sync.OnceValue(makeGallery)

func makeGallery() []demoChart {
	rng := rand.New(rand.NewPCG(1, 2))

	// A search of the paper's length: 65 iterations × 11,730 D steps.
	const steps = 65 * 11730
	step := make([]float64, steps)
	dLoss := make([]float64, steps)
	gLoss := make([]float64, steps)
	variance := make([]float64, steps)
	level := 1.0
	for i := range step {
		step[i] = float64(i)
		if i%120000 == 0 {
			level = 1.0 // a dynamic reset
		}
		level *= 0.999995
		dLoss[i] = level*(0.9+0.1*math.Sin(float64(i)/3000)) + 0.08*rng.NormFloat64()
		gLoss[i] = 1.2*level + 0.3 + 0.15*rng.NormFloat64()
		variance[i] = 1e-3 * math.Exp(3*math.Sin(float64(i)/90000)) * (1 + 0.5*rng.Float64())
	}
	variance[0] = 0                    // the variance of a single value
	variance[400000] = 0.4             // the spike a reset reacts to
	for i := 500000; i < 505000; i++ { // a stretch with no value logged
		variance[i] = math.NaN()
		dLoss[i] = math.NaN()
	}
	var markers []Marker
	for _, s := range []float64{120000, 240000, 360000, 480000, 600000, 720000} {
		markers = append(markers, Marker{X: s, Label: "reset"})
	}
	markers = append(markers,
		Marker{X: 254000, Label: "grow → stage 1", Color: "#009E73"},
		Marker{X: 508000, Label: "grow → stage 2", Color: "#009E73"})

	losses := &XY{
		Title:   "Search: discriminator and generator loss",
		X:       Axis{Label: "D step"},
		Y:       Axis{Label: "hinge loss"},
		Series:  []Series{{Name: "D loss", X: step, Y: dLoss}, {Name: "G loss", X: step, Y: gLoss}},
		Markers: markers,
	}
	varianceChart := &XY{
		Title:   "Search: running variance of the D loss",
		X:       Axis{Label: "D step"},
		Y:       Axis{Label: "variance (loss²)", Log: true},
		Series:  []Series{{Name: "D loss variance", X: step, Y: variance}},
		Refs:    []RefLine{{Y: 0.05, Label: "reset threshold 0.05"}},
		Markers: markers,
	}

	// Controller reward per strategy: mean ± sd over five seeds.
	const iters = 65
	it := make([]float64, iters)
	for i := range it {
		it[i] = float64(i + 1)
	}
	var strategies []Series
	for k, name := range []string{"MLAS", "random search (shared)", "SLAS", "MLAS without reset"} {
		mean, lo, hi := make([]float64, iters), make([]float64, iters), make([]float64, iters)
		for i := range mean {
			m := 3 + float64(3-k)*0.4*(1-math.Exp(-float64(i)/20)) + 0.1*rng.NormFloat64()
			sd := 0.25 + 0.1*rng.Float64()
			mean[i], lo[i], hi[i] = m, m-sd, m+sd
		}
		strategies = append(strategies, Series{Name: name, X: it, Y: mean, Lo: lo, Hi: hi, Dashed: k == 3})
	}
	reward := &XY{
		Title:    "Controller reward per search strategy",
		Subtitle: "mean ± standard deviation over 5 seeds",
		X:        Axis{Label: "search iteration"},
		Y:        Axis{Label: "reward (Inception Score)"},
		Series:   strategies,
	}

	// The controller's statistics, one of them negative half the time.
	entropy, baseline, advantage := make([]float64, iters), make([]float64, iters), make([]float64, iters)
	for i := range entropy {
		entropy[i] = 2.2*math.Exp(-float64(i)/30) + 0.3
		baseline[i] = 3 + 1.5*(1-math.Exp(-float64(i)/15))
		advantage[i] = 0.4 * rng.NormFloat64()
	}
	controller := &XY{
		Title: "Controller: entropy, baseline and advantage",
		X:     Axis{Label: "controller step"},
		Y:     Axis{Label: "value (nats / reward)"},
		Series: []Series{
			{Name: "entropy", X: it, Y: entropy},
			{Name: "baseline", X: it, Y: baseline, Dashed: true},
			{Name: "advantage", X: it, Y: advantage, Style: StyleLinePoints},
		},
		Refs: []RefLine{{Y: 0, Label: "zero"}},
	}

	// Fig. 7: proxy reward against IS after training from scratch.
	proxy, is := make([]float64, 16), make([]float64, 16)
	arch := make([]string, 16)
	for i := range proxy {
		proxy[i] = 3 + 2*rng.Float64()
		is[i] = 4 + 0.8*(proxy[i]-3) + 0.4*rng.NormFloat64()
		arch[i] = "arch " + strconv.Itoa(i+1)
	}
	scatter := &XY{
		Title:    "Proxy reward vs Inception Score after training (Fig. 7)",
		Subtitle: "16 architectures · Spearman ρ = 0.78, 95% bootstrap interval [0.35, 0.94]",
		X:        Axis{Label: "proxy reward (IS under shared weights)"},
		Y:        Axis{Label: "IS after training from scratch"},
		Series: []Series{{Name: "architecture", X: proxy, Y: is, Style: StylePoints,
			Labels: arch, Trend: true}},
		Width: 560, Height: 380,
	}

	// Final IS per strategy: mean, sd and the five seeds; FID as dots.
	cats := []string{"MLAS", "random search with weight sharing", "SLAS", "MLAS without dynamic reset", "SNGAN-style baseline"}
	var isMean, isLo, isHi, fidMean, fidLo, fidHi []float64
	var isSeeds, fidSeeds [][]float64
	for k := range cats {
		var s1, s2 []float64
		for range 5 {
			s1 = append(s1, 5.5-0.3*float64(k)+0.3*rng.NormFloat64())
			s2 = append(s2, 42+3*float64(k)+2*rng.NormFloat64())
		}
		m1, sd1 := meanSD(s1)
		m2, sd2 := meanSD(s2)
		isMean, isLo, isHi = append(isMean, m1), append(isLo, m1-sd1), append(isHi, m1+sd1)
		fidMean, fidLo, fidHi = append(fidMean, m2), append(fidLo, m2-sd2), append(fidHi, m2+sd2)
		isSeeds, fidSeeds = append(isSeeds, s1), append(fidSeeds, s2)
	}
	bars := &Bars{
		Title:      "Inception Score of the top-1 after training, per strategy",
		Subtitle:   "bars: mean over 5 seeds · error bars: ± standard deviation · dots: seeds",
		XLabel:     "search strategy",
		Y:          Axis{Label: "Inception Score"},
		Categories: cats,
		Series:     []BarSeries{{Values: isMean, Lo: isLo, Hi: isHi, Points: isSeeds}},
	}
	grouped := &Bars{
		Title:      "Inception Score per strategy and dataset",
		XLabel:     "search strategy",
		Y:          Axis{Label: "Inception Score"},
		Categories: cats[:4],
		Series: []BarSeries{
			{Name: "Shapes-10", Values: isMean[:4], Lo: isLo[:4], Hi: isHi[:4]},
			{Name: "Fashion-MNIST", Values: []float64{4.1, 3.9, 3.7, math.NaN()}, Lo: []float64{3.9, 3.6, 3.5, math.NaN()}, Hi: []float64{4.3, 4.2, 3.9, math.NaN()}},
		},
	}
	fid := &Bars{
		Title:      "FID of the top-1 after training, per strategy (lower is better)",
		XLabel:     "search strategy",
		Y:          Axis{Label: "FID"},
		Categories: cats,
		Series:     []BarSeries{{Name: "mean ± sd over 5 seeds", Values: fidMean, Lo: fidLo, Hi: fidHi, Points: fidSeeds}},
		Dots:       true,
	}

	// The controller's choice probabilities per token over iterations.
	tokens := []string{"normal: conv 3×3", "normal: conv 5×5", "normal: deconv", "up: nearest", "up: bilinear",
		"up: deconv", "norm: batch", "norm: instance", "norm: none", "shortcut: yes", "shortcut: no",
		"skip 1: on", "skip 1: off", "skip 2: on", "skip 2: off"}
	cols := make([]string, iters)
	probs := make([][]float64, len(tokens))
	for r := range probs {
		probs[r] = make([]float64, iters)
	}
	for i := range cols {
		cols[i] = strconv.Itoa(i + 1)
		conv := float64(i) / iters
		for g, group := range [][]int{{0, 1, 2}, {3, 4, 5}, {6, 7, 8}, {9, 10}, {11, 12}, {13, 14}} {
			winner := group[g%len(group)]
			for _, r := range group {
				p := (1 - conv) / float64(len(group))
				if r == winner {
					p += conv
				}
				probs[r][i] = p
			}
		}
	}
	probs[4][10] = math.NaN() // a value that was not logged
	heat := &Heatmap{
		Title:      "Controller: probability of each choice over the search",
		XLabel:     "search iteration",
		YLabel:     "token: choice",
		ValueLabel: "probability",
		Rows:       tokens,
		Cols:       cols,
		Values:     probs,
		Min:        0, Max: 1,
		Height: 420,
	}

	empty := &XY{Title: "IS during training (no evaluation yet)", X: Axis{Label: "G step"}, Y: Axis{Label: "Inception Score"}}

	// Comparing runs: one colour per run, a legend that wraps, a narrow
	// chart, and a single evaluation so far.
	var runs []Series
	for k := range 10 {
		fid := make([]float64, 12)
		for i := range fid {
			fid[i] = 80*math.Exp(-float64(i)/(4+float64(k)/3)) + 30 + 2*rng.NormFloat64()
		}
		runs = append(runs, Series{Name: "seed " + strconv.Itoa(k+1), X: it[:12], Y: fid, Style: StyleLinePoints})
	}
	compare := &XY{
		Title:  "FID per evaluation, ten runs",
		X:      Axis{Label: "evaluation (every 5k G steps)"},
		Y:      Axis{Label: "FID (lower is better)"},
		Series: runs,
		Width:  480, Height: 340,
	}
	single := &XY{
		Title:  "IS during training",
		X:      Axis{Label: "G step"},
		Y:      Axis{Label: "Inception Score"},
		Series: []Series{{Name: "IS", X: []float64{5000}, Y: []float64{3.2}, Style: StyleLinePoints}},
		Width:  360, Height: 240,
	}
	lr := &XY{
		Title: "Learning rates (log scale)",
		X:     Axis{Label: "G step"},
		Y:     Axis{Label: "learning rate", Log: true},
		Series: []Series{
			{Name: "G", X: []float64{0, 10000, 20000, 30000, 40000, 50000}, Y: []float64{2e-4, 1.6e-4, 1.2e-4, 8e-5, 4e-5, 0}},
			{Name: "D", X: []float64{0, 10000, 20000, 30000, 40000, 50000}, Y: []float64{2e-4, 1.6e-4, 1.2e-4, 8e-5, 4e-5, 0}, Dashed: true},
		},
		Markers: []Marker{{X: 35000, Label: "best checkpoint (FID 31.2)", Color: "#D55E00"}},
		Width:   360, Height: 240,
	}

	return []demoChart{
		{"losses.svg", losses, 60 << 10},
		{"variance.svg", varianceChart, 60 << 10},
		{"reward.svg", reward, 80 << 10},
		{"controller.svg", controller, 60 << 10},
		{"scatter.svg", scatter, 30 << 10},
		{"bars.svg", bars, 30 << 10},
		{"grouped.svg", grouped, 30 << 10},
		{"fid.svg", fid, 30 << 10},
		{"heatmap.svg", heat, 200 << 10},
		{"empty.svg", empty, 5 << 10},
		{"compare.svg", compare, 40 << 10},
		{"single.svg", single, 5 << 10},
		{"lr.svg", lr, 10 << 10},
	}
}

func meanSD(v []float64) (mean, sd float64) {
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	for _, x := range v {
		sd += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(sd / float64(len(v)-1))
}

func TestGallery(t *testing.T) {
	gallery := demoGallery()
	var page bytes.Buffer
	page.WriteString("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>internal/chart gallery</title>" +
		"<style>body{font-family:system-ui,sans-serif;margin:16px;background:#f4f4f4}" +
		"figure{display:inline-block;margin:8px;background:#fff;box-shadow:0 1px 3px #0002}</style></head><body>\n")
	for _, d := range gallery {
		b, err := d.chart.SVG()
		if err != nil {
			t.Fatalf("%s: %v", d.file, err)
		}
		checkWellFormed(t, d.file, b)
		if len(b) > d.maxBytes {
			t.Errorf("%s: %d bytes, want at most %d", d.file, len(b), d.maxBytes)
		}
		t.Logf("%s: %d bytes", d.file, len(b))
		page.WriteString("<figure>")
		page.Write(b)
		page.WriteString("</figure>\n")
		if *demoDir != "" {
			if err := os.MkdirAll(*demoDir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(*demoDir, d.file), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	page.WriteString("</body></html>\n")
	if *demoDir != "" {
		if err := os.WriteFile(filepath.Join(*demoDir, "index.html"), page.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("gallery written to %s", *demoDir)
	}
}
