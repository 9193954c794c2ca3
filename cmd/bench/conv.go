package main

import (
	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/tensor"
)

// convWorkloads are torch_twin.py's conv_workloads: a 3×3 convolution,
// 256→256 channels, 32×32 images, batch 16, padding 1, no bias; forward
// alone, and forward + sum + backward with x and w both requiring gradients
// (which accumulate across runs, as .grad does in PyTorch).
func convWorkloads() []workload {
	const flops = 2.0 * 16 * 256 * 256 * 9 * 32 * 32
	cfg := tensor.Conv2DConfig{PadH: 1, PadW: 1}
	inputs := func() (*tensor.Tensor, *tensor.Tensor) {
		g := tensor.NewRNG(16)
		return g.Normals(16, 256, 32, 32), g.Normals(256, 256, 3, 3)
	}
	return []workload{
		{name: "conv/3x3_c256_s32_b16/fwd", flops: flops, setup: func() func() {
			x, w := inputs()
			return func() { tensor.Conv2D(x, w, nil, cfg, false).Release() }
		}},
		{name: "conv/3x3_c256_s32_b16/fwd_bwd", flops: 3 * flops, setup: func() func() {
			xt, wt := inputs()
			x, w := autodiff.Param(xt), autodiff.Param(wt)
			return func() {
				tp := autodiff.NewTape()
				loss := tp.Sum(tp.Conv2D(x, w, nil, cfg, false), nil)
				tp.Backward(loss)
			}
		}},
	}
}
