package tensor

import (
	"fmt"
	"slices"
)

// Permute returns a new tensor whose axis i is axis perm[i] of t, like
// torch.permute (but always a copy).
func Permute(t *Tensor, perm ...int) *Tensor {
	r := len(t.shape)
	if len(perm) != r {
		panic(fmt.Sprintf("tensor.Permute: permutation %v for shape %v", perm, t.shape))
	}
	seen := make([]bool, r)
	shape := make([]int, r)
	for i, p := range perm {
		if p < 0 || p >= r || seen[p] {
			panic(fmt.Sprintf("tensor.Permute: %v is not a permutation of %d axes", perm, r))
		}
		seen[p] = true
		shape[i] = t.shape[p]
	}
	// Strides of t, rearranged into the order of the output axes.
	inStride := make([]int, r)
	s := 1
	for i := r - 1; i >= 0; i-- {
		inStride[i] = s
		s *= t.shape[i]
	}
	st := make([]int, r)
	for i, p := range perm {
		st[i] = inStride[p]
	}
	out := New(shape...)
	if r == 0 {
		out.data[0] = t.data[0]
		return out
	}
	inner := shape[r-1]
	is := st[r-1]
	rowRuns(shape, st, make([]int, r), func(o, in, _ int) {
		dst := out.data[o : o+inner]
		for j := range dst {
			dst[j] = t.data[in+j*is]
		}
	})
	return out
}

// Transpose returns a copy of t with axes a and b swapped.
func Transpose(t *Tensor, a, b int) *Tensor {
	a, b = t.axis(a, "Transpose"), t.axis(b, "Transpose")
	perm := make([]int, len(t.shape))
	for i := range perm {
		perm[i] = i
	}
	perm[a], perm[b] = b, a
	return Permute(t, perm...)
}

// Slice returns a copy of the index range [lo, hi) of axis. For the first
// axis, [Tensor.Rows] gives the same values as a view without copying.
func (t *Tensor) Slice(axis, lo, hi int) *Tensor {
	axis = t.axis(axis, "Slice")
	if lo < 0 || hi > t.shape[axis] || lo > hi {
		panic(fmt.Sprintf("tensor.Slice: range [%d,%d) of axis %d of shape %v", lo, hi, axis, t.shape))
	}
	outer, inner := 1, 1
	for _, d := range t.shape[:axis] {
		outer *= d
	}
	for _, d := range t.shape[axis+1:] {
		inner *= d
	}
	shape := t.Shape()
	shape[axis] = hi - lo
	out := New(shape...)
	n, w := t.shape[axis]*inner, (hi-lo)*inner
	for o := 0; o < outer; o++ {
		copy(out.data[o*w:(o+1)*w], t.data[o*n+lo*inner:])
	}
	return out
}

// Concat joins tensors along axis; all other dimensions must agree.
func Concat(axis int, ts ...*Tensor) *Tensor {
	if len(ts) == 0 {
		panic("tensor.Concat: no tensors")
	}
	axis = ts[0].axis(axis, "Concat")
	shape := ts[0].Shape()
	total := 0
	for _, t := range ts {
		if len(t.shape) != len(shape) {
			panic(fmt.Sprintf("tensor.Concat: shapes %v and %v along axis %d", ts[0].shape, t.shape, axis))
		}
		for i := range shape {
			if i != axis && t.shape[i] != shape[i] {
				panic(fmt.Sprintf("tensor.Concat: shapes %v and %v along axis %d", ts[0].shape, t.shape, axis))
			}
		}
		total += t.shape[axis]
	}
	shape[axis] = total
	out := New(shape...)
	outer, inner := 1, 1
	for _, d := range shape[:axis] {
		outer *= d
	}
	for _, d := range shape[axis+1:] {
		inner *= d
	}
	off := 0
	for _, t := range ts {
		w := t.shape[axis] * inner
		for o := 0; o < outer; o++ {
			copy(out.data[o*total*inner+off:], t.data[o*w:(o+1)*w])
		}
		off += w
	}
	return out
}

// BroadcastTo returns a new tensor of the given shape holding t stretched
// along its size-1 (and missing leading) dimensions, NumPy style.
func BroadcastTo(t *Tensor, shape ...int) *Tensor {
	if got := broadcastShape(t.shape, shape, "BroadcastTo"); !slices.Equal(got, shape) {
		panic(fmt.Sprintf("tensor.BroadcastTo: shape %v does not stretch to %v", t.shape, shape))
	}
	out := Empty(shape...)
	st := broadcastStrides(t.shape, shape)
	if len(shape) == 0 {
		out.data[0] = t.data[0]
		return out
	}
	inner, is := shape[len(shape)-1], st[len(shape)-1]
	rowRuns(shape, st, make([]int, len(shape)), func(o, in, _ int) {
		dst := out.data[o : o+inner]
		if is == 0 {
			v := t.data[in]
			for j := range dst {
				dst[j] = v
			}
			return
		}
		copy(dst, t.data[in:in+inner])
	})
	return out
}

// Embed returns a tensor of the given shape that is zero except for the
// index range [lo, lo+src.Dim(axis)) of axis, which holds src. It is the
// adjoint of Slice.
func Embed(src *Tensor, shape []int, axis, lo int) *Tensor {
	out := New(shape...)
	axis = out.axis(axis, "Embed")
	w := src.shape[axis]
	for i := range shape {
		if len(src.shape) != len(shape) || (i != axis && src.shape[i] != shape[i]) || lo < 0 || lo+w > shape[axis] {
			panic(fmt.Sprintf("tensor.Embed: %v at %d of axis %d in %v", src.shape, lo, axis, shape))
		}
	}
	outer, inner := 1, 1
	for _, d := range shape[:axis] {
		outer *= d
	}
	for _, d := range shape[axis+1:] {
		inner *= d
	}
	for o := 0; o < outer; o++ {
		copy(out.data[(o*shape[axis]+lo)*inner:], src.data[o*w*inner:(o+1)*w*inner])
	}
	return out
}
