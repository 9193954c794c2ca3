package optim

import (
	"math"

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
//
// The arithmetic is PyTorch's, in float32, with the reference's two
// constants: mul_ rounds avg·0.999f, then add_(0.001, p) adds 0.001f·p
// with one rounding (a fused multiply-add, which is what PyTorch's
// vectorised CPU kernel computes; testdata/make_step_fixtures.py checks it
// element by element and TestEMAMatchesPyTorchBits compares the bits).
// 0.001f is float32(1 − decay) computed in float64 (0.0010000000475), not
// 1 − 0.999f computed in float32, which is 0.00099998713.
type EMA struct {
	Decay  float64
	params []layers.Entry
	avg    []*tensor.Tensor
}

// NewEMA starts the average at the current parameter values (the
// reference deep-copies them right after initialisation).
func NewEMA(params []layers.Entry, decay float64) *EMA {
	e := &EMA{Decay: decay, params: params}
	for _, p := range params {
		e.avg = append(e.avg, p.Param.Value.Clone())
	}
	return e
}

// Update folds the current parameter values into the average.
func (e *EMA) Update() {
	keep, take := float32(e.Decay), float32(1-e.Decay)
	for i, p := range e.params {
		a, w := e.avg[i].Data(), p.Param.Value.Data()
		for j, v := range w {
			a[j] = fma32(take, v, float32(a[j]*keep)) // add_(0.001, p) after mul_(0.999)
		}
	}
}

// fma32 returns x·y + z rounded once to float32 (round to nearest even).
// The product of two float32 values is exact in float64; the float64 sum
// is rounded, and rounding that sum again to float32 would be wrong in the
// rare case where it lands exactly halfway between two float32 values, so
// the sum's own rounding error (Knuth's TwoSum) breaks that tie.
func fma32(x, y, z float32) float32 {
	p, c := float64(float64(x)*float64(y)), float64(z) // float64(…): p is the exact product, never fused
	s := p + c
	bv := s - p
	e := (p - (s - bv)) + (c - bv) // s + e == p + c exactly
	r := float32(s)
	if e == 0 || float64(r) == s || math.IsInf(s, 0) || math.IsNaN(s) {
		return r
	}
	lo, hi := r, r
	if float64(r) < s {
		hi = math.Nextafter32(r, float32(math.Inf(1)))
	} else {
		lo = math.Nextafter32(r, float32(math.Inf(-1)))
	}
	if s-float64(lo) != float64(hi)-s {
		return r // not a tie: the float64 rounding did not change the nearest float32
	}
	if e > 0 {
		return hi
	}
	return lo
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
