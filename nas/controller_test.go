package nas

import (
	"math"
	"testing"

	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/layers"
	"github.com/autogan-go/autogan/tensor"
)

// TestControllerParameterCounts: 82,810 / 83,212 / 83,614 for stages 0, 1,
// 2 in the reference.
func TestControllerParameterCounts(t *testing.T) {
	for stage, want := range []int{82810, 83212, 83614} {
		if n := layers.CountParams(NewController(stage, 100, tensor.NewRNG(1))); n != want {
			t.Errorf("stage %d controller has %d parameters, the reference %d", stage, n, want)
		}
	}
}

func TestControllerSamplingFrequencies(t *testing.T) {
	c := NewController(1, 100, tensor.NewRNG(3))
	// With the decoders zeroed, every choice is equally likely.
	for _, d := range c.Decoders {
		d.Weight.Value.Zero()
		d.Bias.Value.Zero()
	}
	prefixes := []Prefix{
		{Arch: MustParse("0 0 0 0"), H: make([]float32, 100), C: make([]float32, 100)},
		{Arch: MustParse("1 2 2 1"), H: make([]float32, 100), C: make([]float32, 100)},
	}
	s := c.Sample(autodiff.NoGrad(), 4000, prefixes, tensor.NewRNG(4), tensor.NewRNG(5))
	counts := map[int]int{}
	first := 0
	for _, a := range s.Archs {
		counts[int(a.Cells[1].Norm)]++
		if a.Cells[0].Conv == 0 {
			first++
		}
		if len(a.Cells) != 2 {
			t.Fatalf("sampled %v", a)
		}
	}
	for v := 0; v < 3; v++ {
		if counts[v] < 1200 || counts[v] > 1470 {
			t.Fatalf("norm token counts %v, want about 1333 each", counts)
		}
	}
	if first < 1850 || first > 2150 {
		t.Fatalf("prefix 0 chosen %d times of 4000", first)
	}
	lp := s.LogProbs.Value
	if lp.Dim(0) != 4000 || lp.Dim(1) != 5 || math.Abs(float64(lp.At(0, 1))-math.Log(1.0/3)) > 1e-6 {
		t.Fatalf("log-probs %v, first norm %v", lp.Shape(), lp.At(0, 1))
	}
	if e := s.Entropies.Value; e.Dim(0) != 5*4000 || math.Abs(float64(e.At(4000, 0))-math.Log(3)) > 1e-5 {
		t.Fatalf("entropies %v, norm entropy %v", e.Shape(), e.At(4000, 0))
	}
}
