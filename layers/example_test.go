package layers_test

import (
	"fmt"

	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/layers"
	"github.com/autogan-go/autogan/tensor"
)

// A spectrally normalised convolution, as the discriminator's first block
// has it: a forward pass, and the names of its state, which are the keys of
// PyTorch's state_dict for the same module (so weights load either way).
func ExampleSNConv2d() {
	g := tensor.NewRNG(1)
	conv := layers.NewSNConv2d(3, 8, 3, 3, layers.Same(3), true, g)
	x := autodiff.Const(g.Normals(2, 3, 16, 16))
	y := conv.Forward(autodiff.NoGrad(), x)
	fmt.Println("output", y.Value.Shape())
	for _, e := range conv.State("block1.c1.") {
		fmt.Println(e.Name, e.Tensor().Shape())
	}
	// Output:
	// output [2 8 16 16]
	// block1.c1.bias [8]
	// block1.c1.weight_orig [8 3 3 3]
	// block1.c1.weight_u [8]
	// block1.c1.weight_v [27]
}
