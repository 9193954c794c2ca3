package classifier

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad: a scorer's weights (-scorer, written by cmd/trainscorer) are a
// user-supplied file. Any bytes load completely or give an error, never a
// panic; the seed is the embedded scorer, so the fuzzer starts from a file
// that loads every layer.
func FuzzLoad(f *testing.F) {
	f.Add(embeddedWeights)
	f.Add(embeddedWeights[:4096])
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "scorer.safetensors")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		sc, err := Load(p)
		if err != nil {
			return
		}
		// What loads is a complete network: it scores an image.
		feat, logits := sc.Run(make([]uint8, 3*8*8), 1, 8, 8)
		if feat.Len() != sc.FeatureDim() || logits.Len() != sc.NumClasses() {
			t.Fatalf("features %v, logits %v for %d features and %d classes", feat.Shape(), logits.Shape(), sc.FeatureDim(), sc.NumClasses())
		}
	})
}
