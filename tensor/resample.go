package tensor

import (
	"fmt"

	"github.com/autogan-go/autogan/internal/parallel"
	"github.com/autogan-go/autogan/internal/vec"
)

// nearestIndex is PyTorch's "nearest" source index for output index o when
// resizing in → out: ⌊o·in/out⌋ (computed as PyTorch does, with the float32
// scale in/out), clamped to in−1.
func nearestIndex(o, in, out int) int {
	scale := float32(in) / float32(out)
	return min(int(float32(o)*scale), in-1)
}

// nearestIndices returns nearestIndex(o, in, out) for every o < out.
func nearestIndices(in, out int) []int {
	idx := make([]int, out)
	for o := range idx {
		idx[o] = nearestIndex(o, in, out)
	}
	return idx
}

// UpsampleNearest resizes x (N×C×H×W) to oh×ow with nearest-neighbour
// sampling, as torch.nn.functional.interpolate(mode="nearest").
func UpsampleNearest(x *Tensor, oh, ow int) *Tensor {
	n, c, h, w := dims4("UpsampleNearest", x)
	y := Empty(n, c, oh, ow)
	f := nearestFactor(h, w, oh, ow)
	xs := nearestIndices(w, ow)
	parallel.For(n*c, planeGrain(oh*ow), func(lo, hi int) {
		for pl := lo; pl < hi; pl++ {
			src := x.data[pl*h*w : (pl+1)*h*w]
			dst := y.data[pl*oh*ow : (pl+1)*oh*ow]
			if f > 0 {
				upsampleNearestBy(dst, src, w, f)
			} else {
				upsampleNearestPlane(dst, src, xs, h, oh)
			}
		}
	})
	return y
}

// nearestFactor returns f when h×w → oh×ow enlarges both sides f times
// with f a power of two, and 0 otherwise. For such factors the scale 1/f
// PyTorch multiplies by is exact, so the source index of output o is
// exactly o/f: the resampling of AutoGAN's up-cells (f = 2) and of its
// skip connections (f = 2 or 4).
func nearestFactor(h, w, oh, ow int) int {
	if h == 0 || w == 0 || oh%h != 0 {
		return 0
	}
	f := oh / h
	if f < 2 || f&(f-1) != 0 || ow != f*w {
		return 0
	}
	return f
}

// upsampleNearestPlane resizes one plane of h rows to oh rows of len(xs)
// values, taking column xs[ox] for output column ox.
func upsampleNearestPlane(dst, src []float32, xs []int, h, oh int) {
	w, ow := len(src)/h, len(xs)
	for oy := 0; oy < oh; oy++ {
		row := src[nearestIndex(oy, h, oh)*w:]
		out := dst[oy*ow : (oy+1)*ow]
		for ox, sx := range xs {
			out[ox] = row[sx]
		}
	}
}

// upsampleNearestBy is upsampleNearestPlane for a factor f of
// nearestFactor: each value is written f times along its row and the row
// is written f times. At f = 2 it is 1.8 times faster than looking the
// indices up, and its gradient 2.4 times (BenchmarkUpsample/nearest).
func upsampleNearestBy(dst, src []float32, w, f int) {
	ow := f * w
	if f == 2 && w%8 == 0 { // whole planes on the vector kernel
		vec.Upsample2x2(dst, src, len(src)/w, w)
		return
	}
	for y := 0; y < len(src)/w; y++ {
		in := src[y*w : (y+1)*w]
		out := dst[f*y*ow : (f*y+1)*ow]
		if f == 2 { // the up-cells: a loop the compiler keeps tight
			for i, v := range in {
				pair := out[2*i : 2*i+2]
				pair[0], pair[1] = v, v
			}
		} else {
			for i, v := range in {
				run := out[f*i : f*i+f]
				for k := range run {
					run[k] = v
				}
			}
		}
		for r := 1; r < f; r++ {
			copy(dst[(f*y+r)*ow:(f*y+r+1)*ow], out)
		}
	}
}

