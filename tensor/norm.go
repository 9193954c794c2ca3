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
	parallel.For(c, 4, func(lo, hi int) {
		// Four channels side by side: each sum is still one chain of
		// additions in the same order (the same bits as one channel at a
		// time), and the four chains overlap their latencies (one chain
		// waited for each addition). A chunk with fewer channels repeats
		// its last one in the spare chains and keeps one.
		for ch0 := lo; ch0 < hi; ch0 += 4 {
			ch := [4]int{ch0, min(ch0+1, hi-1), min(ch0+2, hi-1), min(ch0+3, hi-1)}
			var s0, s1, s2, s3 float64
			for i := 0; i < n; i++ {
				a0, a1, a2, a3 := x.data[(i*c+ch[0])*plane:(i*c+ch[0]+1)*plane], x.data[(i*c+ch[1])*plane:(i*c+ch[1]+1)*plane], x.data[(i*c+ch[2])*plane:(i*c+ch[2]+1)*plane], x.data[(i*c+ch[3])*plane:(i*c+ch[3]+1)*plane]
				for j, v := range a0 {
					s0 += float64(v)
					s1 += float64(a1[j])
					s2 += float64(a2[j])
					s3 += float64(a3[j])
				}
			}
			mean := [4]float64{s0 / m, s1 / m, s2 / m, s3 / m}
			var ss0, ss1, ss2, ss3 float64
			for i := 0; i < n; i++ {
				a0, a1, a2, a3 := x.data[(i*c+ch[0])*plane:(i*c+ch[0]+1)*plane], x.data[(i*c+ch[1])*plane:(i*c+ch[1]+1)*plane], x.data[(i*c+ch[2])*plane:(i*c+ch[2]+1)*plane], x.data[(i*c+ch[3])*plane:(i*c+ch[3]+1)*plane]
				for j, v := range a0 {
					d0, d1, d2, d3 := float64(v)-mean[0], float64(a1[j])-mean[1], float64(a2[j])-mean[2], float64(a3[j])-mean[3]
					ss0 += float64(d0 * d0) // float64(…): never fused into an FMA
					ss1 += float64(d1 * d1)
					ss2 += float64(d2 * d2)
					ss3 += float64(d3 * d3)
				}
			}
			for k, ss := range [4]float64{ss0, ss1, ss2, ss3} {
				if ch0+k < hi {
					finish(ch[k], mean[k], ss)
				}
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
	parallel.For(c, 2, func(lo, hi int) {
		// Two channels side by side: each of the four sums is still one
		// chain of additions in the same order (the same bits as one
		// channel at a time), and the chains overlap their latencies. A
		// chunk with one channel runs it in both and keeps one.
		for ch0 := lo; ch0 < hi; ch0 += 2 {
			ch1 := min(ch0+1, hi-1)
			mean0, mean1 := st.Mean[ch0], st.Mean[ch1]
			var dotp0, sum0, dotp1, sum1 float64
			for i := 0; i < n; i++ {
				off0, off1 := (i*c+ch0)*plane, (i*c+ch1)*plane
				xs0, gs0 := x.data[off0:off0+plane], dy.data[off0:off0+plane]
				xs1, gs1 := x.data[off1:off1+plane], dy.data[off1:off1+plane]
				for j, g := range gs0 {
					sum0 += float64(g)
					dotp0 += float64(float64(xs0[j]-mean0) * float64(g))
					g1 := gs1[j]
					sum1 += float64(g1)
					dotp1 += float64(float64(xs1[j]-mean1) * float64(g1))
				}
			}
			finish(ch0, dotp0, sum0)
			if ch1 != ch0 {
				finish(ch1, dotp1, sum1)
			}
		}
	})
	return dx, dgamma, dbeta
}
