package metrics

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/autogan-go/autogan/inception/classifier"

	"github.com/autogan-go/autogan/cifar"
)

// TestBatchSizeDoesNotChangeResults: EvalConfig.Batch bounds memory only.
// Every image's features and logits are the same bits whatever images share
// its scorer call, so evaluations with batches of 100, 33 and 7 images
// save byte-identical files.
func TestBatchSizeDoesNotChangeResults(t *testing.T) {
	sc, err := classifier.NewEmbeddedScorer()
	if err != nil {
		t.Fatal(err)
	}
	src := DatasetImages(cifar.Shapes10(230, 5))
	dir := t.TempDir()
	var files [][]byte
	for _, batch := range []int{100, 33, 7} {
		e, err := Evaluate(src, sc, EvalConfig{Batch: batch})
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, fmt.Sprintf("b%d.eval", batch))
		if err := e.Save(p); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, b)
	}
	for i := 1; i < len(files); i++ {
		if !bytes.Equal(files[0], files[i]) {
			t.Errorf("evaluation %d differs from the one with batches of 100", i)
		}
	}
}
