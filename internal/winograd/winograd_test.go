package winograd

import (
	"math"
	"math/rand/v2"
	"testing"
)

func randSlice(r *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	return x
}

func sameBits(t *testing.T, name string, got, want []float32) {
	t.Helper()
	for i := range want {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s: element %d = %v, pure Go %v", name, i, got[i], want[i])
		}
	}
}

// randOffsets returns n tile offsets inside a plane of h rows of ld values,
// for tiles of rows×width values, in random order (the kernels must not
// assume neighbouring tiles).
func randOffsets(r *rand.Rand, n, h, ld, rows, width int) []int32 {
	offs := make([]int32, n)
	for j := range offs {
		offs[j] = int32(r.IntN(h-rows+1)*ld + r.IntN(ld-width+1))
	}
	return offs
}

// TestKernelsMatchPureGo is the conformance test of the lane kernels: the
// dispatched kernels (assembly where available) give exactly the bits of
// the pure-Go twins, for any number of tiles (full groups of Lanes and a
// remainder), any offsets and strides, with and without bias and ReLU.
func TestKernelsMatchPureGo(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, lanes := range []int{1, 7, 8, 16, 21} {
		const h, ld, planes = 13, 19, 5
		plane := h*ld + 3
		src := randSlice(r, planes*plane+8)
		src[17] = float32(math.NaN())
		src[40] = float32(math.Inf(-1))
		ps := lanes + 1
		xi := ps*planes + 3
		offs := randOffsets(r, lanes, h, ld, Alpha, 8)
		got, want := randSlice(r, Points*xi), make([]float32, Points*xi)
		copy(want, got)
		Input(got, xi, ps, src, offs, ld, plane, planes)
		inputGeneric(want, xi, ps, src, offs, ld, plane, planes)
		sameBits(t, "Input", got, want)

		offs = randOffsets(r, lanes, h, ld, Tile, Tile)
		got, want = randSlice(r, Points*xi), make([]float32, Points*xi)
		copy(want, got)
		GradOutput(got, xi, ps, src, offs, ld, plane, planes)
		gradOutputGeneric(want, xi, ps, src, offs, ld, plane, planes)
		sameBits(t, "GradOutput", got, want)

		m := randSlice(r, Points*xi)
		m[5] = float32(math.NaN())
		bias := randSlice(r, planes)
		for _, b := range [][]float32{nil, bias} {
			for _, relu := range []bool{false, true} {
				// Distinct tiles: overlapping outputs would depend on the
				// order of the writes.
				offs := make([]int32, lanes)
				for j := range offs {
					offs[j] = int32((j/3)*Tile*ld + (j%3)*Tile + 1)
				}
				out := 4*(lanes/3+1)*ld + 3
				got, want := randSlice(r, planes*out), make([]float32, planes*out)
				copy(want, got)
				Output(got, offs, ld, out, m, xi, ps, planes, b, relu)
				outputGeneric(want, offs, ld, out, m, xi, ps, planes, b, relu)
				sameBits(t, "Output", got, want)
			}
		}
	}
}

// TestWeightsMatchPureGo is the conformance test of the filter transform
// kernel: Weights gives, for any number of filters (whole groups of four
// and a remainder), any spacing of the filters and of the outputs, with
// and without the rotation, exactly the bits of WeightInto applied to each
// filter, the rotated ones rotated first; special values included.
func TestWeightsMatchPureGo(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{1, 3, 4, 5, 8, 13} {
		for _, srcStride := range []int{9, 10, 27} {
			for _, flip := range []bool{false, true} {
				src := randSlice(r, (n-1)*srcStride+9)
				for i := range src {
					src[i] *= float32(math.Pow(10, float64(r.IntN(9)-4)))
				}
				// At most one special value per filter: where two NaNs
				// meet, which one survives depends on the order of the
				// operands, which Go's compiler may swap in a sum.
				for j := 0; j < n; j++ {
					at := j*srcStride + r.IntN(9)
					switch j % 5 {
					case 0:
						src[at] = float32(math.NaN())
					case 1:
						src[at] = float32(math.Inf(1 - 2*r.IntN(2)))
					case 2:
						src[at] = 1e-42 // subnormal
					case 3:
						src[at] = 3e38 // near the float32 maximum
					}
				}
				stride := n + 3
				got := randSlice(r, (Points-1)*stride+n)
				want := make([]float32, len(got))
				copy(want, got)
				Weights(got, stride, src, srcStride, n, flip)
				for j := 0; j < n; j++ {
					f := make([]float32, 9)
					for i := range f {
						if flip {
							f[i] = src[j*srcStride+8-i]
						} else {
							f[i] = src[j*srcStride+i]
						}
					}
					WeightInto(want[j:], stride, f)
				}
				for i := range want {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
						t.Fatalf("%d filters %d apart, flip %v: element %d (ξ %d, filter %d) = %v, WeightInto %v",
							n, srcStride, flip, i, i/stride, i%stride, got[i], want[i])
					}
				}
			}
		}
	}
}

