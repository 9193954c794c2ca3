package nas

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/autogan-go/autogan/inception/classifier"

	"github.com/autogan-go/autogan/cifar"
)

// Searches run for weeks, so a checkpoint written by an earlier version of
// this code must still resume. testdata/resume/ holds a tiny search and a
// tiny training run interrupted near their ends, written by the version before the
// package was reorganised (the first checkpoint format, "v1"), together
// with what that version produced when it resumed them: the test resumes
// the same files with today's code and requires the same result.json and
// train_result.json.
//
// Results depend on the matrix kernel (AVX-512, AVX2 and pure Go round
// differently), so the fixture is written, and the test runs, with the
// pure-Go kernel and direct convolutions, which give the same bits on every
// machine: the test re-executes itself with AUTOGAN_GEMM_KERNEL=generic and
// AUTOGAN_CONV=direct.
//
//	go test ./nas -run TestOldCheckpointsResume -update-resume-fixtures

var updateResume = flag.Bool("update-resume-fixtures", false, "rewrite testdata/resume from this version of the code")

const resumeFixtures = "../testdata/resume"

func TestOldCheckpointsResume(t *testing.T) {
	if os.Getenv("AUTOGAN_GEMM_KERNEL") != "generic" || os.Getenv("AUTOGAN_CONV") != "direct" {
		args := []string{"-test.run", "^TestOldCheckpointsResume$", "-test.count", "1"}
		if *updateResume {
			args = append(args, "-update-resume-fixtures")
		}
		if testing.Verbose() {
			args = append(args, "-test.v")
		}
		cmd := exec.Command(os.Args[0], args...)
		cmd.Env = append(os.Environ(), "AUTOGAN_GEMM_KERNEL=generic", "AUTOGAN_CONV=direct")
		out, err := cmd.CombinedOutput()
		t.Logf("with the pure-Go kernel:\n%s", out)
		if err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Run("search", func(t *testing.T) {
		fixture := filepath.Join(resumeFixtures, "search-v1")
		if *updateResume {
			writeSearchResumeFixture(t, fixture)
		}
		dir := copyDir(t, fixture, []string{"checkpoint.safetensors", "config.json", "metrics.jsonl"})
		cfg := MustPreset("tiny")
		scorer, err := classifier.NewEmbeddedScorer()
		if err != nil {
			t.Fatal(err)
		}
		s, err := Resume(openRun(t, dir), scorer, cifar.Shapes10(cfg.DatasetN, cfg.Seed), nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got, want := readFile(t, filepath.Join(dir, "result.json")), readFile(t, filepath.Join(fixture, "expected_result.json")); !bytes.Equal(got, want) {
			t.Errorf("the resumed search found\n%s\nthe version that wrote the checkpoint found\n%s", got, want)
		}
	})
	t.Run("train", func(t *testing.T) {
		fixture := filepath.Join(resumeFixtures, "train-v1")
		if *updateResume {
			writeTrainResumeFixture(t, fixture)
		}
		dir := copyDir(t, fixture, []string{"checkpoint.safetensors", "config.json", "metrics.jsonl", "real_stats.npz"})
		cfg := MustTrainPreset("tiny")
		scorer, err := classifier.NewEmbeddedScorer()
		if err != nil {
			t.Fatal(err)
		}
		tr, err := ResumeTrainer(openRun(t, dir), scorer, cifar.Shapes10(cfg.DatasetN, cfg.Seed), nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := tr.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got, want := readFile(t, filepath.Join(dir, "train_result.json")), readFile(t, filepath.Join(fixture, "expected_train_result.json")); !bytes.Equal(got, want) {
			t.Errorf("the resumed training gave\n%s\nthe version that wrote the checkpoint gave\n%s", got, want)
		}
	})
}

// copyDir copies the named files of a fixture into a temporary run
// directory (with an empty samples/ folder).
func copyDir(t *testing.T, from string, names []string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "samples"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n), readFile(t, filepath.Join(from, n)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// writeSearchResumeFixture interrupts the tiny search half-way, keeps its
// checkpoint, then finishes it and keeps its result.
func writeSearchResumeFixture(t *testing.T, fixture string) {
	cfg := MustPreset("tiny")
	dir := t.TempDir()
	scorer, err := classifier.NewEmbeddedScorer()
	if err != nil {
		t.Fatal(err)
	}
	data := cifar.Shapes10(cfg.DatasetN, cfg.Seed)
	s, err := NewSearcher(cfg, newRun(t, dir), scorer, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.OnStep = func(total int) {
		if total == 45 { // stage 2, six steps before the end: the test stays short
			cancel()
		}
	}
	if err := s.Run(ctx); !errors.Is(err, ErrInterrupted) {
		t.Fatalf("the tiny search was not interrupted: %v", err)
	}
	keepFiles(t, dir, fixture, "checkpoint.safetensors", "config.json", "metrics.jsonl")
	if s, err = Resume(openRun(t, dir), scorer, data, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(fixture, "expected_result.json"), readFile(t, filepath.Join(dir, "result.json")), 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeTrainResumeFixture does the same for the tiny training run,
// interrupted in its last epoch.
func writeTrainResumeFixture(t *testing.T, fixture string) {
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
	ctx, cancel := context.WithCancel(context.Background())
	tr.OnStep = func(total int) {
		if total == 20 { // the last epoch
			cancel()
		}
	}
	if err := tr.Run(ctx); !errors.Is(err, ErrInterrupted) {
		t.Fatalf("the tiny training was not interrupted: %v", err)
	}
	keepFiles(t, dir, fixture, "checkpoint.safetensors", "config.json", "metrics.jsonl", "real_stats.npz")
	if tr, err = ResumeTrainer(openRun(t, dir), scorer, data, nil); err != nil {
		t.Fatal(err)
	}
	if err := tr.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(fixture, "expected_train_result.json"), readFile(t, filepath.Join(dir, "train_result.json")), 0o644); err != nil {
		t.Fatal(err)
	}
}

func keepFiles(t *testing.T, from, to string, names ...string) {
	t.Helper()
	if err := os.MkdirAll(to, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(to, n), readFile(t, filepath.Join(from, n)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
