package chart

import (
	"io"
	"math"
	"slices"
	"strconv"
)

// XY is a chart of y against x: lines (with bands), points (a scatter),
// vertical markers and horizontal reference lines.
//
// The zero value of every field is a sensible default: a chart
// DefaultWidth × DefaultHeight pixels whose axes fit the data. Series draw
// in the order given, later ones on top.
type XY struct {
	Title    string
	Subtitle string // a second line under the title, e.g. "Spearman ρ = 0.78 [0.35, 0.94]"
	X, Y     Axis
	Width    int // pixels; 0 means DefaultWidth
	Height   int // pixels; 0 means DefaultHeight
	Series   []Series
	Markers  []Marker
	Refs     []RefLine
}

// WriteSVG writes the chart as an SVG document (see Chart).
func (c *XY) WriteSVG(w io.Writer) error { return writeTo(w, c.build) }

// SVG returns the chart as an SVG document (see Chart).
func (c *XY) SVG() ([]byte, error) { return render(c.build) }

// Limits on what is drawn: above maxPointTitles points a scatter gets no
// per-point tooltips (the hover strips still give values), and a line is
// decimated when it has more than decimateFactor points per pixel column.
const (
	maxPointTitles = 1000
	decimateFactor = 4
)

// xySeries is a series prepared for drawing: its values in axis units.
type xySeries struct {
	*Series
	index        int
	color        string
	n            int
	x, y, lo, hi []float64 // axis units; y, lo and hi are nil when absent
	monotone     bool      // the finite x never decrease
	allFinite    bool      // no x is NaN or infinite
}

func (s *xySeries) rawX(i int) float64 {
	if s.Series.X == nil {
		return float64(i)
	}
	return s.Series.X[i]
}

// dashed reports whether the line is dashed: when asked, and for the
// series whose palette colour repeats an earlier one's (with the default
// colours, series 8 to 15 look like 0 to 7 otherwise).
func (s *xySeries) dashed() bool {
	return s.Dashed || (s.Color == "" && (s.index/PaletteSize)%2 == 1)
}

func (s *xySeries) name() string {
	if s.Name != "" {
		return s.Name
	}
	return "series " + strconv.Itoa(s.index)
}

// lineOK and bandOK report whether point i has a line value or a band.
func (s *xySeries) lineOK(i int) bool { return finite(s.x[i]) && finite(s.y[i]) }
func (s *xySeries) bandOK(i int) bool {
	return finite(s.x[i]) && finite(s.lo[i]) && finite(s.hi[i])
}

// xyLayout is where things go: the plot area and the two scales.
type xyLayout struct {
	width, height int
	plot          rect
	xs, ys        scale
	xPos, yPos    []float64
	xLab, yLab    []string
	xLabelY       float64 // baseline of the x axis label
}

// noteRow is the height of the line of a note under the x axis label.
const noteRow = 14.0

// xyData is the chart's input checked and in axis units.
type xyData struct {
	series     []xySeries
	xr, yr     dataRange // extent of the data (and markers and reference lines)
	dropped    int       // values a log axis cannot show
	onlyPoints bool      // a scatter
	anyPoints  bool
}

