package chart

import (
	"fmt"
	"io"
	"math"
	"strconv"
)

// Heatmap shows a matrix of values as coloured cells, with row and column
// labels and a colour legend: for example the controller's probability of
// each choice (rows) over the search iterations (columns), where a search
// that converges shows rows turning bright or dark from left to right.
// Colours come from the viridis map (see Viridis).
type Heatmap struct {
	Title      string
	Subtitle   string
	XLabel     string // what the columns are, e.g. "search iteration"
	YLabel     string // what the rows are, e.g. "token: choice"
	ValueLabel string // what the colour means, e.g. "probability"
	Width      int    // pixels; 0 means DefaultWidth
	Height     int    // pixels; 0 means DefaultHeight
	// Rows and Cols label the rows and columns; either may be nil for
	// unlabelled ones. Labels that do not fit are thinned out (and
	// always appear in the cells' tooltips).
	Rows, Cols []string
	// Values[r][c] is the value of row r and column c. Every row has the
	// same length. NaN or infinite values are shown as empty cells.
	Values [][]float64
	// Min and Max fix the values of the two ends of the colour scale when
	// Min < Max (for probabilities, 0 and 1); otherwise the scale spans the
	// data. Values outside take the colour of the nearer end.
	Min, Max float64
}

// WriteSVG writes the chart as an SVG document (see Chart).
func (c *Heatmap) WriteSVG(w io.Writer) error { return writeTo(w, c.build) }

// SVG returns the chart as an SVG document (see Chart).
func (c *Heatmap) SVG() ([]byte, error) { return render(c.build) }

// maxCellTitles bounds the tooltips: above it cells carry none, which
// keeps a very large matrix from making a very large file.
const maxCellTitles = 10000

// size returns the number of rows and columns and checks the shape.
func (c *Heatmap) size() (rows, cols int, err error) {
	rows = len(c.Values)
	if c.Rows != nil && len(c.Rows) != rows {
		return 0, 0, fmt.Errorf("chart: heatmap: %d row labels for %d rows", len(c.Rows), rows)
	}
	cols = len(c.Cols)
	if c.Cols == nil && rows > 0 {
		cols = len(c.Values[0])
	}
	for r, row := range c.Values {
		if len(row) != cols {
			return 0, 0, fmt.Errorf("chart: heatmap: row %d has %d values, want %d", r, len(row), cols)
		}
	}
	if c.Min < c.Max && (!finite(c.Min) || !finite(c.Max)) {
		return 0, 0, fmt.Errorf("chart: heatmap: Min and Max must be finite, got %v and %v", c.Min, c.Max)
	}
	return rows, cols, nil
}

func (c *Heatmap) build(w *svgWriter) error {
	rows, cols, err := c.size()
	if err != nil {
		return err
	}
	width, height := frameSize(c.Width, c.Height)
	var vr dataRange
	for _, row := range c.Values {
		for _, v := range row {
			vr.add(v)
		}
	}
	lo, hi := vr.lo, vr.hi
	if c.Min < c.Max {
		lo, hi = c.Min, c.Max
	} else if lo == hi {
		lo, hi = lo-0.5, hi+0.5 // one value: mid-scale colour
	}
	hasData := vr.ok

	// The colour legend on the right: a bar, its tick labels, its title.
	legendTicks, legendStep := niceTicks(lo, hi, 5)
	legendLabels := tickLabels(legendTicks, legendStep)
	const barWidth = 12.0
	right := float64(width) - edge - barWidth - tickLength - 4 - maxTextWidth(legendLabels, tickSize) - 14
	if c.ValueLabel != "" {
		right -= labelRoom
	}
	top := headerHeight(width, c.Title, c.Subtitle, nil)
	bottom := float64(height) - (tickLength + 3 + tickSize + 8)
	if c.XLabel != "" {
		bottom -= labelRoom
	}
	bottom = math.Max(bottom, top+20)
	left := edge
	if c.YLabel != "" {
		left += labelRoom
	}
	// Row labels may take up to a third of the width; longer ones are cut.
	rowLabelRoom := math.Min(maxTextWidth(c.Rows, tickSize), float64(width)/3)
	if c.Rows != nil {
		left += rowLabelRoom + tickLength + 4
	}
	plot := rect{left, top, right, bottom}

	w.begin(width, height, c.ariaLabel())
	header(w, width, c.Title, c.Subtitle, nil)
	if !hasData || rows == 0 || cols == 0 {
		drawNoData(w, plot, "no data")
		c.drawAxisLabels(w, plot, height)
		w.end()
		return nil
	}

	cellW := (plot.x1 - plot.x0) / float64(cols)
	cellH := (plot.y1 - plot.y0) / float64(rows)
	titles := rows*cols <= maxCellTitles
	// crispEdges keeps anti-aliasing from drawing hairlines between cells.
	w.WriteString(`<g class="cells" shape-rendering="crispEdges">` + "\n")
	for r, row := range c.Values {
		y0 := plot.y0 + float64(r)*cellH
		for k, v := range row {
			x0 := plot.x0 + float64(k)*cellW
			w.WriteString("<rect")
			w.numAttr("x", x0)
			w.numAttr("y", y0)
			// Each cell reaches half a pixel under its right and lower
			// neighbours, which are drawn after it: at any zoom, a
			// pixel boundary between two cells is then never left blank.
			cw := round1(plot.x0+float64(k+1)*cellW) - round1(x0)
			ch := round1(plot.y0+float64(r+1)*cellH) - round1(y0)
			if k < cols-1 {
				cw += cellOverlap
			}
			if r < rows-1 {
				ch += cellOverlap
			}
			w.numAttr("width", cw)
			w.numAttr("height", ch)
			color := colorNoValue
			if finite(v) {
				color = Viridis((v - lo) / (hi - lo))
			}
			w.attr("fill", color)
			if !titles {
				w.WriteString("/>\n")
				continue
			}
			w.WriteByte('>')
			w.title(c.cellTitle(r, k, v))
			w.WriteString("</rect>\n")
		}
	}
	w.WriteString("</g>\n")

	// Row labels, every k-th when the rows are too thin for all of them.
	if c.Rows != nil {
		every := thinning(rows, cellH, tickSize+2)
		w.WriteString(`<g class="ticks-y">` + "\n")
		for r, label := range c.Rows {
			if r%every != 0 {
				continue
			}
			y := plot.y0 + (float64(r)+0.5)*cellH
			w.label(plot.x0-tickLength-3, y+4, anchorEnd, tickSize, colorTickText, ellipsis(label, rowLabelRoom, tickSize), "")
		}
		w.WriteString("</g>\n")
	}
	if c.Cols != nil {
		every := thinning(cols, cellW, maxTextWidth(c.Cols, tickSize)+8)
		numeric := allIntegers(c.Cols)
		w.WriteString(`<g class="ticks-x">` + "\n")
		for k, label := range c.Cols {
			show := k%every == 0
			if numeric != nil {
				show = numeric[k]%every == 0 // 5, 10, 15 rather than 1, 6, 11
			}
			if !show {
				continue
			}
			x := plot.x0 + (float64(k)+0.5)*cellW
			w.line(x, plot.y1, x, plot.y1+tickLength, colorAxis, "")
			w.label(x, plot.y1+tickLength+3+tickSize, anchorMiddle, tickSize, colorTickText, label, "")
		}
		w.WriteString("</g>\n")
	}
	c.drawAxisLabels(w, plot, height)
	c.drawColorLegend(w, plot, width, lo, hi, legendTicks, legendLabels, barWidth)
	w.end()
	return nil
}

