package chart

import (
	"math"
	"slices"
	"testing"
)

func TestTicks(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64
		n      int
		want   []float64
		labels []string
	}{
		{0, 1, 5, []float64{0, 0.5, 1}, []string{"0.0", "0.5", "1.0"}}, // 0.2 would give 6
		{0, 1, 6, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}, []string{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}},
		{0, 1, 3, []float64{0, 0.5, 1}, []string{"0.0", "0.5", "1.0"}},
		{0, 1, 11, []float64{0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1}, nil},
		{0, 11730, 8, []float64{0, 2000, 4000, 6000, 8000, 10000}, []string{"0", "2k", "4k", "6k", "8k", "10k"}},
		{0, 762450, 8, []float64{0, 100000, 200000, 300000, 400000, 500000, 600000, 700000},
			[]string{"0", "100k", "200k", "300k", "400k", "500k", "600k", "700k"}},
		{-1.3, 4.6, 6, []float64{-1, 0, 1, 2, 3, 4}, []string{"−1", "0", "1", "2", "3", "4"}},
		{2.43, 2.61, 5, []float64{2.45, 2.5, 2.55, 2.6}, []string{"2.45", "2.50", "2.55", "2.60"}},
		{0, 0.0035, 4, []float64{0, 0.001, 0.002, 0.003}, []string{"0", "1e-3", "2e-3", "3e-3"}},
		{0.0004, 0.0016, 4, []float64{0.0005, 0.001, 0.0015}, []string{"5e-4", "1e-3", "1.5e-3"}},
		{0, 2.5e6, 6, []float64{0, 5e5, 1e6, 1.5e6, 2e6, 2.5e6}, []string{"0", "0.5M", "1.0M", "1.5M", "2.0M", "2.5M"}},
		{10000, 12000, 5, []float64{10000, 10500, 11000, 11500, 12000}, []string{"10.0k", "10.5k", "11.0k", "11.5k", "12.0k"}},
		{7, 7, 5, []float64{7}, []string{"7"}},
		{1, 0, 5, nil, nil},
		{math.NaN(), 1, 5, nil, nil},
		{0, math.Inf(1), 5, nil, nil},
	} {
		got, step := niceTicks(tc.lo, tc.hi, tc.n)
		if !slices.Equal(got, tc.want) {
			t.Errorf("Ticks(%v, %v, %d) = %v, want %v", tc.lo, tc.hi, tc.n, got, tc.want)
			continue
		}
		if len(got) > max(tc.n, 2) {
			t.Errorf("Ticks(%v, %v, %d): %d ticks, more than asked", tc.lo, tc.hi, tc.n, len(got))
		}
		if tc.labels != nil {
			if labels := tickLabels(got, step); !slices.Equal(labels, tc.labels) {
				t.Errorf("tickLabels(Ticks(%v, %v, %d)) = %q, want %q", tc.lo, tc.hi, tc.n, labels, tc.labels)
			}
			if labels := TickLabels(got); !slices.Equal(labels, tc.labels) {
				t.Errorf("TickLabels(Ticks(%v, %v, %d)) = %q, want %q", tc.lo, tc.hi, tc.n, labels, tc.labels)
			}
		}
	}
}

