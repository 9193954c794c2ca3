package metrics_test

import (
	"fmt"
	"math"

	"github.com/autogan-go/autogan/inception/classifier"
	"github.com/autogan-go/autogan/inception/metrics"

	"github.com/autogan-go/autogan/cifar"
)

// Scoring real images with the embedded scorer: the Inception Score of
// 1,000 Shapes-10 images (ten classes, so at most 10) and their FID
// against themselves (0).
func ExampleEvaluate() {
	sc, err := classifier.NewEmbeddedScorer()
	if err != nil {
		panic(err)
	}
	images := metrics.DatasetImages(cifar.Shapes10(1000, 3))
	e, err := metrics.Evaluate(images, sc, metrics.EvalConfig{})
	if err != nil {
		panic(err)
	}
	is, _, _ := e.InceptionScore()
	mu, sigma, _ := e.Features.MeanCov()
	fid, _ := e.FID(mu, sigma)
	fmt.Printf("IS %.1f; FID against itself below 1e-6: %v\n", is, math.Abs(fid) < 1e-6)
	// Output: IS 9.8; FID against itself below 1e-6: true
}
