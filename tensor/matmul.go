package tensor

import (
	"fmt"

	"github.com/autogan-go/autogan/internal/gemm"
)

// MatMul returns op(a)·op(b) for 2-D tensors, where op transposes its
// argument when the matching flag is set.
func MatMul(a, b *Tensor, transA, transB bool) *Tensor {
	m, k := matDims(a, transA, "MatMul")
	k2, n := matDims(b, transB, "MatMul")
	if k != k2 {
		panic(fmt.Sprintf("tensor.MatMul: shapes %v (trans %v) and %v (trans %v) do not multiply", a.shape, transA, b.shape, transB))
	}
	out := Empty(m, n) // beta = 0: every element is written, none is read
	Gemm(transA, transB, 1, a, b, 0, out)
	return out
}

// Gemm computes c = alpha·op(a)·op(b) + beta·c in place for 2-D tensors.
func Gemm(transA, transB bool, alpha float32, a, b *Tensor, beta float32, c *Tensor) {
	m, k := matDims(a, transA, "Gemm")
	k2, n := matDims(b, transB, "Gemm")
	if k != k2 || len(c.shape) != 2 || c.shape[0] != m || c.shape[1] != n {
		panic(fmt.Sprintf("tensor.Gemm: shapes %v (trans %v) × %v (trans %v) into %v", a.shape, transA, b.shape, transB, c.shape))
	}
	gemm.Sgemm(transA, transB, m, n, k, alpha, a.data, a.shape[1], b.data, b.shape[1], beta, c.data, max(n, 1))
}

func matDims(t *Tensor, trans bool, op string) (rows, cols int) {
	if len(t.shape) != 2 {
		panic(fmt.Sprintf("tensor.%s: operand of shape %v is not a matrix", op, t.shape))
	}
	if trans {
		return t.shape[1], t.shape[0]
	}
	return t.shape[0], t.shape[1]
}
