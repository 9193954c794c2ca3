package vec

import (
	"math"
	"math/rand/v2"
	"testing"
)

// spread scales the values by powers of two from 2⁻⁴⁰ to 2⁴⁰, so that
// their sums in float64 round, and a kernel adding them in another order
// gives other bits.
func spread(r *rand.Rand, x []float32) []float32 {
	for i := range x {
		x[i] *= float32(math.Ldexp(1, r.IntN(81)-40))
	}
	return x
}

func normals(r *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	return x
}

// TestChannelSumsMatchLoops: ChannelSums, ChannelSquares and ChannelDots
// give, image after image, the bits of the plainest loops (one plane at a
// time, value after value), for plane counts around the kernels' groups of
// eight and plane sizes around their steps of four, with the special
// values among the data, spread over eighty binary orders of magnitude.
func TestChannelSumsMatchLoops(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	sameF64 := func(name string, got, want []float64) {
		t.Helper()
		for i := range want {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) && !(got[i] != got[i] && want[i] != want[i]) {
				t.Fatalf("%s: plane %d of %d: %v, want %v", name, i, len(want), got[i], want[i])
			}
		}
	}
	for _, planes := range []int{1, 3, 7, 8, 9, 16, 17} {
		for _, plane := range []int{1, 3, 4, 5, 16, 17, 64} {
			mean64, mean32 := make([]float64, planes), make([]float32, planes)
			for k := range mean64 {
				mean32[k] = float32(r.NormFloat64())
				mean64[k] = float64(mean32[k]) + r.Float64()*1e-3
			}
			start := make([]float64, planes)
			for k := range start {
				start[k] = r.NormFloat64()
			}
			sums, squares := append([]float64(nil), start...), append([]float64(nil), start...)
			sum, dot := append([]float64(nil), start...), append([]float64(nil), start...)
			wSums, wSquares := append([]float64(nil), start...), append([]float64(nil), start...)
			wSum, wDot := append([]float64(nil), start...), append([]float64(nil), start...)
			for image := 0; image < 3; image++ {
				x, g := spread(r, values(r, planes*plane)), spread(r, values(r, planes*plane))
				if image > 0 || planes%2 == 0 {
					// Finite values only, or every sum is soon NaN or ±Inf.
					x, g = spread(r, normals(r, planes*plane)), spread(r, normals(r, planes*plane))
				}
				ChannelSums(sums, x, plane)
				ChannelSquares(squares, x, plane, mean64)
				ChannelDots(sum, dot, x, g, plane, mean32)
				for k := 0; k < planes; k++ {
					for j := 0; j < plane; j++ {
						v, h := x[k*plane+j], g[k*plane+j]
						wSums[k] += float64(v)
						d := float64(v) - mean64[k]
						wSquares[k] += float64(d * d)
						wSum[k] += float64(h)
						wDot[k] += float64(float64(v-mean32[k]) * float64(h))
					}
				}
			}
			sameF64("ChannelSums", sums, wSums)
			sameF64("ChannelSquares", squares, wSquares)
			sameF64("ChannelDots sums", sum, wSum)
			sameF64("ChannelDots dots", dot, wDot)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("ChannelSums with too few values did not panic")
		}
	}()
	ChannelSums(make([]float64, 2), make([]float32, 7), 4)
}
