package layers

import (
	"fmt"
	"slices"
	"strings"

	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/tensor"
)

// An Entry is one named tensor of a module's state: a trainable parameter,
// a buffer, or an integer counter (BatchNorm's num_batches_tracked).
type Entry struct {
	Name    string
	Param   *autodiff.Var  // a parameter, or nil
	Buffer  *tensor.Tensor // a buffer, or nil
	Counter *int64         // an integer buffer, or nil
}

// Tensor returns the entry's float tensor (nil for a counter).
func (e Entry) Tensor() *tensor.Tensor {
	if e.Param != nil {
		return e.Param.Value
	}
	return e.Buffer
}

// Module is a network component with named state and a training mode.
type Module interface {
	// State lists the parameters and buffers, each name prefixed with
	// prefix, in the order of PyTorch's state_dict: a module's own
	// parameters, then its own buffers, then its children in order.
	State(prefix string) []Entry
	// SetTraining switches training (true) or evaluation mode.
	SetTraining(on bool)
}

// Params returns the trainable parameters of m in state order.
func Params(m Module) []*autodiff.Var {
	var ps []*autodiff.Var
	for _, e := range m.State("") {
		if e.Param != nil {
			ps = append(ps, e.Param)
		}
	}
	return ps
}

// NamedParams returns the trainable parameters with their names.
func NamedParams(m Module) []Entry {
	var ps []Entry
	for _, e := range m.State("") {
		if e.Param != nil {
			ps = append(ps, e)
		}
	}
	return ps
}

// CountParams returns the number of trainable values.
func CountParams(m Module) int {
	n := 0
	for _, p := range Params(m) {
		n += p.Value.Len()
	}
	return n
}

// LoadStateDict copies tensors into m's entries by name, checking every
// shape. Counters are set from one-element tensors. With strict, every
// entry of m must be present and every tensor must be used, except that
// missing counters (num_batches_tracked) are tolerated, as they are absent
// from many published files. Errors name the key.
func LoadStateDict(m Module, tensors map[string]*tensor.Tensor, strict bool) error {
	used := make(map[string]bool, len(tensors))
	var missing []string
	for _, e := range m.State("") {
		src, ok := tensors[e.Name]
		if !ok {
			if e.Counter == nil {
				missing = append(missing, e.Name)
			}
			continue
		}
		used[e.Name] = true
		if e.Counter != nil {
			if src.Len() != 1 {
				return fmt.Errorf("%s: shape %v, want a single value", e.Name, src.Shape())
			}
			*e.Counter = int64(src.Data()[0])
			continue
		}
		dst := e.Tensor()
		if !slices.Equal(dst.Shape(), src.Shape()) {
			return fmt.Errorf("%s: shape %v in the file, the model needs %v", e.Name, src.Shape(), dst.Shape())
		}
		dst.CopyFrom(src)
	}
	if !strict {
		return nil
	}
	var unexpected []string
	for name := range tensors {
		if !used[name] {
			unexpected = append(unexpected, name)
		}
	}
	slices.Sort(unexpected)
	if len(missing) > 0 || len(unexpected) > 0 {
		var b strings.Builder
		if len(missing) > 0 {
			fmt.Fprintf(&b, "missing %s", strings.Join(missing, ", "))
		}
		if len(unexpected) > 0 {
			if b.Len() > 0 {
				b.WriteString("; ")
			}
			fmt.Fprintf(&b, "unexpected %s", strings.Join(unexpected, ", "))
		}
		return fmt.Errorf("state dict does not match the model: %s", b.String())
	}
	return nil
}

// child prefixes the state of a sub-module with its name.
func child(prefix, name string, m Module) []Entry { return m.State(prefix + name + ".") }

// Sequential runs modules one after another; their names are their
// indices, as in torch.nn.Sequential. A nil-state step such as an
// activation is written as a Func.
type Sequential struct {
	Steps []Step
}

// Step is one element of a Sequential.
type Step interface {
	Module
	Forward(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var
}

// Forward implements Step.
func (s *Sequential) Forward(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	for _, st := range s.Steps {
		x = st.Forward(tp, x)
	}
	return x
}

// State implements Module.
func (s *Sequential) State(prefix string) []Entry {
	var es []Entry
	for i, st := range s.Steps {
		es = append(es, child(prefix, fmt.Sprint(i), st)...)
	}
	return es
}

// SetTraining implements Module.
func (s *Sequential) SetTraining(on bool) {
	for _, st := range s.Steps {
		st.SetTraining(on)
	}
}

// Func is a stateless Step such as an activation.
type Func func(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var

// Forward implements Step.
func (f Func) Forward(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var { return f(tp, x) }

// State implements Module: a Func has none.
func (Func) State(string) []Entry { return nil }

// SetTraining implements Module: a Func has no mode.
func (Func) SetTraining(bool) {}

// ReLU and Tanh are the activations as Steps.
var (
	ReLU = Func((*autodiff.Tape).ReLU)
	Tanh = Func((*autodiff.Tape).Tanh)
)
