package chart

import "testing"

func TestClipSegment(t *testing.T) {
	r := rect{0, 0, 10, 10}
	for _, tc := range []struct {
		a, b   [2]float64
		ok     bool
		ca, cb [2]float64
	}{
		{[2]float64{1, 1}, [2]float64{9, 9}, true, [2]float64{1, 1}, [2]float64{9, 9}},
		{[2]float64{-5, 5}, [2]float64{15, 5}, true, [2]float64{0, 5}, [2]float64{10, 5}},
		{[2]float64{5, -10}, [2]float64{5, 5}, true, [2]float64{5, 0}, [2]float64{5, 5}},
		{[2]float64{-1, -1}, [2]float64{-5, 20}, false, [2]float64{}, [2]float64{}},
		{[2]float64{-5, 5}, [2]float64{5, 15}, true, [2]float64{0, 10}, [2]float64{0, 10}}, // touches a corner
		{[2]float64{11, 0}, [2]float64{11, 10}, false, [2]float64{}, [2]float64{}},
	} {
		ax, ay, bx, by, ok := r.clipSegment(tc.a[0], tc.a[1], tc.b[0], tc.b[1])
		if ok != tc.ok || ok && ([2]float64{ax, ay} != tc.ca || [2]float64{bx, by} != tc.cb) {
			t.Errorf("clip %v-%v = (%v,%v)-(%v,%v) %v, want %v-%v %v", tc.a, tc.b, ax, ay, bx, by, ok, tc.ca, tc.cb, tc.ok)
		}
	}
}

func TestClipPolygon(t *testing.T) {
	r := rect{0, 0, 10, 10}
	// A band from x = -5 to 15 between y = 2 and 20: clipped to x 0..10, y 2..10.
	xs, ys := r.clipPolygon([]float64{-5, 15, 15, -5}, []float64{2, 2, 20, 20})
	area := 0.0
	for i := range xs {
		j := (i + 1) % len(xs)
		area += xs[i]*ys[j] - xs[j]*ys[i]
		if !r.contains(xs[i], ys[i]) {
			t.Errorf("vertex (%v, %v) outside", xs[i], ys[i])
		}
	}
	if area/2 != 80 && area/2 != -80 {
		t.Errorf("clipped area %v, want 80", area/2)
	}
	if xs, _ := r.clipPolygon([]float64{20, 30, 30}, []float64{0, 0, 5}); len(xs) != 0 {
		t.Errorf("polygon outside: %v vertices remain", len(xs))
	}
}
