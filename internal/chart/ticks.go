package chart

import "math"

// Ticks returns the tick values for a linear axis showing [lo, hi]: the
// multiples of one "nice" step that lie inside the range. The step is the
// smallest of the form 1, 2 or 5 × 10^k that gives at most n ticks, so the
// ticks are as dense as allowed and read easily (0, 0.25 and 0.5 are not
// produced together, 0, 0.2 and 0.4 are). n below 2 counts as 2.
//
// A range with lo == hi gives the single tick lo; a range that is not
// finite or has lo > hi gives no ticks.
func Ticks(lo, hi float64, n int) []float64 {
	ticks, _ := niceTicks(lo, hi, n)
	return ticks
}

// niceTicks is Ticks that also returns the step, from which the labels
// take their number of decimals (see tickLabels).
func niceTicks(lo, hi float64, n int) ([]float64, float64) {
	if !finite(lo) || !finite(hi) || lo > hi {
		return nil, 0
	}
	if lo == hi {
		return []float64{lo}, 0
	}
	if n < 2 {
		n = 2
	}
	// Start at the power of ten just below the raw step (hi-lo)/n and walk
	// up the 1-2-5 ladder until the ticks fit; at most a few rounds.
	e := int(math.Floor(math.Log10((hi - lo) / float64(n))))
	mantissas := [3]int64{1, 2, 5}
	for round := 0; round < 60; round++ {
		m := mantissas[round%3]
		k := e + round/3
		step := float64(m) * math.Pow(10, float64(k))
		first := math.Ceil(lo / step)
		last := math.Floor(hi / step)
		if step == 0 || !finite(first) || !finite(last) || last-first+1 > float64(n) {
			continue // too many ticks, or a step that under- or overflows
		}
		if math.Max(math.Abs(first), math.Abs(last)) > 1<<52 {
			// The range is narrower than float64 resolves at its
			// magnitude: no two ticks would differ.
			return []float64{lo}, 0
		}
		count := int(last-first) + 1
		ticks := make([]float64, count)
		for j := range ticks {
			ticks[j] = decimal((int64(first)+int64(j))*m, k)
		}
		return ticks, step
	}
	return nil, 0 // unreachable for finite ranges
}

// decimal returns the float64 nearest to the decimal number m × 10^k.
// Computing i*step directly would give 3*0.1 = 0.30000000000000004; one
// division of exact integers is correctly rounded instead.
func decimal(m int64, k int) float64 {
	if k >= 0 {
		return float64(m) * math.Pow(10, float64(k))
	}
	return float64(m) / math.Pow(10, float64(-k))
}

// LogTicks returns the tick values for a logarithmic axis showing [lo, hi]
// (lo > 0), at most n of them: the multiples 1, 2 and 5 of the powers of
// ten when they fit (1, 2, 5, 10, 20, 50), otherwise the powers of ten
// themselves (every second, third, ... power when there are more than n),
// and for ranges narrower than a factor of about 2.5 the linear ticks of
// Ticks. Ranges that are not positive and finite give no ticks.
func LogTicks(lo, hi float64, n int) []float64 {
	if !finite(lo) || !finite(hi) || lo <= 0 || lo > hi {
		return nil
	}
	if n < 2 {
		n = 2
	}
	e0 := int(math.Ceil(math.Log10(lo) - 1e-9))
	e1 := int(math.Floor(math.Log10(hi) + 1e-9))
	var ticks []float64
	for e := e0 - 1; e <= e1; e++ {
		for _, m := range []int64{1, 2, 5} {
			v := decimal(m, e)
			if v >= lo*(1-1e-12) && v <= hi*(1+1e-12) {
				ticks = append(ticks, v)
			}
		}
	}
	if len(ticks) >= 2 && len(ticks) <= n {
		return ticks
	}
	// Powers of ten, every one or every k-th with k as small as allowed,
	// aligned so that 10^0 = 1 is a tick whenever it is in range.
	for _, every := range []int{1, 2, 3, 4, 5, 10, 20, 50, 100} {
		ticks = ticks[:0]
		for e := e0; e <= e1; e++ {
			if floorMod(e, every) == 0 {
				ticks = append(ticks, decimal(1, e))
			}
		}
		if len(ticks) <= n {
			break
		}
	}
	if len(ticks) >= 2 {
		return ticks
	}
	return Ticks(lo, hi, n)
}

// floorMod is the modulus that is never negative, so that the thinned
// powers of a log axis are aligned the same way below and above 1.
func floorMod(a, b int) int {
	m := a % b
	if m < 0 {
		m += b
	}
	return m
}

// finite reports whether v is neither NaN nor infinite: v-v is 0 for
// finite v and NaN otherwise. It is the hot test of decimation (one call
// per value of a 760,000-point series), hence the single subtraction.
func finite(v float64) bool { return v-v == 0 }
