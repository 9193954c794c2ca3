package autodiff

import (
	"fmt"

	"github.com/autogan-go/autogan/tensor"
)

// Reshape returns a with a new shape (a view of the same values).
func (tp *Tape) Reshape(a *Var, shape ...int) *Var {
	in := a.Value.Shape()
	return tp.record(a.Value.Reshape(shape...), func(g *tensor.Tensor) {
		g.SetShape(in...)
		give(a, g)
	}, nil, a)
}

// Permute returns a with its axes reordered: axis i of the result is axis
// perm[i] of a.
func (tp *Tape) Permute(a *Var, perm ...int) *Var {
	inv := make([]int, len(perm))
	for i, p := range perm {
		inv[p] = i
	}
	return tp.record(tensor.Permute(a.Value, perm...), func(g *tensor.Tensor) {
		ga := tensor.Permute(g, inv...)
		g.Release()
		give(a, ga)
	}, nil, a)
}

// Transpose returns a with axes i and j swapped.
func (tp *Tape) Transpose(a *Var, i, j int) *Var {
	r := a.Value.Rank()
	if i < 0 {
		i += r
	}
	if j < 0 {
		j += r
	}
	perm := make([]int, r)
	for k := range perm {
		perm[k] = k
	}
	perm[i], perm[j] = j, i
	return tp.Permute(a, perm...)
}

// Concat joins the variables along axis.
func (tp *Tape) Concat(axis int, vs ...*Var) *Var {
	vals := make([]*tensor.Tensor, len(vs))
	for i, v := range vs {
		vals[i] = v.Value
	}
	out := tensor.Concat(axis, vals...)
	if axis < 0 {
		axis += out.Rank()
	}
	return tp.record(out, func(g *tensor.Tensor) {
		lo := 0
		for _, v := range vs {
			w := v.Value.Dim(axis)
			if needs(v) {
				give(v, g.Slice(axis, lo, lo+w))
			}
			lo += w
		}
		g.Release()
	}, nil, vs...)
}

// Slice returns the index range [lo, hi) of axis.
func (tp *Tape) Slice(a *Var, axis, lo, hi int) *Var {
	return tp.record(a.Value.Slice(axis, lo, hi), func(g *tensor.Tensor) {
		ga := tensor.Embed(g, a.Value.Shape(), axis, lo)
		g.Release()
		give(a, ga)
	}, nil, a)
}

// Gather returns the rows idx of a 2-D table: row i of the result is row
// idx[i] of table (an embedding lookup). The gradient of a row used several
// times is the sum of its uses, added in index order.
func (tp *Tape) Gather(table *Var, idx []int) *Var {
	if table.Value.Rank() != 2 {
		panic(fmt.Sprintf("autodiff.Gather: table of shape %v", table.Value.Shape()))
	}
	rows, d := table.Value.Dim(0), table.Value.Dim(1)
	out := tensor.Empty(len(idx), d)
	src, dst := table.Value.Data(), out.Data()
	for i, r := range idx {
		if r < 0 || r >= rows {
			panic(fmt.Sprintf("autodiff.Gather: index %d out of range for %d rows", r, rows))
		}
		copy(dst[i*d:(i+1)*d], src[r*d:(r+1)*d])
	}
	idx = append([]int(nil), idx...)
	return tp.record(out, func(g *tensor.Tensor) {
		gt := tensor.New(rows, d)
		gd, td := g.Data(), gt.Data()
		for i, r := range idx {
			row := td[r*d : (r+1)*d]
			for j, v := range gd[i*d : (i+1)*d] {
				row[j] += v
			}
		}
		g.Release()
		give(table, gt)
	}, nil, table)
}
