package tensor

import (
	"fmt"
	"slices"
	"sync"

	"github.com/autogan-go/autogan/internal/buffer"
	"github.com/autogan-go/autogan/internal/gemm"
	"github.com/autogan-go/autogan/internal/parallel"
)

// Conv2DConfig is the geometry of a 2-D convolution (dilation 1, no groups).
// Zero strides mean 1. Padding is zeros, separately per axis.
type Conv2DConfig struct {
	StrideH, StrideW int
	PadH, PadW       int
}

func (c Conv2DConfig) strides() (int, int) { return max(c.StrideH, 1), max(c.StrideW, 1) }

// convShape describes one convolution: input C×H×W, kernel O×C×KH×KW,
// output O×OH×OW, for a batch of N images.
type convShape struct {
	n, c, h, w     int
	o, kh, kw      int
	sh, sw, ph, pw int
	oh, ow         int
}

// OutSize returns the output height and width of a convolution with a
// kh×kw kernel applied to an h×w input: ⌊(h + 2·pad − k)/stride⌋ + 1.
func (c Conv2DConfig) OutSize(h, w, kh, kw int) (oh, ow int) {
	sh, sw := c.strides()
	return (h+2*c.PadH-kh)/sh + 1, (w+2*c.PadW-kw)/sw + 1
}

func newConvShape(op string, x, w *Tensor, cfg Conv2DConfig) convShape {
	if x.Rank() != 4 || w.Rank() != 4 || x.shape[1] != w.shape[1] {
		panic(fmt.Sprintf("tensor.%s: input %v and weight %v (want N×C×H×W and O×C×KH×KW)", op, x.shape, w.shape))
	}
	s := convShape{n: x.shape[0], c: x.shape[1], h: x.shape[2], w: x.shape[3],
		o: w.shape[0], kh: w.shape[2], kw: w.shape[3], ph: cfg.PadH, pw: cfg.PadW}
	s.sh, s.sw = cfg.strides()
	s.oh, s.ow = cfg.OutSize(s.h, s.w, s.kh, s.kw)
	if s.oh <= 0 || s.ow <= 0 || cfg.PadH < 0 || cfg.PadW < 0 {
		panic(fmt.Sprintf("tensor.%s: input %v, kernel %v and %+v give no output", op, x.shape, w.shape, cfg))
	}
	return s
}

func (s convShape) pointwise() bool {
	return s.kh == 1 && s.kw == 1 && s.sh == 1 && s.sw == 1 && s.ph == 0 && s.pw == 0
}

// Conv2D returns the cross-correlation of x (N×C×H×W) with w (O×C×KH×KW)
// plus bias (length O, may be nil), as torch.nn.functional.conv2d. With
// relu the result is clamped at zero in the same pass over memory.
//
// 3×3 stride-1 convolutions with enough channels run the Winograd
// algorithm (see winograd.go and [Policy]). The others are direct: each image
// is one matrix product Y = W·col(x) in which col(x) (the im2col matrix) is
// never built: its blocks are gathered from x while they are packed for the
// micro-kernel. W is packed once for the whole batch.
func Conv2D(x, w, bias *Tensor, cfg Conv2DConfig, relu bool) *Tensor {
	s := newConvShape("Conv2D", x, w, cfg)
	if s.useWinograd(passForward) {
		checkConvBias(s, bias)
		ua := winoWeights(w.data, s.o, s.c, false)
		out := Empty(s.n, s.o, s.oh, s.ow)
		winoConv(x.data, newWinoGeom(s), ua, biasData(bias), relu, out.data, s.o, 0)
		ua.Release()
		return out
	}
	pw := PackConvWeight(w)
	y := Conv2DInto(x, pw, bias, cfg, relu, nil, 0)
	pw.Release()
	return y
}

func checkConvBias(s convShape, bias *Tensor) {
	if bias != nil && bias.Len() != s.o {
		panic(fmt.Sprintf("tensor.Conv2D: bias %v for %d output channels", bias.shape, s.o))
	}
}