// prepare checks the series, transforms them to axis units and measures
// their extent.
func (c *XY) prepare() (*xyData, error) {
	if err := c.X.validate("x"); err != nil {
		return nil, err
	}
	if err := c.Y.validate("y"); err != nil {
		return nil, err
	}
	d := &xyData{series: make([]xySeries, len(c.Series)), onlyPoints: len(c.Series) > 0}
	for i := range c.Series {
		s := &c.Series[i]
		n, err := s.length(i)
		if err != nil {
			return nil, err
		}
		p := &d.series[i]
		p.Series, p.index, p.n = s, i, n
		p.color = s.Color
		if p.color == "" {
			p.color = Palette(i)
		}
		x := s.X
		if x == nil {
			x = make([]float64, n)
			for j := range x {
				x[j] = float64(j)
			}
		}
		p.x = c.X.transformAll(x, &d.dropped)
		p.y = c.Y.transformAll(s.Y, &d.dropped)
		p.lo = c.Y.transformAll(s.Lo, &d.dropped)
		p.hi = c.Y.transformAll(s.Hi, &d.dropped)
		p.monotone, p.allFinite = true, true
		last := math.Inf(-1)
		for j := 0; j < n; j++ {
			xj := p.x[j]
			if !finite(xj) {
				p.allFinite = false
				continue
			}
			if xj < last {
				p.monotone = false
			}
			last = xj
			// A point counts if it has a value or both ends of a band.
			any := false
			if p.y != nil && finite(p.y[j]) {
				d.yr.add(p.y[j])
				any = true
			}
			if p.lo != nil && finite(p.lo[j]) && finite(p.hi[j]) {
				d.yr.add(p.lo[j])
				d.yr.add(p.hi[j])
				any = true
			}
			if any {
				d.xr.add(xj)
			}
		}
		if s.Style.hasLine() || s.Y == nil {
			d.onlyPoints = false
		}
		if s.Style.hasPoints() && s.Y != nil {
			d.anyPoints = true
		}
	}
	if d.xr.ok {
		// Reference lines and markers are part of what the reader must
		// see. A marker may lie past the data: a run that diverges stops
		// before it logs the step where it did.
		for _, r := range c.Refs {
			d.yr.add(c.Y.transform(r.Y))
		}
		for _, m := range c.Markers {
			d.xr.add(c.X.transform(m.X))
		}
	}
	return d, nil
}

// legend returns the legend entries of the named series.
func (d *xyData) legend() []legendItem {
	var items []legendItem
	for i := range d.series {
		s := &d.series[i]
		if s.Name == "" {
			continue
		}
		it := legendItem{name: s.Name, color: s.color, shape: -1, dashed: s.dashed(),
			line: s.Y != nil && s.Style.hasLine(), band: s.Lo != nil}
		if s.Y != nil && s.Style.hasPoints() {
			it.shape = pointShape(i)
		}
		items = append(items, it)
	}
	return items
}

func (c *XY) build(w *svgWriter) error {
	d, err := c.prepare()
	if err != nil {
		return err
	}
	series, dropped, hasData := d.series, d.dropped, d.xr.ok
	items := d.legend()
	// Keep the outermost points off the frame; a line alone may touch it.
	xPad := 0.0
	switch {
	case d.onlyPoints:
		xPad = 0.04
	case d.anyPoints:
		xPad = 0.02
	}
	l := c.layout(hasData, d.xr, d.yr, xPad, items, dropped > 0)
	w.begin(l.width, l.height, c.ariaLabel())
	header(w, l.width, c.Title, c.Subtitle, items)
	if !hasData {
		msg := "no data"
		if dropped > 0 {
			msg = "no values > 0 to show on the log axis"
		}
		drawNoData(w, l.plot, msg)
		drawYAxis(w, l.ys, nil, nil, l.plot, c.Y.Label, false)
		drawXAxisLabel(w, l.plot, l.xLabelY, c.X.Label)
		w.end()
		return nil
	}

	plot := l.plot
	drawYAxis(w, l.ys, l.yPos, l.yLab, plot, c.Y.Label, true)
	w.WriteString(`<g class="grid-x">` + "\n")
	for _, t := range l.xPos {
		x := l.xs.pix(t)
		w.line(x, plot.y0, x, plot.y1, colorGrid, "")
	}
	w.WriteString("</g>\n")
	drawHover(w, series, l.xs, plot, axisName(c.X, "x"))
	for i := range series {
		if series[i].lo != nil {
			drawBand(w, &series[i], l.xs, l.ys, plot)
		}
	}
	refLabels := c.drawRefLines(w, l.ys, plot)
	markerLabels := c.drawMarkers(w, l.xs, plot)
	for i := range series {
		s := &series[i]
		if s.y != nil && s.Style.hasLine() {
			drawLine(w, s, l.xs, l.ys, plot)
		}
		if s.y != nil && s.Trend {
			drawTrend(w, s, l.xs, l.ys, plot)
		}
	}
	points := 0
	for i := range series {
		if series[i].y != nil && series[i].Style.hasPoints() {
			points += series[i].n
		}
	}
	for i := range series {
		s := &series[i]
		if s.y != nil && s.Style.hasPoints() {
			drawPoints(w, s, l.xs, l.ys, plot, axisName(c.X, "x"), axisName(c.Y, "y"), points <= maxPointTitles)
		}
	}

	drawAxisLines(w, plot)
	w.WriteString(`<g class="ticks-x">` + "\n")
	for i, t := range l.xPos {
		x := l.xs.pix(t)
		w.line(x, plot.y1, x, plot.y1+tickLength, colorAxis, "")
		w.label(x, plot.y1+tickLength+3+tickSize, anchorMiddle, tickSize, colorTickText, l.xLab[i], "")
	}
	w.WriteString("</g>\n")
	for _, f := range refLabels {
		f()
	}
	for _, f := range markerLabels {
		f()
	}
	drawXAxisLabel(w, plot, l.xLabelY, c.X.Label)
	if dropped > 0 {
		note := strconv.Itoa(dropped) + " values ≤ 0 not shown (log axis)"
		if dropped == 1 {
			note = "1 value ≤ 0 not shown (log axis)"
		}
		w.label(float64(l.width)-edge, xLabelBaseline(l.height), anchorEnd, noteSize, "#666666", note, ` class="note"`)
	}
	w.end()
	return nil
}

