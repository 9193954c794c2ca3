package metrics

import (
	"fmt"
	"math"
)

// Confidence says how recognisable generated images are to a classifier:
// the share of images it assigns to one class with a probability of at
// least Threshold, and how many of those fall in each class (a generator
// that draws one class only shows there even when its images are sharp).
// It is not part of the paper's protocol; the project uses it with the
// Shapes-10 and Fashion-MNIST classifiers to check that samples show
// recognisable objects, which a low FID alone does not promise.
type Confidence struct {
	Threshold float64
	Images    int
	Confident int   // images with a class probability ≥ Threshold
	PerClass  []int // confident images per class
}

// Share is the fraction of images classified confidently.
func (c Confidence) Share() float64 { return float64(c.Confident) / float64(max(c.Images, 1)) }

// MeasureConfidence scores every image of src with sc and counts those
// whose largest class probability (softmax of the logits, in float64) is
// at least threshold.
func MeasureConfidence(src Images, sc Scorer, threshold float64) (Confidence, error) {
	c := Confidence{Threshold: threshold, Images: src.Len(), PerClass: make([]int, sc.NumClasses())}
	if threshold <= 0 || threshold > 1 {
		return c, fmt.Errorf("confidence threshold %v: want 0 < p ≤ 1", threshold)
	}
	h, w := src.Size()
	batch := max(sc.Batch(), 1)
	pix := make([]uint8, batch*3*h*w)
	k := sc.NumClasses()
	for start := 0; start < c.Images; start += batch {
		n := min(batch, c.Images-start)
		if err := src.Fill(start, n, pix[:n*3*h*w]); err != nil {
			return c, err
		}
		feats, logits := sc.Run(pix[:n*3*h*w], n, h, w)
		feats.Release()
		l := logits.Data()
		for i := 0; i < n; i++ {
			row := l[i*k : (i+1)*k]
			best, m := 0, math.Inf(-1)
			for j, v := range row {
				if float64(v) > m {
					best, m = j, float64(v)
				}
			}
			var z float64
			for _, v := range row {
				z += math.Exp(float64(v) - m)
			}
			if 1/z >= threshold { // the largest probability is e^0 / z
				c.Confident++
				c.PerClass[best]++
			}
		}
		logits.Release()
	}
	return c, nil
}
