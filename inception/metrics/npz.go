package metrics

import (
	"fmt"
	"math"
	"os"

	"github.com/autogan-go/autogan/internal/npy"
)

// ReadStatsFile reads FID statistics (mu, sigma) from an .npz file in the
// layout of TTUR and pytorch-fid (keys "mu" and "sigma", float64), such as
// fid_stats_cifar10_train.npz; compressed or stored archives and every .npy
// header version are accepted.
func ReadStatsFile(path string) (mu, sigma []float64, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	arrays, err := npy.ReadNPZ(data)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	m, ok1 := arrays["mu"]
	s, ok2 := arrays["sigma"]
	if !ok1 || !ok2 {
		return nil, nil, fmt.Errorf("%s: statistics files hold the arrays mu and sigma", path)
	}
	d := len(m.Data)
	if len(m.Shape) != 1 || len(s.Shape) != 2 || s.Shape[0] != d || s.Shape[1] != d {
		return nil, nil, fmt.Errorf("%s: mu has shape %v and sigma %v, want (d,) and (d, d)", path, m.Shape, s.Shape)
	}
	if err := checkStats(m.Data, s.Data); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return m.Data, s.Data, nil
}

// checkStats reports an error unless mu and sigma could be the mean and
// covariance of real features: finite values and a symmetric sigma with a
// non-negative diagonal (a file of NaN would give FID NaN, a negative
// variance a negative FID).
func checkStats(mu, sigma []float64) error {
	d := len(mu)
	for i, v := range mu {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("mu[%d] is %v", i, v)
		}
	}
	for i := 0; i < d; i++ {
		if v := sigma[i*d+i]; !(v >= 0) || math.IsInf(v, 0) {
			return fmt.Errorf("sigma[%d][%d] is %v, not a variance", i, i, v)
		}
		for j := 0; j < i; j++ {
			a, b := sigma[i*d+j], sigma[j*d+i]
			if math.IsNaN(a) || math.IsInf(a, 0) || math.IsNaN(b) || math.IsInf(b, 0) {
				return fmt.Errorf("sigma[%d][%d] is not finite", i, j)
			}
			if math.Abs(a-b) > 1e-6*(1+math.Abs(a)+math.Abs(b)) {
				return fmt.Errorf("sigma is not symmetric: [%d][%d] is %v, [%d][%d] is %v", i, j, a, j, i, b)
			}
		}
	}
	return nil
}

// WriteStatsFile writes mu and sigma as a compressed .npz, as
// np.savez_compressed(path, mu=mu, sigma=sigma) does.
func WriteStatsFile(path string, mu, sigma []float64) error {
	d := len(mu)
	if len(sigma) != d*d {
		return fmt.Errorf("sigma has %d values for %d-dimensional mu", len(sigma), d)
	}
	return npy.WriteNPZ(path, []string{"mu", "sigma"}, map[string]*npy.Array{
		"mu":    {Shape: []int{d}, Data: mu},
		"sigma": {Shape: []int{d, d}, Data: sigma},
	})
}
