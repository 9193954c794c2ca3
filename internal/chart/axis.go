package chart

import (
	"fmt"
	"math"
)

// Axis describes a numeric axis of an XY or bar chart.
type Axis struct {
	// Label names the quantity and its unit, e.g. "D step",
	// "loss variance" or "wall time (s)". Charts without axis labels are
	// hard to read, so every chart of the project should set it.
	Label string

	// Log selects a base-10 logarithmic scale, for quantities that span
	// decades such as a loss variance. Values <= 0 cannot be shown on it:
	// they are left out like gaps and the chart says how many were.
	Log bool

	// Min and Max fix the range shown when Min < Max; data outside is
	// clipped. Otherwise the range fits the data. On a log axis Min must be
	// positive.
	Min, Max float64

	// Integer says the quantity is a count, such as a search iteration or
	// an epoch: ticks are then only at whole numbers (no "2.5" between
	// epoch 2 and 3). It has no effect on a log axis.
	Integer bool
}

func (a Axis) fixed() bool { return a.Min < a.Max }

func (a Axis) validate(name string) error {
	if !a.fixed() {
		return nil
	}
	if !finite(a.Min) || !finite(a.Max) {
		return fmt.Errorf("chart: %s axis: Min and Max must be finite, got %v and %v", name, a.Min, a.Max)
	}
	if a.Log && a.Min <= 0 {
		return fmt.Errorf("chart: %s axis: a log axis needs Min > 0, got %v", name, a.Min)
	}
	return nil
}

// transform maps a data value to axis units: itself on a linear axis,
// log10 on a log axis, where values <= 0 become NaN (a gap).
func (a Axis) transform(v float64) float64 {
	if !a.Log {
		return v
	}
	if v > 0 {
		return math.Log10(v)
	}
	return math.NaN()
}

// transformAll returns v in axis units, adding to *dropped the finite
// values a log axis cannot show. On a linear axis it returns v itself.
func (a Axis) transformAll(v []float64, dropped *int) []float64 {
	if !a.Log || v == nil {
		return v
	}
	t := make([]float64, len(v))
	for i, x := range v {
		if x > 0 {
			t[i] = math.Log10(x)
		} else {
			t[i] = math.NaN()
			if finite(x) {
				*dropped++
			}
		}
	}
	return t
}

// scale maps axis units to pixels: lo to p0 and hi to p1 (for a vertical
// axis p0 is the bottom, since SVG's y grows downwards).
type scale struct {
	log     bool
	integer bool // ticks only at whole numbers (Axis.Integer)
	lo, hi  float64
	p0, p1  float64
}

func (s scale) pix(t float64) float64 {
	return s.p0 + (t-s.lo)/(s.hi-s.lo)*(s.p1-s.p0)
}

// value maps a pixel back to axis units.
func (s scale) value(p float64) float64 {
	return s.lo + (p-s.p0)/(s.p1-s.p0)*(s.hi-s.lo)
}

// ticks returns about n tick positions in axis units with their labels.
func (s scale) ticks(n int) (pos []float64, labels []string) {
	if s.log {
		values := LogTicks(math.Pow(10, s.lo), math.Pow(10, s.hi), n)
		for _, v := range values {
			pos = append(pos, math.Log10(v))
		}
		return pos, logTickLabels(values)
	}
	values, step := niceTicks(s.lo, s.hi, n)
	if s.integer && step < 1 && finite(s.lo) && finite(s.hi) && s.hi-s.lo < 1e6 {
		// Steps below 1 would put ticks between counts: every whole
		// number instead (fitTicks drops the set if they are too dense).
		values, step = nil, 1
		for v := math.Ceil(s.lo); v <= s.hi; v++ {
			values = append(values, v)
		}
	}
	return values, tickLabels(values, step)
}

// Tick density: about one tick per xTickSpacing pixels on a horizontal
// axis and per yTickSpacing on a vertical one, never so close that labels
// touch.
const (
	xTickSpacing = 90.0
	yTickSpacing = 38.0
)

// xTicks returns the ticks of a horizontal axis.
func xTicks(s scale) ([]float64, []string) {
	return fitTicks(s, xTickSpacing, func(labels []string) float64 {
		return maxTextWidth(labels, tickSize) + 14
	})
}

// yTicks returns the ticks of a vertical axis.
func yTicks(s scale) ([]float64, []string) {
	return fitTicks(s, yTickSpacing, func([]string) float64 { return tickSize + 6 })
}

// fitTicks chooses among the 1-2-5 tick sets of the axis the one whose
// number of ticks is nearest to its length / spacing (the denser one on a
// tie), skipping sets whose ticks are closer than gap(labels) pixels.
// Asking Ticks for "at most n" alone would jump from 6 ticks to 2 on a
// short axis where 4 would be best.
func fitTicks(s scale, spacing float64, gap func(labels []string) float64) ([]float64, []string) {
	length := math.Abs(s.p1 - s.p0)
	target := length / spacing
	var bestPos []float64
	var bestLab []string
	bestD := math.Inf(1)
	prev := -1
	for n := max(2, int(length/10)); n >= 2; n-- {
		pos, labels := s.ticks(n)
		if len(pos) == prev {
			continue // the same set as for n+1
		}
		prev = len(pos)
		room := math.Inf(1)
		for i := 1; i < len(pos); i++ {
			room = math.Min(room, math.Abs(s.pix(pos[i])-s.pix(pos[i-1])))
		}
		if room < gap(labels) {
			continue
		}
		if d := math.Abs(float64(len(pos)) - target); d < bestD {
			bestPos, bestLab, bestD = pos, labels, d
		}
	}
	if bestPos == nil { // nothing fits: the sparsest set
		return s.ticks(2)
	}
	return bestPos, bestLab
}

// dataRange accumulates the extent of values in axis units.
type dataRange struct {
	lo, hi float64
	ok     bool
}

func (r *dataRange) add(t float64) {
	if !finite(t) {
		return
	}
	if !r.ok {
		r.lo, r.hi, r.ok = t, t, true
		return
	}
	// Plain comparisons: t is finite, and math.Min's care for NaN and -0
	// costs a function call per value of a long series.
	if t < r.lo {
		r.lo = t
	}
	if t > r.hi {
		r.hi = t
	}
}

// span returns the range to show on axis a in axis units: the fixed range
// if a has one, otherwise the data widened by pad (a fraction of the
// span on each side). A range of a single value is widened so that the
// value sits in the middle; a linear axis whose data are all >= 0 does not
// go below zero just because of the padding.
func (r dataRange) span(a Axis, pad float64) (lo, hi float64) {
	if a.fixed() {
		return a.transform(a.Min), a.transform(a.Max)
	}
	lo, hi = r.lo, r.hi
	if hi-lo <= 1e-12*math.Max(math.Abs(lo), math.Abs(hi)) {
		// One value (or values that differ only in their last digits):
		// widen the range around it.
		mid := lo + (hi-lo)/2
		d := 0.5 // half a decade on a log axis
		if !a.Log {
			d = math.Abs(mid) * 0.1
			if mid-d == mid+d { // zero, or too small to widen
				d = 1
			}
		}
		return mid - d, mid + d
	}
	d := (hi - lo) * pad
	nlo := lo - d
	if !a.Log && lo >= 0 && nlo < 0 {
		nlo = 0
	}
	return nlo, hi + d
}

// axisName is the label of an axis in tooltips.
func axisName(a Axis, fallback string) string {
	if a.Label != "" {
		return a.Label
	}
	return fallback
}
