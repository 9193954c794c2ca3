package main

import (
	"fmt"

	"github.com/autogan-go/autogan/tensor"
)

// gemmWorkloads are torch_twin.py's gemm_workloads: a @ b for square
// n×n matrices of standard normal values, allocating the result each time
// (and releasing it, as PyTorch frees it when its last reference goes).
func gemmWorkloads() []workload {
	var ws []workload
	for _, n := range []int{256, 512, 1024} {
		ws = append(ws, workload{
			name:  fmt.Sprintf("gemm/n%d", n),
			flops: 2 * float64(n) * float64(n) * float64(n),
			setup: func() func() {
				g := tensor.NewRNG(uint64(n))
				a, b := g.Normals(n, n), g.Normals(n, n)
				return func() { tensor.MatMul(a, b, false, false).Release() }
			},
		})
	}
	return ws
}
