package tensor

import (
	"fmt"
	"math"
	"runtime"
	"testing"

	"github.com/autogan-go/autogan/internal/gemm"
)

// withConvMode sets the algorithm choice (AUTOGAN_CONV) for one test.
func withConvMode(t *testing.T, mode string) {
	t.Helper()
	old := convMode
	convMode = mode
	t.Cleanup(func() { convMode = old })
}

// winoCases exercise the Winograd path: whole and partial tiles, padding
// 0, 1 and 2, more channels than one K block, output channel counts that
// are not a multiple of the kernel's MR, more tiles than one task.
var winoCases = []convCase{
	{2, 5, 7, 9, 3, 3, 3, Conv2DConfig{}},
	{1, 3, 10, 6, 4, 3, 3, Conv2DConfig{PadH: 2, PadW: 2}},
	{1, 2, 9, 7, 3, 3, 3, Conv2DConfig{PadH: 1}},
	{1, 400, 6, 6, 7, 3, 3, Conv2DConfig{PadH: 1, PadW: 1}},
	{3, 17, 13, 11, 13, 3, 3, Conv2DConfig{PadH: 1, PadW: 1}},
	{5, 8, 8, 8, 20, 3, 3, Conv2DConfig{PadH: 1, PadW: 1}},
	{2, 16, 32, 32, 16, 3, 3, Conv2DConfig{PadH: 1, PadW: 1}},
}

// TestWinogradMatchesNaive forces Winograd and runs the convolution tests:
// the forward pass against float64 and the gradients through the adjoint
// identities. The direct cases that Winograd cannot compute still run
// (directly), which checks the dispatch.
func TestWinogradMatchesNaive(t *testing.T) {
	withConvMode(t, "winograd")
	g := NewRNG(12)
	for _, tc := range append(winoCases, convCases...) {
		t.Run(fmt.Sprintf("%+v", tc), func(t *testing.T) { checkConvCase(t, g, tc) })
	}
}

// TestDirectMatchesNaive forces the direct algorithm (im2col packing and
// GEMM) on every case, including those the automatic choice gives to
// Winograd.
func TestDirectMatchesNaive(t *testing.T) {
	withConvMode(t, "direct")
	g := NewRNG(15)
	for _, tc := range append(winoCases, convCases...) {
		t.Run(fmt.Sprintf("%+v", tc), func(t *testing.T) { checkConvCase(t, g, tc) })
	}
}

// TestWinogradGradientsMatchDirect compares every element of the Winograd
// gradients with those of the direct algorithm.
func TestWinogradGradientsMatchDirect(t *testing.T) {
	g := NewRNG(13)
	for _, tc := range winoCases {
		x := g.Normals(tc.n, tc.c, tc.h, tc.w)
		w := g.Normals(tc.o, tc.c, tc.kh, tc.kw)
		oh, ow := tc.cfg.OutSize(tc.h, tc.w, 3, 3)
		r := g.Normals(tc.n, tc.o, oh, ow)
		grads := func(mode string) (*Tensor, *Tensor) {
			old := convMode
			convMode = mode
			defer func() { convMode = old }()
			return Conv2DBackwardInput(r, w, x.shape, tc.cfg), Conv2DBackwardWeight(r, x, w.shape, tc.cfg, nil)
		}
		dxW, dwW := grads("winograd")
		dxD, dwD := grads("direct")
		// Scale: the largest magnitude of the reference, since the error of
		// a sum is relative to the sizes of its terms.
		near := func(name string, got, want *Tensor, rel float64) {
			var peak float64
			for _, v := range want.data {
				peak = math.Max(peak, math.Abs(float64(v)))
			}
			for i, v := range want.data {
				if d := math.Abs(float64(got.data[i] - v)); d > rel*peak || math.IsNaN(float64(got.data[i])) {
					t.Fatalf("%+v: %s[%d] = %v, direct %v", tc, name, i, got.data[i], v)
				}
			}
		}
		near("dx", dxW, dxD, 1e-5)
		near("dw", dwW, dwD, 1e-5)
	}
}

// TestWinogradDeterminismAcrossWorkers: the forward pass and both
// gradients give the same bits with 1, 2, 3 and 7 workers.
func TestWinogradDeterminismAcrossWorkers(t *testing.T) {
	withConvMode(t, "winograd")
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	g := NewRNG(14)
	cfg := Conv2DConfig{PadH: 1, PadW: 1}
	x, w, b := g.Normals(5, 24, 18, 14), g.Normals(20, 24, 3, 3), g.Normals(20)
	r := g.Normals(5, 20, 18, 14)
	var ref []*Tensor
	for _, workers := range []int{1, 2, 3, 7} {
		runtime.GOMAXPROCS(workers)
		got := []*Tensor{
			Conv2D(x, w, b, cfg, true),
			Conv2DBackwardInput(r, w, x.shape, cfg),
			Conv2DBackwardWeight(r, x, w.shape, cfg, nil),
		}
		if ref == nil {
			ref = got
			continue
		}
		for k, y := range got {
			for i, v := range y.data {
				if math.Float32bits(v) != math.Float32bits(ref[k].data[i]) {
					t.Fatalf("result %d with %d workers differs at %d", k, workers, i)
				}
			}
		}
	}
}

