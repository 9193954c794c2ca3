package tensor

import (
	"fmt"
	"math"
	"testing"
)

// naiveConv computes conv2d in float64 with explicit loops.
func naiveConv(x, w, b *Tensor, cfg Conv2DConfig) []float64 {
	s := newConvShape("naive", x, w, cfg)
	out := make([]float64, s.n*s.o*s.oh*s.ow)
	for n := 0; n < s.n; n++ {
		for o := 0; o < s.o; o++ {
			for oy := 0; oy < s.oh; oy++ {
				for ox := 0; ox < s.ow; ox++ {
					var acc float64
					if b != nil {
						acc = float64(b.data[o])
					}
					for c := 0; c < s.c; c++ {
						for ky := 0; ky < s.kh; ky++ {
							for kx := 0; kx < s.kw; kx++ {
								iy, ix := oy*s.sh-s.ph+ky, ox*s.sw-s.pw+kx
								if iy >= 0 && iy < s.h && ix >= 0 && ix < s.w {
									acc += float64(x.At(n, c, iy, ix)) * float64(w.At(o, c, ky, kx))
								}
							}
						}
					}
					out[((n*s.o+o)*s.oh+oy)*s.ow+ox] = acc
				}
			}
		}
	}
	return out
}

// closeTo requires every value within tol·(1 + |want| + rms) of the
// reference, where rms is the root mean square of want: the error of a sum
// scales with the size of its terms, which a value near zero does not show.
func closeTo(t *testing.T, name string, got []float32, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", name, len(got), len(want))
	}
	var sq float64
	for _, v := range want {
		sq += v * v
	}
	rms := math.Sqrt(sq / float64(max(len(want), 1)))
	for i := range want {
		if d := math.Abs(float64(got[i]) - want[i]); d > tol*(1+math.Abs(want[i])+rms) || math.IsNaN(float64(got[i])) {
			t.Fatalf("%s: element %d = %v, want %v", name, i, got[i], want[i])
		}
	}
}

type convCase struct {
	n, c, h, w, o, kh, kw int
	cfg                   Conv2DConfig
}

var convCases = []convCase{
	{2, 3, 8, 8, 4, 3, 3, Conv2DConfig{PadH: 1, PadW: 1}},
	{1, 5, 7, 9, 3, 3, 3, Conv2DConfig{StrideH: 2, StrideW: 2}},
	{2, 4, 9, 9, 6, 1, 7, Conv2DConfig{PadW: 3}},
	{2, 4, 9, 9, 6, 7, 1, Conv2DConfig{PadH: 3}},
	{1, 3, 11, 10, 5, 5, 5, Conv2DConfig{PadH: 2, PadW: 2}},
	{3, 6, 5, 5, 7, 1, 1, Conv2DConfig{}},
	{2, 3, 6, 6, 2, 2, 2, Conv2DConfig{StrideH: 2, StrideW: 2}},
	{1, 2, 17, 13, 3, 3, 2, Conv2DConfig{StrideH: 2, StrideW: 1, PadH: 1, PadW: 0}},
	{2, 48, 12, 12, 14, 3, 3, Conv2DConfig{PadH: 1, PadW: 1}}, // several GEMM slivers and K blocks
}

func TestConv2DMatchesNaive(t *testing.T) {
	g := NewRNG(11)
	for _, tc := range convCases {
		t.Run(fmt.Sprintf("%+v", tc), func(t *testing.T) { checkConvCase(t, g, tc) })
	}
}

// checkConvCase compares the forward pass of one convolution with the
// float64 reference and its gradients through the adjoint identities.
func checkConvCase(t *testing.T, g *RNG, tc convCase) {
	t.Helper()
	x := g.Normals(tc.n, tc.c, tc.h, tc.w)
	w := g.Normals(tc.o, tc.c, tc.kh, tc.kw)
	b := g.Normals(tc.o)
	want := naiveConv(x, w, b, tc.cfg)
	closeTo(t, "Conv2D", Conv2D(x, w, b, tc.cfg, false).data, want, 1e-4)
	relu := Conv2D(x, w, b, tc.cfg, true)
	for i := range want {
		want[i] = math.Max(want[i], 0)
	}
	closeTo(t, "Conv2D+ReLU", relu.data, want, 1e-4)

	// Gradients: L = Σ y·r, so dL/dy = r.
	y := Conv2D(x, w, nil, tc.cfg, false)
	r := g.Normals(y.shape...)
	dx := Conv2DBackwardInput(r, w, x.shape, tc.cfg)
	dw := Conv2DBackwardWeight(r, x, w.shape, tc.cfg, nil)
	// Reference by linearity: dL/dx[i] = Σ_o r·∂y/∂x[i], computed from
	// naive convolutions of unit perturbations is too slow; use the
	// adjoint identity <conv(x,w), r> = <x, dx> = <w, dw> instead,
	// checked for random directions.
	for trial := 0; trial < 3; trial++ {
		vx := g.Normals(x.shape...)
		vw := g.Normals(w.shape...)
		lhsX := dot64(naiveConv(vx, w, nil, tc.cfg), r.data)
		lhsW := dot64(naiveConv(x, vw, nil, tc.cfg), r.data)
		rhsX := dot64f(vx.data, dx.data)
		rhsW := dot64f(vw.data, dw.data)
		if math.Abs(lhsX-rhsX) > 1e-3*(1+math.Abs(lhsX)) || math.Abs(lhsW-rhsW) > 1e-3*(1+math.Abs(lhsW)) {
			t.Fatalf("adjoint mismatch: <conv(v,w),r>=%v <v,dx>=%v; <conv(x,v),r>=%v <v,dw>=%v", lhsX, rhsX, lhsW, rhsW)
		}
	}
	// Accumulation into an existing gradient.
	acc := Full(1, w.shape...)
	Conv2DBackwardWeight(r, x, w.shape, tc.cfg, acc)
	for i := range acc.data {
		if math.Abs(float64(acc.data[i]-1-dw.data[i])) > 1e-4*(1+math.Abs(float64(dw.data[i]))) {
			t.Fatalf("accumulated weight gradient differs at %d", i)
		}
	}
}

func dot64(a []float64, b []float32) float64 {
	var s float64
	for i := range a {
		s += a[i] * float64(b[i])
	}
	return s
}

func dot64f(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s
}
