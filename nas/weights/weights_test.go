package weights

import (
	"encoding/binary"
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autogan-go/autogan/internal/safetensors"
)

// TestOpenChecksTheArchitecture: a training checkpoint of this project
// opens with or without its architecture, and refuses another one; a
// PyTorch file needs one.
func TestOpenChecksTheArchitecture(t *testing.T) {
	const ckpt = "../../testdata/resume/train-v1/checkpoint.safetensors" // a tiny training run of model A
	g, err := Open(ckpt, "")
	if err != nil {
		t.Fatal(err)
	}
	if g.Arch().String() != "1 0 1 1 1 0 0 1 1 1 0 1 0 3" {
		t.Errorf("architecture %s", g.Arch())
	}
	if _, err := Open(ckpt, "autogan_cifar10_a"); err != nil {
		t.Error(err)
	}
	if _, err := Open(ckpt, "autogan_cifar10_b"); err == nil || !strings.Contains(err.Error(), "holds architecture") {
		t.Errorf("the wrong architecture: %v", err)
	}
	if _, err := Open("../../testdata/gen_a_state_legacy.pth", ""); !errors.Is(err, ErrNeedsArch) || !strings.Contains(err.Error(), "give its architecture") {
		t.Errorf("a PyTorch file without architecture: %v", err)
	}
	if _, err := Open("../../testdata/gen_a_state_legacy.pth", "autogan_cifar10_a"); err != nil {
		t.Error(err)
	}
}

// A generator whose weights hold NaN (a diverged training's) is refused
// with the name of the tensor, instead of making NaN images.
func TestOpenRefusesNonFiniteWeights(t *testing.T) {
	const ckpt = "../../testdata/resume/train-v1/checkpoint.safetensors"
	f, err := safetensors.ReadFile(ckpt)
	if err != nil {
		t.Fatal(err)
	}
	poisoned := 0
	for i, x := range f.Tensors {
		if strings.HasPrefix(x.Name, "ema.") && x.DType == "F32" && len(x.Data) >= 4 {
			binary.LittleEndian.PutUint32(f.Tensors[i].Data, math.Float32bits(float32(math.NaN())))
			poisoned++
			break
		}
	}
	if poisoned == 0 {
		t.Fatal("no EMA tensor in the checkpoint")
	}
	path := filepath.Join(t.TempDir(), "nan.safetensors")
	if err := safetensors.WriteFile(path, f.Tensors, f.Metadata); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path, ""); err == nil || !strings.Contains(err.Error(), "diverged") {
		t.Fatalf("a generator with a NaN weight: %v", err)
	}
}
