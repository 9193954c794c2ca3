package tensor

import (
	"math"
	"slices"
	"testing"
)

func TestRNGReproducibleAndRestorable(t *testing.T) {
	g := NewRNG(42)
	for range 17 {
		g.Normal() // leave a spare normal in the state
	}
	state, err := g.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{g.Normal(), g.Float64(), float64(g.IntN(1000)), g.Normal()}
	var h RNG
	if err := h.UnmarshalBinary(state); err != nil {
		t.Fatal(err)
	}
	got := []float64{h.Normal(), h.Float64(), float64(h.IntN(1000)), h.Normal()}
	if !slices.Equal(got, want) {
		t.Fatalf("restored stream %v, want %v", got, want)
	}
	// Two generators of one seed agree; another seed differs.
	a, b, c := NewRNG(42), NewRNG(42), NewRNG(43)
	if x, y, z := a.Uint64(), b.Uint64(), c.Uint64(); x != y || x == z {
		t.Fatalf("seeding: %#x and %#x from seed 42, %#x from 43", x, y, z)
	}
	if err := h.UnmarshalBinary([]byte{1, 2, 3}); err == nil {
		t.Fatal("short state accepted")
	}
}

func TestRNGChildrenAreIndependentOfParentUse(t *testing.T) {
	a := NewRNG(7)
	b := NewRNG(7)
	for range 100 {
		b.Uint64() // the parent's own use must not shift its children
	}
	if a.Child("data").Uint64() != b.Child("data").Uint64() {
		t.Fatal("child depends on parent state")
	}
	if a.Child("data").Uint64() == a.Child("init").Uint64() {
		t.Fatal("children with different names share a stream")
	}
	if a.Child("x").Child("y").Uint64() == a.Child("y").Uint64() {
		t.Fatal("grandchild equals child")
	}
}

func TestRNGDistributions(t *testing.T) {
	g := NewRNG(1)
	const n = 200000
	var s, s2 float64
	for range n {
		z := g.Normal()
		s += z
		s2 += z * z
	}
	mean, variance := s/n, s2/n-(s/n)*(s/n)
	if math.Abs(mean) > 0.01 || math.Abs(variance-1) > 0.01 {
		t.Fatalf("normal mean %v variance %v", mean, variance)
	}
	counts := make([]int, 7)
	for range 70000 {
		counts[g.IntN(7)]++
	}
	for i, c := range counts {
		if c < 9500 || c > 10500 {
			t.Fatalf("IntN(7) bucket %d has %d of 70000", i, c)
		}
	}
	p := g.Perm(50)
	sorted := slices.Clone(p)
	slices.Sort(sorted)
	for i, v := range sorted {
		if v != i {
			t.Fatalf("Perm is not a permutation: %v", p)
		}
	}
	x := New(1000)
	g.FillUniform(x, -2, 3)
	if lo, hi := Min(x, nil, false).Item(), Max(x, nil, false).Item(); lo < -2 || hi >= 3 || lo > -1.9 || hi < 2.9 {
		t.Fatalf("FillUniform range [%v, %v]", lo, hi)
	}
}
