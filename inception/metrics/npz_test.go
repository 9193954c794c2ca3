package metrics

import (
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// Statistics files whose values could not come from real features are
// refused with the reason, instead of giving FID NaN or a negative FID.
func TestReadStatsFileRefusesImpossibleStatistics(t *testing.T) {
	good := func() ([]float64, []float64) {
		return []float64{0.5, -1}, []float64{2, 0.3, 0.3, 1}
	}
	for _, c := range []struct {
		name   string
		change func(mu, sigma []float64)
		want   string
	}{
		{"valid", func(mu, sigma []float64) {}, ""},
		{"NaN mean", func(mu, sigma []float64) { mu[1] = math.NaN() }, "mu[1]"},
		{"infinite covariance", func(mu, sigma []float64) { sigma[1], sigma[2] = math.Inf(1), math.Inf(1) }, "not finite"},
		{"negative variance", func(mu, sigma []float64) { sigma[3] = -4 }, "not a variance"},
		{"asymmetric", func(mu, sigma []float64) { sigma[1] = 0.9 }, "not symmetric"},
	} {
		mu, sigma := good()
		c.change(mu, sigma)
		path := filepath.Join(t.TempDir(), "stats.npz")
		if err := WriteStatsFile(path, mu, sigma); err != nil {
			t.Fatal(err)
		}
		_, _, err := ReadStatsFile(path)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: error %v, want one mentioning %q", c.name, err, c.want)
		}
	}
}
