package tensor_test

import (
	"fmt"

	"github.com/autogan-go/autogan/tensor"
)

func ExampleAdd() {
	x := tensor.FromSlice([]float32{1, 2, 3, 4, 5, 6}, 2, 3)
	bias := tensor.FromSlice([]float32{10, 20, 30}, 3)
	fmt.Println(tensor.Add(x, bias).Data()) // bias broadcasts over the rows
	// Output: [11 22 33 14 25 36]
}

func ExampleSum() {
	x := tensor.FromSlice([]float32{1, 2, 3, 4, 5, 6}, 2, 3)
	fmt.Println(tensor.Sum(x, []int{0}, false).Data())
	fmt.Println(tensor.Sum(x, []int{1}, true).Shape())
	// Output:
	// [5 7 9]
	// [2 1]
}

func ExampleTensor_Reshape() {
	x := tensor.New(2, 3, 4)
	y := x.Reshape(6, -1) // a view: same storage
	y.Set(7, 0, 0)
	fmt.Println(y.Shape(), x.At(0, 0, 0))
	// Output: [6 4] 7
}

func ExampleRNG_Child() {
	root := tensor.NewRNG(12345)
	data := root.Child("data") // its numbers do not depend on other consumers
	fmt.Println(data.IntN(10) == tensor.NewRNG(12345).Child("data").IntN(10))
	// Output: true
}

func ExampleMatMul() {
	a := tensor.FromSlice([]float32{1, 2, 3, 4}, 2, 2)
	fmt.Println(tensor.MatMul(a, a, false, true).Data()) // a·aᵀ
	// Output: [5 11 11 25]
}
