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
// Every product is converted explicitly, float64(x*y), also those that
// g3 returns (the next g3 adds them): the Go compiler may otherwise fuse a
// product with an addition that follows it, even in another statement,
// into one FMA (arm64, or amd64 built with GOAMD64=v3), which rounds once
// instead of twice and would make the transformed filters depend on the
// build. (.ci/fma-check finds any fused instruction in the binaries.)
func g3(a, b, c float64) (r0, r1, r2, r3, r4, r5 float64) {
	s := a + c
	q := float64(a*(1.0/24)) + float64(c*(1.0/6))
	r0 = float64(a * 0.25)
	r1 = float64(-(s + b) * (1.0 / 6))
	r2 = float64(-(s - b) * (1.0 / 6))
	r3 = q + float64(b*(1.0/12))
	r4 = q - float64(b*(1.0/12))
	r5 = c
	return
}

func gt6(d0, d1, d2, d3, d4, d5 float64) (e0, e1, e2 float64) {
	s12, d12 := d1+d2, d1-d2
	s34, d34 := d3+d4, d3-d4
	e0 = float64(d0*0.25) - float64(s12*(1.0/6)) + float64(s34*(1.0/24))
	e1 = float64(d34*(1.0/12)) - float64(d12*(1.0/6))
	e2 = float64((s34-s12)*(1.0/6)) + d5
	return
}

// Weight returns U = G·w·Gᵀ for one 3×3 filter w (row-major), as 36 values
// U[i][k] at index 6i + k. It is computed in float64 and rounded once, so
// the only error of the filter transform is that rounding.
func Weight(w []float32) (u [Points]float32) {
	WeightInto(u[:], 1, w)
	return u
}

// WeightInto is [Weight] writing U[i][k] to dst[(6i + k)·stride], the
// layout of a packed operand. (The values travel in variables rather than
// arrays: five times faster, which matters at 256 channels, where a layer
// has 65,536 filters and transforms them at every pass.)
func WeightInto(dst []float32, stride int, w []float32) {
	_ = w[8]
	_ = dst[(Points-1)*stride]
	// G·w, column by column: t[i][c] for the six rows i.
	t00, t10, t20, t30, t40, t50 := g3(float64(w[0]), float64(w[3]), float64(w[6]))
	t01, t11, t21, t31, t41, t51 := g3(float64(w[1]), float64(w[4]), float64(w[7]))
	t02, t12, t22, t32, t42, t52 := g3(float64(w[2]), float64(w[5]), float64(w[8]))
	// Then ·Gᵀ, row by row.
	row := func(i int, a, b, c float64) {
		r0, r1, r2, r3, r4, r5 := g3(a, b, c)
		o := Alpha * i * stride
		dst[o] = float32(r0)
		dst[o+stride] = float32(r1)
		dst[o+2*stride] = float32(r2)
		dst[o+3*stride] = float32(r3)
		dst[o+4*stride] = float32(r4)
		dst[o+5*stride] = float32(r5)
	}
	row(0, t00, t01, t02)
	row(1, t10, t11, t12)
	row(2, t20, t21, t22)
	row(3, t30, t31, t32)
	row(4, t40, t41, t42)
	row(5, t50, t51, t52)
}

// Weights computes the transforms of n filters: filter j is the 3×3 block
// src[j·srcStride … j·srcStride+8] (row-major), rotated by 180° when flip
// is set (value i read as value 8 − i), and its U[i][k], as [Weight]
// computes it, goes to dst[(6i + k)·stride + j]: the transforms of
// neighbouring filters lie side by side, as in a packed GEMM operand
// whose rows are the filters. The assembly kernel transforms four filters
// at a time and gives the bits of [WeightInto].
func Weights(dst []float32, stride int, src []float32, srcStride, n int, flip bool) {
	if n <= 0 {
		return
	}
	if stride < n || srcStride < 0 || len(dst) < (Points-1)*stride+n || len(src) < (n-1)*srcStride+Kernel*Kernel {
		panic(fmt.Sprintf("winograd.Weights: %d filters %d apart in %d values into %d with stride %d", n, srcStride, len(src), len(dst), stride))
	}
	weights(dst, stride, src, srcStride, n, flip)
}

// WeightGrads computes the gradients of n filters from the gradients of
// their transforms: those of filter j are du[ξ·xiStride + j] (ξ = 0…35,
// the layout [Weights] writes), and its nine gradients, [WeightGrad] of
// them, rounded to float32 once, go to dst[9j … 9j+8]; with add, the
// value already there is added to each first (in float64). The assembly
// kernel takes four filters at a time and gives the same bits.
func WeightGrads(dst, du []float32, xiStride, n int, add bool) {
	if n <= 0 {
		return
	}
	if xiStride < 0 || len(du) < (Points-1)*xiStride+n || len(dst) < Kernel*Kernel*n {
		panic(fmt.Sprintf("winograd.WeightGrads: %d filters from %d values with stride %d into %d", n, len(du), xiStride, len(dst)))
	}
	weightGrads(dst, du, xiStride, n, add)
}

// WeightGrad returns Gᵀ·du·G, the adjoint of [Weight]: the 3×3 gradient of
// a filter (row-major) from the 36 gradients du of its transform, computed
// in float64.
func WeightGrad(du []float32) (w [Kernel * Kernel]float64) {
	_ = du[Points-1]
	// du·G, row by row: t[i][c] for the six rows i.
	var t [Alpha][Kernel]float64
	for i := range t {
		r := du[i*Alpha : i*Alpha+Alpha]
		t[i][0], t[i][1], t[i][2] = gt6(float64(r[0]), float64(r[1]), float64(r[2]), float64(r[3]), float64(r[4]), float64(r[5]))
	}
	// Then Gᵀ·, column by column.
	for c := 0; c < Kernel; c++ {
		w[c], w[Kernel+c], w[2*Kernel+c] = gt6(t[0][c], t[1][c], t[2][c], t[3][c], t[4][c], t[5][c])
	}
	return w
}
