package study

import (
	"math"
	"slices"
	"sort"

	"github.com/autogan-go/autogan/tensor"
)

// The statistics of a study: small samples (3 to 5 seeds per arm), so
// exact permutation tests instead of t-tests, and rank correlation with a
// bootstrap interval instead of a p-value alone. Each function is checked
// against SciPy on committed fixtures (testdata/make_stats_fixtures.py).

// MeanSD returns the mean and the sample standard deviation (n − 1 in the
// denominator; 0 for a single value).
func MeanSD(v []float64) (mean, sd float64) {
	if len(v) == 0 {
		return math.NaN(), math.NaN()
	}
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	if len(v) < 2 {
		return mean, 0
	}
	var ss float64
	for _, x := range v {
		ss += float64((x - mean) * (x - mean)) // float64(): no fused multiply-add (the same bits on every GOAMD64 level)
	}
	return mean, math.Sqrt(ss / float64(len(v)-1))
}

// PermutationTest is the two-sided exact permutation test of the
// difference of the means of a and b, as scipy.stats.permutation_test
// (permutation_type="independent", alternative="two-sided") computes it:
// of the C(n_a+n_b, n_a) ways to split the pooled values into groups of
// their sizes, p_less is the fraction whose difference of means is at most
// the observed one and p_greater the fraction at least as large (the
// observed split counts in both, so p > 0), and p = min(1, 2·min(p_less,
// p_greater)). With 5 against 5 values there are 252 splits and the
// smallest possible p is 2/252 ≈ 0.008 (MinP); with 3 against 3 it is
// 2/20 = 0.1, which is why a study needs 5 seeds.
func PermutationTest(a, b []float64) (diff, p float64) {
	na, nb := len(a), len(b)
	if na == 0 || nb == 0 {
		return math.NaN(), math.NaN()
	}
	// Every group sum is taken over its values in increasing order, so
	// splits that hold the same values (the mirror of an equal split,
	// or two seeds that found the same architecture and so share one
	// value, swapped) give exactly the same difference, not one that
	// differs in the last bit and falls on the wrong side of the observed.
	pooled := append(slices.Clone(a), b...)
	slices.Sort(pooled)
	meanDiff := func(inA []bool) float64 {
		var sa, sb float64
		for i, x := range pooled {
			if inA[i] {
				sa += x
			} else {
				sb += x
			}
		}
		return sa/float64(na) - sb/float64(nb)
	}
	inA := make([]bool, na+nb)
	observed := make([]bool, na+nb) // a's values, found in the sorted pool
	used := slices.Clone(a)
	slices.Sort(used)
	for i, j := 0, 0; i < len(pooled) && j < na; i++ {
		if pooled[i] == used[j] {
			observed[i] = true
			j++
		}
	}
	diff = meanDiff(observed)
	// Differences within gamma of the observed count as equal to it:
	// SciPy's relative tolerance (100 machine epsilons of the observed
	// difference) or a millionth of a millionth of the largest value,
	// whichever is larger. Values given with a few decimals (FID 40.31)
	// are not exact in binary, so two splits equal in decimals can differ
	// by about 1e-16 of the values, which a tolerance relative to a small
	// observed difference alone can miss.
	gamma := max(math.Abs(diff)*100*0x1p-52, 1e-12*max(math.Abs(pooled[0]), math.Abs(pooled[len(pooled)-1])))
	var less, greater, splits int
	idx := make([]int, na) // the indices of group a, in increasing order
	for i := range idx {
		idx[i] = i
	}
	for {
		clear(inA)
		for _, i := range idx {
			inA[i] = true
		}
		d := meanDiff(inA)
		splits++
		if d <= diff+gamma {
			less++
		}
		if d >= diff-gamma {
			greater++
		}
		// Next combination in lexicographic order.
		k := na - 1
		for k >= 0 && idx[k] == len(pooled)-na+k {
			k--
		}
		if k < 0 {
			break
		}
		idx[k]++
		for j := k + 1; j < na; j++ {
			idx[j] = idx[j-1] + 1
		}
	}
	p = 2 * float64(min(less, greater)) / float64(splits)
	return diff, min(p, 1)
}

