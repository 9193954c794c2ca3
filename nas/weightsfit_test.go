package nas

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autogan-go/autogan/internal/ckpt"
	"github.com/autogan-go/autogan/layers"
	"github.com/autogan-go/autogan/tensor"
)

// TestWeightsFitBound: the lower bound that CheckWeightsFit puts on a
// file's values never exceeds what a real generator holds, in either
// layout, so no valid file is refused.
func TestWeightsFitBound(t *testing.T) {
	for _, arch := range []string{"autogan_cifar10_a", "autogan_cifar10_b", "autogan_cifar10_c", "0 0 0 0 0 0 0 0 0 0 0 0 0 0"} {
		for _, w := range [][3]int{{1, 1, 1}, {4, 2, 4}, {16, 4, 8}} {
			g, err := NewGenerator(arch, w[0], w[1], w[2], tensor.NewRNG(1))
			if err != nil {
				t.Fatal(err)
			}
			n := int64(layers.CountParams(g))
			if err := CheckWeightsFit(w[0], w[1], w[2], n); err != nil {
				t.Errorf("%s %v: %d parameters refused: %v", arch, w, n, err)
			}
		}
	}
}

// TestLoadGeneratorRefusesUnbackedWidths: a checkpoint whose configuration
// claims widths its weights do not back (a damaged or edited file) is an
// error before the generator is allocated, not an out-of-memory crash or
// a panic on a negative size.
func TestLoadGeneratorRefusesUnbackedWidths(t *testing.T) {
	dir := t.TempDir()
	for i, widths := range [][3]int{{1 << 20, 4, 16}, {4, 1 << 20, 16}, {0, 4, 16}, {4, -1, 16}, {4, 4, -3}} {
		cfg, _ := TrainPreset("tiny")
		cfg.GF, cfg.BottomWidth, cfg.Latent = widths[0], widths[1], widths[2]
		cj, _ := json.Marshal(cfg)
		w := ckpt.NewWriter()
		w.Meta("format", "autogan-go train v1")
		w.Meta("config", string(cj))
		w.Tensor("gen.l1.weight", tensor.New(4, 4))
		p := filepath.Join(dir, fmt.Sprint(i, ".safetensors"))
		if err := w.Save(p); err != nil {
			t.Fatal(err)
		}
		if _, _, err := LoadGenerator(p); err == nil || !strings.Contains(err.Error(), "gf") {
			t.Errorf("widths %v: got %v, want an error about the widths", widths, err)
		}
	}
}
