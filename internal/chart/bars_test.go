package chart

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestBars(t *testing.T) {
	c := &Bars{
		Title:      "IS per strategy",
		XLabel:     "strategy",
		Y:          Axis{Label: "Inception Score", Min: 0, Max: 4},
		Categories: []string{"MLAS", "random", "SLAS"},
		Series: []BarSeries{
			{Name: "Shapes-10", Values: []float64{2, 3, math.NaN()}, Lo: []float64{1.5, 2.5, 1}, Hi: []float64{2.5, 3.5, 2},
				Points: [][]float64{{1.8, 2.2}, {3}, nil}},
			{Name: "Fashion-MNIST", Values: []float64{1, 4, 2}},
		},
	}
	root := parseSVG(t, "bars", mustSVG(t, c))
	plot := plotArea(t, root)
	bars := root.byClass("bar")
	if len(bars) != 5 {
		t.Fatalf("%d bars, want 5 (one value is NaN)", len(bars))
	}
	// Heights are proportional to the values on the fixed axis [0, 4].
	for i, v := range []float64{2, 1, 3, 4, 2} {
		h := bars[i].num(t, "height")
		if want := v / 4 * (plot.y1 - plot.y0); !near(h, want) {
			t.Errorf("bar %d: height %v, want %v", i, h, want)
		}
		if bottom := bars[i].num(t, "y") + h; !near(bottom, plot.y1) {
			t.Errorf("bar %d: ends at %v, not on the axis at %v", i, bottom, plot.y1)
		}
	}
	// Grouped: within a category the series stand side by side, left to right.
	if !(bars[0].num(t, "x") < bars[1].num(t, "x") && bars[1].num(t, "x") < bars[2].num(t, "x")) {
		t.Error("bars are not grouped by category in series order")
	}
	if n := len(root.byClass("err")); n != 3 {
		t.Errorf("%d error bars, want 3", n)
	}
	if n := len(root.byClass("missing")); n != 1 {
		t.Errorf("%d missing-value notes, want 1", n)
	}
	raw := 0
	for _, g := range root.byClass("raw") {
		raw += len(g.byName("circle"))
	}
	if raw != 3 {
		t.Errorf("%d raw points, want 3", raw)
	}
	if got := bars[0].title(); got != "MLAS · Shapes-10: 2 [1.5, 2.5] (n = 2)" {
		t.Errorf("bar title %q", got)
	}
	if got := shownLabels(root, "ticks-x"); !slices.Equal(got, []string{"MLAS", "random", "SLAS"}) {
		t.Errorf("category labels %q", got)
	}
	if got := shownLabels(root, "ticks-y"); !slices.Equal(got, []string{"0", "1", "2", "3", "4"}) {
		t.Errorf("value ticks %q", got)
	}
	if len(root.byClass("legend")) != 1 {
		t.Error("no legend for two series")
	}
}

func TestBarsAxisIncludesZero(t *testing.T) {
	c := &Bars{Categories: []string{"a", "b"}, Series: []BarSeries{{Values: []float64{40, 60}}}}
	root := parseSVG(t, "bars", mustSVG(t, c))
	if got := shownLabels(root, "ticks-y"); len(got) == 0 || got[0] != "0" {
		t.Errorf("bar axis starts at %q, want 0", got)
	}
	// A dot plot fits the data instead.
	c.Dots = true
	root = parseSVG(t, "dots", mustSVG(t, c))
	if got := shownLabels(root, "ticks-y"); len(got) == 0 || got[0] == "0" {
		t.Errorf("dot plot axis %q starts at 0", got)
	}
	if n := len(root.byClass("dot")); n != 2 {
		t.Errorf("%d dots, want 2", n)
	}
	// Negative values hang from a zero line.
	c = &Bars{Categories: []string{"a", "b"}, Series: []BarSeries{{Values: []float64{-1, 2}}}}
	root = parseSVG(t, "negative", mustSVG(t, c))
	bars := root.byClass("bar")
	if len(bars) != 2 || !near(bars[0].num(t, "y"), bars[1].num(t, "y")+bars[1].num(t, "height")) {
		t.Error("a negative bar does not start at the zero line of a positive one")
	}
}

// Values that are all zero (a shard that took no time) get an axis from
// 0 up, with the bars flat on it.
func TestBarsAllZero(t *testing.T) {
	c := &Bars{Categories: []string{"a", "b"}, Series: []BarSeries{{Values: []float64{0, 0}}}}
	root := parseSVG(t, "zero", mustSVG(t, c))
	plot := plotArea(t, root)
	got := shownLabels(root, "ticks-y")
	if len(got) < 2 {
		t.Errorf("value ticks %q, want 0 and more above", got)
	} else if v, err := strconv.ParseFloat(got[0], 64); err != nil || v != 0 {
		t.Errorf("value ticks %q start at %q, want 0", got, got[0])
	}
	bars := root.byClass("bar")
	if len(bars) != 2 {
		t.Fatalf("%d bars, want 2", len(bars))
	}
	for i, b := range bars {
		if y, h := b.num(t, "y"), b.num(t, "height"); !near(y, plot.y1) || h != 0 {
			t.Errorf("bar %d at y=%g height %g, want flat on the axis at %g", i, y, h, plot.y1)
		}
	}
}

func TestBarsLongLabels(t *testing.T) {
	c := &Bars{
		Width:      300,
		Categories: []string{"random search with weight sharing and a very long name", "MLAS"},
		Series:     []BarSeries{{Values: []float64{1, 2}}},
	}
	root := parseSVG(t, "labels", mustSVG(t, c))
	labels := shownLabels(root, "ticks-x")
	if len(labels) != 3 || !strings.HasSuffix(labels[1], "…") {
		t.Errorf("labels %q: want the long one wrapped on two lines and shortened", labels)
	}
	if root.byClass("ticks-x")[0].kids[0].title() != c.Categories[0] {
		t.Error("a shortened label has no tooltip with the full text")
	}
}

func TestBarsNoDataAndErrors(t *testing.T) {
	for name, c := range map[string]*Bars{
		"nothing":       {},
		"no series":     {Categories: []string{"a"}},
		"no categories": {Series: []BarSeries{{}}},
		"all NaN":       {Categories: []string{"a"}, Series: []BarSeries{{Values: []float64{math.NaN()}}}},
	} {
		root := parseSVG(t, name, mustSVG(t, c))
		if len(root.byClass("no-data")) != 1 {
			t.Errorf("%s: no \"no data\" message", name)
		}
	}
	for name, c := range map[string]*Bars{
		"values": {Categories: []string{"a", "b"}, Series: []BarSeries{{Values: []float64{1}}}},
		"lo":     {Categories: []string{"a"}, Series: []BarSeries{{Values: []float64{1}, Lo: []float64{1}}}},
		"hi":     {Categories: []string{"a"}, Series: []BarSeries{{Values: []float64{1}, Lo: []float64{1}, Hi: []float64{}}}},
		"points": {Categories: []string{"a"}, Series: []BarSeries{{Values: []float64{1}, Points: [][]float64{{1}, {2}}}}},
		"log":    {Y: Axis{Log: true}},
	} {
		if _, err := c.SVG(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
