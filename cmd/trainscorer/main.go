// Command trainscorer trains a scorer: the small classifier of package
// inception/classifier, whose features and logits stand in for
// Inception-v3's when IS and FID are computed on a dataset whose images
// are not ImageNet's (Inception's classes mean nothing for digits or
// synthetic shapes). The weights file records the dataset, so that the
// commands refuse to score other data with it.
//
//	go run ./cmd/trainscorer -out inception/classifier/shapes10_scorer.safetensors
//	go run ./cmd/trainscorer -dataset fashion-mnist -out fashion_scorer.safetensors
//
// Then -scorer fashion_scorer.safetensors works wherever Inception weights
// do (search, train, eval, fidstats). The classifier trains with Adam (a
// cosine learning-rate schedule) and the cross-entropy loss on the
// labelled training images shown at 32×32, or first shrunk to 16×16 or
// 8×8 as the search's stages 0 and 1 see them, then measures the accuracy
// on the dataset's test split (Shapes-10: freshly generated images of
// another seed). -out has no default: the embedded Shapes-10 scorer is
// replaced only when its path is named, as in the first line above (about
// 45 minutes on two cores; rebuild afterwards, since the binaries embed
// it). The run is deterministic for a seed.
package main

import (
	"fmt"
	"math"
	"os"
	"strings"

	"github.com/autogan-go/autogan/cifar"
	"github.com/autogan-go/autogan/cmd/internal/cli"
	"github.com/autogan-go/autogan/inception/classifier"
	"github.com/autogan-go/autogan/internal/sysmem"
)

func main() {
	cli.LimitHeapGrowth()
	cli.Exit("trainscorer", run(os.Args[1:]))
}

// options are the command line of trainscorer.
type options struct {
	dataset, dataDir, testDir string
	n, epochs, batch, testN   int
	lr, lowres                float64
	augment                   bool
	seed                      uint64
	out                       string
}

// flags defines the command line of trainscorer.
func flags() (*cli.FlagSet, *options) {
	fs := cli.NewFlagSet("trainscorer [flags]",
		"Trains a scorer (a small classifier standing in for Inception-v3) on a labelled dataset and writes its weights.")
	var o options
	fs.Group("Data")
	fs.StringVar(&o.dataset, "dataset", "shapes10", "labelled training images: shapes10|fashion-mnist|mnist|cifar10|cifar100|stl10-train|folder (one subfolder per class)")
	fs.StringVar(&o.dataDir, "data_dir", "", "folder or archive of the dataset (fashion-mnist: Debian's package by default)")
	fs.StringVar(&o.testDir, "test_dir", "", "folder dataset: the test images, one subfolder per class")
	fs.IntVar(&o.n, "n", 50000, "shapes10: training images to generate; other datasets, when given: the first n of the training split (at least 1)")
	fs.IntVar(&o.testN, "test", 5000, "shapes10: fresh test images (another seed); other datasets, when given: the first n of the test split")
	fs.Group("Training")
	fs.IntVar(&o.epochs, "epochs", 16, "passes over the training images")
	fs.IntVar(&o.batch, "batch", 64, "batch size")
	fs.Float64Var(&o.lr, "lr", 3e-3, "Adam learning rate at the start of the cosine schedule")
	fs.Float64Var(&o.lowres, "lowres", 0.3, "fraction of batches shown at 16×16 or 8×8 (half each)")
	fs.BoolVar(&o.augment, "augment", false, "mirror training images at random and shift them by up to 2 pixels (1 at 16×16); narrows the gap between training and test accuracy")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the initialisation, the shuffling and generated data")
	fs.Group("Output")
	fs.StringVar(&o.out, "out", "", "weights file to write (required; inception/classifier/shapes10_scorer.safetensors replaces the embedded scorer)")
	return fs, &o
}

