package study

import (
	"encoding/json"
	"math"
	"math/big"
	"os"
	"slices"
	"testing"

	"github.com/autogan-go/autogan/tensor"
)

// statsFixtures are SciPy's answers (testdata/make_stats_fixtures.py).
type statsFixtures struct {
	Permutation []struct {
		A, B    []float64
		Diff, P float64
	}
	Spearman []struct {
		X, Y  []float64
		Rho   float64
		RankX []float64 `json:"rank_x"`
	}
	Bootstrap []struct {
		X, Y   []float64
		Lo, Hi float64
	}
}

func loadStatsFixtures(t *testing.T) statsFixtures {
	t.Helper()
	b, err := os.ReadFile("testdata/stats.json")
	if err != nil {
		t.Fatal(err)
	}
	var f statsFixtures
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Permutation) == 0 || len(f.Spearman) == 0 || len(f.Bootstrap) == 0 {
		t.Fatal("empty fixtures")
	}
	return f
}

func TestPermutationTestMatchesSciPy(t *testing.T) {
	for i, c := range loadStatsFixtures(t).Permutation {
		diff, p := PermutationTest(c.A, c.B)
		if math.Abs(diff-c.Diff) > 1e-12 || math.Abs(p-c.P) > 1e-12 {
			t.Errorf("case %d: diff %v p %v, SciPy %v %v", i, diff, p, c.Diff, c.P)
		}
	}
}

func TestSpearmanMatchesSciPy(t *testing.T) {
	for i, c := range loadStatsFixtures(t).Spearman {
		if rho := Spearman(c.X, c.Y); math.Abs(rho-c.Rho) > 1e-12 {
			t.Errorf("case %d: ρ %v, SciPy %v", i, rho, c.Rho)
		}
		for j, r := range Ranks(c.X) {
			if r != c.RankX[j] {
				t.Errorf("case %d: rank %d is %v, SciPy %v", i, j, r, c.RankX[j])
			}
		}
	}
}

// TestBootstrapMatchesSciPy: the percentile interval from 10,000 resamples
// agrees with SciPy's from 20,000 up to the Monte Carlo error of both
// (about 0.01 at these sizes), and the same seed gives the same interval.
func TestBootstrapMatchesSciPy(t *testing.T) {
	for i, c := range loadStatsFixtures(t).Bootstrap {
		iv := BootstrapSpearman(c.X, c.Y, 10000, 0.95, tensor.NewRNG(3))
		if math.Abs(iv.Lo-c.Lo) > 0.03 || math.Abs(iv.Hi-c.Hi) > 0.03 {
			t.Errorf("case %d: [%.3f, %.3f], SciPy [%.3f, %.3f]", i, iv.Lo, iv.Hi, c.Lo, c.Hi)
		}
		again := BootstrapSpearman(c.X, c.Y, 10000, 0.95, tensor.NewRNG(3))
		if again != iv {
			t.Errorf("case %d: the same seed gave %v and %v", i, iv, again)
		}
	}
}

// TestSmallestPermutationP: the smallest p of an exact test is 2/C(n, k):
// 3 seeds against 3 can never reach 0.1, 5 against 5 can reach 0.008.
func TestSmallestPermutationP(t *testing.T) {
	if _, p := PermutationTest([]float64{1, 2, 3}, []float64{4, 5, 6}); math.Abs(p-0.1) > 1e-15 {
		t.Errorf("3 vs 3 fully apart: p = %v, want 0.1", p)
	}
	if _, p := PermutationTest([]float64{1, 2, 3, 4, 5}, []float64{6, 7, 8, 9, 10}); math.Abs(p-2.0/252) > 1e-15 {
		t.Errorf("5 vs 5 fully apart: p = %v, want 2/252", p)
	}
	if _, p := PermutationTest([]float64{1, 2, 3}, []float64{1, 2, 3}); p != 1 {
		t.Errorf("identical samples: p = %v, want 1", p)
	}
	// Unequal sizes: twice the one-sided p, as SciPy (not the fraction of
	// splits at least as far from zero, which would give 1/56 here).
	if _, p := PermutationTest([]float64{1, 2, 3, 4, 5}, []float64{6, 7, 100}); math.Abs(p-2.0/56) > 1e-15 {
		t.Errorf("5 vs 3 fully apart: p = %v, want 2/56", p)
	}
	for _, c := range []struct {
		na, nb int
		want   float64
	}{{5, 5, 2.0 / 252}, {5, 3, 2.0 / 56}, {3, 5, 2.0 / 56}, {3, 3, 0.1}, {2, 2, 1.0 / 3}, {1, 1, 1}, {0, 4, 1}} {
		if got := MinP(c.na, c.nb); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("MinP(%d, %d) = %v, want %v", c.na, c.nb, got, c.want)
		}
	}
}

