package metrics

import (
	"fmt"
	"math"
)

// ISStats accumulates what the Inception Score needs, per split: the
// number of images, Σ p(y|x) over them and Σ Σ_y p log p. For a split with
// n images and q = Σp/n,
//
//	KL = mean over images of Σ_y p (log p − log q) = (Σ Σ_y p log p)/n − Σ_y q log q
//
// so the score exp(KL) follows from sums that merge exactly across shards.
// Splits are the reference's: the images in their given order cut into
// Splits contiguous parts [i·N/Splits, (i+1)·N/Splits).
type ISStats struct {
	Total   int64 // N, the number of images the score is over
	Splits  int
	Classes int
	count   []int64
	sumP    [][]fixed
	sumPLP  []fixed
}

// NewISStats prepares the score of total images in splits splits over
// classes classes.
func NewISStats(total int64, splits, classes int) *ISStats {
	s := &ISStats{Total: total, Splits: splits, Classes: classes,
		count: make([]int64, splits), sumP: make([][]fixed, splits), sumPLP: make([]fixed, splits)}
	for i := range s.sumP {
		s.sumP[i] = make([]fixed, classes)
	}
	return s
}

// splitOf returns the split of global image index k.
func (s *ISStats) splitOf(k int64) int {
	// The largest i with i·N/splits ≤ k.
	i := int((k*int64(s.Splits) + int64(s.Splits) - 1) / s.Total)
	for i > 0 && int64(i)*s.Total/int64(s.Splits) > k {
		i--
	}
	for i+1 < s.Splits && int64(i+1)*s.Total/int64(s.Splits) <= k {
		i++
	}
	return i
}

// AddBlock adds the logits (n×Classes, float32; the unbiased logits for
// Inception) of the images with global indices start … start+n−1. The
// softmax is computed in float64; the sums of each split's part of the
// block are accumulated in float64, then added exactly.
func (s *ISStats) AddBlock(start int64, logits []float32, n int) {
	k := s.Classes
	if len(logits) != n*k || start < 0 || start+int64(n) > s.Total {
		panic(fmt.Sprintf("metrics.ISStats.AddBlock: %d logits for %d×%d at %d of %d", len(logits), n, k, start, s.Total))
	}
	p := make([]float64, k)
	for r := 0; r < n; {
		sp := s.splitOf(start + int64(r))
		sumP := make([]float64, k)
		var plp float64
		cnt := 0
		for ; r < n && s.splitOf(start+int64(r)) == sp; r++ {
			row := logits[r*k : (r+1)*k]
			m := math.Inf(-1)
			for _, v := range row {
				m = math.Max(m, float64(v))
			}
			var z float64
			for _, v := range row {
				z += math.Exp(float64(v) - m)
			}
			lz := math.Log(z)
			for j, v := range row {
				lp := float64(v) - m - lz // log p, finite even where p underflows
				p[j] = math.Exp(lp)
				sumP[j] += p[j]
				plp += float64(p[j] * lp) // float64(…): never fused into an FMA
			}
			cnt++
		}
		addFixed(s.sumP[sp], sumP)
		s.sumPLP[sp] = s.sumPLP[sp].add(toFixed(plp))
		s.count[sp] += int64(cnt)
	}
}

// Merge adds o's sums to s.
func (s *ISStats) Merge(o *ISStats) error {
	if o.Total != s.Total || o.Splits != s.Splits || o.Classes != s.Classes {
		return fmt.Errorf("cannot merge IS statistics of %d images/%d splits/%d classes into %d/%d/%d",
			o.Total, o.Splits, o.Classes, s.Total, s.Splits, s.Classes)
	}
	for i := range s.count {
		s.count[i] += o.count[i]
		s.sumPLP[i] = s.sumPLP[i].add(o.sumPLP[i])
		for j := range s.sumP[i] {
			s.sumP[i][j] = s.sumP[i][j].add(o.sumP[i][j])
		}
	}
	return nil
}

// Score returns the mean and the population standard deviation of the
// per-split scores exp(KL), as the reference (numpy std, ddof 0).
func (s *ISStats) Score() (mean, std float64, err error) {
	scores := make([]float64, s.Splits)
	for i := range scores {
		n := float64(s.count[i])
		if n == 0 {
			return 0, 0, fmt.Errorf("split %d of the Inception Score has no images (%d images, %d splits)", i, s.Total, s.Splits)
		}
		var qlq float64
		for _, sp := range s.sumP[i] {
			if q := sp.float() / n; q > 0 {
				qlq += float64(q * math.Log(q))
			}
		}
		scores[i] = math.Exp(s.sumPLP[i].float()/n - qlq)
	}
	for _, v := range scores {
		mean += v
	}
	mean /= float64(len(scores))
	for _, v := range scores {
		std += float64((v - mean) * (v - mean))
	}
	return mean, math.Sqrt(std / float64(len(scores))), nil
}
