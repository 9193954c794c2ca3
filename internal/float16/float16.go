// Package float16 converts IEEE 754 half-precision and bfloat16 values to
// float32, for the weight files (.pth, .safetensors) that store them.
package float16

import "math"

// Half returns the float32 value of the IEEE 754 binary16 bits h: 1 sign
// bit, 5 exponent bits (bias 15), 10 fraction bits. Every half value,
// subnormals, infinities and NaNs included, is exactly a float32.
func Half(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	frac := uint32(h) & 0x3ff
	switch {
	case exp == 0 && frac == 0:
		return math.Float32frombits(sign) // ±0
	case exp == 0: // subnormal: frac · 2^-24
		v := float32(frac) / (1 << 24)
		if sign != 0 {
			v = -v
		}
		return v
	case exp == 31: // infinity or NaN (the payload is kept)
		return math.Float32frombits(sign | 0xff<<23 | frac<<13)
	}
	// Normal: rebias the exponent from 15 to 127.
	return math.Float32frombits(sign | (exp+112)<<23 | frac<<13)
}

// BFloat returns the float32 value of the bfloat16 bits b, which are the
// upper half of a float32.
func BFloat(b uint16) float32 { return math.Float32frombits(uint32(b) << 16) }
