package metrics

import "math"

// fixed is a 128-bit fixed-point number with 64 fractional bits: the value
// is hi + lo·2⁻⁶⁴, hi a signed integer part. Statistics are accumulated per
// block of images in float64 and each block's sums are then rounded once to
// this format and added exactly: integer addition is associative, so the
// result does not depend on how the blocks were grouped — one process, or
// shards merged in any grouping, give identical bits.
type fixed struct {
	hi int64
	lo uint64
}

// toFixed rounds v to the nearest multiple of 2⁻⁶⁴ (ties to even).
func toFixed(v float64) fixed {
	h := math.Floor(v)
	frac := math.RoundToEven((v - h) * 0x1p64) // v − h is exact for |v| < 2⁵²
	if frac >= 0x1p64 {                        // rounded up to the next integer
		return fixed{hi: int64(h) + 1}
	}
	return fixed{hi: int64(h), lo: uint64(frac)}
}

func (a fixed) add(b fixed) fixed {
	lo := a.lo + b.lo
	carry := int64(0)
	if lo < a.lo {
		carry = 1
	}
	return fixed{hi: a.hi + b.hi + carry, lo: lo}
}

func (a fixed) float() float64 { return float64(a.hi) + float64(float64(a.lo)*0x1p-64) }

// addFixed adds the float64 values src, rounded to fixed point, to dst.
func addFixed(dst []fixed, src []float64) {
	for i, v := range src {
		dst[i] = dst[i].add(toFixed(v))
	}
}
