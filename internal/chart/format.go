package chart

import (
	"math"
	"strconv"
	"strings"
)

// Number formatting for people: tick labels share one style per axis (the
// same number of decimals, one SI suffix), values in tooltips show four
// significant digits. Negative numbers use the typographic minus sign
// U+2212, which is as wide as a digit and easier to see than a hyphen.

// siSuffixes are the suffixes used for large numbers: 2k, 1.5M, 3G, 2T.
var siSuffixes = [...]struct {
	scale  float64
	suffix string
}{{1e3, "k"}, {1e6, "M"}, {1e9, "G"}, {1e12, "T"}}

// TickLabels returns the labels of evenly spaced linear-axis ticks, such as
// those of [Ticks], in one style for the whole axis:
//
//   - numbers of 10,000 and more get an SI suffix: 0, 2k, 4k or 0.5M, 1.0M;
//   - if every tick is below 0.01 in magnitude, scientific notation: 5e-4, 1e-3;
//   - otherwise plain decimals, as many as the spacing needs: 0.00, 0.25, 0.50.
//
// A single tick is formatted with [FormatValue].
func TickLabels(ticks []float64) []string {
	step := 0.0
	for i := 1; i < len(ticks); i++ {
		if d := math.Abs(ticks[i] - ticks[i-1]); d > 0 && (step == 0 || d < step) {
			step = d
		}
	}
	return tickLabels(ticks, step)
}

// tickLabels is TickLabels for ticks that are multiples of step.
func tickLabels(ticks []float64, step float64) []string {
	labels := make([]string, len(ticks))
	largest := 0.0
	for _, t := range ticks {
		largest = math.Max(largest, math.Abs(t))
	}
	switch {
	case step <= 0 || !finite(step) || largest == 0:
		for i, t := range ticks {
			labels[i] = FormatValue(t)
		}
	case largest >= 1e4 && largest < 1e15:
		si := siSuffixes[0]
		for _, s := range siSuffixes {
			if largest >= s.scale {
				si = s
			}
		}
		decimals := decimalsFor(step / si.scale)
		for i, t := range ticks {
			if t == 0 {
				labels[i] = "0"
				continue
			}
			labels[i] = minus(strconv.FormatFloat(t/si.scale, 'f', decimals, 64)) + si.suffix
		}
	case largest < 1e-2 || largest >= 1e15:
		stepExp := int(math.Floor(math.Log10(step) + 1e-9))
		for i, t := range ticks {
			if t == 0 {
				labels[i] = "0"
				continue
			}
			exp := int(math.Floor(math.Log10(math.Abs(t)) + 1e-9))
			labels[i] = scientific(t, max(0, exp-stepExp))
		}
	default:
		decimals := decimalsFor(step)
		for i, t := range ticks {
			labels[i] = minus(strconv.FormatFloat(t, 'f', decimals, 64))
		}
	}
	return labels
}

// logTickLabels labels the ticks of a logarithmic axis one by one: their
// spacing varies, so there is no common step (1e-3, 0.01, 0.1, 1, 10, 100, 1k).
func logTickLabels(ticks []float64) []string {
	labels := make([]string, len(ticks))
	for i, t := range ticks {
		labels[i] = FormatValue(t)
	}
	return labels
}

// decimalsFor returns the number of decimals a multiple of step needs:
// 0 for 1, 2, 5, 10; 1 for 0.5; 2 for 0.05.
func decimalsFor(step float64) int {
	return max(0, -int(math.Floor(math.Log10(step)+1e-9)))
}

// FormatValue formats one value for reading, with four significant digits:
// 0.5, 0.01235, 1234, 11.73k, 760k, 1.5M, 1.235e-4. NaN and infinities are
// spelled out.
func FormatValue(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "\u2212Inf"
	case v == 0:
		return "0"
	}
	a := math.Abs(v)
	if a >= 1e-3 && a < 1e4 {
		s := strconv.FormatFloat(v, 'g', 4, 64)
		if !strings.ContainsRune(s, 'e') {
			return minus(s)
		}
		// 9999.7 rounds to 1e+04 at four digits: that is 10k below.
	}
	if a >= 1e-3 && a < 1e15 {
		for i, s := range siSuffixes {
			f := strconv.FormatFloat(v/s.scale, 'g', 4, 64)
			r, _ := strconv.ParseFloat(f, 64)
			if (math.Abs(r) < 1000 || i == len(siSuffixes)-1) && !strings.ContainsRune(f, 'e') {
				return minus(f) + s.suffix
			}
		}
	}
	return scientific(v, 3)
}

// scientific formats v as mantissa e exponent with at most digits decimals
// in the mantissa, dropping trailing zeros and the exponent's padding:
// 1.5e-3, not 1.50e-03.
func scientific(v float64, digits int) string {
	s := strconv.FormatFloat(v, 'e', digits, 64)
	mant, exp, _ := strings.Cut(s, "e")
	if strings.Contains(mant, ".") {
		mant = strings.TrimRight(strings.TrimRight(mant, "0"), ".")
	}
	sign := ""
	if exp[0] == '-' {
		sign = "-"
	}
	exp = strings.TrimLeft(exp[1:], "0")
	if exp == "" {
		exp = "0"
	}
	return minus(mant) + "e" + sign + exp
}

// minus replaces a leading hyphen by the minus sign U+2212 and drops the
// sign of a negative zero ("-0.0" is "0.0").
func minus(s string) string {
	if !strings.HasPrefix(s, "-") {
		return s
	}
	if strings.Trim(s[1:], "0.") == "" {
		return s[1:]
	}
	return "\u2212" + s[1:]
}