// TestPermutationTestExact compares the test with the same test in exact
// rational arithmetic on values like a study's (FIDs near 40 whose groups
// are close, IS near 5, the same value in both groups): rounding must never
// move a split to the wrong side of the observed difference, in particular
// the mirror of an equal split, whose difference is exactly the negation.
func TestPermutationTestExact(t *testing.T) {
	rng := tensor.NewRNG(11)
	for trial := 0; trial < 300; trial++ {
		na, nb := 5, 5
		if trial%3 == 1 {
			nb = 3
		}
		center, spread := 40.0, 1.0
		if trial%2 == 1 {
			center, spread = 5, 0.1
		}
		a, b := make([]float64, na), make([]float64, nb)
		for i := range a {
			a[i] = center + spread*rng.Normal()
		}
		for i := range b {
			b[i] = center + spread*rng.Normal()
		}
		if trial%5 == 0 {
			b[0] = a[0] // two seeds that found the same architecture
		}
		_, p := PermutationTest(a, b)
		if want := exactPermutationP(a, b); p != want {
			t.Fatalf("trial %d: a %v b %v: p = %v, exact %v", trial, a, b, p, want)
		}
	}
}

// mustFloat is the float64 nearest to r.
func mustFloat(r *big.Rat) float64 {
	f, _ := r.Float64()
	return f
}

// exactPermutationP is PermutationTest's p computed with big.Rat sums.
func exactPermutationP(a, b []float64) float64 {
	pooled := append(slices.Clone(a), b...)
	n, na := len(pooled), len(a)
	mean := func(idx []int, in bool) *big.Rat {
		s, cnt := new(big.Rat), 0
		for i := range pooled {
			if slices.Contains(idx, i) == in {
				s.Add(s, new(big.Rat).SetFloat64(pooled[i]))
				cnt++
			}
		}
		return s.Quo(s, big.NewRat(int64(cnt), 1))
	}
	diffOf := func(idx []int) *big.Rat {
		return new(big.Rat).Sub(mean(idx, true), mean(idx, false))
	}
	first := make([]int, na)
	for i := range first {
		first[i] = i
	}
	observed := diffOf(first)
	// The same tolerance as PermutationTest: near-ties count as ties.
	var largest float64
	for _, x := range pooled {
		largest = max(largest, math.Abs(x))
	}
	gamma := new(big.Rat).SetFloat64(max(math.Abs(mustFloat(observed))*100*0x1p-52, 1e-12*largest))
	lo, hi := new(big.Rat).Sub(observed, gamma), new(big.Rat).Add(observed, gamma)
	var less, greater, splits int
	var walk func(start int, idx []int)
	walk = func(start int, idx []int) {
		if len(idx) == na {
			d := diffOf(idx)
			splits++
			if d.Cmp(hi) <= 0 {
				less++
			}
			if d.Cmp(lo) >= 0 {
				greater++
			}
			return
		}
		for i := start; i < n; i++ {
			walk(i+1, append(idx, i))
		}
	}
	walk(0, nil)
	return min(1, 2*float64(min(less, greater))/float64(splits))
}

func TestMeanSD(t *testing.T) {
	m, sd := MeanSD([]float64{2, 4, 4, 4, 5, 5, 7, 9})
	if m != 5 || math.Abs(sd-2.138089935299395) > 1e-15 {
		t.Errorf("mean %v sd %v, want 5 and 2.1381 (numpy std ddof=1)", m, sd)
	}
	if _, sd := MeanSD([]float64{3}); sd != 0 {
		t.Errorf("one value: sd %v", sd)
	}
}
