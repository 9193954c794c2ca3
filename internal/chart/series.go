package chart

import "fmt"

// Style says how a series is drawn.
type Style int

const (
	StyleLine       Style = iota // a line through the points (the default)
	StylePoints                  // a marker at each point, no line (a scatter)
	StyleLinePoints              // both
)

func (s Style) hasLine() bool   { return s == StyleLine || s == StyleLinePoints }
func (s Style) hasPoints() bool { return s == StylePoints || s == StyleLinePoints }

// Series is one set of (x, y) points of an XY chart, with an optional band
// around it. A value that is NaN or infinite is a gap: it is never drawn
// and a line is broken there.
type Series struct {
	// Name identifies the series in the legend and in tooltips. A series
	// without a name is left out of the legend.
	Name string

	// X holds the x values; nil means 0, 1, 2, ... For lines, X should be
	// non-decreasing (steps, iterations, time): long series are then
	// decimated for drawing (see Decimate) and get hover values.
	X []float64

	// Y holds the y values. It may be nil for a series that is only a band.
	Y []float64

	// Lo and Hi, if given, are the lower and upper edge of a translucent
	// band in the series colour: mean ± standard deviation over seeds, a
	// confidence interval, or a running variance. Both or neither.
	Lo, Hi []float64

	// Style selects line, points or both.
	Style Style

	// Dashed draws the line dashed, which tells series apart without
	// colour (for example a baseline next to the value it is subtracted from).
	Dashed bool

	// Color is a CSS colour; empty means the palette colour of the series
	// index (see Palette).
	Color string

	// Labels, if given, name each point in its tooltip, e.g. the
	// architecture behind a point of a scatter.
	Labels []string

	// Trend adds the least-squares straight line through the points (in
	// axis units, so on a log axis it is a power law), dashed and thin.
	Trend bool
}

// length returns the number of points and checks that the slices agree;
// i is the series' index, for the error message.
func (s *Series) length(i int) (int, error) {
	name := fmt.Sprintf("series %d", i)
	if s.Name != "" {
		name += fmt.Sprintf(" (%q)", s.Name)
	}
	if s.Style < StyleLine || s.Style > StyleLinePoints {
		return 0, fmt.Errorf("chart: %s: unknown style %d", name, s.Style)
	}
	if (s.Lo == nil) != (s.Hi == nil) {
		return 0, fmt.Errorf("chart: %s: Lo and Hi go together, one is missing", name)
	}
	if s.Y == nil && s.Lo == nil && len(s.X) > 0 {
		return 0, fmt.Errorf("chart: %s: has %d x values but no Y and no band", name, len(s.X))
	}
	n := len(s.Y)
	if s.Y == nil {
		n = len(s.Lo)
	}
	if s.X != nil && len(s.X) != n {
		return 0, fmt.Errorf("chart: %s: %d x values for %d points", name, len(s.X), n)
	}
	if s.Lo != nil && (len(s.Lo) != n || len(s.Hi) != n) {
		return 0, fmt.Errorf("chart: %s: Lo and Hi have %d and %d values for %d points", name, len(s.Lo), len(s.Hi), n)
	}
	if s.Labels != nil && len(s.Labels) != n {
		return 0, fmt.Errorf("chart: %s: %d labels for %d points", name, len(s.Labels), n)
	}
	return n, nil
}

// Marker is a labelled vertical line at an x value, e.g. a dynamic reset
// or the growth of the generator to the next stage. An x axis without a
// fixed range reaches every marker, also one past the data.
type Marker struct {
	X     float64
	Label string // shown at the top when there is room, always in the tooltip
	Color string // CSS colour; empty means grey
}

// RefLine is a labelled horizontal line at a y value, e.g. the threshold
// of the dynamic reset.
type RefLine struct {
	Y     float64
	Label string
	Color string // CSS colour; empty means dark grey
}
