package winograd

import "fmt"

// Sizes of F(4×4, 3×3).
const (
	Tile   = 4                 // output tile side m
	Kernel = 3                 // filter side r
	Alpha  = Tile + Kernel - 1 // input tile side m + r − 1
	Points = Alpha * Alpha     // products per tile and channel pair: 36
)

// Lanes is the number of tiles the assembly kernels transform side by side;
// the functions below accept any number of tiles, but they are fastest for
// multiples of Lanes.
const Lanes = 8

// The functions below check every index they will touch before handing the
// work to a kernel, so that an assembly kernel never reads or writes memory
// it was not given; a violation is a programming error and panics.

// Input computes the input transform V = Bᵀ·d·B of len(offs) tiles for kc
// channels. Tile j of channel p is the 6×6 block of src whose top-left
// value is src[offs[j] + p·planeStride], with rows ld apart; its 36
// transformed values go to
//
//	dst[ξ·xiStride + p·pStride + j]    ξ = 6i + k for V[i][k]
//
// so that, for one ξ, the tiles of a channel are contiguous (the layout of
// a packed GEMM operand with tiles as columns). The kernels read two values
// past the end of every tile row (a 6-wide row is read as 8); src must hold
// them.
func Input(dst []float32, xiStride, pStride int, src []float32, offs []int32, ld, planeStride, kc int) {
	if len(offs) == 0 || kc == 0 {
		return
	}
	checkGather("Input", src, offs, ld, planeStride, kc, Alpha, 8)
	checkScatter("Input", dst, xiStride, pStride, len(offs), kc)
	input(dst, xiStride, pStride, src, offs, ld, planeStride, kc)
}

// Output computes the output transform Y = Aᵀ·M·A of len(offs) tiles for mo
// channels, adds bias[o] (bias may be nil) and clamps at zero when relu is
// set. The 36 values of tile j of channel o are
//
//	m[ξ·xiStride + o·oStride + j]
//
// and the 4×4 result goes to the block of dst whose top-left value is
// dst[offs[j] + o·planeStride], with rows ld apart.
func Output(dst []float32, offs []int32, ld, planeStride int, m []float32, xiStride, oStride, mo int, bias []float32, relu bool) {
	if len(offs) == 0 || mo == 0 {
		return
	}
	checkGather("Output", dst, offs, ld, planeStride, mo, Tile, Tile)
	checkScatter("Output", m, xiStride, oStride, len(offs), mo)
	if bias != nil && len(bias) < mo {
		panic(fmt.Sprintf("winograd.Output: %d bias values for %d channels", len(bias), mo))
	}
	output(dst, offs, ld, planeStride, m, xiStride, oStride, mo, bias, relu)
}

// GradOutput computes A·g·Aᵀ, the adjoint of the output transform, of
// len(offs) 4×4 tiles of an output gradient for count channels: tile j of
// channel p is the block of src whose top-left value is
// src[offs[j] + p·planeStride], and its 36 values go to
// dst[ξ·xiStride + p·pStride + j] as in [Input]. The weight gradient is
// Σ over tiles of GradOutput(dy) ⊙ Input(x), taken back with [WeightGrad].
func GradOutput(dst []float32, xiStride, pStride int, src []float32, offs []int32, ld, planeStride, count int) {
	if len(offs) == 0 || count == 0 {
		return
	}
	checkGather("GradOutput", src, offs, ld, planeStride, count, Tile, Tile)
	checkScatter("GradOutput", dst, xiStride, pStride, len(offs), count)
	gradOutput(dst, xiStride, pStride, src, offs, ld, planeStride, count)
}

// checkGather panics unless every tile block (rows values high, each read
// width values wide) of every plane lies inside buf.
func checkGather(op string, buf []float32, offs []int32, ld, planeStride, planes, rows, width int) {
	lo, hi := int(offs[0]), int(offs[0])
	for _, o := range offs {
		lo, hi = min(lo, int(o)), max(hi, int(o))
	}
	last := hi + (planes-1)*planeStride + (rows-1)*ld + width
	if lo < 0 || ld < 0 || planeStride < 0 || last > len(buf) {
		panic(fmt.Sprintf("winograd.%s: tiles at offsets [%d, %d] with ld %d and %d planes %d apart need %d values, have %d",
			op, lo, hi, ld, planes, planeStride, last, len(buf)))
	}
}

// checkScatter panics unless the Points×rows×lanes values at
// ξ·xiStride + p·pStride + j fit in buf.
func checkScatter(op string, buf []float32, xiStride, pStride, lanes, rows int) {
	last := (Points-1)*xiStride + (rows-1)*pStride + lanes
	if xiStride < 0 || pStride < 0 || last > len(buf) {
		panic(fmt.Sprintf("winograd.%s: %d×%d×%d values with strides %d, %d need %d, have %d",
			op, Points, rows, lanes, xiStride, pStride, last, len(buf)))
	}
}

// g is the 6×3 filter transform matrix G of F(4×4, 3×3) with interpolation
// points 0, ±1, ±2 and ∞ (Lavin and Gray, "Fast Algorithms for Convolutional
// Neural Networks", 2016, section 4.2).
var g = [Alpha][Kernel]float64{
	{1.0 / 4, 0, 0},
	{-1.0 / 6, -1.0 / 6, -1.0 / 6},
	{-1.0 / 6, 1.0 / 6, -1.0 / 6},
	{1.0 / 24, 1.0 / 12, 1.0 / 6},
	{1.0 / 24, -1.0 / 12, 1.0 / 6},
	{0, 0, 1},
}

// Weight returns U = G·w·Gᵀ for one 3×3 filter w (row-major), as 36 values
// U[i][k] at index 6i + k. It is computed in float64 and rounded once, so
// the only error of the filter transform is that rounding.
func Weight(w []float32) (u [Points]float32) {
	var t [Alpha][Kernel]float64 // G·w
	for i := 0; i < Alpha; i++ {
		for c := 0; c < Kernel; c++ {
			for r := 0; r < Kernel; r++ {
				t[i][c] += g[i][r] * float64(w[r*Kernel+c])
			}
		}
	}
	for i := 0; i < Alpha; i++ {
		for k := 0; k < Alpha; k++ {
			var s float64
			for c := 0; c < Kernel; c++ {
				s += t[i][c] * g[k][c]
			}
			u[i*Alpha+k] = float32(s)
		}
	}
	return u
}

// WeightGrad returns Gᵀ·du·G, the adjoint of [Weight]: the 3×3 gradient of
// a filter (row-major) from the 36 gradients du of its transform. It is
// computed in float64 and rounded once.
func WeightGrad(du []float32) (w [Kernel * Kernel]float64) {
	var t [Kernel][Alpha]float64 // Gᵀ·du
	for r := 0; r < Kernel; r++ {
		for k := 0; k < Alpha; k++ {
			for i := 0; i < Alpha; i++ {
				t[r][k] += g[i][r] * float64(du[i*Alpha+k])
			}
		}
	}
	for r := 0; r < Kernel; r++ {
		for c := 0; c < Kernel; c++ {
			var s float64
			for k := 0; k < Alpha; k++ {
				s += t[r][k] * g[k][c]
			}
			w[r*Kernel+c] = s
		}
	}
	return w
}
