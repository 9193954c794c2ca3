// Package tensor is the numeric core of the project: a float32 n-dimensional
// array, the arithmetic the layers need, a seedable random generator, and
// the compute kernels (matrix multiply, convolution, pooling, resampling)
// that everything else is built on.
//
// # Overview
//
// A [Tensor] has a shape and a contiguous row-major slice of float32 values.
// Images are NCHW: batch, channel, row, column, the last index varying
// fastest, as in PyTorch. There are no strides: operations that reorder
// elements ([Permute], [Transpose], [Tensor.Slice] on an inner axis,
// [Concat]) return new tensors. Two operations return views that share
// storage with their argument because that is cheap and unsurprising:
// [Tensor.Reshape] and [Tensor.Rows] (a range of the first axis).
//
//	x := tensor.New(2, 3)                // zeros
//	y := tensor.FromSlice([]float32{1, 2, 3}, 3)
//	z := tensor.Add(x, y)                // broadcasting: (2,3) + (3) -> (2,3)
//	s := tensor.Sum(z, []int{0}, false)  // (3)
//
// Element-wise binary operations broadcast like NumPy and PyTorch: shapes
// are aligned at the right, and a dimension of size 1 stretches to match.
//
// # Errors
//
// Mistakes in shapes and indices are programming errors, and the functions
// of this package panic on them with a message that names the operation and
// the shapes involved, as gonum/mat does. Functions that read data a user
// supplies (none in this package) return errors instead.
//
// # Determinism
//
// Every kernel gives bit-identical results for any GOMAXPROCS: parallel work
// is cut into chunks fixed by the problem size and partial sums are combined
// in a fixed order (see internal/parallel). Sums over many elements
// accumulate in float64. Random numbers come from [RNG], whose complete state
// can be saved and restored.
package tensor