// winogradError measures the forward error of F(4×4, 3×3) against float64
// for an N(0, 1) input and filters scaled as PyTorch initialises them
// (std 1/√(9C)), so that outputs have unit variance: the largest absolute
// error and the root mean square error, both in units of the output's
// standard deviation.
func winogradError(c int) (maxErr, rmsErr float64) {
	g := NewRNG(uint64(c))
	x := g.Normals(2, c, 16, 16)
	w := g.Normals(8, c, 3, 3)
	w.Scale(float32(1 / math.Sqrt(9*float64(c))))
	cfg := Conv2DConfig{PadH: 1, PadW: 1}
	want := naiveConv(x, w, nil, cfg)
	got := Conv2D(x, w, nil, cfg, false)
	var sq, ref float64
	for i, v := range want {
		d := math.Abs(float64(got.data[i]) - v)
		maxErr = math.Max(maxErr, d)
		sq += d * d
		ref += v * v
	}
	std := math.Sqrt(ref / float64(len(want)))
	return maxErr / std, math.Sqrt(sq/float64(len(want))) / std
}

// TestWinogradErrorBound checks the error bound documented in doc.go:
// F(4×4, 3×3) stays within 5e-5 (largest) and 5e-6 (RMS) of float64,
// relative to the output's standard deviation; the direct algorithm's
// error is 1e-6 to 2e-6 and 1e-7 to 3e-7.
func TestWinogradErrorBound(t *testing.T) {
	withConvMode(t, "direct")
	for _, c := range []int{3, 16, 64, 256} {
		convMode = "direct"
		dMax, dRMS := winogradError(c)
		convMode = "winograd"
		maxErr, rms := winogradError(c)
		t.Logf("C=%d: max error %.2e, RMS error %.2e (in output standard deviations); direct %.2e, %.2e", c, maxErr, rms, dMax, dRMS)
		if maxErr > 5e-5 || rms > 5e-6 {
			t.Errorf("C=%d: max error %.2e, RMS %.2e exceed the documented 5e-5 and 5e-6", c, maxErr, rms)
		}
	}
}

// A batch too large for the transform kernels' 32-bit offsets is computed
// in parts. Each part must give what the whole batch gives: the same bits
// for the convolution, and for the weight gradient the same sums (in
// another grouping, so to rounding).
func TestWinogradBatchInParts(t *testing.T) {
	g := NewRNG(21)
	cfg := Conv2DConfig{PadH: 1, PadW: 1}
	x, w, b := g.Normals(5, 6, 9, 7), g.Normals(4, 6, 3, 3), g.Normals(4)
	dy := g.Normals(5, 4, 9, 7)
	s := newConvShape("test", x, w, cfg)
	geo := newWinoGeom(s)
	ua := winoWeights(w.data, s.o, s.c, false)
	defer ua.Release()
	plane, in := s.oh*s.ow, s.c*s.h*s.w
	whole := make([]float32, s.n*s.o*plane)
	winoConv(x.data, geo, ua, b.data, true, whole, s.o, 0)
	parts := make([]float32, len(whole))
	for _, cut := range [][2]int{{0, 2}, {2, 3}, {3, 5}} {
		part := geo
		part.n = cut[1] - cut[0]
		winoConvPart(x.data[cut[0]*in:], part, ua, b.data, true, parts[cut[0]*s.o*plane:], s.o, 0, false)
	}
	for i := range whole {
		if math.Float32bits(whole[i]) != math.Float32bits(parts[i]) {
			t.Fatalf("output %d: %v in parts, %v whole", i, parts[i], whole[i])
		}
	}

	dwWhole := make([]float32, s.o*s.c*9)
	winoBackwardWeight(dy.data, x.data, geo, dwWhole, false)
	du := make([]float32, 36*s.o*s.c)
	for k, cut := range [][2]int{{0, 2}, {2, 5}} {
		part := geo
		part.n = cut[1] - cut[0]
		winoWeightGradPart(dy.data[cut[0]*s.o*plane:], x.data[cut[0]*in:], part, du, s.o*s.c, k > 0, false)
	}
	duWhole := make([]float32, len(du))
	winoWeightGradPart(dy.data, x.data, geo, duWhole, s.o*s.c, false, false)
	for i := range du {
		if d := math.Abs(float64(du[i] - duWhole[i])); d > 1e-4*(1+math.Abs(float64(duWhole[i]))) {
			t.Fatalf("dU %d: %v in parts, %v whole", i, du[i], duWhole[i])
		}
	}
	// And the weight gradient agrees with the direct algorithm.
	withConvMode(t, "direct")
	dwDirect := Conv2DBackwardWeight(dy, x, w.shape, cfg, nil)
	for i, v := range dwDirect.data {
		if d := math.Abs(float64(v - dwWhole[i])); d > 1e-3*(1+math.Abs(float64(v))) {
			t.Fatalf("dW %d: Winograd %v, direct %v", i, dwWhole[i], v)
		}
	}
}

