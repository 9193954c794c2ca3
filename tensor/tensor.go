package tensor

import (
	"fmt"
	"slices"
	"strings"

	"github.com/autogan-go/autogan/internal/buffer"
)

// Tensor is an n-dimensional array of float32 values in row-major order.
// The zero value is not usable; create tensors with [New], [FromSlice],
// [Full] and the random constructors of [RNG].
type Tensor struct {
	shape  []int
	data   []float32
	pooled bool // data came from internal/buffer and may be returned by Release
}

// New returns a tensor of the given shape filled with zeros. A tensor with
// no dimensions is a scalar holding one value.
func New(shape ...int) *Tensor {
	n := numel(shape, "New")
	return &Tensor{shape: append([]int(nil), shape...), data: buffer.GetZeroed(n), pooled: true}
}

// Empty returns a tensor of the given shape whose values are undefined. Use
// it only for results that are about to be overwritten completely: it skips
// the clearing that New does.
func Empty(shape ...int) *Tensor {
	n := numel(shape, "Empty")
	return &Tensor{shape: append([]int(nil), shape...), data: buffer.Get(n), pooled: true}
}

// Release hands the storage of t back for reuse by later tensors and leaves
// t empty. It is an optimisation, never required: a tensor that is not
// released is collected by the garbage collector as usual. After Release,
// neither t nor any view of it (Reshape, Rows) may be used. Releasing a
// view or a tensor made by FromSlice only empties it.
func (t *Tensor) Release() {
	if t.pooled {
		buffer.Put(t.data)
	}
	t.data, t.shape, t.pooled = nil, nil, false
}

// Full returns a tensor of the given shape with every element set to v.
func Full(v float32, shape ...int) *Tensor {
	t := New(shape...)
	t.Fill(v)
	return t
}

// Scalar returns a tensor with no dimensions holding v.
func Scalar(v float32) *Tensor { return &Tensor{shape: []int{}, data: []float32{v}} }

// FromSlice returns a tensor of the given shape that uses data as its
// storage (no copy). len(data) must equal the number of elements.
func FromSlice(data []float32, shape ...int) *Tensor {
	n := numel(shape, "FromSlice")
	if len(data) != n {
		panic(fmt.Sprintf("tensor.FromSlice: %d values for shape %v (%d elements)", len(data), shape, n))
	}
	return &Tensor{shape: append([]int(nil), shape...), data: data}
}

// numel returns the number of elements of shape, panicking on a negative
// dimension.
func numel(shape []int, op string) int {
	n := 1
	for _, d := range shape {
		if d < 0 {
			panic(fmt.Sprintf("tensor.%s: negative dimension in shape %v", op, shape))
		}
		n *= d
	}
	return n
}

// Shape returns a copy of the shape.
func (t *Tensor) Shape() []int { return append([]int(nil), t.shape...) }

// Rank returns the number of dimensions.
func (t *Tensor) Rank() int { return len(t.shape) }

// Dim returns the size of dimension i; negative i counts from the end.
func (t *Tensor) Dim(i int) int { return t.shape[t.axis(i, "Dim")] }

// Len returns the number of elements.
func (t *Tensor) Len() int { return len(t.data) }

// Data returns the underlying storage (not a copy): element (i, j, k) of a
// tensor of shape (I, J, K) is Data()[(i*J+j)*K+k].
func (t *Tensor) Data() []float32 { return t.data }

// Item returns the single value of a one-element tensor.
func (t *Tensor) Item() float32 {
	if len(t.data) != 1 {
		panic(fmt.Sprintf("tensor.Item: shape %v has %d elements", t.shape, len(t.data)))
	}
	return t.data[0]
}

// SameShape reports whether t and u have equal shapes.
func (t *Tensor) SameShape(u *Tensor) bool { return slices.Equal(t.shape, u.shape) }

// axis resolves a possibly negative axis index, panicking when out of range.
func (t *Tensor) axis(a int, op string) int {
	r := len(t.shape)
	if a < 0 {
		a += r
	}
	if a < 0 || a >= r {
		panic(fmt.Sprintf("tensor.%s: axis %d out of range for shape %v", op, a, t.shape))
	}
	return a
}