func biasData(bias *Tensor) []float32 {
	if bias == nil {
		return nil
	}
	return bias.data
}

// ConvWeight is a convolution weight packed for the matrix multiplication
// kernels. Inference packs its weights a single time and reuses them for
// every batch. The packing for the direct algorithm is made at once; the
// one for Winograd (3×3 filters only) when a convolution first needs it.
type ConvWeight struct {
	shape  []int // O×C×KH×KW
	packed *gemm.PackedA
	w      []float32 // a copy of a 3×3 weight, for its Winograd packing

	mu   sync.Mutex
	wino *gemm.PackedA
}

// PackConvWeight packs w (O×C×KH×KW) for Conv2DInto.
func PackConvWeight(w *Tensor) *ConvWeight {
	if w.Rank() != 4 {
		panic(fmt.Sprintf("tensor.PackConvWeight: weight %v is not O×C×KH×KW", w.shape))
	}
	k := w.shape[1] * w.shape[2] * w.shape[3]
	cw := &ConvWeight{shape: w.Shape(), packed: gemm.PackA(gemm.Dense{Data: w.data, Stride: k}, w.shape[0], k)}
	if w.shape[2] == 3 && w.shape[3] == 3 {
		cw.w = slices.Clone(w.data)
	}
	return cw
}

// winograd returns the Winograd packing of the weight, making it on first use.
func (cw *ConvWeight) winograd() *gemm.PackedA {
	cw.mu.Lock()
	defer cw.mu.Unlock()
	if cw.wino == nil {
		cw.wino = winoWeights(cw.w, cw.shape[0], cw.shape[1], false)
	}
	return cw.wino
}

// Shape returns the weight's shape.
func (cw *ConvWeight) Shape() []int { return append([]int(nil), cw.shape...) }

// Release returns the packed values to the buffer cache; cw must not be
// used afterwards.
func (cw *ConvWeight) Release() {
	cw.packed.Release()
	if cw.wino != nil {
		cw.wino.Release()
	}
}

// Conv2DInto computes Conv2D with a packed weight. With out nil it returns
// a new N×O×OH×OW tensor; otherwise it writes the O output channels into
// channels [chanOffset, chanOffset+O) of out (N×C'×OH×OW) and returns out,
// which lets the branches of an Inception block write straight into their
// concatenation.
func Conv2DInto(x *Tensor, w *ConvWeight, bias *Tensor, cfg Conv2DConfig, relu bool, out *Tensor, chanOffset int) *Tensor {
	s := newConvShape("Conv2D", x, &Tensor{shape: w.shape}, cfg)
	checkConvBias(s, bias)
	if out == nil {
		out, chanOffset = Empty(s.n, s.o, s.oh, s.ow), 0
	} else if out.Rank() != 4 || out.shape[0] != s.n || out.shape[2] != s.oh || out.shape[3] != s.ow ||
		chanOffset < 0 || chanOffset+s.o > out.shape[1] {
		panic(fmt.Sprintf("tensor.Conv2DInto: %d channels of %d×%d at offset %d into %v", s.o, s.oh, s.ow, chanOffset, out.shape))
	}
	if s.useWinograd(passForward) {
		winoConv(x.data, newWinoGeom(s), w.winograd(), biasData(bias), relu, out.data, out.shape[1], chanOffset)
		return out
	}
	k := s.c * s.kh * s.kw
	b := biasData(bias)
	plane := s.oh * s.ow
	total := out.shape[1] * plane
	probs := make([]gemm.Problem, s.n)
	for i := range probs {
		xi := x.data[i*s.c*s.h*s.w : (i+1)*s.c*s.h*s.w]
		var src gemm.BSource = im2col{s, xi}
		if s.pointwise() {
			src = gemm.Dense{Data: xi, Stride: s.h * s.w}
		}
		probs[i] = gemm.Problem{M: s.o, N: plane, K: k, Alpha: 1, PackedA: w.packed, B: src,
			C: out.data[i*total+chanOffset*plane : i*total+(chanOffset+s.o)*plane], LDC: plane, Bias: b, ReLU: relu}
	}
	gemm.Run(probs...)
	return out
}

