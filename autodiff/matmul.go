package autodiff

import (
	"fmt"

	"github.com/autogan-go/autogan/tensor"
)

// MatMul returns op(a)·op(b) for matrices, op transposing when its flag is
// set. The gradients are matrix products again:
//
//	C = A·B:   dA = G·Bᵀ,  dB = Aᵀ·G
//
// and the transposed cases follow from (Xᵀ)ᵀ = X.
func (tp *Tape) MatMul(a, b *Var, transA, transB bool) *Var {
	y := tensor.MatMul(a.Value, b.Value, transA, transB)
	return tp.record(y, func(g *tensor.Tensor) {
		if needs(a) {
			var ga *tensor.Tensor
			if transA {
				ga = tensor.MatMul(b.Value, g, transB, true) // (G·op(B)ᵀ)ᵀ = op(B)·Gᵀ
			} else {
				ga = tensor.MatMul(g, b.Value, false, !transB)
			}
			give(a, ga)
		}
		if needs(b) {
			var gb *tensor.Tensor
			if transB {
				gb = tensor.MatMul(g, a.Value, true, transA) // (op(A)ᵀ·G)ᵀ = Gᵀ·op(A)
			} else {
				gb = tensor.MatMul(a.Value, g, !transA, false)
			}
			give(b, gb)
		}
		g.Release()
	}, nil, a, b)
}

// Linear returns x·Wᵀ + b for x of shape N×in, W of shape out×in and b of
// length out (b may be nil), as torch.nn.functional.linear.
func (tp *Tape) Linear(x, w, b *Var) *Var {
	if x.Value.Rank() != 2 || w.Value.Rank() != 2 || x.Value.Dim(1) != w.Value.Dim(1) {
		panic(fmt.Sprintf("autodiff.Linear: input %v and weight %v", x.Value.Shape(), w.Value.Shape()))
	}
	n, out := x.Value.Dim(0), w.Value.Dim(0)
	y := tensor.MatMul(x.Value, w.Value, false, true)
	if b != nil {
		if b.Value.Len() != out {
			panic(fmt.Sprintf("autodiff.Linear: bias %v for %d outputs", b.Value.Shape(), out))
		}
		yd, bd := y.Data(), b.Value.Data()
		for i := 0; i < n; i++ {
			row := yd[i*out : (i+1)*out]
			for j := range row {
				row[j] += bd[j]
			}
		}
	}
	return tp.record(y, func(g *tensor.Tensor) {
		if needs(x) {
			give(x, tensor.MatMul(g, w.Value, false, false))
		}
		if needs(w) {
			if w.Grad != nil { // accumulate in place: saves a pass
				tensor.Gemm(true, false, 1, g, x.Value, 1, w.Grad)
			} else {
				give(w, tensor.MatMul(g, x.Value, true, false))
			}
		}
		if needs(b) {
			gb := tensor.Sum(g, []int{0}, false)
			give(b, gb)
		}
		g.Release()
	}, nil, x, w, b)
}
