// Package tinyrun makes the small files that the commands' tests read, the
// way the commands themselves make them: a generator trained for one step
// with the tiny preset, and copies of fixtures where a documented command
// line expects them. It exists for tests only; no command imports it.
package tinyrun

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/autogan-go/autogan/cmd/internal/cli"
	"github.com/autogan-go/autogan/inception/classifier"
	"github.com/autogan-go/autogan/internal/progress"
	"github.com/autogan-go/autogan/nas"
	"github.com/autogan-go/autogan/nas/rundir"
)

// TrainGenerator trains the tiny preset for one generator step into the
// run directory dir, as cmd/train does, for the commands that read its
// best.safetensors (eval, sample).
func TrainGenerator(t testing.TB, dir string) {
	t.Helper()
	cfg := nas.MustTrainPreset("tiny")
	cfg.MaxIter, cfg.EvalImages, cfg.EvalBatch, cfg.DatasetN, cfg.GridImages = 1, 20, 10, 32, 4
	sc, err := classifier.NewEmbeddedScorer()
	if err != nil {
		t.Fatal(err)
	}
	data, err := cli.TrainingData(cfg.Dataset, "", cfg.Seed, cfg.DatasetN, cfg.ImgSize, progress.Quiet())
	if err != nil {
		t.Fatal(err)
	}
	rd, err := rundir.Create(dir)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := nas.NewTrainer(cfg, rd, sc, data, progress.Quiet())
	if err == nil {
		err = tr.Run(context.Background())
	}
	if err != nil {
		t.Fatal(err)
	}
}

// CopyFile copies the file from to the path to, creating its folder.
func CopyFile(t testing.TB, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err == nil {
		err = os.MkdirAll(filepath.Dir(to), 0o755)
	}
	if err == nil {
		err = os.WriteFile(to, b, 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
}
