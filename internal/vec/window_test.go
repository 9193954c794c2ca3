package vec

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestWindowSumsMatchPureGo: Sum3, Sum3Div and Sum2Div give the bits of
// their loops for every length around the groups of eight, with the
// special values, and divisors including the pooling's 9, 6 and 4, and 1.
func TestWindowSumsMatchPureGo(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{0, 1, 7, 8, 9, 15, 16, 17, 33, 100, 1000} {
		a, b, c := values(r, n), values(r, n), values(r, n)
		got, want := make([]float32, n), make([]float32, n)
		Sum3(got, a, b, c)
		sum3Generic(want, a, b, c)
		same(t, "Sum3", got, want)
		for _, d := range []float32{9, 6, 4, 1, 3, float32(r.NormFloat64())} {
			Sum3Div(got, a, b, c, d)
			sum3DivGeneric(want, a, b, c, d)
			same(t, "Sum3Div", got, want)
			Sum2Div(got, a, b, d)
			sum2DivGeneric(want, a, b, d)
			same(t, "Sum2Div", got, want)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("Sum3 with a short source did not panic")
		}
	}()
	x := make([]float32, 8)
	Sum3(x, x, x[:7], x)
}

// TestMaximaMatchPureGo: Max3 and Max3Stride2 give Go's max, bit for bit,
// for every length around the groups of eight, with NaN, ±Inf, ±0 and
// subnormals (and many ±0 side by side, where VMAXPS alone would return
// whichever came second). A NaN matches any NaN: Go's max returns a NaN
// whose payload depends on the other operands (it ORs their bits).
func TestMaximaMatchPureGo(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	zeros := func(x []float32) []float32 {
		for i := range x {
			if r.IntN(3) == 0 {
				x[i] = special[1+r.IntN(2)] // +0 or −0
			}
		}
		return x
	}
	for _, n := range []int{0, 1, 7, 8, 9, 15, 16, 17, 33, 100, 1000} {
		a, b, c := zeros(values(r, n)), zeros(values(r, n)), zeros(values(r, n))
		got, want := make([]float32, n), make([]float32, n)
		Max3(got, a, b, c)
		max3Generic(want, a, b, c)
		sameOrNaN(t, "Max3", got, want)
		for _, extra := range []int{1, 2, 3} { // src of 2n+1 values, or more
			src := zeros(values(r, 2*n+extra))
			Max3Stride2(got, src)
			max3Stride2Generic(want, src)
			sameOrNaN(t, "Max3Stride2", got, want)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("Max3Stride2 with a short source did not panic")
		}
	}()
	Max3Stride2(make([]float32, 8), make([]float32, 16))
}

// sameOrNaN is same with every NaN taken as equal to every other.
func sameOrNaN(t *testing.T, name string, got, want []float32) {
	t.Helper()
	for i := range want {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) && !(got[i] != got[i] && want[i] != want[i]) {
			t.Fatalf("%s: element %d of %d = %v (%#x), pure Go %v (%#x)", name, i, len(want), got[i], math.Float32bits(got[i]), want[i], math.Float32bits(want[i]))
		}
	}
}