const cellOverlap = 0.5

func round1(v float64) float64 { return math.Round(v*10) / 10 }

func (c *Heatmap) ariaLabel() string {
	if c.Title != "" {
		return c.Title
	}
	return "heatmap"
}

func (c *Heatmap) cellTitle(r, k int, v float64) string {
	row, col := strconv.Itoa(r), strconv.Itoa(k)
	if c.Rows != nil {
		row = c.Rows[r]
	}
	if c.Cols != nil {
		col = c.Cols[k]
	}
	value := "no value"
	if finite(v) {
		value = FormatValue(v)
	}
	colName := c.XLabel
	if colName == "" {
		colName = "column"
	}
	return row + " · " + colName + " " + col + ": " + value
}

func (c *Heatmap) drawAxisLabels(w *svgWriter, plot rect, height int) {
	drawYAxis(w, scale{}, nil, nil, plot, c.YLabel, false)
	drawXAxisLabel(w, plot, xLabelBaseline(height), c.XLabel)
}

// drawColorLegend draws the colour scale right of the plot: a column of
// small boxes (a gradient would need an id, see clip.go) with ticks.
func (c *Heatmap) drawColorLegend(w *svgWriter, plot rect, width int, lo, hi float64, ticks []float64, labels []string, barWidth float64) {
	x := plot.x1 + 14
	y0, y1 := plot.y0, plot.y1
	const steps = 48
	w.WriteString(`<g class="colorbar" shape-rendering="crispEdges">`)
	for k := 0; k < steps; k++ {
		// k = 0 is the top, the high end of the scale.
		ya, yb := y0+float64(k)*(y1-y0)/steps, y0+float64(k+1)*(y1-y0)/steps
		w.WriteString("<rect")
		w.numAttr("x", x)
		w.numAttr("y", ya)
		w.numAttr("width", barWidth)
		w.numAttr("height", round1(yb)-round1(ya))
		w.attr("fill", Viridis(1-(float64(k)+0.5)/steps))
		w.WriteString("/>")
	}
	w.WriteString("</g>\n")
	for i, t := range ticks {
		y := y1 - (t-lo)/(hi-lo)*(y1-y0)
		w.line(x+barWidth, y, x+barWidth+tickLength, y, colorAxis, "")
		w.label(x+barWidth+tickLength+3, y+4, anchorStart, tickSize, colorTickText, labels[i], "")
	}
	if c.ValueLabel != "" {
		lx, ly := float64(width)-edge-labelRoom+4, (y0+y1)/2 // glyphs extend to the right of a line turned by 90°
		w.WriteString("<text")
		w.numAttr("x", lx)
		w.numAttr("y", ly)
		w.WriteString(` text-anchor="middle"`)
		w.attr("fill", colorText)
		w.WriteString(` transform="rotate(90 `)
		w.num(lx)
		w.WriteByte(' ')
		w.num(ly)
		w.WriteString(`)">`)
		w.text(c.ValueLabel)
		w.WriteString("</text>\n")
	}
}

// thinning returns k such that showing every k-th of n labels, each
// needing need pixels along a cell size of cell pixels, leaves no overlap;
// k is 1, 2, 5, 10, 20, ... for a regular rhythm.
func thinning(n int, cell, need float64) int {
	for _, k := range []int{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000} {
		if float64(k)*cell >= need {
			return k
		}
	}
	return max(1, n)
}

// allIntegers returns the labels as integers if every one is one.
func allIntegers(labels []string) []int {
	out := make([]int, len(labels))
	for i, l := range labels {
		v, err := strconv.Atoi(l)
		if err != nil {
			return nil
		}
		out[i] = v
	}
	return out
}
