package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autogan-go/autogan/cmd/internal/cli"
	"github.com/autogan-go/autogan/internal/progress"
	"github.com/autogan-go/autogan/nas"
)

// TestTrainInterruptResume trains the tiny preset, stops it by a signal
// (a cancelled context) and resumes it with -resume: the result equals an
// uninterrupted run's.
func TestTrainInterruptResume(t *testing.T) {
	dir := t.TempDir()
	ref, stopped := filepath.Join(dir, "ref"), filepath.Join(dir, "stopped")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-preset", "tiny", "-run", ref}, &out, progress.Quiet()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "best FID") {
		t.Errorf("output %q", out.String())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := run(ctx, []string{"-preset", "tiny", "-run", stopped}, io.Discard, progress.Quiet()); !errors.Is(err, nas.ErrInterrupted) {
		t.Fatalf("stopped run: %v", err)
	}
	// Starting over in a directory that holds a run is refused.
	if err := run(context.Background(), []string{"-preset", "tiny", "-run", stopped}, io.Discard, progress.Quiet()); err == nil {
		t.Error("a second run in the same directory: no error")
	}
	// A setting that may not change is refused before the run is loaded.
	var log bytes.Buffer
	err := run(context.Background(), []string{"-resume", stopped, "-gf_dim", "64"}, io.Discard, progress.New(&log, false, 0))
	if !errors.Is(err, cli.ErrUsage) || strings.Contains(log.String(), "resumed") {
		t.Errorf("-resume with -gf_dim 64: %v, log %q; want a usage error before loading", err, log.String())
	}
	if err := run(context.Background(), []string{"-resume", stopped}, io.Discard, progress.Quiet()); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"checkpoint.safetensors", "best.safetensors", "train_result.json"} {
		a, _ := os.ReadFile(filepath.Join(ref, f))
		b, _ := os.ReadFile(filepath.Join(stopped, f))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs after resume", f)
		}
	}
	// Resuming the finished run says so and shows its result again.
	log.Reset()
	out.Reset()
	if err := run(context.Background(), []string{"-resume", ref}, &out, progress.New(&log, false, 0)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "already finished") || strings.Contains(log.String(), "resumed") || !strings.Contains(out.String(), "best FID") {
		t.Errorf("-resume of a finished run: log %q, output %q", log.String(), out.String())
	}
}

// TestFromSearch trains the top architectures of a search result as a job
// array would (one -index per task), then reports the best.
func TestFromSearch(t *testing.T) {
	search := t.TempDir()
	result := `{"strategy": "mlas", "reward": "is", "scorer": "embedded", "architectures": [
		{"rank": 1, "arch": "1 0 1 1 1 0 0 1 1 1 0 1 0 3", "reward": 3.1, "description": "A"},
		{"rank": 2, "arch": "0 2 2 1 1 1 0 0 1 0 0 1 1 2", "reward": 2.9, "description": "other"},
		{"rank": 3, "arch": "1 0 0 0 1 0 0 0 0 1 0 0 0 0", "reward": 2.0, "description": "third"}]}`
	if err := os.WriteFile(filepath.Join(search, "result.json"), []byte(result), 0o644); err != nil {
		t.Fatal(err)
	}
	base := []string{"-preset", "tiny", "-from-search", search, "-top", "2"}
	t.Setenv("SLURM_ARRAY_TASK_ID", "1") // 0-based: the second architecture
	for _, index := range []string{"1", "env"} {
		if err := run(context.Background(), append(base, "-index", index), io.Discard, progress.Quiet()); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{"top1", "top2"} {
		if _, err := os.Stat(filepath.Join(search, "train", d, "train_result.json")); err != nil {
			t.Errorf("%s not trained: %v", d, err)
		}
	}
	if _, err := os.Stat(filepath.Join(search, "train", "top3")); err == nil {
		t.Error("top3 trained with -top 2")
	}
	// A requeued task whose architecture is finished does nothing.
	if err := run(context.Background(), append(base, "-index", "1"), io.Discard, progress.Quiet()); err != nil {
		t.Fatal(err)
	}
	for _, by := range []string{"is", "fid"} {
		var out bytes.Buffer
		if err := reportCommand([]string{search, "-by", by}, &out); err != nil {
			t.Fatal(err)
		}
		// The derived generator's checkpoint is named, and exists.
		_, path, ok := strings.Cut(out.String(), "derived generator: top")
		path, hint, _ := strings.Cut(path, "\n")
		path = strings.TrimSpace(path[strings.LastIndex(path, ": ")+2:])
		if !strings.Contains(hint, "go run ./cmd/sample -checkpoint "+path+" ") {
			t.Errorf("report -by %s: no command to sample %s:\n%s", by, path, out.String())
		}
		if !ok || strings.Count(out.String(), "\ntop") != 2 {
			t.Fatalf("report -by %s:\n%s", by, out.String())
		}
		want := map[string]string{"is": "best_is.safetensors", "fid": "best.safetensors"}[by]
		if filepath.Base(path) != want {
			t.Errorf("report -by %s names %s, want a %s", by, path, want)
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("report -by %s: %v", by, err)
		}
	}
	if err := reportCommand([]string{search, "-by", "loss"}, io.Discard); !errors.Is(err, cli.ErrUsage) {
		t.Errorf("-by loss: %v, want a usage error", err)
	}
	for _, bad := range []string{"0", "3", "x"} {
		if err := run(context.Background(), append(base, "-index", bad), io.Discard, progress.Quiet()); !errors.Is(err, cli.ErrUsage) {
			t.Errorf("-index %s: %v", bad, err)
		}
	}
	// More than the search found: all of them, and the log says so.
	var log bytes.Buffer
	if err := run(context.Background(), []string{"-preset", "tiny", "-from_search", search, "-top", "9", "-index", "1"}, io.Discard, progress.New(&log, false, 0)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "-top 9: the search lists 3 architectures; training all 3") {
		t.Errorf("-top 9 of 3: log\n%s", log.String())
	}
	// -arch would be ignored: the search's architectures are trained.
	err := run(context.Background(), append(base, "-index", "1", "-arch", "autogan_cifar10_b"), io.Discard, progress.Quiet())
	if !errors.Is(err, cli.ErrUsage) || !strings.Contains(err.Error(), "-arch does not apply") {
		t.Errorf("-from_search with -arch: %v, want a usage error", err)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"-preset", "nope"},
		{"-preset", "tiny", "-gf_dim", "x"},
		{"-preset", "tiny", "-arch", "1 2"},
		{"-preset", "tiny", "-img_size", "48"},
	} {
		if err := run(context.Background(), append(args, "-run", t.TempDir()), io.Discard, progress.Quiet()); !errors.Is(err, cli.ErrUsage) {
			t.Errorf("%q: %v, want a usage error", args, err)
		}
	}
	if err := run(context.Background(), []string{"-from-search", t.TempDir()}, io.Discard, progress.Quiet()); err == nil {
		t.Error("-from-search of a directory without result.json: no error")
	}
	if err := report(t.TempDir(), nas.ByIS, io.Discard); err == nil {
		t.Error("report of an empty directory: no error")
	}
}