// TestTicksProperties checks on many ranges what the table cannot cover:
// every tick lies in the range, at most n, evenly spaced by a 1-2-5 step,
// and the step is the smallest such (half the step, or the next smaller
// 1-2-5 step, would give too many ticks).
func TestTicksProperties(t *testing.T) {
	for _, lo := range []float64{-1234.5, -3, -0.07, 0, 1e-5, 0.3, 17, 9999} {
		for _, span := range []float64{1e-4, 0.013, 0.9, 1, 7.3, 55, 1000, 3.3e6} {
			for n := 2; n <= 12; n++ {
				hi := lo + span
				ticks, step := niceTicks(lo, hi, n)
				if len(ticks) == 0 || len(ticks) > n {
					t.Fatalf("Ticks(%v, %v, %d): %d ticks", lo, hi, n, len(ticks))
				}
				e := math.Floor(math.Log10(step))
				m := math.Round(step / math.Pow(10, e))
				if m != 1 && m != 2 && m != 5 {
					t.Fatalf("Ticks(%v, %v, %d): step %v is not 1, 2 or 5 × 10^k", lo, hi, n, step)
				}
				for i, v := range ticks {
					if v < lo-1e-9*span || v > hi+1e-9*span {
						t.Fatalf("Ticks(%v, %v, %d): %v outside the range", lo, hi, n, v)
					}
					if i > 0 && math.Abs(v-ticks[i-1]-step) > 1e-9*math.Max(step, math.Abs(v)) {
						t.Fatalf("Ticks(%v, %v, %d): %v: uneven spacing", lo, hi, n, ticks)
					}
				}
				smaller := map[float64]float64{1: 0.5, 2: 1, 5: 2}[m] * math.Pow(10, e)
				if count := math.Floor(hi/smaller) - math.Ceil(lo/smaller) + 1; count <= float64(n) {
					t.Fatalf("Ticks(%v, %v, %d): step %v, but %v gives %v ticks", lo, hi, n, step, smaller, count)
				}
			}
		}
	}
}

func TestLogTicks(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64
		n      int
		want   []float64
		labels []string
	}{
		{1e-4, 0.3, 6, []float64{1e-4, 1e-3, 1e-2, 0.1}, []string{"1e-4", "0.001", "0.01", "0.1"}},
		{0.8, 120, 7, []float64{1, 2, 5, 10, 20, 50, 100}, []string{"1", "2", "5", "10", "20", "50", "100"}},
		{0.8, 120, 4, []float64{1, 10, 100}, []string{"1", "10", "100"}},
		{1e-9, 1e3, 5, []float64{1e-9, 1e-6, 1e-3, 1, 1e3}, []string{"1e-9", "1e-6", "0.001", "1", "1000"}},
		{1, 1e6, 4, []float64{1, 100, 1e4, 1e6}, []string{"1", "100", "10k", "1M"}},
		{1.5, 9, 5, []float64{2, 5}, []string{"2", "5"}},
		{3, 5, 5, []float64{3, 3.5, 4, 4.5, 5}, []string{"3", "3.5", "4", "4.5", "5"}},
		{0, 1, 5, nil, nil},
		{-1, 1, 5, nil, nil},
	} {
		got := LogTicks(tc.lo, tc.hi, tc.n)
		if !slices.EqualFunc(got, tc.want, func(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Abs(b) }) {
			t.Errorf("LogTicks(%v, %v, %d) = %v, want %v", tc.lo, tc.hi, tc.n, got, tc.want)
			continue
		}
		if tc.labels != nil {
			if labels := logTickLabels(got); !slices.Equal(labels, tc.labels) {
				t.Errorf("labels of LogTicks(%v, %v, %d) = %q, want %q", tc.lo, tc.hi, tc.n, labels, tc.labels)
			}
		}
	}
}

func TestFormatValue(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{
		{0, "0"},
		{math.Copysign(0, -1), "0"},
		{0.5, "0.5"},
		{0.25, "0.25"},
		{-0.012345, "−0.01235"},
		{1234.5, "1234"},
		{9999.7, "10k"},
		{11730, "11.73k"},
		{760000, "760k"},
		{999950, "1M"},
		{1.5e6, "1.5M"},
		{3e9, "3G"},
		{1e-3, "0.001"},
		{1.2346e-4, "1.235e-4"},
		{-2e-7, "−2e-7"},
		{6.02e23, "6.02e23"},
		{math.NaN(), "NaN"},
		{math.Inf(1), "+Inf"},
		{math.Inf(-1), "−Inf"},
	} {
		if got := FormatValue(tc.v); got != tc.want {
			t.Errorf("FormatValue(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}
