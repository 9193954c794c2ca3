package chart

import (
	"bytes"
	"encoding/xml"
	"math"
	"strconv"
)

// The SVG writer: every chart builds its document in one buffer through
// these helpers, so that numbers and text are formatted in one place.
// Coordinates are written with at most one decimal (a tenth of a pixel is
// below what a screen shows and keeps files small), and the same input
// always gives the same bytes.

// fontFamily names only fonts that are installed, never downloaded.
const fontFamily = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif"

// Colours of the frame, shared by every chart kind.
const (
	colorText      = "#222222"
	colorTickText  = "#444444"
	colorAxis      = "#666666"
	colorGrid      = "#e6e6e6"
	colorMarker    = "#555555"
	colorBandAlpha = "0.2"
	colorNoValue   = "#eeeeee"
)

type svgWriter struct {
	bytes.Buffer
}

// num writes v rounded to a tenth, without trailing zeros: 12, 12.5, -3.2.
func (w *svgWriter) num(v float64) {
	w.Write(appendNum(w.AvailableBuffer(), v))
}

func appendNum(b []byte, v float64) []byte {
	if !finite(v) {
		return append(b, '0')
	}
	r := math.Round(v * 10)
	if r == 0 {
		return append(b, '0') // also for -0.04, which would print as -0
	}
	return strconv.AppendFloat(b, r/10, 'f', -1, 64)
}

// text writes s escaped for use in element text or an attribute value;
// characters that XML does not allow become U+FFFD.
func (w *svgWriter) text(s string) {
	xml.EscapeText(w, []byte(s)) // writing to a bytes.Buffer cannot fail
}

// attr writes ` name="value"` with the value escaped.
func (w *svgWriter) attr(name, value string) {
	w.WriteByte(' ')
	w.WriteString(name)
	w.WriteString(`="`)
	w.text(value)
	w.WriteByte('"')
}

// numAttr writes ` name="number"`.
func (w *svgWriter) numAttr(name string, v float64) {
	w.WriteByte(' ')
	w.WriteString(name)
	w.WriteString(`="`)
	w.num(v)
	w.WriteByte('"')
}

// title writes a <title> child: browsers show it as a tooltip when the
// pointer rests on the parent element, with no script.
func (w *svgWriter) title(s string) {
	w.WriteString("<title>")
	w.text(s)
	w.WriteString("</title>")
}

// begin writes the root element. The width and height give the natural
// size in pixels; the viewBox lets a page scale the chart to its column
// (the style keeps it from overflowing a narrow one). label is the
// accessible name read by screen readers.
func (w *svgWriter) begin(width, height int, label string) {
	w.WriteString(`<svg xmlns="http://www.w3.org/2000/svg"`)
	w.numAttr("width", float64(width))
	w.numAttr("height", float64(height))
	w.WriteString(` viewBox="0 0 `)
	w.num(float64(width))
	w.WriteByte(' ')
	w.num(float64(height))
	w.WriteString(`" style="max-width:100%;height:auto" role="img"`)
	w.attr("aria-label", label)
	w.attr("font-family", fontFamily)
	w.WriteString(` font-size="12">` + "\n")
	w.WriteString(`<rect width="100%" height="100%" fill="#ffffff"/>` + "\n")
}

func (w *svgWriter) end() { w.WriteString("</svg>\n") }

// line writes a straight line; extra holds further attributes verbatim.
func (w *svgWriter) line(x1, y1, x2, y2 float64, stroke string, extra string) {
	w.WriteString("<line")
	w.numAttr("x1", x1)
	w.numAttr("y1", y1)
	w.numAttr("x2", x2)
	w.numAttr("y2", y2)
	w.attr("stroke", stroke)
	w.WriteString(extra)
	w.WriteString("/>\n")
}

// textAnchor values for label.
const (
	anchorStart  = "start"
	anchorMiddle = "middle"
	anchorEnd    = "end"
)

// label writes a text element at (x, y), y being the baseline. extra holds
// further attributes verbatim (rotation, weight, halo).
func (w *svgWriter) label(x, y float64, anchor string, size float64, fill, s, extra string) {
	w.WriteString("<text")
	w.numAttr("x", x)
	w.numAttr("y", y)
	if anchor != anchorStart {
		w.attr("text-anchor", anchor)
	}
	if size != 12 {
		w.numAttr("font-size", size)
	}
	w.attr("fill", fill)
	w.WriteString(extra)
	w.WriteByte('>')
	w.text(s)
	w.WriteString("</text>\n")
}

