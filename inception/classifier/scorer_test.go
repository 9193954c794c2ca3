package classifier

import (
	"testing"

	"github.com/autogan-go/autogan/inception/metrics"

	"github.com/autogan-go/autogan/cifar"
	"github.com/autogan-go/autogan/tensor"
)

// TestEmbeddedScorerAccuracy classifies fresh Shapes-10 images (a seed the
// scorer was neither trained nor tested on) with the embedded weights: at
// least 98% must be right, or the Inception Score of the demo would not
// mean much.
func TestEmbeddedScorerAccuracy(t *testing.T) {
	sc, err := NewEmbeddedScorer()
	if err != nil {
		t.Fatal(err)
	}
	const n = 3000
	data := cifar.Shapes10(n, 777)
	var confusion [10][10]int
	right := 0
	for s := 0; s < n; s += metrics.BlockSize {
		feats, logits := sc.Run(data.Pixels[s*3072:(s+metrics.BlockSize)*3072], metrics.BlockSize, 32, 32)
		if feats.Dim(1) != sc.FeatureDim() || logits.Dim(1) != sc.NumClasses() {
			t.Fatalf("features %v, logits %v", feats.Shape(), logits.Shape())
		}
		for i, p := range tensor.ArgMax(logits, 1) {
			y := data.Labels[s+i]
			confusion[y][p]++
			if int(y) == p {
				right++
			}
		}
		feats.Release()
		logits.Release()
	}
	acc := float64(right) / n
	t.Logf("accuracy on %d fresh images: %.4f", n, acc)
	if acc < 0.98 {
		for y, row := range confusion {
			t.Logf("%-12s %v", cifar.Shapes10Classes[y], row)
		}
		t.Errorf("accuracy %.4f < 0.98", acc)
	}
}
