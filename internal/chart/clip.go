package chart

// Clipping to the plot area. When an axis has a fixed range, data can lie
// outside it; SVG could clip with a <clipPath>, but that needs an id, and
// ids must be unique in an HTML page that inlines many charts. Clipping the
// geometry ourselves keeps every chart free of ids and cross-references.

// rect is an axis-aligned rectangle in pixels, x0 < x1 and y0 < y1.
type rect struct{ x0, y0, x1, y1 float64 }

func (r rect) contains(x, y float64) bool {
	return x >= r.x0 && x <= r.x1 && y >= r.y0 && y <= r.y1
}

// clipSegment clips the segment from a to b to r with the Liang–Barsky
// algorithm. It reports false when no part of the segment is inside. An end
// inside r is returned unchanged (bit for bit), which lets a polyline tell
// whether the next segment continues the current one.
func (r rect) clipSegment(ax, ay, bx, by float64) (cax, cay, cbx, cby float64, ok bool) {
	dx, dy := bx-ax, by-ay
	t0, t1 := 0.0, 1.0
	// Each boundary is p*t <= q for the parameter t along the segment.
	for _, pq := range [4][2]float64{
		{-dx, ax - r.x0}, {dx, r.x1 - ax},
		{-dy, ay - r.y0}, {dy, r.y1 - ay},
	} {
		p, q := pq[0], pq[1]
		if p == 0 {
			if q < 0 {
				return 0, 0, 0, 0, false // parallel to and outside this boundary
			}
			continue
		}
		t := q / p
		if p < 0 {
			if t > t1 {
				return 0, 0, 0, 0, false
			}
			t0 = max(t0, t)
		} else {
			if t < t0 {
				return 0, 0, 0, 0, false
			}
			t1 = min(t1, t)
		}
	}
	cax, cay, cbx, cby = ax, ay, bx, by
	if t0 > 0 {
		cax, cay = ax+t0*dx, ay+t0*dy
	}
	if t1 < 1 {
		cbx, cby = ax+t1*dx, ay+t1*dy
	}
	return cax, cay, cbx, cby, true
}

// clipPolygon clips a closed polygon (xs[i], ys[i]) to r with the
// Sutherland–Hodgman algorithm: one pass per boundary, each keeping the
// inside part. Bands are x-monotone ribbons, for which the result is exact.
func (r rect) clipPolygon(xs, ys []float64) ([]float64, []float64) {
	type edge struct {
		inside func(x, y float64) bool
		cross  func(ax, ay, bx, by float64) (float64, float64)
	}
	atX := func(c float64) func(ax, ay, bx, by float64) (float64, float64) {
		return func(ax, ay, bx, by float64) (float64, float64) {
			return c, ay + (by-ay)*(c-ax)/(bx-ax)
		}
	}
	atY := func(c float64) func(ax, ay, bx, by float64) (float64, float64) {
		return func(ax, ay, bx, by float64) (float64, float64) {
			return ax + (bx-ax)*(c-ay)/(by-ay), c
		}
	}
	edges := [4]edge{
		{func(x, _ float64) bool { return x >= r.x0 }, atX(r.x0)},
		{func(x, _ float64) bool { return x <= r.x1 }, atX(r.x1)},
		{func(_, y float64) bool { return y >= r.y0 }, atY(r.y0)},
		{func(_, y float64) bool { return y <= r.y1 }, atY(r.y1)},
	}
	for _, e := range edges {
		n := len(xs)
		if n == 0 {
			break
		}
		var ox, oy []float64
		for i := 0; i < n; i++ {
			ax, ay := xs[(i+n-1)%n], ys[(i+n-1)%n] // previous vertex
			bx, by := xs[i], ys[i]
			aIn, bIn := e.inside(ax, ay), e.inside(bx, by)
			if bIn {
				if !aIn {
					cx, cy := e.cross(ax, ay, bx, by)
					ox, oy = append(ox, cx), append(oy, cy)
				}
				ox, oy = append(ox, bx), append(oy, by)
			} else if aIn {
				cx, cy := e.cross(ax, ay, bx, by)
				ox, oy = append(ox, cx), append(oy, cy)
			}
		}
		xs, ys = ox, oy
	}
	return xs, ys
}
