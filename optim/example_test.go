package optim_test

import (
	"fmt"

	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/layers"
	"github.com/autogan-go/autogan/optim"
	"github.com/autogan-go/autogan/tensor"
)

// One Adam step with AutoGAN's settings (lr 2e-4, β1 = 0, β2 = 0.9): on a
// first step Adam moves every weight by about lr against the sign of its
// gradient, whatever the gradient's size.
func ExampleAdam() {
	w := autodiff.Param(tensor.FromSlice([]float32{1, 1, 1}, 3))
	opt := optim.NewAdam([]layers.Entry{{Name: "w", Param: w}}, 2e-4, 0, 0.9)
	w.Grad = tensor.FromSlice([]float32{0.5, -3, 1e-3}, 3)
	opt.Step()
	for _, v := range w.Value.Data() {
		fmt.Printf("%.6f\n", v)
	}
	// Output:
	// 0.999800
	// 1.000200
	// 0.999800
}
