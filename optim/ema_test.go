package optim

import (
	"math"
	"math/big"
	"testing"

	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/internal/fixture"
	"github.com/autogan-go/autogan/layers"
	"github.com/autogan-go/autogan/tensor"
)

// TestEMAMatchesPyTorchBits compares one update of the moving average with
// PyTorch's avg.mul_(0.999).add_(p, alpha=0.001) bit for bit
// (testdata/make_step_fixtures.py, ema_unit/*).
func TestEMAMatchesPyTorchBits(t *testing.T) {
	fx := fixture.Open(t, "../testdata/step_derived.safetensors")
	p := autodiff.Param(fx.Tensor("ema_unit/param"))
	e := NewEMA([]layers.Entry{{Name: "p", Param: p}}, 0.999)
	e.Averages()[0].CopyFrom(fx.Tensor("ema_unit/avg"))
	e.Update()
	want := fx.Tensor("ema_unit/out").Data()
	for i, v := range e.Averages()[0].Data() {
		if math.Float32bits(v) != math.Float32bits(want[i]) {
			t.Fatalf("element %d: %v (%#x), PyTorch %v (%#x)", i, v, math.Float32bits(v), want[i], math.Float32bits(want[i]))
		}
	}
}

// TestFMA32IsCorrectlyRounded checks fma32 against exact arithmetic,
// including sums that fall on float32 ties after a float64 rounding.
func TestFMA32IsCorrectlyRounded(t *testing.T) {
	exact := func(x, y, z float32) float32 {
		v := new(big.Float).SetPrec(200).Mul(big.NewFloat(float64(x)).SetPrec(200), big.NewFloat(float64(y)).SetPrec(200))
		v.Add(v, big.NewFloat(float64(z)).SetPrec(200))
		f, _ := v.Float32()
		return f
	}
	g := tensor.NewRNG(9)
	cases := [][3]float32{
		{1, 1, 1}, {0, 5, -0}, {-1, 1, 1},
		// 1 + x·y with x·y = 2⁻²⁴ + 2⁻⁶⁰ (2³⁶+1 = 38737·1774001): the
		// float64 sum rounds onto the float32 tie 1 + 2⁻²⁴, which rounds
		// to even (1); the exact sum is above the tie, so 1 + 2⁻²³.
		{38737 * 0x1p-30, 1774001 * 0x1p-30, 1},
		{-38737 * 0x1p-30, 1774001 * 0x1p-30, -1},
	}
	if naive := float32(float64(cases[3][0])*float64(cases[3][1]) + 1); naive != 1 {
		t.Fatalf("the tie case no longer lands on a tie (float64 path gives %g)", naive)
	}
	for i := 0; i < 200000; i++ {
		x := float32(g.Float64()*2-1) * float32(math.Pow(2, float64(g.IntN(40)-20)))
		y := float32(g.Float64()*2 - 1)
		z := float32(g.Float64()*2-1) * float32(math.Pow(2, float64(g.IntN(20)-10)))
		cases = append(cases, [3]float32{x, y, z})
	}
	for _, c := range cases {
		if got, want := fma32(c[0], c[1], c[2]), exact(c[0], c[1], c[2]); math.Float32bits(got) != math.Float32bits(want) {
			t.Fatalf("fma32(%g, %g, %g) = %g, exact %g", c[0], c[1], c[2], got, want)
		}
	}
}
