package metrics

import (
	"fmt"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"

	"github.com/autogan-go/autogan/internal/parallel"
)

// BlockSize is the number of consecutive images (by global index) whose
// statistics are summed in float64 before being added to the exact
// fixed-point totals. Shards of an evaluation cover whole blocks, which is
// what makes merged shards bit-identical to one process.
const BlockSize = 100

// FeatureStats accumulates the count, the sum and the sum of outer products
// of feature vectors, from which the mean and the (unbiased) covariance of
// FID come. It merges exactly (see fixed).
type FeatureStats struct {
	Dim   int
	Count int64
	sum   []fixed // Dim
	outer []fixed // Dim×Dim, lower triangle used
}

// NewFeatureStats returns empty statistics of dim-dimensional features.
func NewFeatureStats(dim int) *FeatureStats {
	return &FeatureStats{Dim: dim, sum: make([]fixed, dim), outer: make([]fixed, dim*dim)}
}

// AddBlock adds the features of one block of n images (x is n×Dim,
// float32, rows in global index order): the block's sums are computed in
// float64 in a fixed order, then added exactly.
func (s *FeatureStats) AddBlock(x []float32, n int) {
	d := s.Dim
	if len(x) != n*d {
		panic(fmt.Sprintf("metrics.FeatureStats.AddBlock: %d values for %d×%d", len(x), n, d))
	}
	xd := make([]float64, len(x))
	for i, v := range x {
		xd[i] = float64(v)
	}
	sum := make([]float64, d)
	for r := 0; r < n; r++ {
		for j, v := range xd[r*d : (r+1)*d] {
			sum[j] += v
		}
	}
	// Lower triangle of XᵀX, each element summed over the rows in order.
	outer := make([]float64, d*d)
	blas64.Implementation().Dsyrk(blas.Lower, blas.Trans, d, n, 1, xd, d, 0, outer, d)
	addFixed(s.sum, sum)
	parallel.For(d, 64, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			addFixed(s.outer[i*d:i*d+i+1], outer[i*d:i*d+i+1])
		}
	})
	s.Count += int64(n)
}

// Merge adds the statistics of o (of the same dimension) to s.
func (s *FeatureStats) Merge(o *FeatureStats) error {
	if o.Dim != s.Dim {
		return fmt.Errorf("cannot merge %d-dimensional statistics into %d-dimensional ones", o.Dim, s.Dim)
	}
	for i := range s.sum {
		s.sum[i] = s.sum[i].add(o.sum[i])
	}
	for i := range s.outer {
		s.outer[i] = s.outer[i].add(o.outer[i])
	}
	s.Count += o.Count
	return nil
}

// MeanCov returns the mean and the unbiased covariance (divided by N−1, as
// np.cov(rowvar=False)), row-major Dim×Dim, in float64.
func (s *FeatureStats) MeanCov() (mu, sigma []float64, err error) {
	if s.Count < 2 {
		return nil, nil, fmt.Errorf("statistics of %d images: at least 2 are needed for a covariance", s.Count)
	}
	d, n := s.Dim, float64(s.Count)
	mu = make([]float64, d)
	for i := range mu {
		mu[i] = s.sum[i].float() / n
	}
	sigma = make([]float64, d*d)
	for i := 0; i < d; i++ {
		for j := 0; j <= i; j++ {
			// (Σ xᵢxⱼ − N·μᵢμⱼ)/(N−1)
			c := (s.outer[i*d+j].float() - float64(n*mu[i]*mu[j])) / (n - 1) // float64(…): never fused into an FMA
			sigma[i*d+j], sigma[j*d+i] = c, c
		}
	}
	return mu, sigma, nil
}
