package autodiff

import (
	"fmt"
	"math"

	"github.com/autogan-go/autogan/tensor"
)

// BatchNormState is the non-trainable state of a batch normalisation: the
// running averages updated in training mode and used in eval mode.
type BatchNormState struct {
	RunningMean, RunningVar *tensor.Tensor
	Momentum, Eps           float32
	// NumBatchesTracked counts training-mode forward passes, as PyTorch's
	// buffer of that name.
	NumBatchesTracked int64
}

// BatchNorm2D normalises x (N×C×H×W) per channel and applies gamma and beta
// (both, or neither: affine=False), as torch.nn.BatchNorm2d. In training mode it uses the
// batch's mean and biased variance and updates the running averages with
//
//	running = (1 − momentum)·running + momentum·batch
//
// (the variance term unbiased by M/(M−1)); in eval mode it uses the running
// averages.
func (tp *Tape) BatchNorm2D(x, gamma, beta *Var, st *BatchNormState, train bool) *Var {
	return tp.batchNorm2D(x, gamma, beta, st, train, false)
}

// BatchNorm2DReLU is ReLU(BatchNorm2D(…)), the pre-activation blocks'
// norm → ReLU, in one pass over memory and with the same bits, values and
// gradients. The normalised values before the ReLU are not kept: the
// ReLU's gradient needs only where its output is positive.
func (tp *Tape) BatchNorm2DReLU(x, gamma, beta *Var, st *BatchNormState, train bool) *Var {
	return tp.batchNorm2D(x, gamma, beta, st, train, true)
}

func (tp *Tape) batchNorm2D(x, gamma, beta *Var, st *BatchNormState, train, relu bool) *Var {
	if (gamma == nil) != (beta == nil) {
		panic("autodiff.BatchNorm2D: gamma and beta must be both set or both nil")
	}
	var gv, bv *tensor.Tensor
	if gamma != nil {
		gv = gamma.Value
	}
	if beta != nil {
		bv = beta.Value
	}
	var y *tensor.Tensor
	var stats tensor.NormStats
	if train {
		y, stats = tensor.BatchNormTrain(x.Value, gv, bv, st.Eps, relu)
		if stats.Count < 2 {
			panic(fmt.Sprintf("autodiff.BatchNorm2D: training mode needs more than one value per channel, input %v", x.Value.Shape()))
		}
		m := st.Momentum
		rm, rv := st.RunningMean.Data(), st.RunningVar.Data()
		unbias := float64(stats.Count) / float64(stats.Count-1)
		for c := range rm {
			rm[c] = float32((1-m)*rm[c]) + float32(m*stats.Mean[c])
			rv[c] = float32((1-m)*rv[c]) + float32(m*float32(stats.Variance[c]*unbias))
		}
		st.NumBatchesTracked++
	} else {
		mean, variance := st.RunningMean.Data(), st.RunningVar.Data()
		y = tensor.BatchNormEval(x.Value, gv, bv, mean, variance, st.Eps, relu)
		stats = tensor.NormStats{Mean: append([]float32(nil), mean...), InvStd: make([]float32, len(mean))}
		for i, v := range variance {
			stats.InvStd[i] = float32(1 / math.Sqrt(float64(v)+float64(st.Eps))) // as tensor.BatchNormEval rounds it
		}
	}
	return tp.record(y, func(g *tensor.Tensor) {
		if relu {
			maskByPositive(g, y) // the ReLU's gradient: where its output is positive
		}
		tp.normBackward(g, x, gamma, beta, stats, train)
	}, nil, x, gamma, beta)
}

func (tp *Tape) normBackward(g *tensor.Tensor, x, gamma, beta *Var, stats tensor.NormStats, train bool) {
	var gv *tensor.Tensor
	if gamma != nil {
		gv = gamma.Value
	}
	dx, dgamma, dbeta := tensor.BatchNormBackward(g, x.Value, gv, stats, train)
	g.Release()
	if gamma != nil {
		give(gamma, dgamma)
		give(beta, dbeta)
	}
	give(x, dx)
}

// InstanceNorm2D normalises every channel of every image of x (N×C×H×W)
// with its own mean and biased variance, as torch.nn.InstanceNorm2d with
// its defaults (affine=False, no running statistics) in both training and
// eval mode. It is batch normalisation over a 1×(N·C)×H×W view, which is
// how PyTorch computes it.
func (tp *Tape) InstanceNorm2D(x *Var, eps float32) *Var { return tp.instanceNorm2D(x, eps, false) }

// InstanceNorm2DReLU is ReLU(InstanceNorm2D(x)) in one pass, as
// [Tape.BatchNorm2DReLU].
func (tp *Tape) InstanceNorm2DReLU(x *Var, eps float32) *Var { return tp.instanceNorm2D(x, eps, true) }

func (tp *Tape) instanceNorm2D(x *Var, eps float32, relu bool) *Var {
	s := x.Value.Shape()
	if len(s) != 4 {
		panic(fmt.Sprintf("autodiff.InstanceNorm2D: input %v is not N×C×H×W", s))
	}
	view := x.Value.Reshape(1, s[0]*s[1], s[2], s[3])
	y, stats := tensor.BatchNormTrain(view, nil, nil, eps, relu)
	y.SetShape(s...)
	return tp.record(y, func(g *tensor.Tensor) {
		if relu {
			maskByPositive(g, y)
		}
		g.SetShape(1, s[0]*s[1], s[2], s[3])
		dx, _, _ := tensor.BatchNormBackward(g, view, nil, stats, true)
		g.Release()
		dx.SetShape(s...)
		give(x, dx)
	}, nil, x)
}
