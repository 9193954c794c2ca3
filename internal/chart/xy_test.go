package chart

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"testing"
)

// plotArea reads the plot rectangle back from the axis lines.
func plotArea(t *testing.T, root *node) rect {
	t.Helper()
	ys, xs := root.byClass("axis-y"), root.byClass("axis-x")
	if len(ys) != 1 || len(xs) != 1 {
		t.Fatalf("%d y axis lines and %d x axis lines, want one each", len(ys), len(xs))
	}
	return rect{ys[0].num(t, "x1"), ys[0].num(t, "y1"), xs[0].num(t, "x2"), xs[0].num(t, "y1")}
}

func shownLabels(root *node, class string) []string {
	var out []string
	for _, g := range root.byClass(class) {
		out = append(out, g.texts()...)
	}
	return out
}

// near compares pixel positions: the output and the plot area read back
// from it are both rounded to tenths of a pixel.
func near(a, b float64) bool { return math.Abs(a-b) <= 0.11 }

func TestXYAxesAndTicks(t *testing.T) {
	c := &XY{
		Title: "loss",
		X:     Axis{Label: "D step"},
		Y:     Axis{Label: "loss"},
		Series: []Series{{Name: "D", X: []float64{0, 2500, 5000, 7500, 10000},
			Y: []float64{0.1, 0.5, 0.2, 0.9, 0.4}}},
	}
	root := parseSVG(t, "xy", mustSVG(t, c))
	if got := root.attr["viewBox"]; got != "0 0 720 300" {
		t.Errorf("viewBox %q", got)
	}
	if root.attr["width"] != "720" || root.attr["height"] != "300" {
		t.Errorf("size %s×%s, want the default 720×300", root.attr["width"], root.attr["height"])
	}
	if got := shownLabels(root, "ticks-x"); !slices.Equal(got, []string{"0", "2000", "4000", "6000", "8000", "10k"}) &&
		!slices.Equal(got, []string{"0", "2k", "4k", "6k", "8k", "10k"}) {
		t.Errorf("x tick labels %q", got)
	}
	// The y range is the data padded by 5%, not below zero: [0.06, 0.94].
	if got := shownLabels(root, "ticks-y"); !slices.Equal(got, []string{"0.2", "0.4", "0.6", "0.8"}) {
		t.Errorf("y tick labels %q", got)
	}
	texts := root.texts()
	for _, want := range []string{"loss", "D step", "D"} {
		if !slices.Contains(texts, want) {
			t.Errorf("no text %q in %q", want, texts)
		}
	}
	if len(root.byClass("legend")) != 1 {
		t.Error("no legend")
	}
	if root.attr["aria-label"] != "loss" {
		t.Errorf("aria-label %q", root.attr["aria-label"])
	}
}

func TestXYIntegerAxis(t *testing.T) {
	// Three epochs: a plain axis puts ticks at 2.0, 2.5, 3.0, ...; a
	// count axis only at whole numbers.
	x, y := []float64{2, 3, 4}, []float64{1.02, 1.01, 1.009}
	plain := &XY{Series: []Series{{X: x, Y: y}}}
	if got := shownLabels(parseSVG(t, "plain", mustSVG(t, plain)), "ticks-x"); !slices.Contains(got, "2.5") {
		t.Fatalf("plain axis ticks %q: the test needs a range with fractional ticks", got)
	}
	counts := &XY{X: Axis{Integer: true}, Series: []Series{{X: x, Y: y}}}
	if got := shownLabels(parseSVG(t, "integer", mustSVG(t, counts)), "ticks-x"); !slices.Equal(got, []string{"2", "3", "4"}) {
		t.Errorf("integer axis ticks %q, want 2 3 4", got)
	}
	// A long count axis keeps its 1-2-5 steps, and whole numbers stay
	// sparse when the axis is short.
	long := &XY{X: Axis{Integer: true}, Series: []Series{{X: []float64{0, 65}, Y: []float64{0, 1}}}}
	for _, l := range shownLabels(parseSVG(t, "long", mustSVG(t, long)), "ticks-x") {
		if strings.Contains(l, ".") {
			t.Errorf("integer axis tick %q", l)
		}
	}
	narrow := &XY{Width: 200, X: Axis{Integer: true}, Series: []Series{{X: []float64{0, 13}, Y: []float64{0, 1}}}}
	if got := shownLabels(parseSVG(t, "narrow", mustSVG(t, narrow)), "ticks-x"); len(got) > 6 {
		t.Errorf("narrow integer axis has %d ticks %q", len(got), got)
	}
}

