package nas

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autogan-go/autogan/cifar"
	"github.com/autogan-go/autogan/inception/classifier"
)

// TestDivergenceStopsAndResumes: a training that diverges stops at the step
// with ErrDiverged, records the event, leaves the last checkpoint as it
// was, and resumes from it with smaller learning rates (an override that is
// recorded); settings other than the resumable ones cannot change.
func TestDivergenceStopsAndResumes(t *testing.T) {
	cfg := MustTrainPreset("tiny")
	dir := t.TempDir()
	scorer, err := classifier.NewEmbeddedScorer()
	if err != nil {
		t.Fatal(err)
	}
	data := cifar.Shapes10(cfg.DatasetN, cfg.Seed)
	tr, err := NewTrainer(cfg, newRun(t, dir), scorer, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Run the first epoch (its checkpoint is the last good state).
	ctx, cancel := context.WithCancel(context.Background())
	tr.OnStep = func(int) {
		if tr.cur.Epoch == 1 {
			cancel()
		}
	}
	if err := tr.Run(ctx); !errors.Is(err, ErrInterrupted) {
		t.Fatalf("first epoch: %v", err)
	}
	good := readFile(t, filepath.Join(dir, trainCheckpoint))

	// Resume with absurd learning rates: it diverges.
	if tr, err = ResumeTrainer(openRun(t, dir), scorer, data, nil); err != nil {
		t.Fatal(err)
	}
	bad := tr.Cfg
	bad.GLR, bad.DLR = 1e9, 1e9
	if err := tr.Override(bad); err != nil {
		t.Fatal(err)
	}
	err = tr.Run(context.Background())
	var d *Divergence
	if !errors.As(err, &d) || !errors.Is(err, ErrDiverged) || !d.Checkpoint {
		t.Fatalf("a learning rate of 1e9: %v", err)
	}
	t.Log(err)
	if !bytes.Equal(readFile(t, filepath.Join(dir, trainCheckpoint)), good) {
		t.Fatal("the divergence changed the last checkpoint")
	}
	log := string(readFile(t, filepath.Join(dir, "metrics.jsonl")))
	if !strings.Contains(log, `"event":"diverged"`) || !strings.Contains(log, `"where":"train"`) || !strings.Contains(log, `"overrides":{"d_lr":1000000000,"g_lr":1000000000}`) {
		t.Fatalf("metrics lack the divergence or the override:\n%s", log)
	}

	// Resume with the preset's rates: it finishes.
	if tr, err = ResumeTrainer(openRun(t, dir), scorer, data, nil); err != nil {
		t.Fatal(err)
	}
	if tr.Cfg.GLR != cfg.GLR {
		t.Fatalf("the checkpoint from before the divergence has g_lr %g, want %g", tr.Cfg.GLR, cfg.GLR)
	}
	good2 := tr.Cfg
	good2.GLR, good2.DLR = cfg.GLR, cfg.DLR
	if err := tr.Override(good2); err != nil {
		t.Fatal(err)
	}
	if err := tr.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Settings outside the resumable ones are refused.
	if tr, err = ResumeTrainer(openRun(t, dir), scorer, data, nil); err != nil {
		t.Fatal(err)
	}
	wider := tr.Cfg
	wider.GF = 16
	if err := tr.Override(wider); err == nil || !strings.Contains(err.Error(), "gf_dim") {
		t.Errorf("changing gf_dim on resume: %v", err)
	}
}
