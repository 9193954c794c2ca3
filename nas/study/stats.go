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
// difference of the means of a and b: the fraction of the C(n_a+n_b, n_a)
// ways to split the pooled values into groups of their sizes whose
// difference of means is at least as far from zero as the observed one
// (the observed split included, so p > 0). With 5 against 5 values there
// are 252 splits and the smallest possible p is 2/252 ≈ 0.008; with 3
// against 3 it is 2/20 = 0.1, which is why a study needs 5 seeds.
// (scipy.stats.permutation_test with permutation_type="independent" and
// alternative="two-sided" gives the same p.)
func PermutationTest(a, b []float64) (diff, p float64) {
	na, nb := len(a), len(b)
	if na == 0 || nb == 0 {
		return math.NaN(), math.NaN()
	}
	pooled := append(slices.Clone(a), b...)
	var total float64
	for _, x := range pooled {
		total += x
	}
	meanDiff := func(sumA float64) float64 {
		return sumA/float64(na) - (total-sumA)/float64(nb)
	}
	var sumA float64
	for _, x := range a {
		sumA += x
	}
	diff = meanDiff(sumA)
	// Differences equal to the observed one up to rounding count as
	// extreme (SciPy uses the same relative tolerance).
	threshold := math.Abs(diff) * (1 - 1e-14)
	var extreme, splits int
	idx := make([]int, na) // the indices of group a, in increasing order
	for i := range idx {
		idx[i] = i
	}
	for {
		var s float64
		for _, i := range idx {
			s += pooled[i]
		}
		splits++
		if math.Abs(meanDiff(s)) >= threshold {
			extreme++
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
	return diff, float64(extreme) / float64(splits)
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
		mid := float64(i+j)/2 + 1
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
	iv.Lo = quantile(rhos, (1-level)/2)
	iv.Hi = quantile(rhos, 1-(1-level)/2)
	return iv
}

// quantile is the q-quantile of sorted values with linear interpolation
// (numpy.percentile's default).
func quantile(sorted []float64, q float64) float64 {
	pos := q * float64(len(sorted)-1)
	i := int(math.Floor(pos))
	if i+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	f := pos - float64(i)
	return sorted[i] + float64(f*(sorted[i+1]-sorted[i]))
}
