package tensor

import (
	"math"
	"testing"
)

// TestUpsampleBilinearIsPyTorchsFormula checks the separable computation
// bit for bit against PyTorch's per-output formula,
// h0lambda·(w0lambda·a + w1lambda·b) + h1lambda·(w0lambda·c + w1lambda·d),
// for upsampling (factor two, where a fast path applies from three
// columns, and others), downsampling and odd sizes, with signed zeros,
// infinities and NaN among the inputs. (The PyTorch fixtures of package
// layers check the values; this checks that the reordering of the work
// changed no bit.)
func TestUpsampleBilinearIsPyTorchsFormula(t *testing.T) {
	g := NewRNG(6)
	for _, s := range bilinearShapes {
		h, w, oh, ow := s[0], s[1], s[2], s[3]
		x := g.Normals(2, 3, h, w)
		sprinkleSpecials(x.data)
		y := UpsampleBilinear(x, oh, ow)
		y0, y1, ly := linearWeights(h, oh)
		x0, x1, lx := linearWeights(w, ow)
		for pl := 0; pl < 6; pl++ {
			src := x.data[pl*h*w:]
			for oy := 0; oy < oh; oy++ {
				for ox := 0; ox < ow; ox++ {
					wy1, wx1 := ly[oy], lx[ox]
					wy0, wx0 := 1-wy1, 1-wx1
					r0, r1 := src[y0[oy]*w:], src[y1[oy]*w:]
					top := float32(wx0*r0[x0[ox]]) + float32(wx1*r0[x1[ox]])
					bot := float32(wx0*r1[x0[ox]]) + float32(wx1*r1[x1[ox]])
					want := float32(wy0*top) + float32(wy1*bot)
					if got := y.data[pl*oh*ow+oy*ow+ox]; math.Float32bits(got) != math.Float32bits(want) {
						t.Fatalf("%v plane %d (%d, %d): %v, want %v", s, pl, oy, ox, got, want)
					}
				}
			}
		}
	}
}

var bilinearShapes = [][4]int{{4, 4, 8, 8}, {8, 8, 16, 16}, {16, 16, 32, 32}, {3, 3, 6, 6}, {2, 2, 4, 4},
	{5, 7, 10, 14}, {3, 4, 7, 5}, {9, 13, 4, 6}, {1, 1, 3, 3}, {1, 5, 2, 10}, {6, 1, 12, 2}, {4, 4, 4, 4}}

// sprinkleSpecials puts −0, ±Inf and NaN at a few places of x.
func sprinkleSpecials(x []float32) {
	specials := []float32{float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN())}
	for i, v := range specials {
		if j := 7 * i * i; j < len(x) {
			x[j] = v
		}
	}
}

// TestUpsampleBilinearBackwardIsPyTorchsScatter checks the gathered
// gradient bit for bit against PyTorch's loop: output pixels in order, each
// adding its four terms float32(float32(wy·wx)·g) to its source pixels,
// zero weights included (0·∞ is NaN).
func TestUpsampleBilinearBackwardIsPyTorchsScatter(t *testing.T) {
	g := NewRNG(7)
	for _, s := range bilinearShapes {
		h, w, oh, ow := s[0], s[1], s[2], s[3]
		dy := g.Normals(2, 3, oh, ow)
		sprinkleSpecials(dy.data)
		dx := UpsampleBilinearBackward(dy, []int{2, 3, h, w})
		y0, y1, ly := linearWeights(h, oh)
		x0, x1, lx := linearWeights(w, ow)
		want := make([]float32, 2*3*h*w)
		for pl := 0; pl < 6; pl++ {
			gp, dst := dy.data[pl*oh*ow:], want[pl*h*w:]
			for oy := 0; oy < oh; oy++ {
				r0, r1 := dst[y0[oy]*w:], dst[y1[oy]*w:]
				wy1 := ly[oy]
				wy0 := 1 - wy1
				for ox := 0; ox < ow; ox++ {
					v := gp[oy*ow+ox]
					wx1 := lx[ox]
					wx0 := 1 - wx1
					r0[x0[ox]] += float32(float32(wy0*wx0) * v)
					r0[x1[ox]] += float32(float32(wy0*wx1) * v)
					r1[x0[ox]] += float32(float32(wy1*wx0) * v)
					r1[x1[ox]] += float32(float32(wy1*wx1) * v)
				}
			}
		}
		for i, v := range want {
			// NaN is NaN: which of two NaNs an addition returns (and
			// so its sign bit) is up to the compiler's operand order.
			if got := dx.data[i]; math.Float32bits(got) != math.Float32bits(v) && !(got != got && v != v) {
				t.Fatalf("%v: gradient %d = %v, want %v", s, i, got, v)
			}
		}
	}
}

