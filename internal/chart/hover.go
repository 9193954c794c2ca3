package chart

import (
	"math"
	"sort"
	"strings"
)

// Hover values without a script: the plot is covered by narrow invisible
// strips, each with a <title> that lists the values of every line series
// there. Browsers show the title as a tooltip when the pointer rests on the
// strip. Where a series has several points in a strip (a long, decimated
// one) the tooltip gives their range, "0.41 to 1.3", which is what the
// eye sees there; otherwise the value at the data x nearest to the strip.
// Neighbouring strips with the same text are merged, so a series of 65
// points gets one region per point; the cost stays at a few kilobytes.

// hoverStrip is the width of a strip in pixels.
const hoverStrip = 8.0

// drawHover draws the strips under the data (lines and bands let the
// pointer through to them; points and markers have their own tooltips).
// Only series whose x are finite and non-decreasing take part: the nearest
// point is found by binary search.
func drawHover(w *svgWriter, series []xySeries, xs scale, plot rect, xName string) {
	var hs []*xySeries
	for i := range series {
		s := &series[i]
		if s.y != nil && s.n > 0 && s.monotone && s.allFinite {
			hs = append(hs, s)
		}
	}
	if len(hs) == 0 {
		return
	}
	type strip struct {
		x0, x1 float64
		title  string
	}
	var strips []strip
	for x0 := plot.x0; x0 < plot.x1-0.01; x0 += hoverStrip {
		x1 := math.Min(x0+hoverStrip, plot.x1)
		title := hoverTitle(hs, xs.value(x0), xs.value(x1), x1 >= plot.x1, xName)
		if k := len(strips) - 1; k >= 0 && strips[k].title == title {
			strips[k].x1 = x1
			continue
		}
		strips = append(strips, strip{x0, x1, title})
	}
	w.WriteString(`<g class="hover" fill="none" pointer-events="all">` + "\n")
	for _, s := range strips {
		if s.title == "" {
			continue
		}
		w.WriteString("<rect")
		w.numAttr("x", s.x0)
		w.numAttr("y", plot.y0)
		w.numAttr("width", s.x1-s.x0)
		w.numAttr("height", plot.y1-plot.y0)
		w.WriteByte('>')
		w.title(s.title)
		w.WriteString("</rect>\n")
	}
	w.WriteString("</g>\n")
}

// hoverTitle is the tooltip for the strip from a to b (axis units; b is
// included for the last strip). If some series has several points there,
// it gives the range of x and each series' range of values in the strip;
// otherwise the x of the data point nearest to the middle of the strip,
// then each series' value at its point nearest to that x, if that x lies
// within the series.
func hoverTitle(hs []*xySeries, a, b float64, last bool, xName string) string {
	var t strings.Builder
	// Several points in the strip: ranges.
	type span struct{ i0, i1 int }
	spans := make([]span, len(hs))
	dense := -1
	for k, s := range hs {
		i0 := sort.SearchFloat64s(s.x, a)
		i1 := sort.SearchFloat64s(s.x, b)
		if last {
			for i1 < s.n && s.x[i1] == b {
				i1++
			}
		}
		spans[k] = span{i0, i1}
		if dense < 0 && i1-i0 >= 2 {
			dense = k
		}
	}
	if dense >= 0 {
		d, sp := hs[dense], spans[dense]
		t.WriteString(xName + ": " + FormatValue(d.rawX(sp.i0)) + " to " + FormatValue(d.rawX(sp.i1-1)))
		for k, s := range hs {
			lo, hi := math.Inf(1), math.Inf(-1)
			for _, v := range s.Series.Y[spans[k].i0:spans[k].i1] {
				if finite(v) {
					if v < lo {
						lo = v
					}
					if v > hi {
						hi = v
					}
				}
			}
			switch {
			case lo > hi:
				continue // no value in this strip
			case lo == hi:
				t.WriteString("\n" + s.name() + ": " + FormatValue(lo))
			default:
				t.WriteString("\n" + s.name() + ": " + FormatValue(lo) + " to " + FormatValue(hi))
			}
		}
		return t.String()
	}

	// At most one point per series: the values nearest to the middle.
	x := (a + b) / 2
	var best *xySeries
	bestI, bestD := -1, math.Inf(1)
	for _, s := range hs {
		i := nearest(s.x, x)
		if d := math.Abs(s.x[i] - x); best == nil || d < bestD {
			best, bestI, bestD = s, i, d
		}
	}
	at := best.x[bestI]
	t.WriteString(xName + ": " + FormatValue(best.rawX(bestI)))
	for _, s := range hs {
		if at < s.x[0] || at > s.x[s.n-1] {
			continue
		}
		i := nearest(s.x, at)
		t.WriteString("\n" + s.name() + ": " + FormatValue(s.Series.Y[i]))
		if s.lo != nil {
			t.WriteString(" [" + FormatValue(s.Series.Lo[i]) + ", " + FormatValue(s.Series.Hi[i]) + "]")
		}
		if s.x[i] != at {
			t.WriteString(" (at " + FormatValue(s.rawX(i)) + ")")
		}
	}
	return t.String()
}

// nearest returns the index of the element of the sorted x closest to v
// (the first of equal ones).
func nearest(x []float64, v float64) int {
	i := sort.SearchFloat64s(x, v)
	if i == len(x) {
		return len(x) - 1
	}
	if i > 0 && v-x[i-1] <= x[i]-v {
		j := i - 1
		for j > 0 && x[j-1] == x[j] {
			j--
		}
		return j
	}
	return i
}