// Conv2DBackwardInput returns the gradient of Conv2D with respect to its
// input of shape inShape, given dy (N×O×OH×OW) and the weight w.
//
// It is computed as a gather, dx = Wᵀ·cols(dy), where column (ci, iy, ix)
// collects the dy values whose receptive field covers input pixel
// (iy, ix): every input pixel sums its contributions in one fixed order and
// no two goroutines write the same element. The same operation is the
// forward pass of a transposed convolution. When the stride equals the
// kernel (the 2×2, stride-2 transposed convolution of the deconv
// up-sampling) no windows overlap, and the gather is skipped for a
// product per image with the same bits (but for a corner that
// convtaps.go describes).
func Conv2DBackwardInput(dy, w *Tensor, inShape []int, cfg Conv2DConfig) *Tensor {
	if len(inShape) != 4 {
		panic(fmt.Sprintf("tensor.Conv2DBackwardInput: input shape %v", inShape))
	}
	s := newConvShape("Conv2DBackwardInput", &Tensor{shape: inShape}, w, cfg)
	if dy.Rank() != 4 || dy.shape[0] != s.n || dy.shape[1] != s.o || dy.shape[2] != s.oh || dy.shape[3] != s.ow {
		panic(fmt.Sprintf("tensor.Conv2DBackwardInput: gradient %v for output %v", dy.shape, []int{s.n, s.o, s.oh, s.ow}))
	}
	dx := Empty(inShape...)
	if s.useWinograd(passInputGrad) {
		gs := s.inputGradient()
		ua := winoWeights(w.data, gs.o, gs.c, true)
		winoConv(dy.data, newWinoGeom(gs), ua, nil, false, dx.data, gs.o, 0)
		ua.Release()
		return dx
	}
	if s.tapSeparable() {
		convBackwardInputByTaps(dy.data, w.data, s, dx.data)
	} else {
		convBackwardInputGather(dy.data, w, s, dx.data)
	}
	return dx
}

// convBackwardInputGather computes the input gradient dx of s from dy as
// one product per image with the gather matrix col2im of its dy.
func convBackwardInputGather(dy []float32, w *Tensor, s convShape, dx []float32) {
	// A[ci][(co,ky,kx)] = W[co][ci][ky][kx]: the weight with its first two axes swapped.
	wt := Permute(w.Reshape(s.o, s.c, s.kh*s.kw), 1, 0, 2)
	k := s.o * s.kh * s.kw
	pa := gemm.PackA(gemm.Dense{Data: wt.data, Stride: k}, s.c, k)
	defer pa.Release()
	wt.Release()
	probs := make([]gemm.Problem, s.n)
	plane := s.h * s.w
	for i := range probs {
		dyi := dy[i*s.o*s.oh*s.ow : (i+1)*s.o*s.oh*s.ow]
		var src gemm.BSource = col2im{s, dyi}
		if s.pointwise() {
			src = gemm.Dense{Data: dyi, Stride: plane}
		}
		probs[i] = gemm.Problem{M: s.c, N: plane, K: k, Alpha: 1, PackedA: pa, B: src,
			C: dx[i*s.c*plane : (i+1)*s.c*plane], LDC: plane}
	}
	gemm.Run(probs...)
}