func (c *XY) ariaLabel() string {
	if c.Title != "" {
		return c.Title
	}
	return "chart"
}

// layout places the plot area: the header above, the x tick labels and
// axis label below, the y tick labels (whose width depends on the ticks,
// which depend on the plot's height) and axis label on the left.
func (c *XY) layout(hasData bool, xr, yr dataRange, xPad float64, items []legendItem, note bool) xyLayout {
	var l xyLayout
	l.width, l.height = frameSize(c.Width, c.Height)
	top := headerHeight(l.width, c.Title, c.Subtitle, items)
	// Under the plot: tick labels, then the axis label and the note about
	// values a log axis cannot show, each on a row of its own.
	bottom := float64(l.height) - (tickLength + 3 + tickSize + 8)
	l.xLabelY = xLabelBaseline(l.height)
	if c.X.Label != "" || note {
		bottom -= labelRoom
	}
	if c.X.Label != "" && note {
		bottom -= noteRow
		l.xLabelY -= noteRow
	}
	bottom = math.Max(bottom, top+20)
	left := edge
	if c.Y.Label != "" {
		left += labelRoom
	}
	right := float64(l.width) - 16

	xlo, xhi, ylo, yhi := 0.0, 1.0, 0.0, 1.0
	if hasData {
		xlo, xhi = xr.span(c.X, xPad)
		ylo, yhi = yr.span(c.Y, 0.05)
	}
	l.ys = scale{log: c.Y.Log, integer: c.Y.Integer && !c.Y.Log, lo: ylo, hi: yhi, p0: bottom, p1: top}
	if hasData {
		l.yPos, l.yLab = yTicks(l.ys)
		left += tickLength + 4 + maxTextWidth(l.yLab, tickSize)
	}
	l.xs = scale{log: c.X.Log, integer: c.X.Integer && !c.X.Log, lo: xlo, hi: xhi, p0: left, p1: right}
	if hasData {
		l.xPos, l.xLab = xTicks(l.xs)
		// The last label is centred on its tick and must stay in the frame.
		if k := len(l.xPos) - 1; k >= 0 {
			overhang := l.xs.pix(l.xPos[k]) + textWidth(l.xLab[k], tickSize)/2 - (float64(l.width) - 4)
			if overhang > 0 {
				right -= overhang
				l.xs.p1 = right
				l.xPos, l.xLab = xTicks(l.xs)
			}
		}
	}
	l.plot = rect{left, top, right, bottom}
	return l
}