func TestXYPixelMapping(t *testing.T) {
	x := []float64{0, 2, 5, 10}
	y := []float64{0, 1, 0.25, 1}
	c := &XY{
		X: Axis{Min: 0, Max: 10},
		Y: Axis{Min: 0, Max: 1},
		Series: []Series{
			{X: x, Y: y, Style: StylePoints},
			{X: x, Y: y},
		},
	}
	root := parseSVG(t, "xy", mustSVG(t, c))
	plot := plotArea(t, root)
	want := func(i int) (float64, float64) {
		return plot.x0 + x[i]/10*(plot.x1-plot.x0), plot.y1 - y[i]*(plot.y1-plot.y0)
	}
	circles := root.byClass("points")[0].byName("circle")
	if len(circles) != len(x) {
		t.Fatalf("%d circles, want %d", len(circles), len(x))
	}
	for i, circ := range circles {
		wx, wy := want(i)
		if cx, cy := circ.num(t, "cx"), circ.num(t, "cy"); !near(cx, wx) || !near(cy, wy) {
			t.Errorf("point %d at (%v, %v), want (%v, %v)", i, cx, cy, wx, wy)
		}
	}
	lines := root.byClass("line")
	if len(lines) != 1 {
		t.Fatalf("%d line paths, want 1", len(lines))
	}
	sub := pathPoints(t, lines[0].attr["d"])
	if len(sub) != 1 || len(sub[0]) != len(x) {
		t.Fatalf("line path %q: %d subpaths", lines[0].attr["d"], len(sub))
	}
	for i, p := range sub[0] {
		wx, wy := want(i)
		if !near(p[0], wx) || !near(p[1], wy) {
			t.Errorf("line point %d at %v, want (%v, %v)", i, p, wx, wy)
		}
	}
	// The tooltip of a point gives its values.
	if got := circles[2].title(); got != "x: 5\ny: 0.25" {
		t.Errorf("point title %q", got)
	}
}

func TestXYGaps(t *testing.T) {
	nan := math.NaN()
	c := &XY{Series: []Series{
		{Y: []float64{1, 2, nan, 4, 5, math.Inf(1), 3, nan}}, // two runs and an isolated point
	}}
	root := parseSVG(t, "gaps", mustSVG(t, c))
	d := root.byClass("line")[0].attr["d"]
	sub := pathPoints(t, d)
	if len(sub) != 3 || len(sub[0]) != 2 || len(sub[1]) != 2 || len(sub[2]) != 2 {
		t.Fatalf("path %q: subpaths %v, want 2 points, 2 points and a dot", d, sub)
	}
	if !strings.HasSuffix(d, "h0") {
		t.Errorf("path %q: the isolated point is not drawn as a dot", d)
	}
}

func TestXYNoData(t *testing.T) {
	nan := math.NaN()
	for name, c := range map[string]*XY{
		"no series":     {Title: "empty"},
		"empty series":  {Series: []Series{{Name: "a"}, {Name: "b", X: []float64{}, Y: []float64{}}}},
		"all gaps":      {Series: []Series{{Y: []float64{nan, math.Inf(-1)}}}},
		"log, all <= 0": {Y: Axis{Log: true}, Series: []Series{{Y: []float64{0, -1}}}},
		"band of gaps":  {Series: []Series{{Lo: []float64{nan}, Hi: []float64{1}}}},
		"tiny":          {Width: 1, Height: 1},
	} {
		root := parseSVG(t, name, mustSVG(t, c))
		if len(root.byClass("no-data")) != 1 {
			t.Errorf("%s: no \"no data\" message", name)
		}
	}
}

