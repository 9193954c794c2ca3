package study

import (
	"encoding/json"
	"math"
	"os"
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