// TestWeightGradsMatchPureGo is the conformance test of the filter
// gradient kernel: WeightGrads gives, for any number of filters and any
// stride, with and without adding to dst, exactly the bits of WeightGrad
// per filter (added to the old value in float64 and rounded once).
func TestWeightGradsMatchPureGo(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, n := range []int{1, 3, 4, 5, 8, 13} {
		for _, add := range []bool{false, true} {
			xiStride := n + 2
			du := randSlice(r, (Points-1)*xiStride+n)
			for i := range du {
				du[i] *= float32(math.Pow(10, float64(r.IntN(9)-4)))
			}
			// At most one special value per filter (see
			// TestWeightsMatchPureGo).
			for j := 0; j < n; j++ {
				at := r.IntN(Points)*xiStride + j
				switch j % 5 {
				case 0:
					du[at] = float32(math.NaN())
				case 1:
					du[at] = float32(math.Inf(1 - 2*r.IntN(2)))
				case 2:
					du[at] = 1e-42
				case 3:
					du[at] = 3e38
				}
			}
			got := randSlice(r, 9*n+5)
			want := make([]float32, len(got))
			copy(want, got)
			WeightGrads(got, du, xiStride, n, add)
			for j := 0; j < n; j++ {
				var g [Points]float32
				for xi := range g {
					g[xi] = du[xi*xiStride+j]
				}
				for i, v := range WeightGrad(g[:]) {
					if add {
						v += float64(want[9*j+i])
					}
					want[9*j+i] = float32(v)
				}
			}
			for i := range want {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					t.Fatalf("%d filters, add %v: element %d (filter %d, gradient %d) = %v, WeightGrad %v", n, add, i, i/9, i%9, got[i], want[i])
				}
			}
		}
	}
}

// TestTransformsConvolve checks the algebra: Aᵀ[(G·w·Gᵀ) ⊙ (Bᵀ·d·B)]A is
// the 4×4 cross-correlation of a 6×6 tile d with the 3×3 filter w.
func TestTransformsConvolve(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 20; trial++ {
		d := randSlice(r, Alpha*Alpha+2)
		w := randSlice(r, 9)
		v := make([]float32, Points)
		Input(v, 1, 1, d, []int32{0}, Alpha, 0, 1)
		u := Weight(w)
		for i := range v {
			v[i] *= u[i]
		}
		y := make([]float32, 16)
		Output(y, []int32{0}, Tile, 0, v, 1, 1, 1, nil, false)
		for oy := 0; oy < Tile; oy++ {
			for ox := 0; ox < Tile; ox++ {
				var want float64
				for ky := 0; ky < 3; ky++ {
					for kx := 0; kx < 3; kx++ {
						want += float64(d[(oy+ky)*Alpha+ox+kx]) * float64(w[ky*3+kx])
					}
				}
				if got := float64(y[oy*Tile+ox]); math.Abs(got-want) > 1e-4*(1+math.Abs(want)) {
					t.Fatalf("trial %d: y[%d][%d] = %v, want %v", trial, oy, ox, got, want)
				}
			}
		}
	}
}

