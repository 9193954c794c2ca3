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
// # Convolution algorithms
//
// [Conv2D] and its gradients run one of two algorithms. The direct one
// gathers the im2col matrix block by block while packing it for the GEMM
// micro-kernels. Winograd's F(4×4, 3×3) (winograd.go, internal/winograd)
// computes 3×3 stride-1 convolutions with a quarter of the multiplications;
// its transforms are fused into the packing of the GEMM operands. [Policy]
// states which one a layer uses: by default Winograd for every 3×3 stride-1
// layer with enough channels, and the environment variable AUTOGAN_CONV
// (direct, winograd, auto) forces a choice. The choice depends only on the
// layer's shape and that variable, so it is the same on every machine.
// The input gradient of a convolution whose stride equals its kernel, the
// forward pass of the transposed convolutions the search's "deconv"
// up-sampling uses, skips the gather for one product per image with the
// same bits (but for a corner convtaps.go describes).
//
// Winograd rounds more than the direct method. Against a float64
// convolution, in units of the output's standard deviation (unit-variance
// inputs, PyTorch's filter initialisation, C input channels):
//
//	                 F(4×4, 3×3)             direct
//	C            largest     RMS       largest     RMS
//	3            5.5e-6      6.4e-7    7.0e-7      9.4e-8
//	16           1.6e-5      1.0e-6    2.1e-6      2.1e-7
//	64           1.6e-5      1.7e-6    2.1e-6      3.1e-7
//	256          2.8e-5      3.2e-6    1.6e-6      3.4e-7
//
// (TestWinogradErrorBound checks the bound 5e-5 / 5e-6.) Every PyTorch
// parity test of the project passes at its tolerance with either algorithm.
//
// # Determinism
//
// Every kernel gives bit-identical results for any GOMAXPROCS: parallel work
// is cut into chunks fixed by the problem size and partial sums are combined
// in a fixed order (see internal/parallel). Sums over many elements
// accumulate in float64. Random numbers come from [RNG], whose complete state
// can be saved and restored.
package tensor
