package chart

import (
	"fmt"
	"io"
	"math"
	"strings"
)

// Bars is a chart of one value per category (a bar, or a dot), grouped
// side by side when there are several series, with optional error bars
// and the raw values behind each summary drawn over it: with five seeds
// per strategy, showing the five results is more honest than a mean alone.
type Bars struct {
	Title    string
	Subtitle string
	XLabel   string // what the categories are, e.g. "search strategy"
	// Y is the value axis. Bars start at zero, so their axis always
	// includes it and cannot be logarithmic.
	Y          Axis
	Width      int // pixels; 0 means DefaultWidth
	Height     int // pixels; 0 means DefaultHeight
	Categories []string
	Series     []BarSeries
	// Dots draws each value as a dot instead of a bar (a dot plot), for
	// values far from zero such as FID 40–60, whose differences bars from
	// zero would flatten. The axis then fits the data.
	Dots bool
}

// BarSeries holds one value per category. NaN or infinite values are
// left out.
type BarSeries struct {
	Name   string    // legend entry; may be empty for a single series
	Values []float64 // one per category, e.g. the mean over seeds
	// Lo and Hi, if given, are the ends of an error bar per category,
	// e.g. mean ± standard deviation or a bootstrap interval.
	Lo, Hi []float64
	// Points, if given, holds for each category the raw values the
	// summary comes from (e.g. one per seed), drawn as small dots.
	Points [][]float64
	Color  string // CSS colour; empty means the palette colour of the series index
}

// WriteSVG writes the chart as an SVG document (see Chart).
func (c *Bars) WriteSVG(w io.Writer) error { return writeTo(w, c.build) }

// SVG returns the chart as an SVG document (see Chart).
func (c *Bars) SVG() ([]byte, error) { return render(c.build) }

func (c *Bars) validate() error {
	if c.Y.Log {
		return fmt.Errorf("chart: bars: a logarithmic value axis is not supported")
	}
	if err := c.Y.validate("y"); err != nil {
		return err
	}
	n := len(c.Categories)
	for i, s := range c.Series {
		name := fmt.Sprintf("bar series %d", i)
		if s.Name != "" {
			name = fmt.Sprintf("bar series %d (%q)", i, s.Name)
		}
		if len(s.Values) != n {
			return fmt.Errorf("chart: %s: %d values for %d categories", name, len(s.Values), n)
		}
		if (s.Lo == nil) != (s.Hi == nil) {
			return fmt.Errorf("chart: %s: Lo and Hi go together, one is missing", name)
		}
		if s.Lo != nil && (len(s.Lo) != n || len(s.Hi) != n) {
			return fmt.Errorf("chart: %s: Lo and Hi have %d and %d values for %d categories", name, len(s.Lo), len(s.Hi), n)
		}
		if s.Points != nil && len(s.Points) != n {
			return fmt.Errorf("chart: %s: Points has %d lists for %d categories", name, len(s.Points), n)
		}
	}
	return nil
}