// UpsampleNearestBackward sums each output gradient into its source pixel.
func UpsampleNearestBackward(dy *Tensor, inShape []int) *Tensor {
	n, c, oh, ow := dims4("UpsampleNearestBackward", dy)
	h, w := inShape[2], inShape[3]
	if f := nearestFactor(h, w, oh, ow); f > 0 {
		dx := Empty(inShape...)
		parallel.For(n*c, planeGrain(oh*ow), func(lo, hi int) {
			for pl := lo; pl < hi; pl++ {
				upsampleNearestByBackward(dx.data[pl*h*w:(pl+1)*h*w], dy.data[pl*oh*ow:(pl+1)*oh*ow], w, f)
			}
		})
		return dx
	}
	dx := New(inShape...)
	xs := nearestIndices(w, ow)
	parallel.For(n*c, planeGrain(oh*ow), func(lo, hi int) {
		for pl := lo; pl < hi; pl++ {
			g := dy.data[pl*oh*ow : (pl+1)*oh*ow]
			dst := dx.data[pl*h*w : (pl+1)*h*w]
			for oy := 0; oy < oh; oy++ {
				row := dst[nearestIndex(oy, h, oh)*w:]
				for ox, v := range g[oy*ow : (oy+1)*ow] {
					row[xs[ox]] += v
				}
			}
		}
	})
	return dx
}

// upsampleNearestByBackward is the gradient of upsampleNearestBy: each
// source pixel gets the sum of its f×f block, added in the order of the
// general loop above (row by row, left to right, onto +0), so both give
// the same bits.
func upsampleNearestByBackward(dx, g []float32, w, f int) {
	ow := f * w
	if f == 2 && w%8 == 0 { // whole planes on the vector kernel, same order
		vec.Upsample2x2Grad(dx, g, len(dx)/w, w)
		return
	}
	for y := 0; y < len(dx)/w; y++ {
		out := dx[y*w : (y+1)*w]
		if f == 2 { // the up-cells: unrolled, in the same order
			top, bottom := g[2*y*ow:(2*y+1)*ow], g[(2*y+1)*ow:(2*y+2)*ow]
			for i := range out {
				t, b := top[2*i:2*i+2], bottom[2*i:2*i+2]
				out[i] = (((0 + t[0]) + t[1]) + b[0]) + b[1]
			}
			continue
		}
		for i := range out {
			s := float32(0)
			for r := 0; r < f; r++ {
				for _, v := range g[(f*y+r)*ow+f*i : (f*y+r)*ow+f*i+f] {
					s += v
				}
			}
			out[i] = s
		}
	}
}

// linearWeights returns, for each output index, the two source indices and
// the weight of the second, for a half-pixel ("align_corners=False") linear
// resize in → out as PyTorch computes it: src = (o + 0.5)·in/out − 0.5,
// clamped at 0, in float32.
func linearWeights(in, out int) (i0, i1 []int, l1 []float32) {
	i0, i1, l1 = make([]int, out), make([]int, out), make([]float32, out)
	scale := float32(in) / float32(out)
	for o := 0; o < out; o++ {
		src := max(float32(scale*(float32(o)+0.5))-0.5, 0) // float32(…): never fused into an FMA, as PyTorch computes it
		lo := int(src)
		i0[o] = lo
		i1[o] = lo
		if lo < in-1 {
			i1[o] = lo + 1
		}
		l1[o] = src - float32(lo)
	}
	return
}

