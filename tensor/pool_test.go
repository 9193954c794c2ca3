package tensor

import (
	"math"
	"testing"
)

// TestPoolFastPathsMatchGeneral compares the fast paths with the general
// window loops.
func TestPoolFastPathsMatchGeneral(t *testing.T) {
	g := NewRNG(4)
	for _, shape := range [][]int{{2, 3, 8, 8}, {1, 2, 9, 7}, {1, 1, 1, 1}, {1, 1, 2, 3}, {2, 3, 32, 32}, {1, 2, 16, 48}} {
		x := g.Normals(shape...)
		for _, c := range []Pool2DConfig{{3, 3, 1, 1, 1, 1}, {3, 3, 2, 2, 0, 0}, {2, 2, 2, 2, 0, 0}} {
			if _, _, h, w, _, _ := safeOut(c, shape); h < 0 || w < 0 {
				continue
			}
			ref, _ := MaxPool2D(x, c)
			fast := MaxPool2DValues(x, c)
			for i := range ref.data {
				if ref.data[i] != fast.data[i] {
					t.Fatalf("max %v %+v: %v vs %v", shape, c, fast.data[i], ref.data[i])
				}
			}
			for _, countPad := range []bool{true, false} {
				fastAvg := AvgPool2D(x, c, countPad)
				// The general loop: force it with an equivalent config the fast path does not match.
				refAvg := generalAvg(x, c, countPad)
				for i := range refAvg.data {
					if math.Abs(float64(fastAvg.data[i]-refAvg.data[i])) > 1e-6 {
						t.Fatalf("avg %v %+v countPad=%v: %v vs %v", shape, c, countPad, fastAvg.data[i], refAvg.data[i])
					}
				}
			}
		}
	}
}

func safeOut(c Pool2DConfig, shape []int) (n, ch, h, w, oh, ow int) {
	defer func() {
		if recover() != nil {
			h, w = -1, -1
		}
	}()
	return c.outSize("test", shape)
}

// generalAvg is the window loop of AvgPool2D without the fast paths.
func generalAvg(x *Tensor, c Pool2DConfig, countPad bool) *Tensor {
	n, ch, h, w, oh, ow := c.outSize("generalAvg", x.shape)
	y := New(n, ch, oh, ow)
	for pl := 0; pl < n*ch; pl++ {
		for oy := 0; oy < oh; oy++ {
			y0, y1, fh := window(oy, c.StrideH, c.PadH, c.KH, h)
			for ox := 0; ox < ow; ox++ {
				x0, x1, fw := window(ox, c.StrideW, c.PadW, c.KW, w)
				var s float32
				for iy := y0; iy < y1; iy++ {
					for ix := x0; ix < x1; ix++ {
						s += x.data[pl*h*w+iy*w+ix]
					}
				}
				div := fh * fw
				if !countPad {
					div = (y1 - y0) * (x1 - x0)
				}
				y.data[pl*oh*ow+oy*ow+ox] = s / float32(div)
			}
		}
	}
	return y
}

// TestAvgPool2x2BackwardMatchesGeneral checks the 2×2 fast path of the
// gradient bit for bit against the window loop, odd sizes included (their
// last row and column get no gradient), and a gradient of −0.
func TestAvgPool2x2BackwardMatchesGeneral(t *testing.T) {
	g := NewRNG(5)
	c := Pool2DConfig{KH: 2, KW: 2, StrideH: 2, StrideW: 2}
	for _, shape := range [][]int{{2, 3, 8, 8}, {1, 2, 9, 7}, {1, 1, 2, 2}, {2, 8, 17, 33}, {2, 3, 32, 32}, {1, 2, 16, 48}} {
		n, ch, h, w, oh, ow := c.outSize("test", shape)
		dy := g.Normals(n, ch, oh, ow)
		dy.data[0] = float32(math.Copysign(0, -1)) // the sum onto zero makes it +0
		// A pooled buffer with values in it, so that a value the fast
		// path fails to write shows.
		junk := Empty(shape...)
		for i := range junk.data {
			junk.data[i] = float32(i)
		}
		junk.Release()
		fast := AvgPool2DBackward(dy, shape, c, true)
		ref := New(shape...)
		for pl := 0; pl < n*ch; pl++ {
			for oy := 0; oy < oh; oy++ {
				for ox := 0; ox < ow; ox++ {
					v := dy.data[pl*oh*ow+oy*ow+ox] / 4
					for iy := 2 * oy; iy < 2*oy+2; iy++ {
						for ix := 2 * ox; ix < 2*ox+2; ix++ {
							ref.data[pl*h*w+iy*w+ix] += v
						}
					}
				}
			}
		}
		for i := range ref.data {
			if math.Float32bits(fast.data[i]) != math.Float32bits(ref.data[i]) {
				t.Fatalf("%v: dx[%d] = %v, want %v", shape, i, fast.data[i], ref.data[i])
			}
		}
	}
}

