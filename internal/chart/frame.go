package chart

import (
	"io"
	"math"
)

// The frame is what every chart kind shares: the size, the title and
// subtitle, the legend, axes with ticks and labels, and the "no data" face.

// Chart is implemented by the chart kinds of this package: [XY], [Bars]
// and [Heatmap].
type Chart interface {
	// WriteSVG writes the chart as a standalone SVG document, which is
	// also valid inline in HTML. It returns an error for inconsistent
	// input (such as x and y of different lengths) before writing.
	WriteSVG(w io.Writer) error
	// SVG returns what WriteSVG writes.
	SVG() ([]byte, error)
}

// Default and smallest sizes in pixels. The default suits one chart per
// row of a report page; the minimum keeps room for the axes.
const (
	DefaultWidth  = 720
	DefaultHeight = 300
	minWidth      = 200
	minHeight     = 120
)

func frameSize(width, height int) (int, int) {
	if width <= 0 {
		width = DefaultWidth
	}
	if height <= 0 {
		height = DefaultHeight
	}
	return max(width, minWidth), max(height, minHeight)
}

// Font sizes in pixels.
const (
	titleSize    = 15
	subtitleSize = 12
	labelSize    = 12 // axis labels, legend
	tickSize     = 11 // tick labels
	noteSize     = 10 // marker labels, notes
)

// Horizontal margin of the frame, tick length, and the vertical room an
// axis label takes.
const (
	edge       = 12.0
	tickLength = 5.0
	labelRoom  = 18.0
)

