package tensor

import (
	"fmt"
	"math"

	"github.com/autogan-go/autogan/internal/parallel"
	"github.com/autogan-go/autogan/internal/vec"
)

// NormStats are the per-channel statistics of a batch-normalisation forward
// pass in training mode, kept for the backward pass and the running
// averages.
type NormStats struct {
	Mean     []float32 // batch mean per channel
	InvStd   []float32 // 1/√(biased variance + eps) per channel
	Variance []float64 // biased variance per channel
	Count    int       // values per channel (N·H·W)
}

// channelView describes x as C channels of N planes of `plane` values:
// channel c is the planes c, c+C, c+2C, … of the N·C planes.
func channelView(op string, x *Tensor) (n, c, plane int) {
	if x.Rank() < 2 {
		panic(fmt.Sprintf("tensor.%s: shape %v has no channel axis", op, x.shape))
	}
	n, c = x.shape[0], x.shape[1]
	plane = 1
	for _, d := range x.shape[2:] {
		plane *= d
	}
	return
}

// channelBlock is the number of channels whose sums a task takes: the
// eight chains vec's channel kernels run side by side.
const channelBlock = 8

// BatchNormTrain normalises x (N×C×…) with the mean and biased variance of
// each channel over the batch and spatial axes, then applies the affine
// gamma, beta (either may be nil), as torch.nn.BatchNorm2d in training mode.
// Sums accumulate in float64 (PyTorch accumulates in double on the CPU).
// InstanceNorm2d is this function applied to x reshaped to 1×(N·C)×H×W.
// With relu the result is clamped at zero in the same pass over memory
// (the pre-activation blocks' norm → ReLU), with the bits of ReLU applied
// after it.
func BatchNormTrain(x, gamma, beta *Tensor, eps float32, relu bool) (*Tensor, NormStats) {
	n, c, plane := channelView("BatchNormTrain", x)
	st := NormStats{Mean: make([]float32, c), InvStd: make([]float32, c), Variance: make([]float64, c), Count: n * plane}
	y := Empty(x.shape...)
	m := float64(n * plane)
	finish := func(ch int, mean, ss float64) {
		variance := ss / m
		st.Mean[ch] = float32(mean)
		st.Variance[ch] = variance
		st.InvStd[ch] = float32(1 / math.Sqrt(variance+float64(eps)))
		applyAffine(x, y, ch, n, c, plane, st.Mean[ch], st.InvStd[ch], gamma, beta, relu)
	}
	// Blocks of eight channels: the sums of each channel run over the
	// images in order, eight chains side by side in vec's kernels.
	parallel.For((c+channelBlock-1)/channelBlock, 1, func(lo, hi int) {
		var sums, squares, means [channelBlock]float64
		for b := lo; b < hi; b++ {
			ch0 := b * channelBlock
			k := min(channelBlock, c-ch0)
			s, ss, mean := sums[:k], squares[:k], means[:k]
			clear(s)
			clear(ss)
			for i := 0; i < n; i++ {
				off := (i*c + ch0) * plane
				vec.ChannelSums(s, x.data[off:off+k*plane], plane)
			}
			for q := range mean {
				mean[q] = s[q] / m
			}
			for i := 0; i < n; i++ {
				off := (i*c + ch0) * plane
				vec.ChannelSquares(ss, x.data[off:off+k*plane], plane, mean)
			}
			for q := range mean {
				finish(ch0+q, mean[q], ss[q])
			}
		}
	})
	return y, st
}

// applyAffine writes y = x·alpha + shift for channel ch, with
// alpha = invstd·gamma and shift = beta − mean·alpha, the form PyTorch's CPU
// kernel uses; with relu, max(0, y).
func applyAffine(x, y *Tensor, ch, n, c, plane int, mean, invstd float32, gamma, beta *Tensor, relu bool) {
	alpha := invstd
	if gamma != nil {
		alpha = invstd * gamma.data[ch]
	}
	shift := -float32(mean * alpha)
	if beta != nil {
		shift = beta.data[ch] - float32(mean*alpha)
	}
	for i := 0; i < n; i++ {
		off := (i*c + ch) * plane
		vec.ScaleShift(y.data[off:off+plane], x.data[off:off+plane], alpha, shift, relu)
	}
}

