package metrics

import (
	"math"
	"testing"

	"github.com/autogan-go/autogan/tensor"
)

// logitScorer classifies an image into 3 classes with logits (b, 0, 0),
// b = the image's first pixel / 10: the largest probability is
// e^b / (e^b + 2).
type logitScorer struct{}

func (logitScorer) Name() string    { return "logits from the first pixel" }
func (logitScorer) FeatureDim() int { return 1 }
func (logitScorer) NumClasses() int { return 3 }
func (logitScorer) Batch() int      { return 2 }
func (logitScorer) Run(pix []uint8, n, h, w int) (*tensor.Tensor, *tensor.Tensor) {
	f, l := tensor.New(n, 1), tensor.New(n, 3)
	for i := 0; i < n; i++ {
		l.Data()[3*i] = float32(pix[i*3*h*w]) / 10
	}
	return f, l
}

type firstPixels []uint8

func (p firstPixels) Len() int         { return len(p) }
func (p firstPixels) Size() (h, w int) { return 1, 1 }
func (p firstPixels) Fill(start, n int, pix []uint8) error {
	for i := 0; i < n; i++ {
		pix[3*i], pix[3*i+1], pix[3*i+2] = p[start+i], 0, 0
	}
	return nil
}

func TestMeasureConfidence(t *testing.T) {
	// b = 3.0 gives p = e³/(e³+2) = 0.909, b = 2.9 gives 0.901, b = 2.8 gives 0.891.
	src := firstPixels{30, 29, 28, 0, 100}
	for _, tc := range []struct {
		threshold float64
		want      int
	}{{0.9, 3}, {0.905, 2}, {0.95, 1}, {1.0 / 3, 5}} {
		c, err := MeasureConfidence(src, logitScorer{}, tc.threshold)
		if err != nil {
			t.Fatal(err)
		}
		if c.Confident != tc.want || c.PerClass[0] != tc.want || c.Images != 5 || math.Abs(c.Share()-float64(tc.want)/5) > 1e-15 {
			t.Errorf("threshold %v: %+v, want %d confident", tc.threshold, c, tc.want)
		}
	}
	if _, err := MeasureConfidence(src, logitScorer{}, 1.5); err == nil {
		t.Error("threshold 1.5 accepted")
	}
}
