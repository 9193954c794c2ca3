package metrics

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/autogan-go/autogan/inception/classifier"

	"github.com/autogan-go/autogan/cifar"
	"github.com/autogan-go/autogan/internal/progress"
)

// cancelAt cancels a context when block k is requested, as a SIGTERM
// arriving in the middle of a shard would.
type cancelAt struct {
	Images
	k      int
	cancel func()
}

func (c cancelAt) Fill(start, n int, pix []uint8) error {
	if start/BlockSize == c.k {
		c.cancel()
	}
	return c.Images.Fill(start, n, pix)
}

func TestEvaluateShardInterruptedMidway(t *testing.T) {
	sc, err := classifier.NewEmbeddedScorer()
	if err != nil {
		t.Fatal(err)
	}
	src := DatasetImages(cifar.Shapes10(1000, 9))
	rep := progress.New(io.Discard, false, 0)
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole.eval")
	ew, scored, err := EvaluateShard(context.Background(), src, "shapes", sc, 0, 2, whole, rep)
	if err != nil {
		t.Fatal(err)
	}
	if scored != ew.Images() {
		t.Errorf("a fresh shard scored %d images, its statistics hold %d", scored, ew.Images())
	}
	p := filepath.Join(dir, "p.eval")
	ctx, cancel := context.WithCancel(context.Background())
	_, _, err = EvaluateShard(ctx, cancelAt{src, 2, cancel}, "shapes", sc, 0, 2, p, rep)
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("interrupted shard: %v", err)
	}
	saved, err := LoadEval(p)
	if err != nil {
		t.Fatal(err)
	}
	if saved.EndBlock != 3 { // block 2 was being scored when the signal came; it finishes
		t.Errorf("saved blocks [%d, %d), want [0, 3)", saved.FirstBlock, saved.EndBlock)
	}
	// The continued shard counts only the images it scored itself: those
	// past the three saved blocks.
	e, scored, err := EvaluateShard(context.Background(), src, "shapes", sc, 0, 2, p, rep)
	if err != nil {
		t.Fatal(err)
	}
	if want := e.Images() - 3*BlockSize; scored != want {
		t.Errorf("continued shard scored %d images, want %d", scored, want)
	}
	// Run again, it finds the shard done and scores nothing.
	if _, scored, err := EvaluateShard(context.Background(), src, "shapes", sc, 0, 2, p, rep); err != nil || scored != 0 {
		t.Errorf("a finished shard run again: scored %d, %v; want 0, nil", scored, err)
	}
	a, _ := os.ReadFile(whole)
	b, _ := os.ReadFile(p)
	if !bytes.Equal(a, b) {
		t.Error("the continued shard differs from an uninterrupted one")
	}
	// An unfinished shard does not merge.
	if _, err := MergeFiles([]string{whole}); err == nil {
		t.Error("merging one of two shards: no error")
	}
}
