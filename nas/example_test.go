package nas_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/autogan-go/autogan/cifar"
	"github.com/autogan-go/autogan/inception/classifier"
	"github.com/autogan-go/autogan/nas"
	"github.com/autogan-go/autogan/nas/rundir"
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

// A whole search, at toy size: the tiny preset (three iterations, one per
// stage of the multi-level search, widths of 8) on 96 generated Shapes-10
// images, rewarded by the small embedded classifier. It runs in seconds
// and leaves a run directory with the configuration, the metrics, a sample
// grid per iteration, a checkpoint and result.json. (The architectures
// found depend on the CPU's matrix kernel, so they are not printed here.)
func ExampleSearcher_Run() {
	dir, err := os.MkdirTemp("", "search")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	cfg := nas.MustPreset("tiny")
	scorer, err := classifier.NewEmbeddedScorer()
	if err != nil {
		panic(err)
	}
	run, err := rundir.Create(dir)
	if err != nil {
		panic(err)
	}
	s, err := nas.NewSearcher(cfg, run, scorer, cifar.Shapes10(cfg.DatasetN, cfg.Seed), nil)
	if err != nil {
		panic(err)
	}
	if err := s.Run(context.Background()); err != nil {
		panic(err)
	}
	res := s.Result()
	fmt.Println(len(res.Architectures), "architectures of", len(res.Architectures[0].Ints), "integers, best first")
	grids, _ := filepath.Glob(filepath.Join(dir, "samples", "*.png"))
	fmt.Println(len(grids), "sample grids")
	// Output:
	// 2 architectures of 14 integers, best first
	// 3 sample grids
}