func (c *Bars) build(w *svgWriter) error {
	if err := c.validate(); err != nil {
		return err
	}
	width, height := frameSize(c.Width, c.Height)
	var yr dataRange
	for _, s := range c.Series {
		for j := range c.Categories {
			yr.add(s.Values[j])
			if s.Lo != nil {
				yr.add(s.Lo[j])
				yr.add(s.Hi[j])
			}
			if s.Points != nil {
				for _, v := range s.Points[j] {
					yr.add(v)
				}
			}
		}
	}
	hasData := yr.ok && len(c.Categories) > 0
	if hasData && !c.Dots {
		yr.add(0)
	}

	var items []legendItem
	if len(c.Series) > 1 || (len(c.Series) == 1 && c.Series[0].Name != "") {
		for i, s := range c.Series {
			it := legendItem{name: s.Name, color: barColor(s, i), shape: -1}
			if it.name == "" {
				it.name = fmt.Sprintf("series %d", i)
			}
			if c.Dots {
				it.shape = shapeCircle
			} else {
				it.box = true
			}
			items = append(items, it)
		}
	}

	// Layout: the category labels take up to two lines under the axis.
	top := headerHeight(width, c.Title, c.Subtitle, items)
	bottom := float64(height) - (tickLength + 4 + 2*(tickSize+2) + 6)
	if c.XLabel != "" {
		bottom -= labelRoom
	}
	bottom = math.Max(bottom, top+20)
	left := edge
	if c.Y.Label != "" {
		left += labelRoom
	}
	ylo, yhi := 0.0, 1.0
	if hasData {
		ylo, yhi = yr.span(c.Y, 0.05)
		if !c.Dots && !c.Y.fixed() {
			// Bars grow from zero: no padding below a zero baseline (or
			// above one, for all-negative values).
			if yr.lo >= 0 {
				ylo = 0
			}
			if yr.hi <= 0 {
				yhi = 0
			}
			// All values zero: both clamps apply, and a range of no
			// height cannot be drawn.
			if ylo == yhi {
				yhi = ylo + 1
			}
		}
	}
	ys := scale{lo: ylo, hi: yhi, p0: bottom, p1: top}
	var yPos []float64
	var yLab []string
	if hasData {
		yPos, yLab = yTicks(ys)
		left += tickLength + 4 + maxTextWidth(yLab, tickSize)
	}
	plot := rect{left, top, float64(width) - 16, bottom}

	w.begin(width, height, c.ariaLabel())
	header(w, width, c.Title, c.Subtitle, items)
	if !hasData {
		drawNoData(w, plot, "no data")
		drawYAxis(w, ys, nil, nil, plot, c.Y.Label, false)
		drawXAxisLabel(w, plot, xLabelBaseline(height), c.XLabel)
		w.end()
		return nil
	}
	drawYAxis(w, ys, yPos, yLab, plot, c.Y.Label, true)

	// Each category gets a slot; the series share 80% of it.
	slot := (plot.x1 - plot.x0) / float64(len(c.Categories))
	nSeries := max(1, len(c.Series))
	barW := math.Min(slot*0.8/float64(nSeries), 56)
	baseline := ys.pix(math.Min(math.Max(0, ys.lo), ys.hi))
	for j, cat := range c.Categories {
		centre := plot.x0 + (float64(j)+0.5)*slot
		for i, s := range c.Series {
			x := centre + (float64(i)-float64(nSeries-1)/2)*barW
			c.drawBar(w, s, i, j, cat, x, barW, baseline, ys, plot)
		}
	}
	if !c.Dots && ys.lo < 0 && ys.hi > 0 {
		w.line(plot.x0, baseline, plot.x1, baseline, colorAxis, "")
	}
	drawAxisLines(w, plot)
	w.WriteString(`<g class="ticks-x">` + "\n")
	for j, cat := range c.Categories {
		centre := plot.x0 + (float64(j)+0.5)*slot
		lines, cut := wrapLabel(cat, slot-6, tickSize, 2)
		w.WriteString("<g>")
		if cut {
			w.title(cat)
		}
		for k, line := range lines {
			w.label(centre, plot.y1+tickLength+3+tickSize+float64(k)*(tickSize+2), anchorMiddle, tickSize, colorTickText, line, "")
		}
		w.WriteString("</g>\n")
	}
	w.WriteString("</g>\n")
	drawXAxisLabel(w, plot, xLabelBaseline(height), c.XLabel)
	w.end()
	return nil
}

func barColor(s BarSeries, i int) string {
	if s.Color != "" {
		return s.Color
	}
	return Palette(i)
}

func (c *Bars) ariaLabel() string {
	if c.Title != "" {
		return c.Title
	}
	return "bar chart"
}