// TestUpsampleNearestByFactor checks the fast path for factors of two and
// four against the general loop, bit for bit, forward and backward, with
// signed zeros among the gradients (the backward sums start from +0 in
// both).
func TestUpsampleNearestByFactor(t *testing.T) {
	r := NewRNG(7)
	negZero := float32(math.Copysign(0, -1))
	for _, s := range [][3]int{{1, 1, 2}, {2, 3, 2}, {4, 4, 2}, {5, 8, 2}, {3, 16, 2}, {2, 24, 2}, {2, 2, 4}, {3, 5, 4}} {
		h, w, f := s[0], s[1], s[2]
		oh, ow := f*h, f*w
		if nearestFactor(h, w, oh, ow) != f {
			t.Fatalf("nearestFactor(%d, %d, %d, %d) = %d, want %d", h, w, oh, ow, nearestFactor(h, w, oh, ow), f)
		}
		x := r.Normals(2, 3, h, w)
		y := UpsampleNearest(x, oh, ow)
		xs := nearestIndices(w, ow)
		want := make([]float32, len(y.data))
		for pl := 0; pl < 6; pl++ {
			upsampleNearestPlane(want[pl*oh*ow:(pl+1)*oh*ow], x.data[pl*h*w:(pl+1)*h*w], xs, h, oh)
		}
		for i := range want {
			if math.Float32bits(y.data[i]) != math.Float32bits(want[i]) {
				t.Fatalf("%d×%d ×%d: forward value %d is %v, want %v", h, w, f, i, y.data[i], want[i])
			}
		}
		g := r.Normals(2, 3, oh, ow)
		for i := 0; i < len(g.data); i += 3 {
			g.data[i] = negZero
		}
		// The whole block of pixel (0, 0) of plane 0: its sum is +0 only
		// when it starts from +0, as the general loop does.
		for dy := 0; dy < f; dy++ {
			for dx := 0; dx < f; dx++ {
				g.data[dy*ow+dx] = negZero
			}
		}
		dx := UpsampleNearestBackward(g, x.Shape())
		wantDx := make([]float32, len(dx.data))
		for pl := 0; pl < 6; pl++ {
			for oy := 0; oy < oh; oy++ {
				for ox := 0; ox < ow; ox++ {
					wantDx[pl*h*w+(oy/f)*w+ox/f] += g.data[pl*oh*ow+oy*ow+ox]
				}
			}
		}
		for i := range wantDx {
			if math.Float32bits(dx.data[i]) != math.Float32bits(wantDx[i]) {
				t.Fatalf("%d×%d ×%d: gradient %d is %v (bits %#x), want %v (bits %#x)", h, w, f, i,
					dx.data[i], math.Float32bits(dx.data[i]), wantDx[i], math.Float32bits(wantDx[i]))
			}
		}
	}
	for _, s := range [][4]int{{4, 4, 12, 12}, {4, 4, 8, 12}, {4, 4, 4, 4}, {4, 4, 6, 6}, {0, 4, 0, 8}} {
		if f := nearestFactor(s[0], s[1], s[2], s[3]); f != 0 {
			t.Errorf("nearestFactor%v = %d, want 0", s, f)
		}
	}
}

// BenchmarkUpsample times the factor-two resampling, forward and
// backward, of an up-cell (64 images, 16×16 to 32×32): nearest at the
// search benchmark's 128 channels, bilinear at the demo's 32.
func BenchmarkUpsample(b *testing.B) {
	for _, bc := range []struct {
		name string
		c    int
		fwd  func(x *Tensor, oh, ow int) *Tensor
		bwd  func(dy *Tensor, inShape []int) *Tensor
	}{
		{"nearest", 128, UpsampleNearest, UpsampleNearestBackward},
		{"bilinear", 32, UpsampleBilinear, UpsampleBilinearBackward},
	} {
		x := NewRNG(1).Normals(64, bc.c, 16, 16)
		b.Run(bc.name+"/fwd", func(b *testing.B) {
			for b.Loop() {
				bc.fwd(x, 32, 32).Release()
			}
		})
		g := NewRNG(2).Normals(64, bc.c, 32, 32)
		b.Run(bc.name+"/bwd", func(b *testing.B) {
			for b.Loop() {
				bc.bwd(g, x.Shape()).Release()
			}
		})
	}
}
