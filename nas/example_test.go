package nas_test

import (
	"fmt"

	"github.com/autogan-go/autogan/nas"
	"github.com/autogan-go/autogan/tensor"
)

// The released architecture A in the reference's integer encoding, and in
// words.
func ExampleParse() {
	a, err := nas.Parse("autogan_cifar10_a")
	if err != nil {
		panic(err)
	}
	fmt.Println(a)
	fmt.Println(a.Describe())
	// Output:
	// 1 0 1 1 1 0 0 1 1 1 0 1 0 3
	// cell1: pre-activation, no norm, nearest, shortcut; cell2: pre-activation, no norm, bilinear, shortcut, skip from cell1; cell3: pre-activation, no norm, nearest, no shortcut, skip from cell1 and cell2
}

// Generating images with a (here untrained) generator of architecture A:
// image i comes from latent i of the seed, whatever the batch.
func ExampleGenerate() {
	g, err := nas.NewGenerator("autogan_cifar10_a", 16, 4, 32, tensor.NewRNG(1))
	if err != nil {
		panic(err)
	}
	g.SetTraining(false)
	z := tensor.New(2, g.LatentDim())
	nas.Latents(tensor.NewRNG(7), 0, z)
	img := nas.Generate(g, z)
	fmt.Println(img.Shape())
	// Output: [2 3 32 32]
}
