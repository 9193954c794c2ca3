// Command trainscorer trains the embedded scorer: ShapesNet (package
// inception/classifier), a small CNN classifier of Shapes-10, whose features and
// logits stand in for Inception-v3's when IS and FID are computed on the
// built-in dataset.
//
//	go run ./cmd/trainscorer -out inception/classifier/shapes10_scorer.safetensors
//
// It trains with Adam (cosine learning-rate schedule) and the cross-entropy
// loss on Shapes-10 images shown at 32×32, or first shrunk to 16×16 or 8×8
// as search stages 0 and 1 see them (the network upsamples its input to
// 32×32), then measures the accuracy on freshly generated images of another
// seed. The defaults take about 45 minutes on two cores. The weights file
// is embedded in the binary with go:embed; rebuild after retraining. The
// run is deterministic for a seed.
package main

import (
	"fmt"
	"os"

	"github.com/autogan-go/autogan/inception/classifier"

	"github.com/autogan-go/autogan/cmd/internal/cli"
)

func main() {
	cli.Exit("trainscorer", run(os.Args[1:]))
}

// options are the command line of trainscorer.
type options struct {
	n, epochs, batch, testN int
	lr, lowres              float64
	seed                    uint64
	out                     string
}

// flags defines the command line of trainscorer.
func flags() (*cli.FlagSet, *options) {
	fs := cli.NewFlagSet("trainscorer [flags]",
		"Trains the embedded scorer (ShapesNet, a Shapes-10 classifier) and writes its weights.")
	var o options
	fs.Group("Training")
	fs.IntVar(&o.n, "n", 50000, "training images")
	fs.IntVar(&o.epochs, "epochs", 16, "passes over the training images")
	fs.IntVar(&o.batch, "batch", 64, "batch size")
	fs.Float64Var(&o.lr, "lr", 3e-3, "Adam learning rate at the start of the cosine schedule")
	fs.Float64Var(&o.lowres, "lowres", 0.3, "fraction of batches shown at 16×16 or 8×8 (half each)")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the training data, initialisation and shuffling")
	fs.Group("Test and output")
	fs.IntVar(&o.testN, "test", 5000, "fresh test images (another seed) for the final accuracy")
	fs.StringVar(&o.out, "out", "inception/classifier/shapes10_scorer.safetensors", "weights file to write")
	return fs, &o
}

func run(args []string) error {
	fs, o := flags()
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.n < 1 || o.epochs < 1 || o.batch < 1 || o.testN < 1 || o.lr <= 0 || o.lowres < 0 || o.lowres > 1 {
		return cli.Usagef("-n, -epochs, -batch and -test must be at least 1, -lr positive, -lowres in [0, 1]")
	}
	t, err := classifier.Train(classifier.TrainConfig{N: o.n, Epochs: o.epochs, Batch: o.batch, LR: o.lr,
		LowRes: o.lowres, Seed: o.seed, TestN: o.testN}, os.Stdout)
	if err != nil {
		return err
	}
	if err := t.Save(o.out); err != nil {
		return err
	}
	fmt.Println("wrote", o.out)
	return nil
}