// TestAvgPool3x3PlaneMatchesLoop: the whole-plane vector version of the
// 3×3 average pooling gives the bits of its loops on planes from 1×1 to the
// Inception tower's 35×35, with NaN, ±Inf, ±0 and subnormals among the
// values (a NaN matches any NaN: which of two comes out of an addition is
// up to the compiler).
func TestAvgPool3x3PlaneMatchesLoop(t *testing.T) {
	g := NewRNG(9)
	special := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.Copysign(0, -1)), 0, math.SmallestNonzeroFloat32}
	for _, hw := range [][2]int{{1, 1}, {1, 5}, {5, 1}, {2, 2}, {3, 3}, {3, 10}, {4, 7}, {8, 8}, {9, 11}, {17, 17}, {35, 35}} {
		h, w := hw[0], hw[1]
		src := g.Normals(h * w).data
		for i := range src {
			if i%5 == 2 {
				src[i] = special[(i/5)%len(special)]
			}
		}
		for _, countPad := range []bool{true, false} {
			got, want := make([]float32, h*w), make([]float32, h*w)
			avgPool3x3Plane(got, src, make([]float32, h*w), h, w, countPad)
			avgPool3x3Loop(want, src, make([]float32, h*w), h, w, countPad)
			for i := range want {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) && !(got[i] != got[i] && want[i] != want[i]) {
					t.Fatalf("%d×%d countPad=%v: value %d (row %d, column %d) is %v, want %v", h, w, countPad, i, i/w, i%w, got[i], want[i])
				}
			}
		}
	}
}

// TestMaxPool3x3PlanesMatchLoop: the vector versions of the 3×3 max
// pooling (stride 1 with padding 1, stride 2 without) give the values of
// their loops on planes up to the Inception stem's 147×147, with NaN,
// ±Inf, ±0 (many, side by side) and subnormals among them.
func TestMaxPool3x3PlanesMatchLoop(t *testing.T) {
	g := NewRNG(10)
	special := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.Copysign(0, -1)), 0, math.SmallestNonzeroFloat32}
	for _, hw := range [][2]int{{1, 1}, {1, 5}, {5, 1}, {2, 2}, {3, 3}, {3, 10}, {4, 7}, {8, 8}, {9, 11}, {17, 17}, {35, 35}, {71, 71}, {147, 147}, {20, 40}} {
		h, w := hw[0], hw[1]
		src := g.Normals(h * w).data
		for i := range src {
			switch {
			case i%5 == 2:
				src[i] = special[(i/5)%len(special)]
			case i%3 == 0:
				src[i] = special[3+(i/3)%2] // ±0
			}
		}
		check := func(name string, got, want []float32) {
			t.Helper()
			for i := range want {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) && !(got[i] != got[i] && want[i] != want[i]) {
					t.Fatalf("%s %d×%d: value %d is %v, want %v", name, h, w, i, got[i], want[i])
				}
			}
		}
		got, want := make([]float32, h*w), make([]float32, h*w)
		maxPool3x3Plane(got, src, make([]float32, h*w), h, w)
		maxPoolLoop(want, src, make([]float32, h*w), h, w, w, 1, 1)
		check("stride 1", got, want)
		if h < 3 || w < 3 {
			continue
		}
		oh, ow := (h-3)/2+1, (w-3)/2+1
		got, want = make([]float32, oh*ow), make([]float32, oh*ow)
		maxPool3x3Stride2Plane(got, src, make([]float32, h*ow), h, w, ow)
		maxPoolLoop(want, src, make([]float32, h*ow), h, w, ow, 2, 0)
		check("stride 2", got, want)
	}
}