// Conv2DBackwardWeight returns the gradient of Conv2D with respect to a
// weight of shape wShape (O×C×KH×KW), given the input x and dy. With acc
// non-nil the gradient is added to acc (which is returned) instead of a new
// tensor, the way PyTorch accumulates .grad.
//
// It is one matrix product dW = dy·colᵀ whose inner dimension runs over
// every (image, output pixel) pair in order, so the sum over the batch has a
// fixed order whatever the number of workers.
func Conv2DBackwardWeight(dy, x *Tensor, wShape []int, cfg Conv2DConfig, acc *Tensor) *Tensor {
	if len(wShape) != 4 {
		panic(fmt.Sprintf("tensor.Conv2DBackwardWeight: weight shape %v", wShape))
	}
	s := newConvShape("Conv2DBackwardWeight", x, &Tensor{shape: wShape}, cfg)
	if dy.Rank() != 4 || dy.shape[0] != s.n || dy.shape[1] != s.o || dy.shape[2] != s.oh || dy.shape[3] != s.ow {
		panic(fmt.Sprintf("tensor.Conv2DBackwardWeight: gradient %v for output %v", dy.shape, []int{s.n, s.o, s.oh, s.ow}))
	}
	beta := float32(1)
	if acc == nil {
		acc, beta = Empty(wShape...), 0
	} else if !slices.Equal(acc.shape, wShape) {
		panic(fmt.Sprintf("tensor.Conv2DBackwardWeight: accumulator %v for weight %v", acc.shape, wShape))
	}
	if s.useWinograd(passWeightGrad) {
		winoBackwardWeight(dy.data, x.data, newWinoGeom(s), acc.data, beta != 0)
		return acc
	}
	k := s.c * s.kh * s.kw
	src := im2colT{s, x.data}
	if s.sw == 1 && (s.ph > 0 || s.pw > 0) {
		// Pad x once so that every gathered run lies inside it (see
		// im2colT.PackB); the packed values are the same.
		src.s.h, src.s.w, src.s.ph, src.s.pw = s.h+2*s.ph, s.w+2*s.pw, 0, 0
		src.x = padPlanes(x.data, s.n*s.c, s.h, s.w, s.ph, s.pw)
		defer buffer.Put(src.x)
	}
	gemm.Run(gemm.Problem{M: s.o, N: k, K: s.n * s.oh * s.ow, Alpha: 1, Beta: beta,
		A: batchRows{dy.data, s.n, s.o, s.oh * s.ow}, B: src, C: acc.data, LDC: k})
	return acc
}

// im2col is the K×N matrix col(x) of one image: row (ci, ky, kx), column
// (oy, ox) holds x[ci][oy·sh − ph + ky][ox·sw − pw + kx], or 0 in the padding.
type im2col struct {
	s convShape
	x []float32 // one image, C×H×W
}

// segment is a piece of one output row that lands contiguously in one
// sliver of a packed block: columns ox … ox+n−1 of output row oy go to
// positions off … off+n−1 of sliver sl.
type segment struct {
	sl, off, oy, ox, n int
}

// planSegments cuts the columns [j0, j0+nc) of a matrix whose columns are
// the pixels of an oh×ow image into segments. The plan depends only on the
// block, not on the K row, so PackB computes it once per block.
func planSegments(j0, nc, nr, ow int) []segment {
	var segs []segment
	for j := j0; j < j0+nc; {
		oy, ox := j/ow, j%ow
		sl, off := (j-j0)/nr, (j-j0)%nr
		n := min(ow-ox, nr-off, j0+nc-j)
		segs = append(segs, segment{sl, off, oy, ox, n})
		j += n
	}
	return segs
}

// PackB implements gemm.BSource. Slivers are filled one after another,
// each sequentially row by row, which keeps the writes local.
func (m im2col) PackB(dst []float32, nr, k0, kc, j0, nc int) {
	s := m.s
	segs := planSegments(j0, nc, nr, s.ow)
	for first := 0; first < len(segs); {
		sl := segs[first].sl
		last := first
		for last < len(segs) && segs[last].sl == sl {
			last++
		}
		valid := segs[last-1].off + segs[last-1].n
		block := dst[sl*kc*nr : (sl+1)*kc*nr]
		if s.sw == 1 {
			for _, g := range segs[first:last] {
				m.packRun(block, nr, k0, kc, g)
			}
			if valid < nr {
				for p := 0; p < kc; p++ {
					clear(block[p*nr+valid : (p+1)*nr])
				}
			}
			first = last
			continue
		}
		kx, ky, ci := k0%s.kw, (k0/s.kw)%s.kh, k0/(s.kw*s.kh)
		for p := 0; p < kc; p++ {
			plane := m.x[ci*s.h*s.w : (ci+1)*s.h*s.w]
			rowOut := block[p*nr : (p+1)*nr]
			for _, g := range segs[first:last] {
				out := rowOut[g.off : g.off+g.n]
				iy := g.oy*s.sh - s.ph + ky
				if iy < 0 || iy >= s.h {
					clear(out)
					continue
				}
				row := plane[iy*s.w : (iy+1)*s.w]
				ix := g.ox*s.sw - s.pw + kx
				if s.sw == 1 && ix >= 0 && ix+g.n <= s.w {
					// The common case: no padding involved.
					copyRow(out, row[ix:ix+g.n])
					continue
				}
				gatherRow(out, row, ix, s.sw)
			}
			for i := valid; i < nr; i++ {
				rowOut[i] = 0
			}
			// Next K row: advance (ci, ky, kx) without dividing.
			if kx++; kx == s.kw {
				kx = 0
				if ky++; ky == s.kh {
					ky = 0
					ci++
				}
			}
		}
		first = last
	}
}

