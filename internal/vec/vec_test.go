package vec

import (
	"math"
	"math/rand/v2"
	"testing"
)

// special values every test slice contains: NaN, ±0, ±Inf, the smallest
// subnormal of both signs.
var special = []float32{float32(math.NaN()), 0, float32(math.Copysign(0, -1)), float32(math.Inf(1)),
	float32(math.Inf(-1)), math.SmallestNonzeroFloat32, -math.SmallestNonzeroFloat32}

func values(r *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(r.NormFloat64())
		if r.IntN(8) == 0 {
			x[i] = special[r.IntN(len(special))]
		}
	}
	return x
}

// TestMatchesPureGo: the kernels (assembly where available) give the bits
// of the pure-Go twins for every length around the groups of 32.
func TestMatchesPureGo(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, n := range []int{0, 1, 7, 8, 9, 31, 32, 33, 64, 100, 1000} {
		x := values(r, n)
		got, want := make([]float32, n), make([]float32, n)
		ReLU(got, x)
		reluGeneric(want, x)
		same(t, "ReLU", got, want)

		y := values(r, n)
		Add(got, x, y)
		addGeneric(want, x, y)
		same(t, "Add", got, want)

		for _, ab := range [][2]float32{{0.25, 0.75}, {1, 0}, {0, 1}, {float32(r.NormFloat64()), float32(r.NormFloat64())}} {
			WeightedSum(got, x, y, ab[0], ab[1])
			weightedSumGeneric(want, x, y, ab[0], ab[1])
			same(t, "WeightedSum", got, want)
		}

		a, b := float32(r.NormFloat64()), float32(r.NormFloat64())
		ScaleShift(got, x, a, b, false)
		scaleShiftGeneric(want, x, a, b, false)
		same(t, "ScaleShift", got, want)
		ScaleShift(got, x, a, b, true)
		scaleShiftGeneric(want, x, a, b, true)
		same(t, "ScaleShift with relu", got, want)
		// The fused pass is ScaleShift and then ReLU.
		ScaleShift(want, x, a, b, false)
		ReLU(want, want)
		same(t, "ScaleShift with relu against ScaleShift and ReLU", got, want)

		m, k, gm, sc := float32(r.NormFloat64()), float32(r.NormFloat64()), float32(r.NormFloat64()), float32(r.NormFloat64())
		NormGrad(got, x, y, m, k, gm, sc)
		normGradGeneric(want, x, y, m, k, gm, sc)
		same(t, "NormGrad", got, want)

		g := values(r, n)
		got, want = append([]float32(nil), g...), append([]float32(nil), g...)
		MaskPositive(got, x)
		maskPositiveGeneric(want, x)
		same(t, "MaskPositive", got, want)
	}
	// The semantics: NaN and −0 pass through ReLU; masks keep only y > 0.
	in := []float32{float32(math.NaN()), float32(math.Copysign(0, -1)), -1, 2}
	out := make([]float32, 4)
	ReLU(out, in)
	if !math.IsNaN(float64(out[0])) || math.Float32bits(out[1]) != 1<<31 || out[2] != 0 || out[3] != 2 {
		t.Errorf("ReLU(%v) = %v", in, out)
	}
	g := []float32{1, 1, 1, 1}
	MaskPositive(g, in)
	if g[0] != 0 || g[1] != 0 || g[2] != 0 || g[3] != 1 {
		t.Errorf("MaskPositive by %v = %v", in, g)
	}
}

// TestPool2x2MatchesPureGo: the pooling kernels give the bits of the
// pure-Go twins on planes whose rows are and are not whole groups of 8.
func TestPool2x2MatchesPureGo(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	for _, s := range [][2]int{{0, 8}, {1, 8}, {4, 4}, {8, 8}, {3, 16}, {16, 16}, {2, 24}, {5, 12}} {
		rows, cols := s[0], s[1]
		src := values(r, 4*rows*cols)
		got, want := make([]float32, rows*cols), make([]float32, rows*cols)
		Pool2x2(got, src, rows, cols)
		pool2x2Generic(want, src, rows, cols)
		same(t, "Pool2x2", got, want)

		g := values(r, rows*cols)
		gotGrad, wantGrad := values(r, 4*rows*cols), make([]float32, 4*rows*cols)
		Pool2x2Grad(g, gotGrad, rows, cols)
		pool2x2GradGeneric(g, wantGrad, rows, cols)
		same(t, "Pool2x2Grad", gotGrad, wantGrad)
	}
}

// TestCopyRows: every row lands at its stride, and nothing else of dst
// changes, for rows that are and are not whole groups of 8, whatever the
// prefetch distance (even far past the end of src, or before its start).
func TestCopyRows(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	for _, s := range [][3]int{{0, 8, 10}, {1, 8, 8}, {8, 8, 10}, {3, 16, 18}, {32, 32, 34}, {5, 12, 14}, {4, 4, 6}, {2, 24, 40}} {
		rows, cols, stride := s[0], s[1], s[2]
		src := values(r, rows*cols)
		for _, ahead := range []int{0, rows * cols, 1 << 28, -1 << 20} {
			got := values(r, rows*stride+3)
			want := append([]float32(nil), got...)
			for i := range rows {
				copy(want[i*stride:i*stride+cols], src[i*cols:(i+1)*cols])
			}
			CopyRows(got, stride, src, rows, cols, ahead)
			same(t, "CopyRows", got, want)
		}
	}
}

func same(t *testing.T, name string, got, want []float32) {
	t.Helper()
	for i := range want {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s: element %d of %d = %v, pure Go %v", name, i, len(want), got[i], want[i])
		}
	}
}

// TestUpsample2x2MatchesPureGo: the nearest up-sampling by two and its
// gradient give the bits of their loops on planes whose rows are whole
// groups of eight (the kernels) and others (the loops), with the special
// values, −0 among them (the gradient's sum from zero makes it +0).
func TestUpsample2x2MatchesPureGo(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	for _, rc := range [][2]int{{1, 8}, {3, 16}, {4, 4}, {2, 7}, {5, 24}, {0, 8}} {
		rows, cols := rc[0], rc[1]
		src := values(r, rows*cols)
		got, want := make([]float32, 4*rows*cols), make([]float32, 4*rows*cols)
		Upsample2x2(got, src, rows, cols)
		upsample2x2Generic(want, src, rows, cols)
		same(t, "Upsample2x2", got, want)
		g := values(r, 4*rows*cols)
		dx, wdx := make([]float32, rows*cols), make([]float32, rows*cols)
		Upsample2x2Grad(dx, g, rows, cols)
		upsample2x2GradGeneric(wdx, g, rows, cols)
		same(t, "Upsample2x2Grad", dx, wdx)
	}
	negZero := float32(math.Copysign(0, -1))
	g := make([]float32, 4*16)
	for i := range g {
		g[i] = negZero
	}
	dx := make([]float32, 16)
	Upsample2x2Grad(dx, g, 2, 8)
	for i, v := range dx {
		if math.Float32bits(v) != 0 {
			t.Fatalf("Upsample2x2Grad of a block of −0: value %d is %#x, want +0", i, math.Float32bits(v))
		}
	}
}
