package chart

// Decimation: a line chart 640 pixels wide cannot show more than a few
// values per pixel column, but a search of the paper's length logs 760,000
// discriminator steps. Drawing every point would make a page of tens of
// megabytes that renders slowly, and thinning by taking every k-th point
// would hide exactly what a researcher looks for: the spike where the loss
// variance crosses the reset threshold. The M4 method (Jugel et al., "M4: A
// Visualization-Oriented Time Series Data Aggregation", VLDB 2014) keeps,
// for every pixel column, the first, last, lowest and highest point: the
// polyline through them covers the same pixels as the full series, so no
// extreme is ever dropped, and at most four points per column remain.

// Decimate returns, in increasing order, the indices of the points
// (x[i], y[i]) to draw when the x range [x0, x1] spans the given number of
// pixel columns. For each column it keeps the first and the last point and
// the points with the lowest and the highest y, so the global minimum and
// maximum, the first and the last point of the series and every column's
// extremes are always kept.
//
// Points whose x or y is NaN or infinite are gaps. The first and last gap
// point of each column are kept too, so that a line is never drawn across a
// gap from one column to the next. x should be non-decreasing (a time
// series); for unsorted x every return to an earlier column starts a new
// group, which keeps the result correct but no longer small.
//
// Points with x outside [x0, x1] count towards the first or last column.
// Decimate panics if x and y differ in length.
func Decimate(x, y []float64, x0, x1 float64, columns int) []int {
	if len(x) != len(y) {
		panic("chart: Decimate: x and y differ in length")
	}
	return decimateBand(x, y, y, x0, x1, columns)
}

// decimateBand is Decimate for a band: the lowest point is taken from lo
// and the highest from hi, so one set of indices serves both edges of the
// band. A line is the band with lo == hi.
func decimateBand(x, lo, hi []float64, x0, x1 float64, columns int) []int {
	n := len(x)
	if columns < 1 {
		columns = 1
	}
	scale := 0.0
	if x1 > x0 && finite(x1-x0) {
		scale = float64(columns) / (x1 - x0)
	}
	keep := make([]int, 0, min(n, 6*columns+6))
	g := newGroup()
	col := -1 // the column of g
	for i := 0; i < n; i++ {
		xi := x[i]
		c := col
		if finite(xi) {
			c = int((xi - x0) * scale) // truncates towards zero; clamped below
			c = min(max(c, 0), columns-1)
		} else if c < 0 {
			c = 0
		}
		if c != col {
			keep = g.flush(keep)
			col = c
		}
		if !finite(xi) || !finite(lo[i]) || !finite(hi[i]) {
			if g.gapFirst < 0 {
				g.gapFirst = i
			}
			g.gapLast = i
			continue
		}
		if g.first < 0 {
			g.first, g.low, g.high = i, i, i
		}
		g.last = i
		if lo[i] < lo[g.low] {
			g.low = i
		}
		if hi[i] > hi[g.high] {
			g.high = i
		}
	}
	return g.flush(keep)
}

// group holds the candidates of one pixel column: indices, -1 for none.
type group struct {
	first, last, low, high int // finite points
	gapFirst, gapLast      int // gap points
}

func newGroup() group { return group{-1, -1, -1, -1, -1, -1} }

// flush appends the group's indices to keep in increasing order, without
// repeats, and empties the group.
func (g *group) flush(keep []int) []int {
	idx := [6]int{g.first, g.low, g.high, g.last, g.gapFirst, g.gapLast}
	// Insertion sort of six numbers.
	for i := 1; i < len(idx); i++ {
		for j := i; j > 0 && idx[j] < idx[j-1]; j-- {
			idx[j], idx[j-1] = idx[j-1], idx[j]
		}
	}
	prev := -1
	for _, i := range idx {
		if i >= 0 && i != prev {
			keep = append(keep, i)
			prev = i
		}
	}
	*g = newGroup()
	return keep
}