// MinP is the smallest p PermutationTest can return for groups of na and
// nb values: 2 / C(na+nb, na), or 1 when that exceeds 1. A difference
// between groups this small can never be significant at an α ≤ MinP.
func MinP(na, nb int) float64 {
	if na < 1 || nb < 1 {
		return 1
	}
	c := 1.0
	for i := 1; i <= na; i++ {
		c = c * float64(nb+i) / float64(i)
	}
	return min(1, 2/math.Round(c))
}

// Ranks returns the ranks of v (1 for the smallest), ties sharing the mean
// of their ranks, as scipy.stats.rankdata does.
func Ranks(v []float64) []float64 {
	order := make([]int, len(v))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return v[order[i]] < v[order[j]] })
	r := make([]float64, len(v))
	for i := 0; i < len(order); {
		j := i
		for j+1 < len(order) && v[order[j+1]] == v[order[i]] {
			j++
		}
		mid := float64(float64(i+j)/2) + 1 // float64(…): never fused into an FMA
		for k := i; k <= j; k++ {
			r[order[k]] = mid
		}
		i = j + 1
	}
	return r
}

// Pearson returns the correlation coefficient of x and y (NaN when either
// is constant).
func Pearson(x, y []float64) float64 {
	mx, _ := MeanSD(x)
	my, _ := MeanSD(y)
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += float64(dx * dy) // float64(): no fused multiply-add
		sxx += float64(dx * dx)
		syy += float64(dy * dy)
	}
	if sxx == 0 || syy == 0 {
		return math.NaN()
	}
	return sxy / math.Sqrt(sxx*syy)
}

// Spearman returns Spearman's rank correlation ρ of x and y: the Pearson
// correlation of their ranks (scipy.stats.spearmanr).
func Spearman(x, y []float64) float64 { return Pearson(Ranks(x), Ranks(y)) }

// Interval is a confidence interval.
type Interval struct {
	Lo, Hi float64
	Level  float64 // e.g. 0.95
	// Resamples is the number of bootstrap resamples used; Degenerate
	// counts those left out because ρ was undefined in them (every x or
	// every y equal).
	Resamples, Degenerate int
}

// BootstrapSpearman returns the percentile bootstrap interval of
// Spearman's ρ at the given level: the pairs (x_i, y_i) are resampled with
// replacement b times from rng, and the interval holds the central level
// of the resampled ρ. With 12 points, a ρ of 0.78 has an interval of
// roughly [0.35, 0.94]: that is what few architectures can show.
func BootstrapSpearman(x, y []float64, b int, level float64, rng *tensor.RNG) Interval {
	n := len(x)
	iv := Interval{Level: level, Resamples: b}
	rhos := make([]float64, 0, b)
	xs, ys := make([]float64, n), make([]float64, n)
	for k := 0; k < b; k++ {
		for i := range xs {
			j := rng.IntN(n)
			xs[i], ys[i] = x[j], y[j]
		}
		rho := Spearman(xs, ys)
		if math.IsNaN(rho) {
			iv.Degenerate++
			continue
		}
		rhos = append(rhos, rho)
	}
	if len(rhos) == 0 {
		iv.Lo, iv.Hi = math.NaN(), math.NaN()
		return iv
	}
	sort.Float64s(rhos)
	tail := float64((1 - level) / 2) // float64(…): never fused into an FMA
	iv.Lo = quantile(rhos, tail)
	iv.Hi = quantile(rhos, 1-tail)
	return iv
}

// quantile is the q-quantile of sorted values with linear interpolation
// (numpy.percentile's default).
func quantile(sorted []float64, q float64) float64 {
	pos := float64(q * float64(len(sorted)-1)) // float64(…): never fused into an FMA
	i := int(math.Floor(pos))
	if i+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	f := pos - float64(i)
	return sorted[i] + float64(f*(sorted[i+1]-sorted[i]))
}
