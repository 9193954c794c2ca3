package cifar_test

import (
	"fmt"

	"github.com/autogan-go/autogan/cifar"
	"github.com/autogan-go/autogan/tensor"
)

// Reading a dataset: the built-in Shapes-10 (generated from a seed, so it
// needs no download; cifar.Open reads CIFAR-10, STL-10 and MNIST from their
// files the same way) and a shuffling loader that yields batches in
// [−1, 1], as the GAN trains on them.
func ExampleOpen() {
	ds, err := cifar.Open("shapes10", cifar.Options{N: 100, Seed: 7})
	if err != nil {
		panic(err)
	}
	c, h, w := ds.Size()
	fmt.Println(ds.Len(), "images of", c, "×", h, "×", w)
	fmt.Println("classes:", ds.Classes()[:3], "…")
	loader, err := cifar.NewLoader(ds, 32, tensor.NewRNG(1))
	if err != nil {
		panic(err)
	}
	batch, lastOfEpoch, err := loader.Next()
	if err != nil {
		panic(err)
	}
	fmt.Println("batch", batch.Shape(), "last of the epoch:", lastOfEpoch)
	// Output:
	// 100 images of 3 × 32 × 32
	// classes: [disc square triangle] …
	// batch [32 3 32 32] last of the epoch: false
}