// UpsampleBilinear resizes x (N×C×H×W) to oh×ow by bilinear interpolation
// with half-pixel centres (PyTorch's align_corners=False), which works for
// any output size, including odd ones.
func UpsampleBilinear(x *Tensor, oh, ow int) *Tensor {
	n, c, h, w := dims4("UpsampleBilinear", x)
	y := Empty(n, c, oh, ow)
	y0, y1, ly := linearWeights(h, oh)
	cols := newBilinearColumns(w, ow)
	parallel.For(n*c, planeGrain(oh*ow), func(lo, hi int) {
		// The interpolation is separable, and PyTorch's order,
		// h0lambda·(w0lambda·a + w1lambda·b) + h1lambda·(…), takes the
		// horizontal one first: rows[r] is source row r interpolated to ow
		// values, computed once however many output rows use it.
		rows := make([]float32, h*ow)
		for pl := lo; pl < hi; pl++ {
			src := x.data[pl*h*w : (pl+1)*h*w]
			dst := y.data[pl*oh*ow : (pl+1)*oh*ow]
			cols.interpolatePlane(rows, src)
			for oy := 0; oy < oh; oy++ {
				wy1 := ly[oy]
				vec.WeightedSum(dst[oy*ow:(oy+1)*ow], rows[y0[oy]*ow:(y0[oy]+1)*ow], rows[y1[oy]*ow:(y1[oy]+1)*ow], 1-wy1, wy1)
			}
		}
	})
	return y
}

// UpsampleBilinearBackward distributes each output gradient to its four
// source pixels with the interpolation weights.
//
// The sums are PyTorch's, term for term and in its order: output pixels in
// row-major order, each adding its four terms
// float32(float32(wy·wx)·g) to the top-left, top-right, bottom-left and
// bottom-right source pixel. A source pixel therefore receives its terms
// in a known order, and the loop below gathers them in that order into one
// register per pixel (addRowGrads) instead of scattering every term
// through memory: the same bits, without a chain of loads and stores to
// the same addresses.
func UpsampleBilinearBackward(dy *Tensor, inShape []int) *Tensor {
	n, c, oh, ow := dims4("UpsampleBilinearBackward", dy)
	h, w := inShape[2], inShape[3]
	dx := New(inShape...)
	y0, y1, ly := linearWeights(h, oh)
	cols := newBilinearColumns(w, ow)
	parallel.For(n*c, planeGrain(oh*ow), func(lo, hi int) {
		for pl := lo; pl < hi; pl++ {
			g := dy.data[pl*oh*ow : (pl+1)*oh*ow]
			dst := dx.data[pl*h*w : (pl+1)*h*w]
			for oy := 0; oy < oh; oy++ {
				r0, r1 := dst[y0[oy]*w:(y0[oy]+1)*w], dst[y1[oy]*w:(y1[oy]+1)*w]
				wy1 := ly[oy]
				wy0 := 1 - wy1
				grow := g[oy*ow : (oy+1)*ow]
				if y0[oy] == y1[oy] {
					// Bottom edge: both rows are one, which gets the
					// terms of both weights, interleaved.
					cols.addEdgeRowGrads(r0, grow, wy0, wy1)
					continue
				}
				// Two rows: the terms of each row come in the same order
				// whichever row is done first.
				cols.addRowGrads(r0, grow, wy0)
				cols.addRowGrads(r1, grow, wy1)
			}
		}
	})
	return dx
}

// bilinearColumns is the horizontal half of a bilinear resampling from w
// to ow columns: output column ox reads source columns x0[ox] and x1[ox]
// (x1 = x0+1, or x0 at the right edge) with weights 1−lx[ox] and lx[ox].
//
// For the gradient it also lists, for every source column e, the terms it
// receives from one row of output gradients in the order PyTorch's scatter
// adds them: output column by column, the left term before the right one.
// Since x0 never decreases, that is the right terms of the output columns
// whose left column is e−1, then the left terms of those whose left column
// is e, each followed at the right edge (x1 = x0 = e) by its right term.
// Term k of column e, start[e] ≤ k < start[e+1], is wx[k]·g[ox[k]]; zero
// weights are listed too (0·∞ is NaN).
type bilinearColumns struct {
	x0, x1 []int
	lx     []float32
	start  []int // w+1 values
	ox     []int
	wx     []float32
	// double is set for a factor-two upsampling (ow = 2w, w ≥ 3): output
	// columns 2i−1 and 2i, 0 < i < w, then read source columns i−1 and i
	// with weights that alternate between those of columns 1 and 2. So
	// source column e, 1 < e < w−1, receives exactly four terms: the right
	// ones of output columns 2e−1 and 2e and the left ones of 2e+1 and
	// 2e+2, with the same four weights for every e.
	double bool
}

