package autodiff

import (
	"fmt"
	"slices"

	"github.com/autogan-go/autogan/tensor"
)

// Var is a node of a computation: a value and, after Backward, a gradient.
type Var struct {
	Value *tensor.Tensor
	// Grad is, for a leaf that requires a gradient, the sum of the
	// gradients of every Backward since the last ZeroGrad, or nil.
	// Intermediate variables hold a gradient only during Backward.
	Grad *tensor.Tensor

	requiresGrad bool
	leaf         bool
	kept         bool
	tape         *Tape // the tape that created it, nil for leaves
}

// Param returns a leaf variable that requires a gradient: a trainable
// parameter.
func Param(t *tensor.Tensor) *Var { return &Var{Value: t, requiresGrad: true, leaf: true} }

// Const returns a leaf variable that needs no gradient: an input.
func Const(t *tensor.Tensor) *Var { return &Var{Value: t, leaf: true} }

// RequiresGrad reports whether gradients flow to this variable.
func (v *Var) RequiresGrad() bool { return v.requiresGrad }

// Shape returns the shape of the value.
func (v *Var) Shape() []int { return v.Value.Shape() }

// ZeroGrad sets an existing gradient to zero and keeps it (PyTorch 1.1
// semantics); a nil gradient stays nil.
func (v *Var) ZeroGrad() {
	if v.Grad != nil {
		v.Grad.Zero()
	}
}

// node is one recorded operation.
type node struct {
	out      *Var
	backward func(g *tensor.Tensor) // receives ownership of the output gradient
	saved    []*tensor.Tensor       // intermediates to release after backward
}

// Tape records operations for reverse-mode differentiation.
type Tape struct {
	nodes  []node
	noGrad bool
	values []*Var // a NoGrad tape's results, for Free
}

// NewTape returns an empty tape that records operations.
func NewTape() *Tape { return &Tape{} }

// NoGrad returns a tape that records nothing for differentiation: its
// operations only compute values (inference). The results are ordinary
// tensors owned by the caller; Free returns the intermediates' memory to
// the buffer cache at once instead of leaving it to the garbage collector
// (Keep the results you still need first). For a generator forward pass
// that is most of its memory traffic: fresh pages cost far more than
// reused ones.
func NoGrad() *Tape { return &Tape{noGrad: true} }

// Recording reports whether the tape records operations.
func (tp *Tape) Recording() bool { return !tp.noGrad }

// Keep exempts v's value from being released by Backward.
func (tp *Tape) Keep(v *Var) { v.kept = true }

// record wraps value in a new variable. If the tape records and some input
// requires a gradient, the variable requires one too and backward is
// stored; saved tensors are released after the backward pass.
func (tp *Tape) record(value *tensor.Tensor, backward func(g *tensor.Tensor), saved []*tensor.Tensor, inputs ...*Var) *Var {
	out := &Var{Value: value, tape: tp}
	if tp.noGrad {
		for _, s := range saved {
			s.Release()
		}
		tp.values = append(tp.values, out)
		return out
	}
	for _, in := range inputs {
		if in != nil && in.requiresGrad {
			out.requiresGrad = true
			break
		}
	}
	if !out.requiresGrad {
		for _, s := range saved {
			s.Release()
		}
		return out
	}
	tp.nodes = append(tp.nodes, node{out: out, backward: backward, saved: saved})
	return out
}

// give adds g to v's gradient and takes ownership of g: g is either
// installed as the gradient or released after the addition. Variables that
// need no gradient just release g.
func give(v *Var, g *tensor.Tensor) {
	if v == nil || !v.requiresGrad {
		g.Release()
		return
	}
	if !slices.Equal(g.Shape(), v.Value.Shape()) {
		panic(fmt.Sprintf("autodiff: gradient of shape %v for a value of shape %v", g.Shape(), v.Value.Shape()))
	}
	if v.Grad == nil {
		v.Grad = g
		return
	}
	v.Grad.AddScaled(1, g)
	g.Release()
}

// needs reports whether v wants a gradient.
func needs(v *Var) bool { return v != nil && v.requiresGrad }

// Backward computes the gradient of the scalar loss with respect to every
// variable that requires one, then releases the tape's intermediates (see
// the package documentation) and empties the tape so it can be reused.
func (tp *Tape) Backward(loss *Var) {
	if tp.noGrad {
		panic("autodiff: Backward on a NoGrad tape")
	}
	if loss.Value.Len() != 1 {
		panic(fmt.Sprintf("autodiff: Backward needs a scalar, got shape %v", loss.Value.Shape()))
	}
	if loss.tape != tp && !loss.leaf {
		panic("autodiff: the loss was not computed on this tape")
	}
	loss.kept = true
	if loss.requiresGrad {
		give(loss, tensor.Full(1, loss.Value.Shape()...))
	}
	for i := len(tp.nodes) - 1; i >= 0; i-- {
		nd := &tp.nodes[i]
		g := nd.out.Grad
		nd.out.Grad = nil
		if g != nil {
			nd.backward(g)
		}
		for _, s := range nd.saved {
			s.Release()
		}
		nd.saved = nil
	}
	tp.Free()
}

// Free releases the values of every intermediate the tape recorded (except
// kept ones, and values sharing storage with a kept one, such as the base
// of a kept Reshape) and empties the tape, without computing gradients.
// Backward calls it; call it yourself to abandon a recorded computation or
// after inference on a NoGrad tape.
func (tp *Tape) Free() {
	var kept []*tensor.Tensor
	for i := range tp.nodes {
		if v := tp.nodes[i].out; v.kept {
			kept = append(kept, v.Value)
		}
	}
	for _, v := range tp.values {
		if v.kept {
			kept = append(kept, v.Value)
		}
	}
	release := func(v *Var) {
		if v.kept {
			return
		}
		for _, k := range kept {
			if tensor.SharesStorage(v.Value, k) {
				return
			}
		}
		v.Value.Release()
	}
	for i := range tp.nodes {
		nd := &tp.nodes[i]
		if nd.out.Grad != nil {
			nd.out.Grad.Release()
			nd.out.Grad = nil
		}
		release(nd.out)
		for _, s := range nd.saved {
			s.Release()
		}
		tp.nodes[i] = node{}
	}
	tp.nodes = tp.nodes[:0]
	for i, v := range tp.values {
		release(v)
		tp.values[i] = nil
	}
	tp.values = tp.values[:0]
}

// SetRequiresGrad switches gradient tracking of a leaf. Training code turns
// it off for parameters whose gradients would be discarded (the
// discriminator during a generator step), which saves their computation.
func (v *Var) SetRequiresGrad(on bool) {
	if !v.leaf {
		panic("autodiff: SetRequiresGrad on a non-leaf variable")
	}
	v.requiresGrad = on
}
