package main

import (
	"path/filepath"
	"testing"

	"github.com/autogan-go/autogan/cifar"
	"github.com/autogan-go/autogan/inception"
	"github.com/autogan-go/autogan/tensor"
)

// TestShortTraining trains ShapesNet briefly, writes the weights file,
// loads it back the way the embedded scorer does and checks that the net
// learned something: it classifies fresh images well above chance (0.1;
// the run is deterministic, this one reaches about 0.3).
func TestShortTraining(t *testing.T) {
	out := filepath.Join(t.TempDir(), "scorer.safetensors")
	if err := train(1280, 2, 32, 3e-3, 7, 200, 0, out); err != nil {
		t.Fatal(err)
	}
	net := inception.NewShapesNet(tensor.NewRNG(99))
	if err := inception.LoadShapesNet(out, net); err != nil {
		t.Fatal(err)
	}
	net.SetTraining(false)
	acc := accuracy(net, cifar.Shapes10(300, 4242), 32)
	t.Logf("accuracy on fresh 32×32 images after 80 steps: %.3f", acc)
	if acc < 0.2 { // twice chance; a broken loss or optimiser stays near 0.1
		t.Errorf("accuracy %.3f after a short training", acc)
	}
}