func newBilinearColumns(w, ow int) bilinearColumns {
	x0, x1, lx := linearWeights(w, ow)
	b := bilinearColumns{x0: x0, x1: x1, lx: lx, start: make([]int, w+1)}
	first := 0 // the first output column whose left column is e−1
	for e := 0; e < w; e++ {
		b.start[e] = len(b.ox)
		for ox := first; e > 0 && ox < ow && x0[ox] == e-1; ox++ {
			if x1[ox] == e {
				b.ox, b.wx = append(b.ox, ox), append(b.wx, lx[ox])
			}
		}
		for first < ow && x0[first] < e {
			first++
		}
		for ox := first; ox < ow && x0[ox] == e; ox++ {
			b.ox, b.wx = append(b.ox, ox), append(b.wx, 1-lx[ox])
			if x1[ox] == e {
				b.ox, b.wx = append(b.ox, ox), append(b.wx, lx[ox])
			}
		}
	}
	b.start[w] = len(b.ox)
	// Checked from the tables, not assumed from the formula.
	b.double = ow == 2*w && w >= 3 && x0[0] == 0 && x0[ow-1] == w-1
	for ox := 1; ox < ow-1 && b.double; ox++ {
		b.double = x0[ox] == (ox-1)/2 && x1[ox] == x0[ox]+1 && lx[ox] == lx[1+(ox-1)%2]
	}
	if b.double {
		// The term counts addDoubleEdgeGrads relies on.
		b.double = b.start[1] == 3 && b.start[2] == 8 && b.start[w]-b.start[w-1] == 4
		for e := 2; e < w-1 && b.double; e++ {
			b.double = b.start[e+1]-b.start[e] == 4
		}
	}
	return b
}

// interpolated returns output column ox of the source row in:
// float32((1−lx)·in[x0]) + float32(lx·in[x1]).
func (b *bilinearColumns) interpolated(in []float32, ox int) float32 {
	wx1 := b.lx[ox]
	return float32((1-wx1)*in[b.x0[ox]]) + float32(wx1*in[b.x1[ox]])
}

// interpolatePlane writes every row of the plane src (rows of w values)
// interpolated to ow values into rows. For a factor-two up-sampling,
// output columns 2i−1 and 2i both read source columns i−1 and i with
// weights that alternate between those of columns 1 and 2, and the ends
// read one column twice; the plane is taken as one long row, whose pairs
// of neighbours give columns 2i−1 and 2i of every row, and the pair that
// joins the end of a row to the start of the next lands on the last value
// of the one and the first of the other, both recomputed after. The demo's
// rows are 4 to 16 values long, too short for the vector kernel one by
// one.
func (b *bilinearColumns) interpolatePlane(rows, src []float32) {
	w, ow := len(b.start)-1, len(b.lx)
	h := len(src) / w
	if !b.double {
		for r := 0; r < h; r++ {
			in, out := src[r*w:(r+1)*w], rows[r*ow:(r+1)*ow]
			for ox := range out {
				out[ox] = b.interpolated(in, ox)
			}
		}
		return
	}
	odd1, even1 := b.lx[1], b.lx[2]
	vec.InterpolatePairs(rows[1:h*ow-1], src, 1-odd1, odd1, 1-even1, even1)
	for r := 0; r < h; r++ {
		in, out := src[r*w:(r+1)*w], rows[r*ow:(r+1)*ow]
		out[0], out[ow-1] = b.interpolated(in, 0), b.interpolated(in, ow-1)
	}
}

