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

// The filter transform G of F(4×4, 3×3) with interpolation points 0, ±1,
// ±2 and ∞ (Lavin and Gray, "Fast Algorithms for Convolutional Neural
// Networks", 2016, section 4.2) is
//
//	G = [1/4 0 0; −1/6 −1/6 −1/6; −1/6 1/6 −1/6; 1/24 1/12 1/6; 1/24 −1/12 1/6; 0 0 1]
//
// g3 applies it to three values (one column or row of a filter) and gt6
// applies Gᵀ to six, sharing the common terms.
//
// The fractions are multiplications by float64 constants (a division costs
// ten times more, and the filter transforms run once per channel pair).
// Every product that is added to something is converted explicitly,
// float64(x*y) + z: the Go compiler may otherwise fuse it into one FMA
// (arm64, or amd64 built with GOAMD64=v3), which rounds once instead of
// twice and would make the transformed filters depend on the build.
func g3(a, b, c float64) (r [Alpha]float64) {
	s := a + c
	q := float64(a*(1.0/24)) + float64(c*(1.0/6))
	r[0] = a * 0.25
	r[1] = -(s + b) * (1.0 / 6)
	r[2] = -(s - b) * (1.0 / 6)
	r[3] = q + float64(b*(1.0/12))
	r[4] = q - float64(b*(1.0/12))
	r[5] = c
	return r
}

func gt6(d0, d1, d2, d3, d4, d5 float64) (e [Kernel]float64) {
	s12, d12 := d1+d2, d1-d2
	s34, d34 := d3+d4, d3-d4
	e[0] = float64(d0*0.25) - float64(s12*(1.0/6)) + float64(s34*(1.0/24))
	e[1] = float64(d34*(1.0/12)) - float64(d12*(1.0/6))
	e[2] = float64((s34-s12)*(1.0/6)) + d5
	return e
}

// Weight returns U = G·w·Gᵀ for one 3×3 filter w (row-major), as 36 values
// U[i][k] at index 6i + k. It is computed in float64 and rounded once, so
// the only error of the filter transform is that rounding.
func Weight(w []float32) (u [Points]float32) {
	_ = w[8]
	var t [Alpha * Kernel]float64 // t[3i + c] = (G·w)[i][c]
	for c := 0; c < Kernel; c++ {
		r := g3(float64(w[c]), float64(w[3+c]), float64(w[6+c]))
		t[c], t[3+c], t[6+c], t[9+c], t[12+c], t[15+c] = r[0], r[1], r[2], r[3], r[4], r[5]
	}
	for i := 0; i < Alpha; i++ {
		r := g3(t[3*i], t[3*i+1], t[3*i+2])
		o := (*[Alpha]float32)(u[i*Alpha:])
		o[0], o[1], o[2], o[3], o[4], o[5] = float32(r[0]), float32(r[1]), float32(r[2]), float32(r[3]), float32(r[4]), float32(r[5])
	}
	return u
}

// WeightGrad returns Gᵀ·du·G, the adjoint of [Weight]: the 3×3 gradient of
// a filter (row-major) from the 36 gradients du of its transform, computed
// in float64.
func WeightGrad(du []float32) (w [Kernel * Kernel]float64) {
	_ = du[Points-1]
	var t [Alpha][Kernel]float64 // row i of du reduced: (du·G)[i][·]
	for i := 0; i < Alpha; i++ {
		r := du[i*Alpha : i*Alpha+Alpha]
		t[i] = gt6(float64(r[0]), float64(r[1]), float64(r[2]), float64(r[3]), float64(r[4]), float64(r[5]))
	}
	for c := 0; c < Kernel; c++ {
		col := gt6(t[0][c], t[1][c], t[2][c], t[3][c], t[4][c], t[5][c])
		for r, v := range col {
			w[r*Kernel+c] = v
		}
	}
	return w
}