// drawBar draws series i's bar (or dot) for category j centred on x, with
// its error bar and raw points.
func (c *Bars) drawBar(w *svgWriter, s BarSeries, i, j int, cat string, x, barW, baseline float64, ys scale, plot rect) {
	color := barColor(s, i)
	clampY := func(y float64) float64 { return math.Min(math.Max(y, plot.y0), plot.y1) }
	v := s.Values[j]
	who := cat // category and series, for the tooltips
	if s.Name != "" {
		who += " · " + s.Name
	}
	title := who + ": " + FormatValue(v)
	if s.Lo != nil {
		title += " [" + FormatValue(s.Lo[j]) + ", " + FormatValue(s.Hi[j]) + "]"
	}
	if s.Points != nil {
		title += fmt.Sprintf(" (n = %d)", len(s.Points[j]))
	}
	if !finite(v) {
		// Say that the value is missing rather than leave a silent gap.
		w.WriteString(`<g class="missing">`)
		w.title(who + ": no value")
		w.label(x, baseline-4, anchorMiddle, noteSize, "#777777", "n/a", "")
		w.WriteString("</g>\n")
	}
	if finite(v) && !c.Dots {
		y := clampY(ys.pix(v))
		w.WriteString("<rect")
		w.numAttr("x", x-barW/2+1)
		w.numAttr("y", math.Min(y, baseline))
		w.numAttr("width", math.Max(barW-2, 1))
		w.numAttr("height", math.Abs(baseline-y))
		w.attr("fill", color)
		w.WriteString(` class="bar" fill-opacity="0.85">`)
		w.title(title)
		w.WriteString("</rect>\n")
	}
	if s.Lo != nil && finite(s.Lo[j]) && finite(s.Hi[j]) {
		y0, y1 := clampY(ys.pix(s.Lo[j])), clampY(ys.pix(s.Hi[j]))
		capW := math.Min(barW*0.3, 8) // half the width of the caps
		w.WriteString(`<path d="`)
		var p pathBuilder
		p.moveTo(x, y0)
		p.lineTo(x, y1)
		p.moveTo(x-capW, y0)
		p.lineTo(x+capW, y0)
		p.moveTo(x-capW, y1)
		p.lineTo(x+capW, y1)
		w.Write(p.b)
		w.WriteString(`" class="err" stroke="#222222" stroke-width="1.3" fill="none">`)
		w.title(title)
		w.WriteString("</path>\n")
	}
	if finite(v) && c.Dots {
		y := ys.pix(v)
		if plot.contains(x, y) {
			w.WriteString("<circle")
			w.numAttr("cx", x)
			w.numAttr("cy", y)
			w.WriteString(` r="5"`)
			w.attr("fill", color)
			w.WriteString(` class="dot" stroke="#ffffff" stroke-width="1">`)
			w.title(title)
			w.WriteString("</circle>\n")
		}
	}
	if s.Points != nil && len(s.Points[j]) > 0 {
		// Spread the raw values across the bar in their given order (no
		// random jitter: the output must not change between runs).
		pts := s.Points[j]
		spacing := 0.0
		if len(pts) > 1 {
			spacing = math.Min(barW*0.6/float64(len(pts)-1), 7)
		}
		if c.Dots {
			x += barW * 0.25 // beside the summary dot, not under it
			spacing = math.Min(spacing, barW*0.2/float64(max(1, len(pts)-1)))
		}
		w.WriteString(`<g class="raw" fill="#222222" fill-opacity="0.75" stroke="#ffffff" stroke-width="0.5">`)
		for k, pv := range pts {
			px := x + (float64(k)-float64(len(pts)-1)/2)*spacing
			if c.Dots {
				px = x + float64(k)*spacing
			}
			py := ys.pix(pv)
			if !finite(pv) || !plot.contains(px, py) {
				continue
			}
			w.WriteString("<circle")
			w.numAttr("cx", px)
			w.numAttr("cy", py)
			w.WriteString(` r="2.5">`)
			w.title(fmt.Sprintf("%s: %s (value %d of %d)", who, FormatValue(pv), k+1, len(pts)))
			w.WriteString("</circle>")
		}
		w.WriteString("</g>\n")
	}
}

// wrapLabel breaks s at spaces into at most maxLines lines no wider than
// width, shortening the last with an ellipsis if it does not fit; cut
// reports whether anything was left out.
func wrapLabel(s string, width, size float64, maxLines int) (lines []string, cut bool) {
	words := strings.Fields(s)
	if len(words) == 0 {
		return nil, false
	}
	line := ""
	for k, word := range words {
		try := word
		if line != "" {
			try = line + " " + word
		}
		if textWidth(try, size) <= width || line == "" {
			line = try
			continue
		}
		lines = append(lines, line)
		if len(lines) == maxLines {
			return shorten(lines, strings.Join(words[k:], " "), width, size), true
		}
		line = word
	}
	if line != "" {
		lines = append(lines, line)
	}
	last := lines[len(lines)-1]
	if textWidth(last, size) > width {
		lines[len(lines)-1] = ellipsis(last, width, size)
		cut = true
	}
	return lines, cut
}

// shorten marks that rest did not fit after the last line.
func shorten(lines []string, rest string, width, size float64) []string {
	last := lines[len(lines)-1] + " " + rest
	lines[len(lines)-1] = ellipsis(last, width, size)
	return lines
}

// ellipsis cuts s to fit width, ending in "…".
func ellipsis(s string, width, size float64) string {
	if textWidth(s, size) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && textWidth(string(r)+"…", size) > width {
		r = r[:len(r)-1]
	}
	return strings.TrimRight(string(r), " ") + "…"
}
