package nas

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/autogan-go/autogan/inception/classifier"
	"github.com/autogan-go/autogan/inception/metrics"

	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/cifar"
	"github.com/autogan-go/autogan/tensor"
)

// tinyTrain trains the tiny preset in dir with procs workers; with stopAt
// > 0 it interrupts the run after that many steps and resumes it in a new
// Trainer, as a requeued job would.
func tinyTrain(t *testing.T, dir string, procs, stopAt int) {
	t.Helper()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
	cfg := MustTrainPreset("tiny")
	scorer, err := classifier.NewEmbeddedScorer()
	if err != nil {
		t.Fatal(err)
	}
	data := cifar.Shapes10(cfg.DatasetN, cfg.Seed)
	tr, err := NewTrainer(cfg, newRun(t, dir), scorer, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if stopAt > 0 {
		tr.OnStep = func(total int) {
			if total == stopAt {
				cancel()
			}
		}
	}
	err = tr.Run(ctx)
	if stopAt > 0 {
		if !errors.Is(err, ErrInterrupted) {
			t.Fatalf("run stopped at %d: %v", stopAt, err)
		}
		if tr, err = ResumeTrainer(openRun(t, dir), scorer, data, nil); err != nil {
			t.Fatal(err)
		}
		err = tr.Run(context.Background())
	}
	if err != nil {
		t.Fatal(err)
	}
}

// TestTrainDeterminismAndResume trains the tiny preset (4 epochs of 4 D
// steps, 8 G steps, 3 evaluations of 2 blocks): the run is bit-identical
// with 1 and 4 workers, and an interrupted run (between D steps, at the
// end of an epoch, in the middle of an evaluation and just before its
// end) resumes to the same files as an uninterrupted one.
func TestTrainDeterminismAndResume(t *testing.T) {
	ref := t.TempDir()
	tinyTrain(t, ref, 1, 0)
	files := []string{"checkpoint.safetensors", "best.safetensors", "train_result.json", "real_stats.npz"}
	for _, f := range files {
		readFile(t, filepath.Join(ref, f))
	}
	var s TrainSummary
	readJSON(t, filepath.Join(ref, "train_result.json"), &s)
	if s.Epochs != 4 || s.GenSteps != 8 || s.LastIS <= 1 || s.BestFID <= 0 || s.BestFID >= 1e4 {
		t.Errorf("summary %+v", s)
	}
	if m, _ := filepath.Glob(filepath.Join(ref, "samples", "epoch_*.png")); len(m) != 3 {
		t.Errorf("%d sample grids, want 3 (one per evaluation)", len(m))
	}
	for _, run := range []struct {
		name          string
		procs, stopAt int
	}{
		{"4 workers", 4, 0},
		{"stopped after D step 2", 2, 2},
		{"stopped at an epoch end", 1, 4},
		{"stopped inside an evaluation", 3, 9},
		{"stopped after the last block", 1, 10},
	} {
		dir := t.TempDir()
		tinyTrain(t, dir, run.procs, run.stopAt)
		for _, f := range files {
			if !bytes.Equal(readFile(t, filepath.Join(ref, f)), readFile(t, filepath.Join(dir, f))) {
				t.Errorf("%s: %s differs from the uninterrupted run's", run.name, f)
			}
		}
		if events(t, dir) != events(t, ref) {
			t.Errorf("%s: metrics.jsonl differs", run.name)
		}
	}
}

// TestPlannedGenSteps: a max_iter that does not end an epoch is rounded
// up to whole epochs, and the run does the generator steps the start-up
// line announces (5 asked: 3 epochs of 4 D steps, every second one with a
// G step, so 6).
func TestPlannedGenSteps(t *testing.T) {
	cfg := MustTrainPreset("tiny")
	cfg.MaxIter, cfg.ValFreq = 5, 10
	scorer, err := classifier.NewEmbeddedScorer()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tr, err := NewTrainer(cfg, newRun(t, dir), scorer, cifar.Shapes10(cfg.DatasetN, cfg.Seed), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := tr.PlannedGenSteps(); got != 6 {
		t.Fatalf("planned %d generator steps, want 6", got)
	}
	if err := tr.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	var s TrainSummary
	readJSON(t, filepath.Join(dir, "train_result.json"), &s)
	if s.Epochs != 3 || s.GenSteps != 6 {
		t.Fatalf("ran %d epochs and %d generator steps, planned 3 and 6", s.Epochs, s.GenSteps)
	}
}

// TestLoadGenerator checks that the best checkpoint reloads as the EMA
// generator the evaluation scored: the same images, the same IS.
func TestLoadGenerator(t *testing.T) {
	dir := t.TempDir()
	tinyTrain(t, dir, 0, 0)
	g, cfg, err := LoadGenerator(filepath.Join(dir, "best.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Preset != "tiny" || g.Arch().String() != MustParse(cfg.Arch).String() {
		t.Errorf("config %+v, arch %s", cfg, g.Arch())
	}
	// Re-score the images of the best evaluation with the reloaded generator.
	var s TrainSummary
	readJSON(t, filepath.Join(dir, "train_result.json"), &s)
	var isBest float64
	for _, line := range strings.Split(strings.TrimSpace(string(readFile(t, filepath.Join(dir, "metrics.jsonl")))), "\n") {
		var m struct {
			Event string  `json:"event"`
			Epoch int     `json:"epoch"`
			IS    float64 `json:"is_mean"`
		}
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatal(err)
		}
		if m.Event == "eval" && m.Epoch == s.BestEpoch-1 {
			isBest = m.IS
		}
	}
	scorer, _ := classifier.NewEmbeddedScorer()
	src := GeneratedImages(g, cfg.EvalImages, tensor.NewRNG(cfg.Seed).Child(fmt.Sprintf("eval/epoch%d", s.BestEpoch-1)))
	e, err := metrics.Evaluate(src, scorer, metrics.EvalConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if is, _, _ := e.InceptionScore(); is != isBest {
		t.Errorf("IS of the reloaded best generator %v, the run measured %v", is, isBest)
	}
	z := tensor.New(3, cfg.Latent)
	Latents(tensor.NewRNG(1), 0, z)
	out := g.Forward(autodiff.NoGrad(), autodiff.Const(z)).Value
	if out.Dim(0) != 3 || out.Dim(2) != 32 {
		t.Fatalf("output %v", out.Shape())
	}
	for _, v := range out.Data() {
		if !(v >= -1 && v <= 1) {
			t.Fatalf("output %v outside [-1, 1]", v)
		}
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	if err := json.Unmarshal(readFile(t, path), v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
