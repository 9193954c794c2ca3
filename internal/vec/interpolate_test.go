package vec

import (
	"math/rand/v2"
	"testing"
)

// TestInterpolatePairsMatchesPureGo: the kernel gives the bits of the loop
// (any NaN for a NaN: Go orders the operands of an addition as it likes)
// for source lengths around its groups of eight pairs, with the special
// values, and the weights of a factor-two up-sampling (¾ and ¼) as well as
// arbitrary ones.
func TestInterpolatePairsMatchesPureGo(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for _, n := range []int{1, 2, 8, 9, 10, 16, 17, 18, 33, 256, 1000} {
		src := values(r, n)
		got, want := make([]float32, 2*(n-1)), make([]float32, 2*(n-1))
		for _, w := range [][4]float32{{0.25, 0.75, 0.75, 0.25}, {1, 0, 0, 1}, {float32(r.NormFloat64()), float32(r.NormFloat64()), float32(r.NormFloat64()), float32(r.NormFloat64())}} {
			InterpolatePairs(got, src, w[0], w[1], w[2], w[3])
			interpolatePairsGeneric(want, src, w[0], w[1], w[2], w[3])
			sameOrNaN(t, "InterpolatePairs", got, want)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("InterpolatePairs into a short dst did not panic")
		}
	}()
	InterpolatePairs(make([]float32, 3), make([]float32, 3), 1, 0, 0, 1)
}

// TestAddPairTermsMatchesPureGo: the kernels (eight lanes from eight
// values, four from four, each with a last group that overlaps the one
// before) give the bits of the loop for every length up to 40, with the
// special values in the gradients and in dst.
func TestAddPairTermsMatchesPureGo(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	for n := 0; n <= 40; n++ {
		g := spread(r, values(r, 2*n+2+r.IntN(3)))
		d := values(r, n)
		got, want := append([]float32(nil), d...), append([]float32(nil), d...)
		w := [4]float32{float32(r.NormFloat64()), float32(r.NormFloat64()), float32(r.NormFloat64()), float32(r.NormFloat64())}
		AddPairTerms(got, g, w[0], w[1], w[2], w[3])
		addPairTermsGeneric(want, g, w[0], w[1], w[2], w[3])
		sameOrNaN(t, "AddPairTerms", got, want)
		// Finite values, where the order of the four additions shows.
		g, d = spread(r, normals(r, 2*n+2)), spread(r, normals(r, n))
		got, want = append(got[:0], d...), append(want[:0], d...)
		AddPairTerms(got, g, w[0], w[1], w[2], w[3])
		addPairTermsGeneric(want, g, w[0], w[1], w[2], w[3])
		same(t, "AddPairTerms", got, want)
	}
	defer func() {
		if recover() == nil {
			t.Error("AddPairTerms with too few gradients did not panic")
		}
	}()
	AddPairTerms(make([]float32, 8), make([]float32, 17), 1, 1, 1, 1)
}
