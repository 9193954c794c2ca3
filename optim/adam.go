package optim

import (
	"fmt"
	"math"

	"github.com/autogan-go/autogan/internal/ckpt"
	"github.com/autogan-go/autogan/internal/parallel"
	"github.com/autogan-go/autogan/layers"
	"github.com/autogan-go/autogan/tensor"
)

// Adam is the Adam optimiser (Kingma & Ba, 2015) as torch.optim.Adam
// computes it, with no weight decay and no AMSGrad.
//
// Each parameter keeps its own step count and moments, created at its first
// update. A parameter whose gradient is nil (it took part in no backward
// pass yet) is skipped: PyTorch skips parameters whose .grad is None. A
// parameter whose gradient was zeroed but kept (it was used earlier, then
// not in this step) is stepped like any other, which with β1 = 0 changes
// nothing but decays its second moment and advances its step count — what
// the reference's PyTorch 1.1 did to the unused branches of the shared
// generator.
//
// Two published forms of the update exist; Legacy selects the one of
// PyTorch 1.1, the version the reference pins (requirements.txt):
//
//	m = β1·m + (1−β1)·g,   v = β2·v + (1−β2)·g²
//	legacy (≤ 1.2):  p −= lr·√(1−β2ᵗ)/(1−β1ᵗ) · m/(√v + ε)
//	modern (≥ 1.3):  p −= lr/(1−β1ᵗ) · m/(√v/√(1−β2ᵗ) + ε)
//
// They differ only in where ε enters (PyTorch pull request 22628, August
// 2019, released in 1.3). NewAdam uses the legacy form.
type Adam struct {
	LR, Beta1, Beta2, Eps float64
	Legacy                bool

	params []layers.Entry
	state  []adamState
	// nonFinite names a parameter whose new value is not finite after the
	// last Step ("" when all are finite).
	nonFinite string
}

type adamState struct {
	step int64
	m, v *tensor.Tensor // nil before the first step
}

// NewAdam returns Adam over the named parameters (layers.NamedParams) with
// ε = 1e-8 and the legacy (PyTorch 1.1) update.
func NewAdam(params []layers.Entry, lr, beta1, beta2 float64) *Adam {
	for _, p := range params {
		if p.Param == nil {
			panic(fmt.Sprintf("optim.NewAdam: %s is not a parameter", p.Name))
		}
	}
	return &Adam{LR: lr, Beta1: beta1, Beta2: beta2, Eps: 1e-8, Legacy: true,
		params: params, state: make([]adamState, len(params))}
}

// ZeroGrad zeroes the kept gradients of the parameters (nil ones stay nil).
func (a *Adam) ZeroGrad() {
	for _, p := range a.params {
		p.Param.ZeroGrad()
	}
}

// Step updates every parameter that has a gradient. It notices a value
// that is not finite (NaN or ±Inf, a diverged training); NonFinite says
// which parameter.
func (a *Adam) Step() {
	a.nonFinite = ""
	for i, p := range a.params {
		if p.Param.Grad == nil {
			continue
		}
		st := &a.state[i]
		w := p.Param.Value
		if st.m == nil {
			st.m, st.v = tensor.New(w.Shape()...), tensor.New(w.Shape()...)
		}
		st.step++
		if !a.update(w.Data(), p.Param.Grad.Data(), st.m.Data(), st.v.Data(), st.step) && a.nonFinite == "" {
			a.nonFinite = p.Name
		}
	}
}

// SetHyper changes the learning rate and the betas (a resumed run given
// smaller rates); the moments and step counts are kept.
func (a *Adam) SetHyper(lr, beta1, beta2 float64) { a.LR, a.Beta1, a.Beta2 = lr, beta1, beta2 }

// NonFinite names the first parameter (in order) that the last Step left
// with a NaN or infinite value, or returns "".
func (a *Adam) NonFinite() string { return a.nonFinite }