func TestXYLogAxis(t *testing.T) {
	c := &XY{
		Y:      Axis{Log: true, Min: 1e-3, Max: 1e-1},
		Series: []Series{{X: []float64{0, 1, 2, 3, 4}, Y: []float64{1e-3, 1e-2, 0, -5, 1e-1}, Style: StylePoints}},
	}
	root := parseSVG(t, "log", mustSVG(t, c))
	if got := shownLabels(root, "ticks-y"); !slices.Equal(got, []string{"0.001", "0.002", "0.005", "0.01", "0.02", "0.05", "0.1"}) {
		t.Errorf("log ticks %q", got)
	}
	plot := plotArea(t, root)
	circles := root.byClass("points")[0].byName("circle")
	if len(circles) != 3 {
		t.Fatalf("%d points drawn, want the 3 positive ones", len(circles))
	}
	for i, frac := range []float64{0, 0.5, 1} { // 1e-3, 1e-2, 1e-1 on two decades
		if cy := circles[i].num(t, "cy"); !near(cy, plot.y1-frac*(plot.y1-plot.y0)) {
			t.Errorf("point %d at y %v, want %v", i, cy, plot.y1-frac*(plot.y1-plot.y0))
		}
	}
	notes := root.byClass("note")
	if len(notes) != 1 || notes[0].text != "2 values ≤ 0 not shown (log axis)" {
		t.Errorf("note about values <= 0: %v", notes)
	}
	// Decades: a variance spanning 1e-6 to 10.
	c = &XY{Y: Axis{Log: true}, Series: []Series{{Y: []float64{1e-6, 3e-4, 0.2, 10}}}}
	root = parseSVG(t, "log", mustSVG(t, c))
	got := shownLabels(root, "ticks-y")
	if !slices.Equal(got, []string{"1e-6", "1e-5", "1e-4", "0.001", "0.01", "0.1", "1", "10"}) &&
		!slices.Equal(got, []string{"1e-6", "1e-4", "0.01", "1"}) {
		t.Errorf("log ticks over decades %q", got)
	}
}

func TestXYClipsToFixedRange(t *testing.T) {
	x, y := make([]float64, 2000), make([]float64, 2000)
	for i := range x {
		x[i], y[i] = float64(i), 30*math.Sin(float64(i)/100)
	}
	c := &XY{
		X: Axis{Min: 500, Max: 1500},
		Y: Axis{Min: -10, Max: 10},
		Series: []Series{{X: x, Y: y, Lo: y, Hi: make([]float64, len(y)), Trend: true},
			{X: x, Y: y, Style: StylePoints}},
		Markers: []Marker{{X: 100, Label: "outside"}, {X: 1000, Label: "inside"}},
		Refs:    []RefLine{{Y: 100, Label: "outside"}, {Y: 1, Label: "inside"}},
	}
	root := parseSVG(t, "clip", mustSVG(t, c))
	plot := plotArea(t, root)
	inside := func(p [2]float64) bool {
		return p[0] >= plot.x0-0.05 && p[0] <= plot.x1+0.05 && p[1] >= plot.y0-0.05 && p[1] <= plot.y1+0.05
	}
	for _, class := range []string{"line", "band"} {
		for _, sub := range pathPoints(t, root.byClass(class)[0].attr["d"]) {
			for _, p := range sub {
				if !inside(p) {
					t.Fatalf("%s point %v outside the plot %v", class, p, plot)
				}
			}
		}
	}
	for _, circ := range root.byClass("points")[0].byName("circle") {
		if p := [2]float64{circ.num(t, "cx"), circ.num(t, "cy")}; !inside(p) {
			t.Fatalf("point %v outside the plot %v", p, plot)
		}
	}
	if n := len(root.byClass("marker")); n != 1 {
		t.Errorf("%d markers drawn, want the one inside", n)
	}
	if n := len(root.byClass("ref")); n != 1 {
		t.Errorf("%d reference lines drawn, want the one inside", n)
	}
	for _, tr := range root.byClass("trend") {
		for _, p := range [][2]float64{{tr.num(t, "x1"), tr.num(t, "y1")}, {tr.num(t, "x2"), tr.num(t, "y2")}} {
			if !inside(p) {
				t.Errorf("trend end %v outside the plot", p)
			}
		}
	}
}

// A run that diverges stops before it logs the step where it did, so its
// marker lies past the last point; the x axis must reach it.
func TestXYMarkerPastTheDataWidensTheAxis(t *testing.T) {
	c := &XY{Series: []Series{{X: []float64{0, 10, 20}, Y: []float64{1, 2, 3}}},
		Markers: []Marker{{X: 25, Label: "diverged"}, {X: -5, Label: "before"}}}
	root := parseSVG(t, "marker past the data", mustSVG(t, c))
	plot := plotArea(t, root)
	lines := root.byClass("marker")
	if len(lines) != 2 {
		t.Fatalf("%d markers drawn, want 2", len(lines))
	}
	for _, l := range lines {
		if x := l.num(t, "x1"); x < plot.x0-0.05 || x > plot.x1+0.05 {
			t.Errorf("marker at x=%g outside the plot %v", x, plot)
		}
	}
	// The line still starts and ends inside, not at the markers.
	sub := pathPoints(t, root.byClass("line")[0].attr["d"])
	first, last := sub[0][0], sub[len(sub)-1][len(sub[len(sub)-1])-1]
	if first[0] <= plot.x0+1 || last[0] >= plot.x1-1 {
		t.Errorf("line runs from x=%g to x=%g, want inside the plot %v widened for the markers", first[0], last[0], plot)
	}
}

