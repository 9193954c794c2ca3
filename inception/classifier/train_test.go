package classifier

import (
	"io"
	"path/filepath"
	"testing"

	"github.com/autogan-go/autogan/cifar"
)

// TestShortTraining trains the classifier briefly on Shapes-10, writes the
// weights file, loads it back and checks that the net learned something:
// it classifies fresh images well above chance (0.1; the run is
// deterministic, this one reaches about 0.3), and the file records its
// data.
func TestShortTraining(t *testing.T) {
	out := filepath.Join(t.TempDir(), "scorer.safetensors")
	tr, err := Train(TrainConfig{Epochs: 2, Batch: 32, LR: 3e-3, Seed: 7, Dataset: "shapes10", Channels: 3},
		cifar.Shapes10(1280, 7), cifar.Shapes10(200, 1007), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Save(out); err != nil {
		t.Fatal(err)
	}
	sc, err := Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Dataset() != "shapes10" || sc.NumClasses() != 10 || sc.Info.Classes[0] != cifar.Shapes10Classes[0] {
		t.Errorf("loaded scorer %+v", sc.Info)
	}
	acc := accuracy(sc.Net, cifar.Shapes10(300, 4242), 32)
	t.Logf("accuracy on fresh 32×32 images after 80 steps: %.3f", acc)
	if acc < 0.2 { // twice chance; a broken loss or optimiser stays near 0.1
		t.Errorf("accuracy %.3f after a short training", acc)
	}
	if _, err := Train(TrainConfig{Epochs: 1, Batch: 8, Dataset: "unlabelled"}, &cifar.Memory{Name: "x", C: 3, H: 32, W: 32, Pixels: make([]uint8, 3*32*32)}, nil, io.Discard); err == nil {
		t.Error("training on unlabelled images accepted")
	}
}