func run(args []string) error {
	fs, o := flags()
	if err := fs.Parse(args); err != nil {
		return err
	}
	// Dataset names are read in any case (package cifar does); the choices
	// below and the name recorded in the weights file use the lower case.
	o.dataset = strings.ToLower(o.dataset)
	// Written as !(x > 0) rather than x <= 0 so that NaN is refused too.
	if o.epochs < 1 || o.batch < 1 || o.testN < 1 || !(o.lr > 0) || math.IsInf(o.lr, 1) || !(o.lowres >= 0 && o.lowres <= 1) {
		return cli.Usagef("-epochs, -batch and -test must be at least 1, -lr positive and finite, -lowres in [0, 1]")
	}
	// Without -n another dataset's whole training split is used; 0 does
	// not stand for that (or for anything).
	if o.n < 1 {
		return cli.Usagef("-n must be at least 1 (shapes10: the number of training images to generate; other datasets: the first n of the training split)")
	}
	if o.dataset == "shapes10" {
		// Shapes10 is called directly below, so its bound and the memory
		// its pixels take are checked here (cifar.Open does both for the
		// other commands).
		if max(o.n, o.testN) > cifar.MaxShapes10 {
			return cli.Usagef("-n and -test: shapes10 generates at most %d images", cifar.MaxShapes10)
		}
		need := uint64(o.n+o.testN) * 3 * 32 * 32 * 2 // the pixels, and a margin for the batches
		if err := sysmem.Memory().Check(need, fmt.Sprintf("%d training and %d test images of 3×32×32", o.n, o.testN)); err != nil {
			return cli.Usagef("%v", err)
		}
	}
	// No default file: a trial run must not overwrite the embedded scorer,
	// which every later build would then embed.
	if o.out == "" {
		return cli.Usagef("-out names the weights file to write (inception/classifier/shapes10_scorer.safetensors replaces the embedded Shapes-10 scorer)")
	}
	if o.dataset != "shapes10" {
		if !fs.IsSet("n") {
			o.n = 0
		}
		if !fs.IsSet("test") {
			o.testN = 0
		}
	}
	if err := cli.CheckOutput("out", o.out); err != nil {
		return err
	}
	if err := cli.CheckDataDir("data_dir", o.dataset, o.dataDir); err != nil {
		return err
	}
	if err := cli.CheckExists("test_dir", o.testDir); err != nil {
		return err
	}
	train, test, err := data(o)
	if err != nil {
		return err
	}
	t, err := classifier.Train(classifier.TrainConfig{Epochs: o.epochs, Batch: o.batch, LR: o.lr, LowRes: o.lowres, Augment: o.augment,
		Seed: o.seed, Dataset: o.dataset, Channels: cli.DatasetChannels(o.dataset)}, train, test, os.Stdout)
	if err != nil {
		return err
	}
	if err := t.Save(o.out); err != nil {
		return err
	}
	fmt.Println("wrote", o.out)
	return nil
}

// data opens the training and test images at 32×32: Shapes-10 generated
// from two seeds, a dataset's training and test splits, or two folders.
func data(o *options) (train, test cifar.Dataset, err error) {
	if o.dataset == "shapes10" {
		return cifar.Shapes10(o.n, o.seed), cifar.Shapes10(o.testN, o.seed+1000), nil
	}
	testName, testDir := o.dataset+"-test", o.dataDir
	switch o.dataset {
	case "stl10-train":
		testName = "stl10-test"
	case "folder":
		if o.testDir == "" {
			return nil, nil, cli.Usagef("a folder dataset needs -test_dir, the test images (one subfolder per class)")
		}
		testName, testDir = "folder", o.testDir
	}
	open := func(name, dir string, limit int) (cifar.Dataset, error) {
		ds, err := cli.OpenDataset(name, cifar.Options{Dir: dir, Limit: limit}, classifier.InputSize)
		if err != nil {
			return nil, err
		}
		if _, h, _ := ds.Size(); h != classifier.InputSize {
			return cifar.Resized(ds, classifier.InputSize)
		}
		return ds, nil
	}
	if train, err = open(o.dataset, o.dataDir, o.n); err != nil {
		return nil, nil, err
	}
	if test, err = open(testName, testDir, o.testN); err != nil {
		return nil, nil, fmt.Errorf("the test split: %w", err)
	}
	return cifar.First(train, o.n), cifar.First(test, o.testN), nil
}