func TestXYMarkerLabelsDoNotOverlap(t *testing.T) {
	var ms []Marker
	for i := range 20 {
		ms = append(ms, Marker{X: float64(100 + 10*i), Label: "reset"})
	}
	ms = append(ms, Marker{X: 900, Label: "grow → stage 1"})
	c := &XY{Series: []Series{{X: []float64{0, 1000}, Y: []float64{0, 1}}}, Markers: ms}
	root := parseSVG(t, "markers", mustSVG(t, c))
	if n := len(root.byClass("marker")); n != len(ms) {
		t.Errorf("%d marker lines, want %d", n, len(ms))
	}
	// Every marker has a tooltip, but only the labels with room are shown.
	titles := 0
	for _, l := range root.byName("line") {
		if strings.HasPrefix(l.title(), "reset at x ") || strings.HasPrefix(l.title(), "grow → stage 1 at x ") {
			titles++
		}
	}
	if titles != len(ms) {
		t.Errorf("%d marker tooltips, want %d", titles, len(ms))
	}
	type box struct{ x0, x1, y float64 }
	var boxes []box
	for _, txt := range root.byName("text") {
		if txt.text != "reset" && txt.text != "grow → stage 1" {
			continue
		}
		x, w := txt.num(t, "x"), textWidth(txt.text, noteSize)
		if txt.attr["text-anchor"] == "end" {
			x -= w
		}
		boxes = append(boxes, box{x, x + w, txt.num(t, "y")})
	}
	if len(boxes) < 2 || len(boxes) >= len(ms) {
		t.Errorf("%d marker labels shown of %d", len(boxes), len(ms))
	}
	for i := range boxes {
		for j := range i {
			a, b := boxes[i], boxes[j]
			if a.y == b.y && a.x0 < b.x1 && b.x0 < a.x1 {
				t.Errorf("marker labels overlap: %v and %v", a, b)
			}
		}
	}
}

func TestXYHover(t *testing.T) {
	c := &XY{
		X: Axis{Label: "iteration"},
		Series: []Series{
			{Name: "MLAS", X: []float64{1, 2, 3}, Y: []float64{3, 3.5, 4}, Lo: []float64{2.5, 3, 3.5}, Hi: []float64{3.5, 4, 4.5}},
			{Name: "random", X: []float64{1, 2, 3}, Y: []float64{3, 3.1, 3.2}},
		},
	}
	root := parseSVG(t, "hover", mustSVG(t, c))
	rects := root.byClass("hover")[0].byName("rect")
	if len(rects) != 3 {
		t.Fatalf("%d hover regions, want one per x", len(rects))
	}
	want := "iteration: 2\nMLAS: 3.5 [3, 4]\nrandom: 3.1"
	if got := rects[1].title(); got != want {
		t.Errorf("hover title %q, want %q", got, want)
	}
	// The regions tile the plot.
	plot := plotArea(t, root)
	if !near(rects[0].num(t, "x"), plot.x0) || !near(rects[2].num(t, "x")+rects[2].num(t, "width"), plot.x1) {
		t.Errorf("hover regions do not cover the plot")
	}

	// A long series: each strip gives the range of the values under it.
	x, y := randomWalk(100000, 9)
	c = &XY{Series: []Series{{Name: "walk", X: x, Y: y}}}
	root = parseSVG(t, "hover", mustSVG(t, c))
	rects = root.byClass("hover")[0].byName("rect")
	if len(rects) < 50 || len(rects) > 100 {
		t.Errorf("%d hover strips for a long series", len(rects))
	}
	if got := rects[0].title(); !strings.HasPrefix(got, "x: 0 to ") || !strings.Contains(got, "\nwalk: ") || !strings.Contains(got[strings.Index(got, "walk"):], " to ") {
		t.Errorf("hover title of a dense strip %q", got)
	}
}

