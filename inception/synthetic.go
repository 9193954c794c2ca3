package inception

import "math"

// hashUniform maps (stream, index) to a value in [−1, 1) with a 32-bit
// integer hash. It is written so that Python (testdata/
// make_inception_fixtures.py) computes the very same numbers.
func hashUniform(stream, i uint32) float64 {
	h := (i+1)*2654435761 + stream*40503
	h ^= h >> 15
	h *= 2246822519
	h ^= h >> 13
	h *= 3266489917
	h ^= h >> 16
	return float64(float64(h)/2147483648) - 1 // float64(…): never fused into an FMA
}

// SyntheticWeights returns deterministic pseudo-random weights with the
// shapes of the real network: He-uniform convolutions, batch-norm
// statistics near (0, 1), γ = 1 as in the 2015 graph. They reproduce the
// network's arithmetic exactly and let tests and benchmarks run without the
// 95 MB weight file; they are not a trained classifier.
func SyntheticWeights() *Weights {
	w := &Weights{Eps: 0.001}
	for u, s := range units {
		fanIn := float64(s.in * s.kh * s.kw)
		bound := math.Sqrt(6 / fanIn)
		n := s.out * s.in * s.kh * s.kw
		r := Unit{Weight: make([]float32, n), Gamma: make([]float32, s.out), Beta: make([]float32, s.out),
			Mean: make([]float32, s.out), Var: make([]float32, s.out)}
		for i := range r.Weight {
			r.Weight[i] = float32(bound * hashUniform(uint32(u*8), uint32(i)))
		}
		for o := 0; o < s.out; o++ {
			r.Gamma[o] = 1
			r.Beta[o] = float32(0.1 * hashUniform(uint32(u*8+2), uint32(o)))
			r.Mean[o] = float32(0.05 * hashUniform(uint32(u*8+3), uint32(o)))
			r.Var[o] = float32(0.75 + float64(0.25*hashUniform(uint32(u*8+4), uint32(o))))
		}
		w.Units[u] = r
	}
	w.FCWeight = make([]float32, NumClasses*FeatureDim)
	w.FCBias = make([]float32, NumClasses)
	fcBound := math.Sqrt(3.0 / FeatureDim)
	for i := range w.FCWeight {
		w.FCWeight[i] = float32(fcBound * hashUniform(94*8, uint32(i)))
	}
	for i := range w.FCBias {
		w.FCBias[i] = float32(0.01 * hashUniform(94*8+1, uint32(i)))
	}
	return w
}
