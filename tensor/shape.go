package tensor

import "fmt"

// broadcastShape returns the shape of the result of broadcasting a and b,
// NumPy style: aligned at the right, size-1 dimensions stretch.
func broadcastShape(a, b []int, op string) []int {
	r := max(len(a), len(b))
	out := make([]int, r)
	for i := 1; i <= r; i++ {
		da, db := 1, 1
		if i <= len(a) {
			da = a[len(a)-i]
		}
		if i <= len(b) {
			db = b[len(b)-i]
		}
		switch {
		case da == db, db == 1:
			out[r-i] = da
		case da == 1:
			out[r-i] = db
		default:
			panic(fmt.Sprintf("tensor.%s: shapes %v and %v do not broadcast", op, a, b))
		}
	}
	return out
}

// broadcastStrides returns the strides of a tensor of shape s viewed as a
// tensor of shape out (len(out) >= len(s)): 0 along stretched dimensions.
func broadcastStrides(s, out []int) []int {
	st := make([]int, len(out))
	stride := 1
	for i := 1; i <= len(s); i++ {
		d := s[len(s)-i]
		if d != 1 {
			st[len(out)-i] = stride
		}
		stride *= d
	}
	return st
}

// rowRuns calls fn for every run of the innermost dimension of shape out,
// giving the storage offsets of that run in two broadcast operands with
// strides sa and sb. Runs come in row-major order.
func rowRuns(out, sa, sb []int, fn func(o, a, b int)) {
	r := len(out)
	if r == 0 {
		fn(0, 0, 0)
		return
	}
	inner := out[r-1]
	rows := 1
	for _, d := range out[:r-1] {
		rows *= d
	}
	if rows == 0 || inner == 0 {
		return
	}
	idx := make([]int, r-1)
	offA, offB := 0, 0
	for row := 0; row < rows; row++ {
		fn(row*inner, offA, offB)
		// Advance the multi-index over the outer dimensions, carrying.
		for d := r - 2; d >= 0; d-- {
			idx[d]++
			offA += sa[d]
			offB += sb[d]
			if idx[d] < out[d] {
				break
			}
			offA -= sa[d] * out[d]
			offB -= sb[d] * out[d]
			idx[d] = 0
		}
	}
}