// halo draws a white outline behind text so that it stays readable where
// it crosses lines; paint-order puts the stroke under the glyphs.
const halo = ` stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"`

// textWidth estimates the width in pixels of s at the given font size.
// There are no font metrics without a renderer; these classes of glyph
// widths (in ems, close to DejaVu Sans, a wide font, so that estimates err
// on the roomy side) are enough to lay labels out without overlaps.
func textWidth(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		switch {
		case r == ' ' || r == '.' || r == ',' || r == ':' || r == ';' || r == '\'' || r == '|' ||
			r == 'i' || r == 'j' || r == 'l' || r == 'I' || r == '!':
			w += 0.3
		case r == 'f' || r == 't' || r == 'r' || r == '(' || r == ')' || r == '[' || r == ']' || r == '-':
			w += 0.4
		case r == 'm' || r == 'w' || r == 'M' || r == 'W' || r == '%' || r == '@':
			w += 0.9
		case r >= 'A' && r <= 'Z':
			w += 0.7
		default:
			w += 0.62
		}
	}
	return w * size
}

// pathBuilder writes the d attribute of a path from pixel coordinates.
// After the first point of a subpath it writes relative moves ("l" with
// the difference to the point before, counted in whole tenths of a pixel
// so that rounding never accumulates): a dense line moves a fraction of a
// pixel to the right and some pixels up or down per point, and ".3-12.5"
// is shorter than "312.3 87.5". Points that round to the same tenth as the
// one before are left out (a dense series has many).
type pathBuilder struct {
	b      []byte
	lx, ly int64 // the current point, in tenths of a pixel
	sx, sy int64 // the start of the current subpath
	cmd    byte  // last command written: 'M', 'l', 'h' or 'Z'
}

func tenths(v float64) int64 {
	if !finite(v) {
		return 0
	}
	return int64(math.Round(v * 10))
}

// appendTenths writes t tenths as a short decimal: 12.3, -.5, 7, 0.
func appendTenths(b []byte, t int64) []byte {
	if t < 0 {
		b = append(b, '-')
		t = -t
	}
	whole, frac := t/10, t%10
	if whole != 0 || frac == 0 {
		b = strconv.AppendInt(b, whole, 10)
	}
	if frac != 0 {
		b = append(b, '.', byte('0'+frac))
	}
	return b
}

func (p *pathBuilder) moveTo(x, y float64) {
	p.lx, p.ly = tenths(x), tenths(y)
	p.sx, p.sy = p.lx, p.ly
	p.b = append(p.b, 'M')
	p.b = appendTenths(p.b, p.lx)
	p.b = append(p.b, ' ')
	p.b = appendTenths(p.b, p.ly)
	p.cmd = 'M'
}

func (p *pathBuilder) lineTo(x, y float64) {
	tx, ty := tenths(x), tenths(y)
	dx, dy := tx-p.lx, ty-p.ly
	if dx == 0 && dy == 0 {
		return
	}
	if p.cmd == 'l' {
		if dx >= 0 {
			p.b = append(p.b, ' ') // a minus sign separates by itself
		}
	} else {
		p.b = append(p.b, 'l')
	}
	p.b = appendTenths(p.b, dx)
	if dy >= 0 {
		p.b = append(p.b, ' ')
	}
	p.b = appendTenths(p.b, dy)
	p.lx, p.ly = tx, ty
	p.cmd = 'l'
}

// dot ends a subpath of a single point with a zero-length segment, which a
// round line cap draws as a dot: an isolated value between two gaps stays
// visible.
func (p *pathBuilder) dot() {
	if p.cmd == 'M' {
		p.b = append(p.b, "h0"...)
		p.cmd = 'h'
	}
}

// close closes the subpath; the current point returns to its start.
func (p *pathBuilder) close() {
	p.b = append(p.b, 'Z')
	p.lx, p.ly = p.sx, p.sy
	p.cmd = 'Z'
}

func (p *pathBuilder) empty() bool { return len(p.b) == 0 }