// TestAdjoints checks that GradOutput is the adjoint of Output and
// WeightGrad the adjoint of Weight: ⟨Output(m), g⟩ = ⟨m, GradOutput(g)⟩ and
// ⟨Weight(w), du⟩ = ⟨w, WeightGrad(du)⟩, which is what makes them the
// gradients of the forward transforms.
func TestAdjoints(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	m := randSlice(r, Points)
	gy := randSlice(r, 16)
	y := make([]float32, 16)
	Output(y, []int32{0}, Tile, 0, m, 1, 1, 1, nil, false)
	gm := make([]float32, Points)
	GradOutput(gm, 1, 1, gy, []int32{0}, Tile, 0, 1)
	if l, rr := dot(y, gy), dot(m, gm); math.Abs(l-rr) > 1e-4*(math.Abs(l)+1) {
		t.Fatalf("⟨Output(m), g⟩ = %v, ⟨m, GradOutput(g)⟩ = %v", l, rr)
	}
	w := randSlice(r, 9)
	du := randSlice(r, Points)
	u := Weight(w)
	gw := WeightGrad(du)
	var rr float64
	for i, v := range w {
		rr += float64(v) * gw[i]
	}
	if l := dot(u[:], du); math.Abs(l-rr) > 1e-5*(math.Abs(l)+1) {
		t.Fatalf("⟨Weight(w), du⟩ = %v, ⟨w, WeightGrad(du)⟩ = %v", l, rr)
	}
}

func dot(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s
}

func TestBadSizesPanic(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("Input with a short source did not panic")
		}
	}()
	Input(make([]float32, Points), 1, 1, make([]float32, 30), []int32{0}, Alpha, 0, 1)
}

// BenchmarkInput times the input transform of 16 tiles of 64 channels
// into panels whose ξ stride is a multiple of 4 KiB and into panels padded
// by a cache line: the first maps the 36 panels onto the same L1 sets.
func BenchmarkInput(b *testing.B) {
	for _, bc := range []struct {
		name string
		pad  int
	}{{"stride=4KiB", 0}, {"stride=padded", 16}} {
		b.Run(bc.name, func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			const kc, lanes = 64, 16
			ld := 34
			src := randSlice(r, kc*ld*ld+8)
			offs := make([]int32, lanes)
			for j := range offs {
				offs[j] = int32((j/8)*4*ld + (j%8)*4)
			}
			xiStride := kc*lanes + bc.pad
			dst := make([]float32, Points*xiStride)
			for b.Loop() {
				Input(dst, xiStride, lanes, src, offs, ld, ld*ld, kc)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*kc*lanes), "ns/tile")
		})
	}
}

// BenchmarkWeights times the filter transform of a layer of the demo's
// widths (32 input and 32 output channels: 1,024 filters, taken as
// winoWeights in package tensor takes them, input channel by input
// channel), with the dispatched kernel and with the pure-Go twin:
//
//	go test ./internal/winograd -run X -bench Weights
func BenchmarkWeights(b *testing.B) {
	const cin, cout = 32, 32
	r := rand.New(rand.NewPCG(7, 8))
	w := randSlice(r, cout*cin*9)
	opad := cout + 4
	u := make([]float32, cin*Points*opad)
	for _, k := range []struct {
		name string
		fn   func(dst []float32, stride int, src []float32, srcStride, n int, flip bool)
	}{{"dispatched", Weights}, {"purego", weightsGeneric}} {
		b.Run(k.name, func(b *testing.B) {
			for b.Loop() {
				for c := 0; c < cin; c++ {
					k.fn(u[c*Points*opad:], opad, w[c*9:], cin*9, cout, false)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*cin*cout), "ns/filter")
		})
	}
}

// BenchmarkWeightGrads times the filter gradients of a layer of the
// demo's widths (1,024 filters, taken output channel by output channel as
// winoBackwardWeight in package tensor takes them), with the dispatched
// kernel and with the pure-Go twin:
//
//	go test ./internal/winograd -run X -bench WeightGrads
func BenchmarkWeightGrads(b *testing.B) {
	const cin, cout = 32, 32
	r := rand.New(rand.NewPCG(9, 10))
	xiStride := cout*cin + 16 // as winoBackwardWeight pads it
	du := randSlice(r, Points*xiStride)
	acc := randSlice(r, cout*cin*9)
	for _, k := range []struct {
		name string
		fn   func(dst, du []float32, xiStride, n int, add bool)
	}{{"dispatched", WeightGrads}, {"purego", weightGradsGeneric}} {
		b.Run(k.name, func(b *testing.B) {
			for b.Loop() {
				for o := 0; o < cout; o++ {
					k.fn(acc[o*cin*9:(o+1)*cin*9], du[o*cin:], xiStride, cin, true)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*cin*cout), "ns/filter")
		})
	}
}