// update applies one step to one parameter and reports whether every new
// value is finite.
func (a *Adam) update(w, g, m, v []float32, step int64) bool {
	b1, b2 := float32(a.Beta1), float32(a.Beta2)
	c1, c2 := float32(1-a.Beta1), float32(1-a.Beta2)
	bc1 := 1 - math.Pow(a.Beta1, float64(step))
	bc2 := 1 - math.Pow(a.Beta2, float64(step))
	eps := float32(a.Eps)
	var stepSize, denomScale float32
	if a.Legacy {
		stepSize = float32(a.LR * math.Sqrt(bc2) / bc1)
		denomScale = 1
	} else {
		stepSize = float32(a.LR / bc1)
		denomScale = float32(1 / math.Sqrt(bc2))
	}
	const grain = 1 << 14
	finite := make([]bool, parallel.NumChunks(len(w), grain))
	parallel.ForChunks(len(w), grain, func(c, lo, hi int) {
		ok := true
		// Each float32(…) around a product forces its rounding: the Go spec
		// lets the compiler fuse x*y + z into one FMA unless an explicit
		// conversion intervenes, and PyTorch rounds every product.
		for i := lo; i < hi; i++ {
			gi := g[i]
			mi := float32(m[i]*b1) + float32(gi*c1)
			vi := float32(v[i]*b2) + float32(float32(gi*gi)*c2)
			m[i], v[i] = mi, vi
			denom := float32(float32(math.Sqrt(float64(vi)))*denomScale) + eps
			w[i] -= float32(stepSize * (mi / denom))
			ok = ok && w[i]-w[i] == 0 // false for NaN and ±Inf
		}
		finite[c] = ok
	})
	for _, ok := range finite {
		if !ok {
			return false
		}
	}
	return true
}

// Steps returns the step count of parameter i (0 before its first update).
func (a *Adam) Steps(i int) int64 { return a.state[i].step }

// Save writes the optimiser state under prefix: for each parameter that
// has state, "<prefix><name>.step", ".exp_avg" and ".exp_avg_sq"; and the
// list of parameters that hold a (zeroed) gradient, because Adam steps
// those but skips parameters whose gradient is nil — without it a resumed
// run would treat temporarily unused parameters differently.
func (a *Adam) Save(w *ckpt.Writer, prefix string) {
	hasGrad := make([]int64, len(a.params))
	for i, p := range a.params {
		if p.Param.Grad != nil {
			hasGrad[i] = 1
		}
	}
	w.Ints(prefix+"has_grad", hasGrad)
	for i, p := range a.params {
		st := a.state[i]
		if st.m == nil {
			continue
		}
		w.Int(prefix+p.Name+".step", st.step)
		w.Tensor(prefix+p.Name+".exp_avg", st.m)
		w.Tensor(prefix+p.Name+".exp_avg_sq", st.v)
	}
	w.Floats(prefix+"hyper", []float64{a.LR, a.Beta1, a.Beta2, a.Eps})
}

// Load restores a state written by Save. Parameters absent from the
// checkpoint have no state (they were never stepped). It also restores
// which parameters hold a (zeroed) gradient, so that the next Step skips
// exactly the parameters the saved run would have skipped.
func (a *Adam) Load(r *ckpt.Reader, prefix string) error {
	h, err := r.Floats(prefix + "hyper")
	if err != nil {
		return err
	}
	if len(h) != 4 {
		return fmt.Errorf("%s: %shyper has %d values, want 4", r.Path(), prefix, len(h))
	}
	a.LR, a.Beta1, a.Beta2, a.Eps = h[0], h[1], h[2], h[3]
	hasGrad, err := r.Ints(prefix+"has_grad", len(a.params))
	if err != nil {
		return err
	}
	for i, p := range a.params {
		switch {
		case hasGrad[i] == 1 && p.Param.Grad == nil:
			p.Param.Grad = tensor.New(p.Param.Value.Shape()...)
		case hasGrad[i] == 0 && p.Param.Grad != nil:
			p.Param.Grad = nil
		case p.Param.Grad != nil:
			p.Param.Grad.Zero()
		}
	}
	for i, p := range a.params {
		name := prefix + p.Name
		if !r.Has(name + ".step") {
			a.state[i] = adamState{}
			continue
		}
		step, err := r.Int(name + ".step")
		if err != nil {
			return err
		}
		shape := p.Param.Value.Shape()
		m, v := tensor.New(shape...), tensor.New(shape...)
		if err := r.TensorInto(name+".exp_avg", m); err != nil {
			return err
		}
		if err := r.TensorInto(name+".exp_avg_sq", v); err != nil {
			return err
		}
		a.state[i] = adamState{step: step, m: m, v: v}
	}
	return nil
}
