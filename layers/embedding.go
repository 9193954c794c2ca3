package layers

import (
	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/tensor"
)

// Embedding is a lookup table (torch.nn.Embedding): weight n×d, N(0, 1) at
// construction.
type Embedding struct {
	Weight *autodiff.Var
}

// NewEmbedding returns a table of n vectors of size d.
func NewEmbedding(n, d int, g *tensor.RNG) *Embedding {
	w := tensor.New(n, d)
	g.FillNormal(w, 0, 1)
	return &Embedding{Weight: autodiff.Param(w)}
}

// Forward returns the rows idx of the table (len(idx)×d).
func (e *Embedding) Forward(tp *autodiff.Tape, idx []int) *autodiff.Var {
	return tp.Gather(e.Weight, idx)
}

// State implements Module.
func (e *Embedding) State(prefix string) []Entry {
	return []Entry{{Name: prefix + "weight", Param: e.Weight}}
}

// SetTraining implements Module; it has no mode.
func (e *Embedding) SetTraining(bool) {}
