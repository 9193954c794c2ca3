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