// offset returns the storage index of a multi-index.
func (t *Tensor) offset(idx []int, op string) int {
	if len(idx) != len(t.shape) {
		panic(fmt.Sprintf("tensor.%s: %d indices for shape %v", op, len(idx), t.shape))
	}
	off := 0
	for i, x := range idx {
		if x < 0 || x >= t.shape[i] {
			panic(fmt.Sprintf("tensor.%s: index %v out of range for shape %v", op, idx, t.shape))
		}
		off = off*t.shape[i] + x
	}
	return off
}

// At returns the element at the given multi-index.
func (t *Tensor) At(idx ...int) float32 { return t.data[t.offset(idx, "At")] }

// Set stores v at the given multi-index.
func (t *Tensor) Set(v float32, idx ...int) { t.data[t.offset(idx, "Set")] = v }

// Fill sets every element to v.
func (t *Tensor) Fill(v float32) {
	for i := range t.data {
		t.data[i] = v
	}
}

// Zero sets every element to zero.
func (t *Tensor) Zero() { clear(t.data) }

// Clone returns a copy with its own storage.
func (t *Tensor) Clone() *Tensor {
	c := Empty(t.shape...)
	copy(c.data, t.data)
	return c
}

// CopyFrom copies the values of src, which must have the same number of
// elements, into t.
func (t *Tensor) CopyFrom(src *Tensor) {
	if len(src.data) != len(t.data) {
		panic(fmt.Sprintf("tensor.CopyFrom: shape %v into shape %v", src.shape, t.shape))
	}
	copy(t.data, src.data)
}

// Reshape returns a view of t with a new shape and the same storage. One
// dimension may be -1; it is inferred from the number of elements.
func (t *Tensor) Reshape(shape ...int) *Tensor {
	shape = append([]int(nil), shape...)
	infer, n := -1, 1
	for i, d := range shape {
		switch {
		case d == -1 && infer < 0:
			infer = i
		case d < 0:
			panic(fmt.Sprintf("tensor.Reshape: bad shape %v for %v", shape, t.shape))
		default:
			n *= d
		}
	}
	if infer >= 0 {
		if n == 0 || len(t.data)%n != 0 {
			panic(fmt.Sprintf("tensor.Reshape: cannot infer -1 in %v from %v", shape, t.shape))
		}
		shape[infer] = len(t.data) / n
		n *= shape[infer]
	}
	if n != len(t.data) {
		panic(fmt.Sprintf("tensor.Reshape: shape %v (%d elements) from %v (%d elements)", shape, n, t.shape, len(t.data)))
	}
	return &Tensor{shape: shape, data: t.data}
}

// SetShape changes the shape of t in place; the number of elements must
// not change. Unlike Reshape it keeps t's ownership of its storage.
func (t *Tensor) SetShape(shape ...int) {
	if numel(shape, "SetShape") != len(t.data) {
		panic(fmt.Sprintf("tensor.SetShape: shape %v for %d elements (shape %v)", shape, len(t.data), t.shape))
	}
	t.shape = append(t.shape[:0], shape...)
}

// Rows returns a view of the index range [lo, hi) of the first axis, sharing
// storage with t: for a batch of images, Rows(i, i+1) is image i.
func (t *Tensor) Rows(lo, hi int) *Tensor {
	if len(t.shape) == 0 || lo < 0 || hi > t.shape[0] || lo > hi {
		panic(fmt.Sprintf("tensor.Rows: range [%d,%d) of shape %v", lo, hi, t.shape))
	}
	inner := 1
	for _, d := range t.shape[1:] {
		inner *= d
	}
	shape := append([]int{hi - lo}, t.shape[1:]...)
	return &Tensor{shape: shape, data: t.data[lo*inner : hi*inner : hi*inner]}
}

// String formats small tensors in full and large ones by shape only.
func (t *Tensor) String() string {
	if len(t.data) > 64 {
		return fmt.Sprintf("Tensor%v", t.shape)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Tensor%v", t.shape)
	b.WriteString(fmt.Sprint(t.data))
	return b.String()
}
