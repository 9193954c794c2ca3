package chart

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// column is the pixel column of x, as decimateBand computes it.
func column(x, x0, x1 float64, columns int) int {
	return min(max(int((x-x0)*float64(columns)/(x1-x0)), 0), columns-1)
}

// randomWalk returns n steps 0, 1, 2, ... and a random walk with spikes.
func randomWalk(n int, seed uint64) (x, y []float64) {
	rng := rand.New(rand.NewPCG(seed, 7))
	x, y = make([]float64, n), make([]float64, n)
	v := 0.0
	for i := range x {
		x[i] = float64(i)
		v += rng.NormFloat64()
		y[i] = v
		if rng.IntN(5000) == 0 {
			y[i] += 100 * rng.NormFloat64() // a single-step spike
		}
	}
	return x, y
}

func TestDecimateKeepsExtremes(t *testing.T) {
	for _, tc := range []struct{ n, columns int }{{100000, 640}, {760000, 640}, {5000, 37}, {3, 640}, {641, 640}} {
		x, y := randomWalk(tc.n, uint64(tc.n))
		x0, x1 := x[0], x[len(x)-1]
		idx := Decimate(x, y, x0, x1, tc.columns)
		if !slices.IsSorted(idx) || slices.Compact(slices.Clone(idx)) == nil || len(slices.Compact(slices.Clone(idx))) != len(idx) {
			t.Fatalf("n=%d: indices not strictly increasing", tc.n)
		}
		if len(idx) > 4*tc.columns {
			t.Errorf("n=%d: kept %d points, more than 4 per column (%d)", tc.n, len(idx), 4*tc.columns)
		}
		if idx[0] != 0 || idx[len(idx)-1] != tc.n-1 {
			t.Errorf("n=%d: first or last point dropped", tc.n)
		}
		// Per column: the first, last, lowest and highest point are kept.
		type extremes struct{ first, last, low, high int }
		want := make([]extremes, tc.columns)
		for c := range want {
			want[c] = extremes{-1, -1, -1, -1}
		}
		for i := range x {
			e := &want[column(x[i], x0, x1, tc.columns)]
			if e.first < 0 {
				e.first = i
			}
			e.last = i
			if e.low < 0 || y[i] < y[e.low] {
				e.low = i
			}
			if e.high < 0 || y[i] > y[e.high] {
				e.high = i
			}
		}
		kept := make(map[int]bool, len(idx))
		for _, i := range idx {
			kept[i] = true
		}
		for c, e := range want {
			if e.first < 0 {
				continue
			}
			for _, i := range []int{e.first, e.last, e.low, e.high} {
				if !kept[i] {
					t.Fatalf("n=%d: column %d: point %d (first %d, last %d, low %d, high %d) dropped", tc.n, c, i, e.first, e.last, e.low, e.high)
				}
			}
		}
		// And so the global extremes.
		lo, hi := slices.Min(y), slices.Max(y)
		var klo, khi = math.Inf(1), math.Inf(-1)
		for _, i := range idx {
			klo, khi = math.Min(klo, y[i]), math.Max(khi, y[i])
		}
		if klo != lo || khi != hi {
			t.Errorf("n=%d: kept range [%v, %v], series range [%v, %v]", tc.n, klo, khi, lo, hi)
		}
	}
}

func TestDecimateGaps(t *testing.T) {
	x, y := randomWalk(50000, 3)
	// Gaps of every kind: one point, a stretch inside a column, a stretch
	// over several columns, at the start and at the end; infinities too.
	y[0] = math.NaN()
	y[100] = math.Inf(1)
	for i := 2000; i < 2030; i++ {
		y[i] = math.NaN()
	}
	for i := 10000; i < 13000; i++ {
		y[i] = math.NaN()
	}
	x[20000] = math.NaN()
	y[49999] = math.Inf(-1)
	const columns = 100
	idx := Decimate(x, y, 0, 49999, columns)
	ok := func(i int) bool { return finite(x[i]) && finite(y[i]) }
	// A line through the kept points is drawn between consecutive finite
	// ones. It must never join two points in different columns across a
	// gap in the full series.
	for k := 1; k < len(idx); k++ {
		a, b := idx[k-1], idx[k]
		if !ok(a) || !ok(b) || column(x[a], 0, 49999, columns) == column(x[b], 0, 49999, columns) {
			continue
		}
		for i := a + 1; i < b; i++ {
			if !ok(i) {
				t.Fatalf("points %d and %d are joined across the gap at %d", a, b, i)
			}
		}
	}
	// The finite extremes are kept.
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range y {
		if ok(i) {
			lo, hi = math.Min(lo, y[i]), math.Max(hi, y[i])
		}
	}
	klo, khi := math.Inf(1), math.Inf(-1)
	for _, i := range idx {
		if ok(i) {
			klo, khi = math.Min(klo, y[i]), math.Max(khi, y[i])
		}
	}
	if klo != lo || khi != hi {
		t.Errorf("kept range [%v, %v], series range [%v, %v]", klo, khi, lo, hi)
	}
	if len(idx) > 6*columns {
		t.Errorf("kept %d points, more than 6 per column", len(idx))
	}
}

func TestDecimateEdgeCases(t *testing.T) {
	if got := Decimate(nil, nil, 0, 1, 10); len(got) != 0 {
		t.Errorf("empty series: %v", got)
	}
	nan := math.NaN()
	if got := Decimate([]float64{0, 1, 2}, []float64{nan, nan, nan}, 0, 2, 10); len(got) == 0 || len(got) > 3 {
		t.Errorf("all gaps: %v", got)
	}
	// A zero-width x range puts everything in one column: 4 points remain.
	x := []float64{5, 5, 5, 5, 5, 5, 5, 5}
	y := []float64{3, 1, 4, 1, 5, 9, 2, 6}
	if got := Decimate(x, y, 5, 5, 100); !slices.Equal(got, []int{0, 1, 5, 7}) {
		t.Errorf("one column: %v, want [0 1 5 7]", got)
	}
	// Unsorted x: still increasing indices with the extremes.
	x = []float64{0, 9, 1, 8, 2, 7}
	y = []float64{0, 1, 2, 3, 4, 5}
	if got := Decimate(x, y, 0, 9, 10); !slices.Equal(got, []int{0, 1, 2, 3, 4, 5}) {
		t.Errorf("unsorted: %v", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("no panic for x and y of different lengths")
		}
	}()
	Decimate([]float64{1, 2}, []float64{1}, 0, 1, 10)
}

func BenchmarkDecimate760k(b *testing.B) {
	x, y := randomWalk(760000, 1)
	b.ReportAllocs()
	for b.Loop() {
		Decimate(x, y, 0, 759999, 640)
	}
}

// BenchmarkXY760k renders a chart of two series of 760,000 points, the
// length of a search as long as the paper's, as the run report does.
func BenchmarkXY760k(b *testing.B) {
	x, y := randomWalk(760000, 1)
	_, y2 := randomWalk(760000, 2)
	c := &XY{Title: "losses", X: Axis{Label: "D step"}, Y: Axis{Label: "loss"},
		Series: []Series{{Name: "D", X: x, Y: y}, {Name: "G", X: x, Y: y2}}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.SVG(); err != nil {
			b.Fatal(err)
		}
	}
}
