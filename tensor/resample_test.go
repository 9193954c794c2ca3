package tensor

import (
	"math"
	"testing"
)

// TestUpsampleBilinearIsPyTorchsFormula checks the separable computation
// bit for bit against PyTorch's per-output formula,
// h0lambda·(w0lambda·a + w1lambda·b) + h1lambda·(w0lambda·c + w1lambda·d),
// for upsampling, downsampling and odd sizes. (The PyTorch fixtures of
// package layers check the values; this checks that the reordering of the
// work changed no bit.)
func TestUpsampleBilinearIsPyTorchsFormula(t *testing.T) {
	g := NewRNG(6)
	for _, s := range [][4]int{{4, 4, 8, 8}, {8, 8, 16, 16}, {3, 4, 7, 5}, {9, 13, 4, 6}, {1, 1, 3, 3}} {
		h, w, oh, ow := s[0], s[1], s[2], s[3]
		x := g.Normals(2, 3, h, w)
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
