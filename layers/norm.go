package layers

import (
	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/tensor"
)

// BatchNorm2d is torch.nn.BatchNorm2d with affine parameters and running
// statistics: weight (γ) 1 and bias (β) 0 at construction, running mean 0,
// running variance 1, momentum 0.1, eps 1e-5 unless set otherwise.
type BatchNorm2d struct {
	Weight, Bias *autodiff.Var
	Stats        autodiff.BatchNormState
	Training     bool
}

// NewBatchNorm2d returns a batch normalisation of c channels in training
// mode.
func NewBatchNorm2d(c int) *BatchNorm2d {
	return &BatchNorm2d{
		Weight: autodiff.Param(tensor.Full(1, c)),
		Bias:   autodiff.Param(tensor.New(c)),
		Stats: autodiff.BatchNormState{RunningMean: tensor.New(c), RunningVar: tensor.Full(1, c),
			Momentum: 0.1, Eps: 1e-5},
		Training: true,
	}
}

// Forward normalises x (N×C×H×W) with batch statistics in training mode
// (updating the running ones) and running statistics in eval mode.
func (b *BatchNorm2d) Forward(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	return tp.BatchNorm2D(x, b.Weight, b.Bias, &b.Stats, b.Training)
}

// ForwardReLU is ReLU(Forward(x)) in one pass over memory, with the same
// bits.
func (b *BatchNorm2d) ForwardReLU(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	return tp.BatchNorm2DReLU(x, b.Weight, b.Bias, &b.Stats, b.Training)
}

// State implements Module: weight, bias, running_mean, running_var,
// num_batches_tracked.
func (b *BatchNorm2d) State(prefix string) []Entry {
	return []Entry{
		{Name: prefix + "weight", Param: b.Weight},
		{Name: prefix + "bias", Param: b.Bias},
		{Name: prefix + "running_mean", Buffer: b.Stats.RunningMean},
		{Name: prefix + "running_var", Buffer: b.Stats.RunningVar},
		{Name: prefix + "num_batches_tracked", Counter: &b.Stats.NumBatchesTracked},
	}
}

// SetTraining implements Module.
func (b *BatchNorm2d) SetTraining(on bool) { b.Training = on }

// InstanceNorm2d is torch.nn.InstanceNorm2d with its defaults: no affine
// parameters and no running statistics, so it normalises every image's
// channels with their own statistics in training and in eval mode.
type InstanceNorm2d struct{ Eps float32 }

// NewInstanceNorm2d returns an instance normalisation with eps 1e-5.
func NewInstanceNorm2d() *InstanceNorm2d { return &InstanceNorm2d{Eps: 1e-5} }

// Forward normalises x (N×C×H×W).
func (n *InstanceNorm2d) Forward(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	return tp.InstanceNorm2D(x, n.Eps)
}

// ForwardReLU is ReLU(Forward(x)) in one pass over memory, with the same
// bits.
func (n *InstanceNorm2d) ForwardReLU(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	return tp.InstanceNorm2DReLU(x, n.Eps)
}

// State implements Module: none.
func (n *InstanceNorm2d) State(string) []Entry { return nil }

// SetTraining implements Module; the computation is the same in both modes.
func (n *InstanceNorm2d) SetTraining(bool) {}