// writeTo writes the document a chart built, or the error of building it.
func writeTo(w io.Writer, build func(*svgWriter) error) error {
	var b svgWriter
	if err := build(&b); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// render returns the document a chart builds.
func render(build func(*svgWriter) error) ([]byte, error) {
	var b svgWriter
	if err := build(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// legendItem is one entry of a legend: a swatch drawn like the series and
// its name.
type legendItem struct {
	name   string
	color  string
	line   bool // a line segment
	dashed bool
	shape  int  // point shape, or -1 for none
	band   bool // a translucent box behind the line
	box    bool // a filled box, for bars
}

const (
	swatchWidth = 22.0
	legendRow   = 18.0
)

func (it legendItem) width() float64 {
	return swatchWidth + 5 + textWidth(it.name, labelSize) + 16
}

// legendRows returns the number of rows the items need when wrapped to
// maxWidth; an item wider than a row gets a row of its own.
func legendRows(items []legendItem, maxWidth float64) int {
	if len(items) == 0 {
		return 0
	}
	rows, x := 1, 0.0
	for _, it := range items {
		if x > 0 && x+it.width() > maxWidth {
			rows++
			x = 0
		}
		x += it.width()
	}
	return rows
}

// drawLegend draws the items in rows from (x0, y0), the top left corner.
func drawLegend(w *svgWriter, items []legendItem, x0, y0, maxWidth float64) {
	w.WriteString(`<g class="legend">` + "\n")
	defer w.WriteString("</g>\n")
	x, y := x0, y0
	for _, it := range items {
		if x > x0 && x-x0+it.width() > maxWidth {
			x = x0
			y += legendRow
		}
		mid := y + legendRow/2
		w.WriteString("<g>")
		w.title(it.name)
		if it.band {
			w.WriteString("<rect")
			w.numAttr("x", x)
			w.numAttr("y", mid-6)
			w.numAttr("width", swatchWidth)
			w.numAttr("height", 12)
			w.attr("fill", it.color)
			w.WriteString(` fill-opacity="` + colorBandAlpha + `"/>`)
		}
		if it.box {
			w.WriteString("<rect")
			w.numAttr("x", x+5)
			w.numAttr("y", mid-6)
			w.numAttr("width", 12)
			w.numAttr("height", 12)
			w.attr("fill", it.color)
			w.WriteString("/>")
		}
		if it.line {
			extra := ` stroke-width="2"`
			if it.dashed {
				extra += ` stroke-dasharray="5 3"`
			}
			w.line(x, mid, x+swatchWidth, mid, it.color, extra)
		}
		if it.shape >= 0 {
			drawShape(w, it.shape, x+swatchWidth/2, mid, it.color, "")
		}
		w.label(x+swatchWidth+5, mid+4, anchorStart, labelSize, colorText, it.name, "")
		w.WriteString("</g>\n")
		x += it.width()
	}
}

// header draws the title, the subtitle and the legend from the top of a
// chart width pixels wide, and returns the y where the plot may start.
func header(w *svgWriter, width int, title, subtitle string, items []legendItem) float64 {
	y := 8.0
	if title != "" {
		w.label(edge, y+titleSize, anchorStart, titleSize, colorText, title, ` font-weight="600"`)
		y += titleSize + 8
	}
	if subtitle != "" {
		w.label(edge, y+subtitleSize, anchorStart, subtitleSize, "#555555", subtitle, "")
		y += subtitleSize + 6
	}
	if len(items) > 0 {
		y += 2
		drawLegend(w, items, edge, y, float64(width)-2*edge)
		y += float64(legendRows(items, float64(width)-2*edge)) * legendRow
	}
	return y + 8
}

// headerHeight is the height header would use, for layout before drawing.
func headerHeight(width int, title, subtitle string, items []legendItem) float64 {
	var scratch svgWriter
	return header(&scratch, width, title, subtitle, items)
}

// drawShape draws one point marker centred on (x, y), filled with the
// series colour and outlined in white so that overlapping points stay
// apart, with a tooltip unless title is empty.
func drawShape(w *svgWriter, shape int, x, y float64, color, title string) {
	const r = 3.5
	switch shape {
	case shapeSquare:
		w.WriteString("<rect")
		w.numAttr("x", x-r*0.9)
		w.numAttr("y", y-r*0.9)
		w.numAttr("width", 2*r*0.9)
		w.numAttr("height", 2*r*0.9)
	case shapeTriangle, shapeTriangleDown, shapeDiamond:
		var p pathBuilder
		switch shape {
		case shapeTriangle:
			p.moveTo(x, y-r*1.2)
			p.lineTo(x+r*1.1, y+r*0.8)
			p.lineTo(x-r*1.1, y+r*0.8)
		case shapeTriangleDown:
			p.moveTo(x, y+r*1.2)
			p.lineTo(x+r*1.1, y-r*0.8)
			p.lineTo(x-r*1.1, y-r*0.8)
		default:
			p.moveTo(x, y-r*1.25)
			p.lineTo(x+r*1.1, y)
			p.lineTo(x, y+r*1.25)
			p.lineTo(x-r*1.1, y)
		}
		p.close()
		w.WriteString(`<path d="`)
		w.Write(p.b)
		w.WriteByte('"')
	default:
		w.WriteString("<circle")
		w.numAttr("cx", x)
		w.numAttr("cy", y)
		w.numAttr("r", r)
	}
	w.attr("fill", color)
	w.WriteString(` stroke="#ffffff" stroke-width="0.75"`)
	if title == "" {
		w.WriteString("/>")
		return
	}
	w.WriteByte('>')
	w.title(title)
	switch shape {
	case shapeSquare:
		w.WriteString("</rect>")
	case shapeTriangle, shapeTriangleDown, shapeDiamond:
		w.WriteString("</path>")
	default:
		w.WriteString("</circle>")
	}
}

// maxTextWidth is the width of the widest of labels.
func maxTextWidth(labels []string, size float64) float64 {
	m := 0.0
	for _, l := range labels {
		m = math.Max(m, textWidth(l, size))
	}
	return m
}

// drawYAxis draws the grid lines, the axis line, the ticks and their
// labels of a vertical axis along the left side of plot, and its label.
func drawYAxis(w *svgWriter, s scale, pos []float64, labels []string, plot rect, label string, grid bool) {
	if grid {
		w.WriteString(`<g class="grid-y">` + "\n")
		for _, t := range pos {
			if y := s.pix(t); y >= plot.y0-0.5 && y <= plot.y1+0.5 {
				w.line(plot.x0, y, plot.x1, y, colorGrid, "")
			}
		}
		w.WriteString("</g>\n")
	}
	w.WriteString(`<g class="ticks-y">` + "\n")
	for i, t := range pos {
		y := s.pix(t)
		if y < plot.y0-0.5 || y > plot.y1+0.5 {
			continue
		}
		w.line(plot.x0-tickLength, y, plot.x0, y, colorAxis, "")
		w.label(plot.x0-tickLength-3, y+4, anchorEnd, tickSize, colorTickText, labels[i], "")
	}
	w.WriteString("</g>\n")
	if label != "" {
		x, y := edge+labelSize-2, (plot.y0+plot.y1)/2
		w.WriteString("<text")
		w.numAttr("x", x)
		w.numAttr("y", y)
		w.WriteString(` text-anchor="middle"`)
		w.attr("fill", colorText)
		w.WriteString(` transform="rotate(-90 `)
		w.num(x)
		w.WriteByte(' ')
		w.num(y)
		w.WriteString(`)">`)
		w.text(label)
		w.WriteString("</text>\n")
	}
}

// drawXAxisLabel draws the label under a horizontal axis, on the baseline
// y (usually the bottom of the chart: xLabelBaseline).
func drawXAxisLabel(w *svgWriter, plot rect, y float64, label string) {
	if label != "" {
		w.label((plot.x0+plot.x1)/2, y, anchorMiddle, labelSize, colorText, label, "")
	}
}

// xLabelBaseline is the baseline of the x axis label of a chart height
// pixels high.
func xLabelBaseline(height int) float64 { return float64(height) - 8 }

// drawAxisLines draws the left and bottom axis lines over the data.
func drawAxisLines(w *svgWriter, plot rect) {
	w.line(plot.x0, plot.y0, plot.x0, plot.y1, colorAxis, ` class="axis-y"`)
	w.line(plot.x0, plot.y1, plot.x1, plot.y1, colorAxis, ` class="axis-x"`)
}

// drawNoData draws the message in the middle of an empty plot area.
func drawNoData(w *svgWriter, plot rect, msg string) {
	w.WriteString("<rect")
	w.numAttr("x", plot.x0)
	w.numAttr("y", plot.y0)
	w.numAttr("width", plot.x1-plot.x0)
	w.numAttr("height", plot.y1-plot.y0)
	w.WriteString(` fill="#fafafa" stroke="` + colorGrid + `"/>` + "\n")
	w.label((plot.x0+plot.x1)/2, (plot.y0+plot.y1)/2+5, anchorMiddle, 14, "#777777", msg, ` class="no-data"`)
}
