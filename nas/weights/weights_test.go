package weights

import (
	"strings"
	"testing"
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
	if _, err := Open("../../testdata/gen_a_state_legacy.pth", ""); err == nil || !strings.Contains(err.Error(), "give its architecture") {
		t.Errorf("a PyTorch file without architecture: %v", err)
	}
	if _, err := Open("../../testdata/gen_a_state_legacy.pth", "autogan_cifar10_a"); err != nil {
		t.Error(err)
	}
}
