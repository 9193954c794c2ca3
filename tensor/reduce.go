package tensor

import (
	"fmt"
	"math"

	"github.com/autogan-go/autogan/internal/parallel"
)

// reduction describes a reduction over some axes of a tensor.
type reduction struct {
	shape       []int // output shape
	outStrides  []int // output strides seen from the input shape (0 along reduced axes)
	count       int   // input elements per output element
	inner       int   // length of the input's innermost dimension
	innerStride int   // 0 when the innermost axis is reduced, else 1
}

// newReduction validates axes (nil means all) and describes the reduction.
func (t *Tensor) newReduction(axes []int, keepDims bool, op string) reduction {
	reduced := make([]bool, len(t.shape))
	if axes == nil {
		for i := range reduced {
			reduced[i] = true
		}
	}
	for _, a := range axes {
		a = t.axis(a, op)
		if reduced[a] {
			panic(fmt.Sprintf("tensor.%s: axis %d repeated in %v", op, a, axes))
		}
		reduced[a] = true
	}
	full := make([]int, len(t.shape))
	var r reduction
	r.count = 1
	for i, d := range t.shape {
		full[i] = d
		if reduced[i] {
			full[i] = 1
			r.count *= d
		} else if !keepDims {
			r.shape = append(r.shape, d)
		}
	}
	if keepDims {
		r.shape = full
	}
	if r.shape == nil {
		r.shape = []int{}
	}
	r.outStrides = broadcastStrides(full, t.shape)
	r.inner = 1
	if n := len(t.shape); n > 0 {
		r.inner, r.innerStride = t.shape[n-1], r.outStrides[n-1]
	}
	return r
}

// fold visits the input in row-major order and folds every element into its
// output slot, so each output combines its inputs in a fixed order. A nil f
// is addition.
func (t *Tensor) fold(r reduction, acc []float64, f func(a, v float64) float64) {
	rowRuns(t.shape, make([]int, len(t.shape)), r.outStrides, func(in, _, o int) {
		run := t.data[in : in+r.inner]
		if r.innerStride == 0 && f == nil {
			// A sum, without a call per element (same order, same bits).
			a := acc[o]
			for _, v := range run {
				a += float64(v)
			}
			acc[o] = a
			return
		}
		if f == nil {
			for j, v := range run {
				acc[o+j] += float64(v)
			}
			return
		}
		if r.innerStride == 0 {
			a := acc[o]
			for _, v := range run {
				a = f(a, float64(v))
			}
			acc[o] = a
			return
		}
		for j, v := range run {
			acc[o+j] = f(acc[o+j], float64(v))
		}
	})
}

func (t *Tensor) reduceWith(axes []int, keepDims bool, op string, init float64, f func(a, v float64) float64, finish func(float64) float64) *Tensor {
	r := t.newReduction(axes, keepDims, op)
	out := New(r.shape...)
	acc := make([]float64, len(out.data))
	for i := range acc {
		acc[i] = init
	}
	t.fold(r, acc, f)
	for i, v := range acc {
		out.data[i] = float32(finish(v))
	}
	return out
}

// Sum returns the sum over the given axes (all axes when axes is nil). With
// keepDims the reduced axes stay as dimensions of size 1. Sums accumulate in
// float64, in row-major order, and are rounded once at the end.
func Sum(t *Tensor, axes []int, keepDims bool) *Tensor {
	return t.reduceWith(axes, keepDims, "Sum", 0, nil, func(a float64) float64 { return a })
}

// Mean returns the mean over the given axes (all axes when axes is nil).
func Mean(t *Tensor, axes []int, keepDims bool) *Tensor {
	n := float64(t.newReduction(axes, keepDims, "Mean").count)
	return t.reduceWith(axes, keepDims, "Mean", 0, nil, func(a float64) float64 { return a / n })
}

// Max returns the maximum over the given axes (all axes when nil); a NaN
// anywhere makes the result NaN, as in PyTorch.
func Max(t *Tensor, axes []int, keepDims bool) *Tensor {
	return t.reduceWith(axes, keepDims, "Max", math.Inf(-1), func(a, v float64) float64 {
		if a != a || v != v {
			return math.NaN()
		}
		return math.Max(a, v)
	}, func(a float64) float64 { return a })
}

// Min returns the minimum over the given axes (all axes when nil); NaN wins.
func Min(t *Tensor, axes []int, keepDims bool) *Tensor {
	return t.reduceWith(axes, keepDims, "Min", math.Inf(1), func(a, v float64) float64 {
		if a != a || v != v {
			return math.NaN()
		}
		return math.Min(a, v)
	}, func(a float64) float64 { return a })
}

// sumGrain is the chunk of SumAll: fixed, so the result does not depend on
// the number of workers.
const sumGrain = 1 << 14

// SumAll returns the float64 sum of every element. Chunks of sumGrain
// elements are summed in parallel and the partial sums are added in chunk
// order, so the result is the same for any GOMAXPROCS.
func SumAll(t *Tensor) float64 {
	partial := make([]float64, parallel.NumChunks(len(t.data), sumGrain))
	parallel.ForChunks(len(t.data), sumGrain, func(c, lo, hi int) {
		var s float64
		for _, v := range t.data[lo:hi] {
			s += float64(v)
		}
		partial[c] = s
	})
	var s float64
	for _, p := range partial {
		s += p
	}
	return s
}

// ArgMax returns, for every position of the other axes (in row-major
// order), the index of the largest element along axis; the first one wins
// ties.
func ArgMax(t *Tensor, axis int) []int {
	axis = t.axis(axis, "ArgMax")
	outer, inner := 1, 1
	for _, d := range t.shape[:axis] {
		outer *= d
	}
	for _, d := range t.shape[axis+1:] {
		inner *= d
	}
	n := t.shape[axis]
	if n == 0 {
		panic(fmt.Sprintf("tensor.ArgMax: empty axis %d of shape %v", axis, t.shape))
	}
	res := make([]int, outer*inner)
	for o := 0; o < outer; o++ {
		for i := 0; i < inner; i++ {
			best, bi := t.data[o*n*inner+i], 0
			for k := 1; k < n; k++ {
				if v := t.data[(o*n+k)*inner+i]; v > best {
					best, bi = v, k
				}
			}
			res[o*inner+i] = bi
		}
	}
	return res
}
