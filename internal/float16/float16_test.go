package float16

import (
	"math"
	"testing"
)

func TestHalfKnownValues(t *testing.T) {
	for _, c := range []struct {
		bits uint16
		want float64
	}{
		{0x0000, 0}, {0x3c00, 1}, {0xc000, -2}, {0x3555, 0.333251953125},
		{0x7bff, 65504}, {0x0400, math.Ldexp(1, -14)}, {0x0001, math.Ldexp(1, -24)},
		{0x8001, -math.Ldexp(1, -24)}, {0x03ff, 1023 * math.Ldexp(1, -24)},
		{0x7c00, math.Inf(1)}, {0xfc00, math.Inf(-1)},
	} {
		if got := Half(c.bits); float64(got) != c.want {
			t.Errorf("Half(%#04x) = %g, want %g", c.bits, got, c.want)
		}
	}
	if got := Half(0x8000); got != 0 || !math.Signbit(float64(got)) {
		t.Errorf("Half(0x8000) = %g, want -0", got)
	}
	if got := Half(0x7e00); !math.IsNaN(float64(got)) {
		t.Errorf("Half(0x7e00) = %g, want NaN", got)
	}
}

// TestHalfEveryValue checks all 63,488 finite half values against the
// definition (-1)^s · 2^(e-15) · (1 + f/1024), or f · 2^-24 for e = 0.
func TestHalfEveryValue(t *testing.T) {
	for b := 0; b < 1<<16; b++ {
		s, e, f := b>>15, (b>>10)&0x1f, b&0x3ff
		if e == 31 {
			continue
		}
		want := math.Ldexp(float64(f), -24)
		if e > 0 {
			want = math.Ldexp(1+float64(f)/1024, e-15)
		}
		if s == 1 {
			want = -want
		}
		if got := Half(uint16(b)); float64(got) != want {
			t.Fatalf("Half(%#04x) = %g, want %g", b, got, want)
		}
	}
}

func TestBFloat(t *testing.T) {
	for _, v := range []float32{1, -2.5, 3.140625, float32(math.Inf(1))} {
		if got := BFloat(uint16(math.Float32bits(v) >> 16)); got != v {
			t.Errorf("BFloat of %g = %g", v, got)
		}
	}
}