// packRun packs the column band of a sliver that segment g covers (stride
// 1): every sliver row of the band is a run of an image row, copied in
// batches with gemm.CopyRuns, except the rows that reach into the padding.
func (m im2col) packRun(block []float32, nr, k0, kc int, g segment) {
	s := m.s
	var offs [64]int
	n, start := 0, 0
	flush := func() {
		if n > 0 {
			gemm.CopyRuns(block[start*nr+g.off:], nr, g.n, m.x, offs[:n])
			n = 0
		}
	}
	kx, ky, ci := k0%s.kw, (k0/s.kw)%s.kh, k0/(s.kw*s.kh)
	for p := 0; p < kc; p++ {
		iy := g.oy*s.sh - s.ph + ky
		ix := g.ox - s.pw + kx
		if iy >= 0 && iy < s.h && ix >= 0 && ix+g.n <= s.w {
			if n == 0 {
				start = p
			}
			offs[n] = (ci*s.h+iy)*s.w + ix
			if n++; n == len(offs) {
				flush()
			}
		} else {
			flush()
			out := block[p*nr+g.off : p*nr+g.off+g.n]
			if iy < 0 || iy >= s.h {
				clear(out)
			} else {
				gatherRow(out, m.x[(ci*s.h+iy)*s.w:(ci*s.h+iy+1)*s.w], ix, 1)
			}
		}
		if kx++; kx == s.kw {
			kx = 0
			if ky++; ky == s.kh {
				ky = 0
				ci++
			}
		}
	}
	flush()
}

// gatherRow sets seg[t] = row[ix0 + t·stride], or 0 where that index falls
// outside the row (zero padding).
func gatherRow(seg, row []float32, ix0, stride int) {
	if stride == 1 {
		n := len(seg)
		a, b := 0, n
		if ix0 < 0 {
			a = min(-ix0, n)
		}
		if ix0+n > len(row) {
			b = max(len(row)-ix0, a)
		}
		for i := 0; i < a; i++ {
			seg[i] = 0
		}
		if b > a {
			copyRow(seg[a:b], row[ix0+a:ix0+b])
		}
		for i := b; i < n; i++ {
			seg[i] = 0
		}
		return
	}
	for t := range seg {
		if ix := ix0 + t*stride; ix >= 0 && ix < len(row) {
			seg[t] = row[ix]
		} else {
			seg[t] = 0
		}
	}
}

// col2im is the K×N gather matrix of the input gradient of one image: row
// (co, ky, kx), column (iy, ix) holds dy[co][oy][ox] for the output pixel
// with oy·sh − ph + ky = iy and ox·sw − pw + kx = ix, or 0 when there is none.
type col2im struct {
	s  convShape
	dy []float32 // one image, O×OH×OW
}

