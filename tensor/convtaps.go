package tensor

import (
	"github.com/autogan-go/autogan/internal/buffer"
	"github.com/autogan-go/autogan/internal/gemm"
	"github.com/autogan-go/autogan/internal/parallel"
)

// The input gradient of a convolution whose stride equals its kernel size
// (and which has no padding) is the forward pass of the transposed
// convolution AutoGAN's "deconv" up-sampling uses (2×2 kernel, stride 2;
// the reference's nn.ConvTranspose2d(C, C, 2, 2)). Its windows do not
// overlap: each input pixel (oy·kh + ky, ox·kw + kx) receives exactly one
// value from each output channel o, through the filter tap (ky, kx):
//
//	dx[c][oy·kh+ky][ox·kw+kx] = Σ_o W[o][c][ky][kx] · dy[o][oy][ox]
//
// So each image needs one product, of the filters of all taps stacked
// (C·kh·kw rows (c, ky, kx), O columns) with its dy (O × OH·OW, read as it
// lies), and then a copy of each row of the product to the pixels of its
// tap. The general gather (col2im) computes the same sums with the
// products of the other kh·kw − 1 taps as zeros in between: it packs
// kh·kw times as much and multiplies kh·kw times as much.
//
// The two give the same bits, but for the sign of a zero in one corner.
// Every sum runs over o in the same order, and the zero terms of the
// gather change nothing: adding ±0 leaves every value but −0 unchanged,
// and an accumulator, which starts at +0, becomes −0 only when a product
// smaller than the smallest float32 (about 1e-45) is rounded to −0 (a sum
// of opposite zeros, or of x and −x, is +0 when rounding to nearest). Only
// then, with nothing but zero terms after it, could the two give zeros of
// opposite signs. (A filter holding an infinity or a NaN would differ too:
// the gather multiplies it by zero.) The gather's sums are also cut where
// its K blocks end, every gemm.KBlock values of (o, ky, kx), that is every
// KBlock/(kh·kw) output channels; the products here are cut at the same
// channels, and each part is added to the last (beta 1) as the blocks are.

// tapSeparable reports whether the input gradient of s can be computed by
// taps: stride equal to the kernel, no padding, an input that is exactly
// covered by the windows, and a kernel whose taps divide gemm.KBlock (so
// that the gather's K blocks end between output channels).
func (s convShape) tapSeparable() bool {
	taps := s.kh * s.kw
	return taps > 1 && s.sh == s.kh && s.sw == s.kw && s.ph == 0 && s.pw == 0 &&
		s.h == s.oh*s.kh && s.w == s.ow*s.kw && gemm.KBlock%taps == 0
}

// convBackwardInputByTaps computes the input gradient dx of s (N×C×H×W)
// from dy (N×O×OH×OW) and the weight w (O×C×KH×KW) of a tap-separable
// convolution.
func convBackwardInputByTaps(dy, w []float32, s convShape, dx []float32) {
	taps := s.kh * s.kw
	rows := s.c * taps // (c, ky, kx), the rows of w's transpose
	opix := s.oh * s.ow
	// The products for every image, output channel block after block.
	prod := buffer.Get(s.n * rows * opix)
	defer buffer.Put(prod)
	block := gemm.KBlock / taps
	for o0 := 0; o0 < s.o; o0 += block {
		k := min(block, s.o-o0)
		beta := float32(0)
		if o0 > 0 {
			beta = 1
		}
		// A[(c, ky, kx)][o] = W[o][c][ky][kx]: w's rows are the output
		// channels, so A is w transposed.
		pa := gemm.PackA(gemm.Dense{Data: w[o0*rows:], Stride: rows, Trans: true}, rows, k)
		probs := make([]gemm.Problem, s.n)
		for i := range probs {
			probs[i] = gemm.Problem{M: rows, N: opix, K: k, Alpha: 1, Beta: beta, PackedA: pa,
				B: gemm.Dense{Data: dy[(i*s.o+o0)*opix:], Stride: opix},
				C: prod[i*rows*opix : (i+1)*rows*opix], LDC: opix}
		}
		gemm.Run(probs...)
		pa.Release()
	}
	// Row (c, ky, kx) of image i goes to the pixels (oy·kh + ky, ox·kw + kx)
	// of channel c.
	parallel.For(s.n*s.c, max(1, (1<<14)/(taps*opix)), func(lo, hi int) {
		for pl := lo; pl < hi; pl++ {
			out := dx[pl*s.h*s.w : (pl+1)*s.h*s.w]
			for t := 0; t < taps; t++ {
				ky, kx := t/s.kw, t%s.kw
				src := prod[(pl*taps+t)*opix : (pl*taps+t+1)*opix]
				for oy := 0; oy < s.oh; oy++ {
					row := out[(oy*s.kh+ky)*s.w+kx:]
					for ox, v := range src[oy*s.ow : (oy+1)*s.ow] {
						row[ox*s.kw] = v
					}
				}
			}
		}
	})
}
