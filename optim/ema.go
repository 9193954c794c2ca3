package optim

import (
	"github.com/autogan-go/autogan/internal/ckpt"
	"github.com/autogan-go/autogan/layers"
	"github.com/autogan-go/autogan/tensor"
)

// EMA keeps an exponential moving average of parameters, as the reference
// does for the generator (train.py / train_derived.py, functions.train):
//
//	avg = decay·avg + (1 − decay)·p        (avg_p.mul_(0.999).add_(0.001, p))
//
// after every generator step. It averages parameters only; buffers such as
// batch-norm running statistics are not averaged, so evaluation with the
// averaged weights uses the live model's running statistics.
type EMA struct {
	Decay  float32
	params []layers.Entry
	avg    []*tensor.Tensor
}

// NewEMA starts the average at the current parameter values (the
// reference deep-copies them right after initialisation).
func NewEMA(params []layers.Entry, decay float32) *EMA {
	e := &EMA{Decay: decay, params: params}
	for _, p := range params {
		e.avg = append(e.avg, p.Param.Value.Clone())
	}
	return e
}

// Update folds the current parameter values into the average.
func (e *EMA) Update() {
	keep, take := e.Decay, 1-e.Decay
	for i, p := range e.params {
		a, w := e.avg[i].Data(), p.Param.Value.Data()
		for j, v := range w {
			a[j] = float32(a[j]*keep) + float32(take*v)
		}
	}
}

// Swap exchanges the parameters' values with the averages: call it once to
// evaluate with the averaged weights and again to restore the live ones.
func (e *EMA) Swap() {
	for i, p := range e.params {
		a, w := e.avg[i].Data(), p.Param.Value.Data()
		for j := range w {
			a[j], w[j] = w[j], a[j]
		}
	}
}

// Averages returns the averaged tensors in parameter order.
func (e *EMA) Averages() []*tensor.Tensor { return e.avg }

// Save writes the averages as "<prefix><name>".
func (e *EMA) Save(w *ckpt.Writer, prefix string) {
	for i, p := range e.params {
		w.Tensor(prefix+p.Name, e.avg[i])
	}
}

// Load restores averages written by Save.
func (e *EMA) Load(r *ckpt.Reader, prefix string) error {
	for i, p := range e.params {
		if err := r.TensorInto(prefix+p.Name, e.avg[i]); err != nil {
			return err
		}
	}
	return nil
}
