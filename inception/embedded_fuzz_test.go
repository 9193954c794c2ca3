package inception

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/autogan-go/autogan/tensor"
)

// FuzzLoadShapesNet: a scorer's weights (-scorer, written by
// cmd/trainscorer) are a user-supplied file. Any bytes load completely or
// give an error, never a panic; the seed is the embedded scorer, so the
// fuzzer starts from a file that loads every layer.
func FuzzLoadShapesNet(f *testing.F) {
	f.Add(embeddedWeights)
	f.Add(embeddedWeights[:4096])
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "scorer.safetensors")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		net := NewShapesNet(tensor.NewRNG(0))
		if err := LoadShapesNet(p, net); err != nil {
			return
		}
		// What loads is a complete network: it scores an image.
		s := &EmbeddedScorer{Net: net}
		feat, logits := s.Run(make([]uint8, 3*8*8), 1, 8, 8)
		if feat.Len() != 128 || logits.Len() != 10 {
			t.Fatalf("features %v, logits %v", feat.Shape(), logits.Shape())
		}
	})
}
