package nas

import (
	"fmt"

	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/layers"
	"github.com/autogan-go/autogan/tensor"
)

// searchCell is the reference's search Cell: every alternative of one cell
// of the shared generator, switched by the architecture.
//
// The field names follow the reference's module names (post_conv1, c_sc,
// skip_in_ops, ...), which are also the names of the parameters in its
// checkpoints.
type searchCell struct {
	PostConv1, PostConv2 *postBlock                 // post-activation: (up-sample,) conv, norm, ReLU
	PreConv1, PreConv2   *preBlock                  // pre-activation: norm, ReLU, (up-sample,) conv
	DeconvSC             *layers.ConvTranspose2d    // deconv_sc: up-samples the shortcut in deconv mode
	CSC                  *layers.Conv2d             // c_sc: the shortcut's 1×1 convolution
	SkipDeconvX2         *layers.ConvTranspose2d    // skip_deconvx2: up-samples a skip input ×2 in deconv mode
	SkipDeconvX4         [2]*layers.ConvTranspose2d // skip_deconvx4: two of them, ×4
	SkipInOps            []*layers.Conv2d           // skip_in_ops: one 1×1 convolution per possible skip input
}

func newSearchCell(in, out, numSkipIn int, g *tensor.RNG) *searchCell {
	c := &searchCell{
		PostConv1: newPostBlock(in, out, true, g), PreConv1: newPreBlock(in, out, true, g),
		PostConv2: newPostBlock(out, out, false, g), PreConv2: newPreBlock(out, out, false, g),
		DeconvSC: newDeconv(in, in, g), CSC: layers.NewConv2d(in, out, 1, 1, tensor.Conv2DConfig{}, true, g),
		SkipDeconvX2: newDeconv(in, out, g), SkipDeconvX4: [2]*layers.ConvTranspose2d{newDeconv(in, out, g), newDeconv(out, out, g)},
	}
	for i := 0; i < numSkipIn; i++ {
		c.SkipInOps = append(c.SkipInOps, layers.NewConv2d(in, out, 1, 1, tensor.Conv2DConfig{}, true, g))
	}
	return c
}

// State lists the entries in the reference's registration order.
func (c *searchCell) State(prefix string) []layers.Entry {
	var es []layers.Entry
	es = append(es, c.PostConv1.State(prefix+"post_conv1.")...)
	es = append(es, c.PreConv1.State(prefix+"pre_conv1.")...)
	es = append(es, c.PostConv2.State(prefix+"post_conv2.")...)
	es = append(es, c.PreConv2.State(prefix+"pre_conv2.")...)
	es = append(es, c.DeconvSC.State(prefix+"deconv_sc.")...)
	es = append(es, c.CSC.State(prefix+"c_sc.")...)
	es = append(es, c.SkipDeconvX2.State(prefix+"skip_deconvx2.")...)
	es = append(es, c.SkipDeconvX4[0].State(prefix+"skip_deconvx4.0.")...)
	es = append(es, c.SkipDeconvX4[1].State(prefix+"skip_deconvx4.1.")...)
	for i, op := range c.SkipInOps {
		es = append(es, op.State(fmt.Sprintf("%sskip_in_ops.%d.", prefix, i))...)
	}
	return es
}

func (c *searchCell) SetTraining(on bool) {
	c.PostConv1.SetTraining(on)
	c.PreConv1.SetTraining(on)
	c.PostConv2.SetTraining(on)
	c.PreConv2.SetTraining(on)
}

// forward runs the cell with architecture a on x and the skip features of
// the earlier cells, returning (skip output, output).
//
// Quirk kept from the reference (Cell.forward): the skip output aliases the
// first block's output h, and the skip inputs are then added to h in place
// (h += …), so the skip output this cell hands to later cells already
// contains its own skip inputs. It is computed here functionally as the sum.
func (c *searchCell) forward(tp *autodiff.Tape, x *autodiff.Var, skipFt []*autodiff.Var, a Cell, skipFrom func(j int) bool) (skipOut, out *autodiff.Var) {
	var h *autodiff.Var
	if a.Conv == ConvPost {
		h = c.PostConv1.forward(tp, x, a)
	} else {
		h = c.PreConv1.forward(tp, x, a)
	}
	ht, wt := h.Value.Dim(2), h.Value.Dim(3)
	for j, ft := range skipFt {
		if !skipFrom(j) {
			continue
		}
		var s *autodiff.Var
		if a.Up != UpDeconv {
			s = upsample(tp, ft, a.Up, nil, ht, wt)
		} else if wt/ft.Value.Dim(3) == 2 {
			s = c.SkipDeconvX2.Forward(tp, ft)
		} else {
			s = c.SkipDeconvX4[1].Forward(tp, c.SkipDeconvX4[0].Forward(tp, ft))
		}
		h = tp.Add(h, c.SkipInOps[j].Forward(tp, s))
	}
	skipOut = h
	if a.Conv == ConvPost {
		out = c.PostConv2.forward(tp, h, a)
	} else {
		out = c.PreConv2.forward(tp, h, a)
	}
	// The shortcut is added after the second block, so in a
	// post-activation cell it comes after the final ReLU (docs/reference.md
	// §1.4, shortcut placement).
	if a.Shortcut {
		var u *autodiff.Var
		if a.Up != UpDeconv {
			u = upsample(tp, x, a.Up, nil, 2*x.Value.Dim(2), 2*x.Value.Dim(3))
		} else {
			u = c.DeconvSC.Forward(tp, x)
		}
		out = tp.Add(out, c.CSC.Forward(tp, u))
	}
	return skipOut, out
}