// The weight gradient's products taken transposed (dU_ξᵀ = V_ξ·dM_ξᵀ, for
// few input channels) are the same sums in the same order: every value
// must be the same bits as in the products taken the usual way, whichever
// side is wider, with a chunk of tiles (winoWeightGradTiles) cut in two,
// ragged tiles and channel counts that fill no sliver.
func TestWinogradWeightGradSwap(t *testing.T) {
	kern := gemm.Active()
	if !winoWeightGradSwap(3, 32, kern.MR, kern.NR) || winoWeightGradSwap(32, 3, kern.MR, kern.NR) || winoWeightGradSwap(64, 64, kern.MR, kern.NR) {
		t.Errorf("%s: the rule swaps 3→32 %v, 32→3 %v, 64→64 %v; want true, false, false", kern.Name,
			winoWeightGradSwap(3, 32, kern.MR, kern.NR), winoWeightGradSwap(32, 3, kern.MR, kern.NR), winoWeightGradSwap(64, 64, kern.MR, kern.NR))
	}
	cfg := Conv2DConfig{PadH: 1, PadW: 1}
	for _, c := range []struct{ n, c, o, h, w int }{
		{200, 3, 32, 8, 8}, {3, 5, 40, 9, 7}, {2, 32, 3, 16, 16}, {4, 20, 7, 13, 6}, {1, 17, 33, 12, 12},
	} {
		g := NewRNG(uint64(31 + c.c))
		x, w := g.Normals(c.n, c.c, c.h, c.w), g.Normals(c.o, c.c, 3, 3)
		s := newConvShape("test", x, w, cfg)
		dy := g.Normals(c.n, c.o, s.oh, s.ow)
		geo := newWinoGeom(s)
		duXi := s.o * s.c
		plain, swapped := make([]float32, 36*duXi), make([]float32, 36*duXi)
		winoWeightGradPart(dy.data, x.data, geo, plain, duXi, false, false)
		winoWeightGradPart(dy.data, x.data, geo, swapped, duXi, false, true)
		for xi := 0; xi < 36; xi++ {
			for o := 0; o < s.o; o++ {
				for ch := 0; ch < s.c; ch++ {
					a, b := plain[xi*duXi+o*s.c+ch], swapped[xi*duXi+ch*s.o+o]
					if math.Float32bits(a) != math.Float32bits(b) {
						t.Fatalf("%d images, %d→%d channels, %d×%d: dU[ξ=%d][%d][%d] is %v, transposed %v", c.n, c.c, c.o, c.h, c.w, xi, o, ch, a, b)
					}
				}
			}
		}
	}
}

// An empty batch has a zero weight gradient (and adds nothing to an
// accumulator); a convolution without input channels gives its bias.
func TestWinogradEmpty(t *testing.T) {
	withConvMode(t, "winograd")
	g := NewRNG(22)
	cfg := Conv2DConfig{PadH: 1, PadW: 1}
	// Fill the buffer cache with NaN, as stale buffers could be.
	for _, n := range []int{36 * 16 * 16, 1 << 12, 1 << 16} {
		buf := Empty(n)
		for i := range buf.data {
			buf.data[i] = float32(math.NaN())
		}
		buf.Release()
	}
	x, dy := Empty(0, 16, 16, 16), Empty(0, 16, 16, 16)
	dw := Conv2DBackwardWeight(dy, x, []int{16, 16, 3, 3}, cfg, nil)
	for i, v := range dw.data {
		if v != 0 {
			t.Fatalf("empty batch: dW %d = %v, want 0", i, v)
		}
	}
	acc := g.Normals(16, 16, 3, 3)
	want := acc.Clone()
	Conv2DBackwardWeight(dy, x, []int{16, 16, 3, 3}, cfg, acc)
	for i, v := range acc.data {
		if v != want.data[i] {
			t.Fatalf("empty batch: accumulator %d changed from %v to %v", i, want.data[i], v)
		}
	}
	y := Conv2D(Empty(1, 0, 8, 8), Empty(3, 0, 3, 3), FromSlice([]float32{1, 2, 3}, 3), cfg, false)
	for i, v := range y.data {
		if want := float32(i/64 + 1); v != want {
			t.Fatalf("no input channels: output %d = %v, want the bias %v", i, v, want)
		}
	}
}