// PackB implements gemm.BSource.
func (m col2im) PackB(dst []float32, nr, k0, kc, j0, nc int) {
	s := m.s
	segs := planSegments(j0, nc, nr, s.w) // columns are input pixels
	slivers := (nc + nr - 1) / nr
	tail := nc - (slivers-1)*nr
	for p := 0; p < kc; p++ {
		k := k0 + p
		kx, ky, co := k%s.kw, (k/s.kw)%s.kh, k/(s.kw*s.kh)
		plane := m.dy[co*s.oh*s.ow : (co+1)*s.oh*s.ow]
		for _, g := range segs {
			out := dst[(g.sl*kc+p)*nr+g.off : (g.sl*kc+p)*nr+g.off+g.n]
			ty := g.oy + s.ph - ky // = oy·sh for the output row that reads input row g.oy
			if ty < 0 || ty%s.sh != 0 || ty/s.sh >= s.oh {
				clear(out)
				continue
			}
			row := plane[(ty/s.sh)*s.ow : (ty/s.sh+1)*s.ow]
			tx := g.ox + s.pw - kx
			if s.sw == 1 {
				if tx >= 0 && tx+g.n <= s.ow {
					copyRow(out, row[tx:tx+g.n])
				} else {
					gatherRow(out, row, tx, 1)
				}
				continue
			}
			for t := range out {
				if x := tx + t; x >= 0 && x%s.sw == 0 && x/s.sw < s.ow {
					out[t] = row[x/s.sw]
				} else {
					out[t] = 0
				}
			}
		}
		if tail < nr {
			clear(dst[((slivers-1)*kc+p)*nr+tail : ((slivers-1)*kc+p+1)*nr])
		}
	}
}

// im2colT is the transpose of im2col for a whole batch: row (n, oy, ox),
// column (ci, ky, kx). It is the right operand of the weight gradient.
type im2colT struct {
	s convShape
	x []float32 // the batch, N×C×H×W
}

// PackB implements gemm.BSource. The block is a transposition: runs of
// output pixels along a row are contiguous in x but land nr floats apart
// in dst. The loops visit one run at a time for every column of the
// sliver, so the dst rows being written (run·nr floats) stay in L1.
func (m im2colT) PackB(dst []float32, nr, k0, kc, j0, nc int) {
	s := m.s
	if s.sw == 1 && s.ph == 0 && s.pw == 0 {
		m.packUnpadded(dst, nr, k0, kc, j0, nc)
		return
	}
	opix := s.oh * s.ow
	// (ci, ky, kx) of the sliver's columns, decoded once.
	dec := make([]int, 3*nr)
	cis, kys, kxs := dec[:nr], dec[nr:2*nr], dec[2*nr:]
	for sl := 0; sl*nr < nc; sl++ {
		out := dst[sl*kc*nr : (sl+1)*kc*nr]
		cols := min(nr, nc-sl*nr)
		for jj := 0; jj < cols; jj++ {
			j := j0 + sl*nr + jj
			kxs[jj], kys[jj], cis[jj] = j%s.kw, (j/s.kw)%s.kh, j/(s.kw*s.kh)
		}
		for p := 0; p < kc; {
			k := k0 + p
			n, pix := k/opix, k%opix
			oy, ox := pix/s.ow, pix%s.ow
			run := min(s.ow-ox, kc-p)
			blk := out[p*nr : (p+run)*nr]
			for jj := 0; jj < cols; jj++ {
				iy := oy*s.sh - s.ph + kys[jj]
				if iy < 0 || iy >= s.h {
					for t := 0; t < run; t++ {
						blk[t*nr+jj] = 0
					}
					continue
				}
				row := m.x[((n*s.c+cis[jj])*s.h+iy)*s.w : ((n*s.c+cis[jj])*s.h+iy+1)*s.w]
				ix := ox*s.sw - s.pw + kxs[jj]
				if s.sw == 1 && ix >= 0 && ix+run <= s.w {
					for t, v := range row[ix : ix+run] {
						blk[t*nr+jj] = v
					}
					continue
				}
				for t := 0; t < run; t++ {
					v := float32(0)
					if ix >= 0 && ix < s.w {
						v = row[ix]
					}
					blk[t*nr+jj] = v
					ix += s.sw
				}
			}
			if cols < nr {
				for t := 0; t < run; t++ {
					clear(blk[t*nr+cols : (t+1)*nr])
				}
			}
			p += run
		}
	}
}

