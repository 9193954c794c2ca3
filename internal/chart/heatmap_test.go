package chart

import (
	"math"
	"slices"
	"strconv"
	"testing"
)

func TestHeatmap(t *testing.T) {
	const rows, cols = 6, 65
	values := make([][]float64, rows)
	for r := range values {
		values[r] = make([]float64, cols)
		for c := range values[r] {
			values[r][c] = float64(c) / (cols - 1)
		}
	}
	values[2][3] = math.NaN()
	colLabels := make([]string, cols)
	for c := range colLabels {
		colLabels[c] = strconv.Itoa(c + 1)
	}
	h := &Heatmap{
		Title:      "choices",
		ValueLabel: "probability",
		Rows:       []string{"a", "b", "c", "d", "e", "f"},
		Cols:       colLabels,
		Values:     values,
		Min:        0, Max: 1,
	}
	root := parseSVG(t, "heatmap", mustSVG(t, h))
	cells := root.byClass("cells")[0].byName("rect")
	if len(cells) != rows*cols {
		t.Fatalf("%d cells, want %d", len(cells), rows*cols)
	}
	if got := cells[0].attr["fill"]; got != "#440154" {
		t.Errorf("value 0: colour %s, want viridis' dark end #440154", got)
	}
	if got := cells[cols-1].attr["fill"]; got != "#fde725" {
		t.Errorf("value 1: colour %s, want viridis' light end #fde725", got)
	}
	if got := cells[2*cols+3].attr["fill"]; got != colorNoValue {
		t.Errorf("NaN: colour %s, want %s", got, colorNoValue)
	}
	if got := cells[cols+1].title(); got != "b · column 2: 0.01562" {
		t.Errorf("cell title %q", got)
	}
	// Cells tile the plot: each starts where the one before ends (the
	// overlap is drawn under the next cell).
	x0 := cells[0].num(t, "x")
	for c := 1; c < cols; c++ {
		prev, cur := cells[c-1], cells[c]
		if end := prev.num(t, "x") + prev.num(t, "width") - cellOverlap; !near(end, cur.num(t, "x")) {
			t.Fatalf("cell %d ends at %v, cell %d starts at %v", c-1, end, c, cur.num(t, "x"))
		}
	}
	if x0 >= cells[cols-1].num(t, "x") {
		t.Error("columns do not go left to right")
	}
	// 65 integer column labels do not fit: every fifth, at multiples of 5.
	if got := shownLabels(root, "ticks-x"); !slices.Equal(got, []string{"5", "10", "15", "20", "25", "30", "35", "40", "45", "50", "55", "60", "65"}) {
		t.Errorf("column labels %q", got)
	}
	if got := shownLabels(root, "ticks-y"); !slices.Equal(got, h.Rows) {
		t.Errorf("row labels %q", got)
	}
	if len(root.byClass("colorbar")) != 1 || !slices.Contains(root.texts(), "probability") {
		t.Error("no colour legend")
	}
}

func TestViridis(t *testing.T) {
	for _, tc := range []struct {
		t    float64
		want string
	}{{0, "#440154"}, {0.5, "#21918c"}, {1, "#fde725"}, {-3, "#440154"}, {7, "#fde725"}, {math.NaN(), colorNoValue}} {
		if got := Viridis(tc.t); got != tc.want {
			t.Errorf("Viridis(%v) = %s, want %s", tc.t, got, tc.want)
		}
	}
	// Lightness grows along the map, so it reads in grey scale too.
	prev := -1.0
	for k := 0; k <= 100; k++ {
		c := Viridis(float64(k) / 100)
		r, _ := strconv.ParseUint(c[1:3], 16, 8)
		g, _ := strconv.ParseUint(c[3:5], 16, 8)
		b, _ := strconv.ParseUint(c[5:7], 16, 8)
		luma := 0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)
		if luma < prev {
			t.Fatalf("Viridis(%v) = %s is darker than the colour before", float64(k)/100, c)
		}
		prev = luma
	}
}

func TestHeatmapNoDataAndErrors(t *testing.T) {
	for name, h := range map[string]*Heatmap{
		"nothing":  {},
		"no cols":  {Values: [][]float64{{}, {}}},
		"all NaN":  {Values: [][]float64{{math.NaN(), math.Inf(1)}}},
		"one cell": {Values: [][]float64{{0.3}}},
	} {
		root := parseSVG(t, name, mustSVG(t, h))
		nodata := len(root.byClass("no-data")) == 1
		if nodata != (name != "one cell") {
			t.Errorf("%s: no-data message %v", name, nodata)
		}
	}
	for name, h := range map[string]*Heatmap{
		"ragged":     {Values: [][]float64{{1, 2}, {3}}},
		"row labels": {Rows: []string{"a"}, Values: [][]float64{{1}, {2}}},
		"col labels": {Cols: []string{"a", "b"}, Values: [][]float64{{1}}},
		"limits":     {Values: [][]float64{{1}}, Min: 0, Max: math.Inf(1)},
	} {
		if _, err := h.SVG(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
