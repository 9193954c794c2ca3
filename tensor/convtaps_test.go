package tensor

import (
	"fmt"
	"math"
	"testing"
)

// TestTapsMatchGather: for every convolution whose stride equals its
// kernel, the input gradient computed tap by tap has the bits of the
// general gather: output channels in one K block and across several (a
// block ends every KBlock/(kh·kw) of them), kernels of 2, 4 and 16 taps,
// and an output gradient with many exact zeros (as after a ReLU) beside
// filters of both signs.
func TestTapsMatchGather(t *testing.T) {
	g := NewRNG(11)
	for _, c := range []struct{ n, c, o, oh, ow, kh, kw int }{
		{2, 3, 4, 3, 3, 2, 2},
		{3, 5, 32, 4, 5, 2, 2},
		{2, 7, 100, 4, 4, 2, 2}, // two K blocks of the gather
		{1, 4, 200, 2, 3, 2, 2}, // three
		{2, 3, 6, 5, 3, 2, 1},
		{1, 2, 50, 2, 2, 4, 4}, // 24 channels per block: three
	} {
		t.Run(fmt.Sprintf("n%d_c%d_o%d_%dx%d_k%dx%d", c.n, c.c, c.o, c.oh, c.ow, c.kh, c.kw), func(t *testing.T) {
			cfg := Conv2DConfig{StrideH: c.kh, StrideW: c.kw}
			xShape := []int{c.n, c.c, c.oh * c.kh, c.ow * c.kw}
			w := g.Normals(c.o, c.c, c.kh, c.kw)
			dy := g.Normals(c.n, c.o, c.oh, c.ow)
			for i, v := range dy.data {
				if v < 0.3 {
					dy.data[i] = 0
				}
			}
			s := newConvShape("test", &Tensor{shape: xShape}, w, cfg)
			if !s.tapSeparable() {
				t.Fatal("not taken tap by tap")
			}
			got := Conv2DBackwardInput(dy, w, xShape, cfg)
			want := Empty(xShape...)
			convBackwardInputGather(dy.data, w, s, want.data)
			for i, v := range want.data {
				if math.Float32bits(got.data[i]) != math.Float32bits(v) {
					t.Fatalf("element %d: %v tap by tap, %v gathered", i, got.data[i], v)
				}
			}
		})
	}
}

// BenchmarkTransposedConv times the forward pass of the demo's "deconv"
// up-sampling (32 channels, 2×2 kernel, stride 2, 64 images) tap by tap
// and as the general gather:
//
//	go test ./tensor -run X -bench TransposedConv -cpu 1
func BenchmarkTransposedConv(b *testing.B) {
	g := NewRNG(1)
	for _, side := range []int{8, 16} {
		cfg := Conv2DConfig{StrideH: 2, StrideW: 2}
		xShape := []int{64, 32, 2 * side, 2 * side}
		w := g.Normals(32, 32, 2, 2)
		dy := g.Normals(64, 32, side, side)
		s := newConvShape("bench", &Tensor{shape: xShape}, w, cfg)
		dx := Empty(xShape...)
		b.Run(fmt.Sprintf("%dto%d/taps", side, 2*side), func(b *testing.B) {
			for b.Loop() {
				convBackwardInputByTaps(dy.data, w.data, s, dx.data)
			}
		})
		b.Run(fmt.Sprintf("%dto%d/gather", side, 2*side), func(b *testing.B) {
			for b.Loop() {
				convBackwardInputGather(dy.data, w, s, dx.data)
			}
		})
	}
}