// packUnpadded is PackB for stride 1 and no padding: every run of output
// pixels along a row reads a run of x inside the image for every column,
// so a block of the sliver is the transposition of nr such runs.
func (m im2colT) packUnpadded(dst []float32, nr, k0, kc, j0, nc int) {
	s := m.s
	opix := s.oh * s.ow
	var buf [64]int
	base, offs := buf[:nr], buf[nr:2*nr]
	for sl := 0; sl*nr < nc; sl++ {
		out := dst[sl*kc*nr : (sl+1)*kc*nr]
		cols := min(nr, nc-sl*nr)
		for jj := 0; jj < cols; jj++ {
			j := j0 + sl*nr + jj
			kx, ky, ci := j%s.kw, (j/s.kw)%s.kh, j/(s.kw*s.kh)
			base[jj] = (ci*s.h+ky)*s.w + kx
		}
		for p := 0; p < kc; {
			k := k0 + p
			n, pix := k/opix, k%opix
			oy, ox := pix/s.ow, pix%s.ow
			run := min(s.ow-ox, kc-p)
			shift := (n*s.c*s.h+oy*s.sh)*s.w + ox
			for jj := 0; jj < cols; jj++ {
				offs[jj] = base[jj] + shift
			}
			gemm.Transpose(out[p*nr:], nr, m.x, offs[:cols], run)
			if cols < nr {
				for t := 0; t < run; t++ {
					clear(out[(p+t)*nr+cols : (p+t+1)*nr])
				}
			}
			p += run
		}
	}
}

// padPlanes returns planes (count planes of h×w) padded with ph rows and
// pw columns of zeros on each side, in a buffer from the cache.
func padPlanes(x []float32, count, h, w, ph, pw int) []float32 {
	hp, wp := h+2*ph, w+2*pw
	buf := buffer.Get(count * hp * wp)
	parallel.For(count, max(1, (1<<14)/(hp*wp)), func(lo, hi int) {
		for pl := lo; pl < hi; pl++ {
			dst, src := buf[pl*hp*wp:(pl+1)*hp*wp], x[pl*h*w:(pl+1)*h*w]
			clear(dst[:ph*wp])
			for iy := 0; iy < h; iy++ {
				row := dst[(ph+iy)*wp : (ph+iy+1)*wp]
				clear(row[:pw])
				copyRow(row[pw:pw+w], src[iy*w:(iy+1)*w])
				clear(row[pw+w:])
			}
			clear(dst[(ph+h)*wp:])
		}
	})
	return buf
}

// batchRows is the M×K matrix whose row m concatenates row m of every image
// of a batch stored N×M×L: element (m, (n, l)) = data[(n·M+m)·L + l].
type batchRows struct {
	data    []float32
	n, m, l int
}

// PackA implements gemm.ASource.
func (b batchRows) PackA(dst []float32, mr, i0, mc, k0, kc int) {
	for sl := 0; sl*mr < mc; sl++ {
		out := dst[sl*kc*mr : (sl+1)*kc*mr]
		rows := min(mr, mc-sl*mr)
		r0 := i0 + sl*mr
		for p := 0; p < kc; {
			n, l := (k0+p)/b.l, (k0+p)%b.l
			run := min(b.l-l, kc-p)
			// Rows r0… of image n, columns l … l+run−1, transposed (with
			// the AVX2 kernels of gemm.Transpose where available: the
			// value-by-value loop cost 2% of a generator step).
			var offs [32]int // mr ≤ 32
			for i := 0; i < rows; i++ {
				offs[i] = (n*b.m+r0+i)*b.l + l
			}
			gemm.Transpose(out[p*mr:], mr, b.data, offs[:rows], run)
			if rows < mr {
				for t := 0; t < run; t++ {
					clear(out[(p+t)*mr+rows : (p+t)*mr+mr])
				}
			}
			p += run
		}
	}
}
