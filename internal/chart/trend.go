package chart

import "math"

// A trend line answers "does y grow with x?" at a glance, for example the
// proxy reward of an architecture against its Inception Score after
// training (paper Fig. 7). It is the ordinary least-squares line; a rank
// correlation, which is what the study reports, belongs in the subtitle.

// leastSquares fits y = a + b·x to the points where both are finite. It
// reports false when there are fewer than two distinct x.
func leastSquares(x, y []float64) (a, b float64, ok bool) {
	var n, mx, my float64
	for i := range x {
		if finite(x[i]) && finite(y[i]) {
			n++
			mx += x[i]
			my += y[i]
		}
	}
	if n < 2 {
		return 0, 0, false
	}
	mx /= n
	my /= n
	var sxx, sxy float64
	for i := range x {
		if finite(x[i]) && finite(y[i]) {
			dx := x[i] - mx
			sxx += dx * dx
			sxy += dx * (y[i] - my)
		}
	}
	if sxx == 0 {
		return 0, 0, false
	}
	b = sxy / sxx
	return my - b*mx, b, true
}

// drawTrend draws the least-squares line of a series over its x range.
func drawTrend(w *svgWriter, s *xySeries, xs, ys scale, plot rect) {
	a, b, ok := leastSquares(s.x, s.y)
	if !ok {
		return
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := 0; i < s.n; i++ {
		if s.lineOK(i) {
			lo, hi = math.Min(lo, s.x[i]), math.Max(hi, s.x[i])
		}
	}
	ax, ay, bx, by, ok := plot.clipSegment(xs.pix(lo), ys.pix(a+b*lo), xs.pix(hi), ys.pix(a+b*hi))
	if !ok {
		return
	}
	w.WriteString("<line")
	w.numAttr("x1", ax)
	w.numAttr("y1", ay)
	w.numAttr("x2", bx)
	w.numAttr("y2", by)
	w.attr("stroke", s.color)
	w.WriteString(` class="trend" stroke-width="1.2" stroke-dasharray="6 4" stroke-opacity="0.8">`)
	w.title("least-squares trend of " + s.name())
	w.WriteString("</line>\n")
}