// addRowGrads adds to the source row dst the terms float32(float32(wy·wx)·g)
// that one row of output gradients g gives it, each column's terms in
// their order.
func (b *bilinearColumns) addRowGrads(dst, g []float32, wy float32) {
	w := len(dst)
	if !b.double {
		for e := range dst {
			acc := dst[e]
			ks, ke := b.start[e], b.start[e+1]
			for k, wx := range b.wx[ks:ke] {
				acc += float32(float32(wy*wx) * g[b.ox[ks+k]])
			}
			dst[e] = acc
		}
		return
	}
	// The interior of a factor-two upsampling: the four terms with the
	// loop unrolled and the weights computed once. Columns 0 and 1 get
	// more terms (output column 0 reads them with weights 1 and 0),
	// column w−1 fewer.
	b.addDoubleEdgeGrads(dst, g, wy)
	r1, r2 := float32(wy*b.lx[1]), float32(wy*b.lx[2])
	l1, l2 := float32(wy*(1-b.lx[1])), float32(wy*(1-b.lx[2]))
	// Column e, 1 < e < w−1: the terms of output columns 2e−1 … 2e+2,
	// g[3+2(e−2)+k] for k = 0 … 3.
	vec.AddPairTerms(dst[2:w-1], g[3:], r1, r2, l1, l2)
}

// addDoubleEdgeGrads adds the terms of columns 0, 1 and w−1 of a
// factor-two upsampling, whose lists hold three, five and four terms
// (checked by newBilinearColumns), written out so that the three chains of
// additions run side by side.
func (b *bilinearColumns) addDoubleEdgeGrads(dst, g []float32, wy float32) {
	wx, ox := b.wx[:8], b.ox[:8]
	term := func(k int) float32 { return float32(float32(wy*wx[k]) * g[ox[k]]) }
	n := len(b.wx) - 4
	wl, ol := b.wx[n:n+4], b.ox[n:n+4]
	last := func(k int) float32 { return float32(float32(wy*wl[k]) * g[ol[k]]) }
	w := len(dst)
	c0, c1, cl := dst[0]+term(0), dst[1]+term(3), dst[w-1]+last(0)
	c0, c1, cl = c0+term(1), c1+term(4), cl+last(1)
	c0, c1, cl = c0+term(2), c1+term(5), cl+last(2)
	c1, cl = c1+term(6), cl+last(3)
	dst[0], dst[1], dst[w-1] = c0, c1+term(7), cl
}

// addEdgeRowGrads is addRowGrads for the bottom edge, where both vertical
// neighbours of the output row are the source row dst: it adds the terms
// of both weights, as the scatter does, an output pixel's terms of weight
// wy before its terms of weight wy2 (a column gets two terms from one
// output pixel, listed one after the other, only at the right edge).
func (b *bilinearColumns) addEdgeRowGrads(dst, g []float32, wy, wy2 float32) {
	for e := range dst {
		acc := dst[e]
		for k := b.start[e]; k < b.start[e+1]; {
			n := 1
			if k+1 < b.start[e+1] && b.ox[k+1] == b.ox[k] {
				n = 2
			}
			v := g[b.ox[k]]
			for _, wx := range b.wx[k : k+n] {
				acc += float32(float32(wy*wx) * v)
			}
			for _, wx := range b.wx[k : k+n] {
				acc += float32(float32(wy2*wx) * v)
			}
			k += n
		}
		dst[e] = acc
	}
}

func dims4(op string, x *Tensor) (n, c, h, w int) {
	if x.Rank() != 4 {
		panic(fmt.Sprintf("tensor.%s: shape %v is not N×C×H×W", op, x.shape))
	}
	return x.shape[0], x.shape[1], x.shape[2], x.shape[3]
}
