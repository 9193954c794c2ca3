package cifar

import (
	"fmt"
	"math"
	"testing"

	"github.com/autogan-go/autogan/internal/safetensors"
)

// TestResizeWeights checks the antialiased bilinear weights the reference
// document gives: (1,3,3,1)/8 for 2× and (1,3,5,7,7,5,3,1)/32 for 4×.
func TestResizeWeights(t *testing.T) {
	for _, c := range []struct {
		in, out int
		want    []float64
	}{
		{32, 16, []float64{1, 3, 3, 1}},
		{32, 8, []float64{1, 3, 5, 7, 7, 5, 3, 1}},
	} {
		bounds, ksize, kk := resampleCoeffs(c.in, c.out)
		x := 3 // an interior output pixel: no clipping at the border
		n := bounds[2*x+1]
		if n != len(c.want) {
			t.Fatalf("%d->%d: %d taps, want %d", c.in, c.out, n, len(c.want))
		}
		var sum float64
		for _, w := range c.want {
			sum += w
		}
		for i, w := range c.want {
			got := float64(kk[x*ksize+i]) / (1 << precisionBits)
			if math.Abs(got-w/sum) > 1e-6 {
				t.Fatalf("%d->%d: weight %d = %v, want %v", c.in, c.out, i, got, w/sum)
			}
		}
		// At the border the window is clipped and renormalised.
		if bounds[0] != 0 || bounds[1] >= len(c.want) {
			t.Fatalf("%d->%d: first window [%d, +%d) not clipped", c.in, c.out, bounds[0], bounds[1])
		}
	}
}

// TestResizeMatchesPillow compares with Pillow 9.4's Image.resize(BILINEAR)
// on random and smooth images (testdata/make_resize_fixtures.py): every
// pixel must be identical.
func TestResizeMatchesPillow(t *testing.T) {
	f, err := safetensors.ReadFile("../testdata/resize.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		in, out int
	}{{"s32", 32, 16}, {"s32", 32, 8}, {"s96", 96, 48}, {"s37", 37, 13}, {"s20", 20, 32}} {
		src, _ := f.Get(c.name + "/in")
		want, _ := f.Get(fmt.Sprintf("%s/out%d", c.name, c.out))
		m := &Memory{Name: c.name, C: 3, H: c.in, W: c.in, Pixels: src.Data}
		got, err := Resized(m, c.out)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range want.Data {
			if got.Pixels[i] != v {
				t.Fatalf("%s %d->%d: pixel %d = %d, Pillow %d", c.name, c.in, c.out, i, got.Pixels[i], v)
			}
		}
	}
}