// BatchNormEval normalises x with fixed statistics (the running averages),
// as torch.nn.BatchNorm2d in eval mode; with relu, clamped at zero in the
// same pass.
func BatchNormEval(x, gamma, beta *Tensor, mean, variance []float32, eps float32, relu bool) *Tensor {
	n, c, plane := channelView("BatchNormEval", x)
	if len(mean) != c || len(variance) != c {
		panic(fmt.Sprintf("tensor.BatchNormEval: %d means and %d variances for %d channels", len(mean), len(variance), c))
	}
	y := Empty(x.shape...)
	parallel.For(c, 1, func(lo, hi int) {
		for ch := lo; ch < hi; ch++ {
			invstd := float32(1 / math.Sqrt(float64(variance[ch])+float64(eps)))
			applyAffine(x, y, ch, n, c, plane, mean[ch], invstd, gamma, beta, relu)
		}
	})
	return y
}

// BatchNormBackward returns the gradients of BatchNormTrain (or, with
// train false, of BatchNormEval with st holding the fixed mean and inverse
// standard deviation) with respect to x, gamma and beta. dgamma and dbeta
// are nil when gamma is nil. It follows PyTorch's CPU formulas:
//
//	dotp = Σ (x − mean)·dy,  sum = Σ dy          (per channel, float64)
//	train: dx = (dy − sum/M − (x − mean)·dotp·invstd²/M)·invstd·gamma
//	eval:  dx = dy·invstd·gamma
//	dgamma = dotp·invstd,  dbeta = sum
func BatchNormBackward(dy, x, gamma *Tensor, st NormStats, train bool) (dx, dgamma, dbeta *Tensor) {
	n, c, plane := channelView("BatchNormBackward", x)
	if !dy.SameShape(x) || len(st.Mean) != c {
		panic(fmt.Sprintf("tensor.BatchNormBackward: gradient %v for input %v", dy.shape, x.shape))
	}
	dx = Empty(x.shape...)
	if gamma != nil {
		dgamma, dbeta = Empty(c), Empty(c)
	}
	m := float64(n * plane)
	finish := func(ch int, dotp, sum float64) {
		mean, invstd := st.Mean[ch], st.InvStd[ch]
		w := float32(1)
		if gamma != nil {
			w = gamma.data[ch]
			dgamma.data[ch] = float32(dotp * float64(invstd))
			dbeta.data[ch] = float32(sum)
		}
		if !train {
			scale := invstd * w
			for i := 0; i < n; i++ {
				off := (i*c + ch) * plane
				for j, g := range dy.data[off : off+plane] {
					dx.data[off+j] = g * scale
				}
			}
			return
		}
		k := float32(dotp * float64(invstd) * float64(invstd) / m)
		gradMean := float32(sum / m)
		scale := invstd * w
		for i := 0; i < n; i++ {
			// ((g − gradMean) − (x − mean)·k)·scale
			off := (i*c + ch) * plane
			vec.NormGrad(dx.data[off:off+plane], dy.data[off:off+plane], x.data[off:off+plane], mean, k, gradMean, scale)
		}
	}
	parallel.For((c+channelBlock-1)/channelBlock, 1, func(lo, hi int) {
		var sums, dots [channelBlock]float64
		for b := lo; b < hi; b++ {
			ch0 := b * channelBlock
			k := min(channelBlock, c-ch0)
			sum, dotp := sums[:k], dots[:k]
			clear(sum)
			clear(dotp)
			for i := 0; i < n; i++ {
				off := (i*c + ch0) * plane
				vec.ChannelDots(sum, dotp, x.data[off:off+k*plane], dy.data[off:off+k*plane], plane, st.Mean[ch0:ch0+k])
			}
			for q := range sum {
				finish(ch0+q, dotp[q], sum[q])
			}
		}
	})
	return dx, dgamma, dbeta
}