func TestXYLargeSeriesStaysSmall(t *testing.T) {
	x, y := randomWalk(760000, 4)
	c := &XY{Title: "D loss", X: Axis{Label: "D step"}, Y: Axis{Label: "loss"},
		Series: []Series{{Name: "D loss", X: x, Y: y}}}
	b := mustSVG(t, c)
	if len(b) > 40<<10 {
		t.Errorf("a 760,000-point line takes %d bytes, want at most 40 KB", len(b))
	}
	// The drawn line reaches the series' extremes.
	root := parseSVG(t, "large", b)
	plot := plotArea(t, root)
	top, bottom := math.Inf(1), math.Inf(-1)
	for _, sub := range pathPoints(t, root.byClass("line")[0].attr["d"]) {
		for _, p := range sub {
			top, bottom = math.Min(top, p[1]), math.Max(bottom, p[1])
		}
	}
	// The y axis pads the data range by 5% on each side, so the extremes
	// lie 0.05/1.1 of the plot height inside its edges.
	wantTop := plot.y0 + (plot.y1-plot.y0)*0.05/1.1
	wantBottom := plot.y1 - (plot.y1-plot.y0)*0.05/1.1
	if !near(top, wantTop) || !near(bottom, wantBottom) {
		t.Errorf("line spans y %v to %v, want %v to %v (the extremes)", top, bottom, wantTop, wantBottom)
	}
}

func TestXYErrors(t *testing.T) {
	for name, c := range map[string]*XY{
		"x and y":      {Series: []Series{{X: []float64{1, 2}, Y: []float64{1}}}},
		"lo only":      {Series: []Series{{Y: []float64{1}, Lo: []float64{1}}}},
		"hi length":    {Series: []Series{{Y: []float64{1}, Lo: []float64{1}, Hi: []float64{1, 2}}}},
		"labels":       {Series: []Series{{Y: []float64{1}, Labels: []string{"a", "b"}}}},
		"x only":       {Series: []Series{{X: []float64{1}}}},
		"style":        {Series: []Series{{Y: []float64{1}, Style: 7}}},
		"log min":      {Y: Axis{Log: true, Min: 0, Max: 1}},
		"infinite max": {X: Axis{Min: 0, Max: math.Inf(1)}},
	} {
		if _, err := c.SVG(); err == nil {
			t.Errorf("%s: no error", name)
		} else if !strings.HasPrefix(err.Error(), "chart: ") {
			t.Errorf("%s: error %q does not name the package", name, err)
		}
		var buf bytes.Buffer
		if err := c.WriteSVG(&buf); err == nil || buf.Len() != 0 {
			t.Errorf("%s: WriteSVG wrote %d bytes with error %v", name, buf.Len(), err)
		}
	}
}

func TestEscaping(t *testing.T) {
	title := `<script>alert("x")</script> & 'quotes' ` + "\x01"
	c := &XY{Title: title, X: Axis{Label: "a<b"}, Series: []Series{{Name: "s&p", Y: []float64{1, 2}, Labels: []string{"<i>", "]]>"}, Style: StylePoints}}}
	b := mustSVG(t, c)
	if bytes.Contains(b, []byte("<script")) || bytes.Contains(b, []byte("<i>")) {
		t.Fatal("text is not escaped")
	}
	root := parseSVG(t, "escape", b)
	texts := root.texts()
	if !slices.Contains(texts, strings.Replace(title, "\x01", "\uFFFD", 1)) || !slices.Contains(texts, "a<b") || !slices.Contains(texts, "s&p") {
		t.Errorf("texts after parsing: %q", texts)
	}
}

func TestDeterministic(t *testing.T) {
	for _, d := range demoGallery() {
		a, _ := d.chart.SVG()
		var b bytes.Buffer
		if err := d.chart.WriteSVG(&b); err != nil || !bytes.Equal(a, b.Bytes()) {
			t.Errorf("%s: two renderings differ", d.file)
		}
	}
	// Equal input built twice gives the same bytes too.
	build := func() Chart {
		x, y := randomWalk(100000, 11)
		return &XY{Y: Axis{Log: true}, Series: []Series{{Name: "walk", X: x, Y: y, Lo: y, Hi: y}}}
	}
	if a, b := mustSVG(t, build()), mustSVG(t, build()); !bytes.Equal(a, b) {
		t.Error("renderings of equal input differ")
	}
}
