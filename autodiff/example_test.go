package autodiff_test

import (
	"fmt"

	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/tensor"
)

// The gradient of L = Σ (w·x)² with respect to w, for a weight vector w
// and one input x: dL/dw = 2·(w·x)·x.
func ExampleTape_Backward() {
	w := autodiff.Param(tensor.FromSlice([]float32{1, 2, 3}, 1, 3))
	x := autodiff.Const(tensor.FromSlice([]float32{0.5, -1, 2}, 3, 1))
	tp := autodiff.NewTape()
	y := tp.MatMul(w, x, false, false) // w·x = 0.5 − 2 + 6 = 4.5
	loss := tp.Sum(tp.Mul(y, y), nil)  // 20.25
	fmt.Println("loss", loss.Value.Item())
	tp.Backward(loss)
	fmt.Println("dL/dw", w.Grad.Data()) // 2·4.5·x
	// Output:
	// loss 20.25
	// dL/dw [4.5 -9 18]
}
