package main

import (
	"github.com/autogan-go/autogan/inception"
	"github.com/autogan-go/autogan/tensor"
)

// inceptionWorkloads are torch_twin.py's inception_workloads: the
// FID Inception-v3 forward pass (eval, no gradient) on a batch of 8
// already-normalised 299×299 images, with random weights, up to the 1008
// logits. FLOPs as the twin counts them: 5.71 GFLOP per image, ×2.
func inceptionWorkloads() []workload {
	return []workload{{
		name:  "inception/fwd_b8_299",
		flops: 8 * 5.71e9 * 2,
		setup: func() func() {
			net, err := inception.New(inception.SyntheticWeights())
			if err != nil {
				panic(err)
			}
			x := tensor.New(8, 3, 299, 299) // torch.rand(...)*2 − 1
			tensor.NewRNG(299).FillUniform(x, -1, 1)
			return func() {
				out := net.Forward(x, inception.Want{Logits: true})
				out.Pool3.Release()
				out.Logits.Release()
				out.LogitsUnbiased.Release()
			}
		},
	}}
}