// drawIndices returns the points of a series to draw: all of them, or for
// a long series with non-decreasing x the result of the M4 decimation over
// the plot's pixel columns, keeping the extremes of lo and hi (the same
// slice for a line).
func drawIndices(s *xySeries, lo, hi []float64, xs scale, plot rect) []int {
	columns := max(1, int(plot.x1-plot.x0))
	if s.monotone && s.n > decimateFactor*columns {
		return decimateBand(s.x, lo, hi, xs.lo, xs.hi, columns)
	}
	idx := make([]int, s.n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}

// runs calls f for every maximal run of consecutive entries of idx whose
// points are ok: the pieces of a line or band between gaps.
func runs(idx []int, ok func(int) bool, f func(run []int)) {
	start := -1
	for k, i := range idx {
		if ok(i) {
			if start < 0 {
				start = k
			}
			continue
		}
		if start >= 0 {
			f(idx[start:k])
			start = -1
		}
	}
	if start >= 0 {
		f(idx[start:])
	}
}

func drawLine(w *svgWriter, s *xySeries, xs, ys scale, plot rect) {
	idx := drawIndices(s, s.y, s.y, xs, plot)
	var p pathBuilder
	var px, py []float64
	runs(idx, s.lineOK, func(run []int) {
		px, py = px[:0], py[:0]
		for _, i := range run {
			px = append(px, xs.pix(s.x[i]))
			py = append(py, ys.pix(s.y[i]))
		}
		if len(run) == 1 {
			if plot.contains(px[0], py[0]) {
				p.moveTo(px[0], py[0])
				p.dot()
			}
			return
		}
		polyline(&p, px, py, plot)
	})
	if p.empty() {
		return
	}
	w.WriteString(`<path d="`)
	w.Write(p.b)
	w.WriteString(`" class="line" fill="none"`)
	w.attr("stroke", s.color)
	w.WriteString(` stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round"`)
	if s.dashed() {
		w.WriteString(` stroke-dasharray="5 3"`)
	}
	w.WriteString(` pointer-events="none"/>` + "\n")
}

// polyline adds the part of the polyline through (px[k], py[k]) that lies
// inside r to p, starting a new subpath wherever it leaves r.
func polyline(p *pathBuilder, px, py []float64, r rect) {
	penDown := false
	var lx, ly float64
	for k := 1; k < len(px); k++ {
		ax, ay, bx, by, ok := r.clipSegment(px[k-1], py[k-1], px[k], py[k])
		if !ok {
			penDown = false
			continue
		}
		if !penDown || ax != lx || ay != ly {
			p.moveTo(ax, ay)
		}
		p.lineTo(bx, by)
		lx, ly, penDown = bx, by, true
	}
}

// drawBand fills the area between lo and hi, one polygon per run between
// gaps: along hi forwards and back along lo.
func drawBand(w *svgWriter, s *xySeries, xs, ys scale, plot rect) {
	idx := drawIndices(s, s.lo, s.hi, xs, plot)
	var p pathBuilder
	runs(idx, s.bandOK, func(run []int) {
		if len(run) < 2 {
			return
		}
		px := make([]float64, 0, 2*len(run))
		py := make([]float64, 0, 2*len(run))
		for _, i := range run {
			px = append(px, xs.pix(s.x[i]))
			py = append(py, ys.pix(s.hi[i]))
		}
		for k := len(run) - 1; k >= 0; k-- {
			i := run[k]
			px = append(px, xs.pix(s.x[i]))
			py = append(py, ys.pix(s.lo[i]))
		}
		px, py = plot.clipPolygon(px, py)
		if len(px) < 3 {
			return
		}
		p.moveTo(px[0], py[0])
		for k := 1; k < len(px); k++ {
			p.lineTo(px[k], py[k])
		}
		p.close()
	})
	if p.empty() {
		return
	}
	w.WriteString(`<path d="`)
	w.Write(p.b)
	w.WriteString(`" class="band"`)
	w.attr("fill", s.color)
	w.WriteString(` fill-opacity="` + colorBandAlpha + `" stroke="none" pointer-events="none"/>` + "\n")
}

// drawPoints draws a marker at every point inside the plot, with a tooltip
// unless there are too many. A long series with non-decreasing x is
// decimated first, as a line is.
func drawPoints(w *svgWriter, s *xySeries, xs, ys scale, plot rect, xName, yName string, titles bool) {
	w.WriteString(`<g class="points">` + "\n")
	lx, ly := math.NaN(), math.NaN()
	for _, i := range drawIndices(s, s.y, s.y, xs, plot) {
		if !s.lineOK(i) {
			continue
		}
		x, y := xs.pix(s.x[i]), ys.pix(s.y[i])
		if !plot.contains(x, y) {
			continue
		}
		if !titles && math.Round(x) == lx && math.Round(y) == ly {
			continue // same pixel as the point before
		}
		lx, ly = math.Round(x), math.Round(y)
		title := ""
		if titles {
			title = s.pointTitle(i, xName, yName)
		}
		drawShape(w, pointShape(s.index), x, y, s.color, title)
		w.WriteByte('\n')
	}
	w.WriteString("</g>\n")
}

func (s *xySeries) pointTitle(i int, xName, yName string) string {
	var t []byte
	if s.Labels != nil && s.Labels[i] != "" {
		t = append(t, s.Labels[i]...)
		t = append(t, '\n')
	}
	if s.Name != "" {
		t = append(t, s.Name...)
		t = append(t, '\n')
	}
	t = append(t, xName+": "+FormatValue(s.rawX(i))+"\n"+yName+": "+FormatValue(s.Series.Y[i])...)
	if s.lo != nil {
		t = append(t, " ["+FormatValue(s.Series.Lo[i])+", "+FormatValue(s.Series.Hi[i])+"]"...)
	}
	return string(t)
}

// drawRefLines draws the horizontal reference lines and returns functions
// that draw their labels, which go on top of the data.
func (c *XY) drawRefLines(w *svgWriter, ys scale, plot rect) []func() {
	var labels []func()
	for _, r := range c.Refs {
		t := c.Y.transform(r.Y)
		if !finite(t) || t < ys.lo || t > ys.hi {
			continue
		}
		y := ys.pix(t)
		color := r.Color
		if color == "" {
			color = "#333333"
		}
		w.WriteString("<line")
		w.numAttr("x1", plot.x0)
		w.numAttr("y1", y)
		w.numAttr("x2", plot.x1)
		w.numAttr("y2", y)
		w.attr("stroke", color)
		w.WriteString(` class="ref" stroke-width="1.2" stroke-dasharray="6 3"><title>`)
		w.text(refTitle(r))
		w.WriteString("</title></line>\n")
		if r.Label != "" {
			label := r.Label
			labels = append(labels, func() {
				w.label(plot.x1-4, y-4, anchorEnd, noteSize, color, label, halo)
			})
		}
	}
	return labels
}

func refTitle(r RefLine) string {
	if r.Label == "" {
		return FormatValue(r.Y)
	}
	return r.Label + ": " + FormatValue(r.Y)
}

// drawMarkers draws the vertical markers and returns functions that draw
// their labels. Labels go in two rows at the top of the plot; a label that
// would overlap another is left out (the marker's tooltip still has it).
func (c *XY) drawMarkers(w *svgWriter, xs scale, plot rect) []func() {
	type placed struct {
		x     float64
		m     Marker
		color string
	}
	var ms []placed
	for _, m := range c.Markers {
		t := c.X.transform(m.X)
		if !finite(t) || t < xs.lo || t > xs.hi {
			continue
		}
		color := m.Color
		if color == "" {
			color = colorMarker
		}
		ms = append(ms, placed{xs.pix(t), m, color})
	}
	slices.SortStableFunc(ms, func(a, b placed) int {
		switch {
		case a.x < b.x:
			return -1
		case a.x > b.x:
			return 1
		}
		return 0
	})
	var labels []func()
	rowEnd := [2]float64{math.Inf(-1), math.Inf(-1)}
	for _, m := range ms {
		w.line(m.x, plot.y0, m.x, plot.y1, m.color, ` class="marker" stroke-dasharray="3 3"`)
		// A wider invisible line carries the tooltip: a 1-pixel line is
		// hard to point at.
		w.WriteString("<line")
		w.numAttr("x1", m.x)
		w.numAttr("y1", plot.y0)
		w.numAttr("x2", m.x)
		w.numAttr("y2", plot.y1)
		w.WriteString(` stroke="#000000" stroke-opacity="0" stroke-width="7">`)
		title := axisName(c.X, "x") + " " + FormatValue(m.m.X)
		if m.m.Label != "" {
			title = m.m.Label + " at " + title
		}
		w.title(title)
		w.WriteString("</line>\n")
		if m.m.Label == "" {
			continue
		}
		width := textWidth(m.m.Label, noteSize)
		x0, anchor, tx := m.x+3, anchorStart, m.x+3
		if x0+width > plot.x1 {
			x0, anchor, tx = m.x-3-width, anchorEnd, m.x-3
		}
		if x0 < plot.x0 {
			continue
		}
		for row := range rowEnd {
			if x0 >= rowEnd[row]+6 {
				rowEnd[row] = x0 + width
				y := plot.y0 + 11 + float64(row)*12
				label, color := m.m.Label, m.color
				labels = append(labels, func() {
					w.label(tx, y, anchor, noteSize, color, label, halo)
				})
				break
			}
		}
	}
	return labels
}
