package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autogan-go/autogan/cmd/internal/cli"
	"github.com/autogan-go/autogan/inception/metrics"
	"github.com/autogan-go/autogan/internal/progress"
)

// TestStatisticsOpenedFirst: a damaged statistics file fails before any
// image is scored (it was opened after scoring: at the paper's 50,000
// images, an hour lost). The context is cancelled before the call, so an
// evaluation that scored first would stop with an interruption instead of
// naming the file.
func TestStatisticsOpenedFirst(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.npz")
	if err := os.WriteFile(bad, []byte("not an npz file"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := run(ctx, append(append([]string{}, generator...), "-n", "50000", "-fid_stat", bad), io.Discard, progress.Quiet())
	if err == nil || errors.Is(err, metrics.ErrInterrupted) || !strings.Contains(err.Error(), "bad.npz") {
		t.Fatalf("error %v, want one naming bad.npz before any scoring", err)
	}
}

// TestBadSettingsRefusedFirst: negative thread counts and sizes and extra
// arguments are usage errors (they were accepted and ignored).
func TestBadSettingsRefusedFirst(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-threads", "-2"}, "-threads"},
		{[]string{"-size", "-5"}, "-size"},
		{[]string{"-n", "-1"}, "-n"},
		{[]string{"extra"}, "unexpected arguments"},
		{[]string{"-preprocess", "foo"}, "preprocessing"},
	} {
		err := run(context.Background(), append(append([]string{}, generator...), c.args...), io.Discard, progress.Quiet())
		if !errors.Is(err, cli.ErrUsage) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want a usage error naming %s", c.args, err, c.want)
		}
	}
}

// TestEarlierRecordKept: -run on a directory that holds another kind of
// run is refused, and on one that holds another evaluation's record too;
// either record stays as it was. The same evaluation run again (after an
// interruption, or another shard) adds its records after the earlier ones.
func TestEarlierRecordKept(t *testing.T) {
	args := func(dir string, limit int) []string {
		return []string{"-dataset", "shapes10", "-limit", fmt.Sprint(limit), "-run", dir}
	}
	// A training's directory.
	dir := t.TempDir()
	log := filepath.Join(dir, "metrics.jsonl")
	for name, content := range map[string]string{"metrics.jsonl": "{\"event\":\"epoch\"}\n", "config.json": `{"arch":"1 0 1 0 1 0 1 0 0 1 2 0 1 1","max_iter":10}`} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	err := run(context.Background(), args(dir, 100), io.Discard, progress.Quiet())
	if !errors.Is(err, cli.ErrUsage) || !strings.Contains(err.Error(), "not an evaluation") {
		t.Fatalf("a training's directory: error %v, want a usage error", err)
	}
	if b, _ := os.ReadFile(log); string(b) != "{\"event\":\"epoch\"}\n" {
		t.Fatalf("the training's record became %q", b)
	}
	// An evaluation's directory: the same evaluation appends, another is refused.
	dir = t.TempDir()
	log = filepath.Join(dir, "metrics.jsonl")
	if err := run(context.Background(), args(dir, 100), io.Discard, progress.Quiet()); err != nil {
		t.Fatal(err)
	}
	first, _ := os.ReadFile(log)
	if err := run(context.Background(), args(dir, 100), io.Discard, progress.Quiet()); err != nil {
		t.Fatalf("the same evaluation again: %v", err)
	}
	second, _ := os.ReadFile(log)
	if !bytes.HasPrefix(second, first) || bytes.Count(second, []byte(`"event":"result"`)) != 2 || bytes.Count(second, []byte(`"event":"schema"`)) != 1 {
		t.Fatalf("after the same evaluation again, the log is\n%s", second)
	}
	err = run(context.Background(), args(dir, 200), io.Discard, progress.Quiet())
	if !errors.Is(err, cli.ErrUsage) || !strings.Contains(err.Error(), "records another evaluation") {
		t.Fatalf("another evaluation: error %v, want a usage error", err)
	}
	if b, _ := os.ReadFile(log); !bytes.Equal(b, second) {
		t.Fatalf("the earlier records became\n%s", b)
	}
}

// TestCommandLineMistakesAreUsageErrors: what the command line gets wrong
// is a usage error (exit code 2) before any image is scored (the context
// is cancelled, so an evaluation that started would stop with an
// interruption instead): a -checkpoint, -images, -data_dir, -fid_stat,
// -scorer, -real_data_dir or part to merge that does not exist, an -arch
// that is no architecture or none for a PyTorch file, -images with
// -dataset or neither, an unknown -dataset or -real_dataset, a dataset
// without its folder; a -partial file in a missing folder, a -run that
// cannot be created. They exited 1, -real_dataset's and -partial's after
// the scoring.
func TestCommandLineMistakesAreUsageErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing")
	part := filepath.Join(dir, "part.eval")
	if err := os.WriteFile(part, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	pth := "../../testdata/gen_a_state_legacy.pth"
	few := []string{"-dataset", "shapes10", "-limit", "20"}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-checkpoint", missing}, "-checkpoint " + missing},
		// The generator file is looked for before the scorer is loaded.
		{[]string{"-checkpoint", missing, "-scorer", missing + ".pth"}, "-checkpoint " + missing},
		{[]string{"-checkpoint", pth, "-arch", "bogus"}, `architecture "bogus"`},
		{[]string{"-checkpoint", pth}, "give its architecture"},
		{[]string{"-images", missing}, "-images " + missing},
		{[]string{"-images", dir, "-dataset", "shapes10"}, "not both"},
		{nil, "nothing to score"},
		{[]string{"-dataset", "nope"}, "unknown dataset"},
		{[]string{"-dataset", "cifar10", "-any_scorer"}, "needs a folder or archive (-data_dir)"},
		{[]string{"-dataset", "cifar10", "-any_scorer", "-data_dir", missing}, "-data_dir " + missing},
		{append([]string{"-fid_stat", missing}, few...), "-fid_stat " + missing},
		{append([]string{"-scorer", missing}, few...), "-scorer " + missing},
		{append([]string{"-real_dataset", "nope"}, few...), "-real_dataset"},
		{append([]string{"-real_dataset", "cifar10", "-any_scorer"}, few...), "-real_data_dir"},
		{append([]string{"-real_dataset", "cifar10", "-any_scorer", "-real_data_dir", missing}, few...), "-real_data_dir " + missing},
		{[]string{"merge", missing}, missing + ": no such file or directory"},
		{[]string{"merge", "-real_dataset", "shapes10", "-scorer", missing, part}, "-scorer " + missing},
		{append([]string{"-partial", filepath.Join(missing, "p.eval")}, few...), "-partial " + filepath.Join(missing, "p.eval")},
		{append([]string{"-shard", "1/3"}, few...), "-shard 1/3 needs -partial"},
		{[]string{"merge", "-save", filepath.Join(missing, "m.eval"), part}, "-save " + filepath.Join(missing, "m.eval")},
		{append([]string{"-run", filepath.Join(part, "run")}, few...), "-run " + filepath.Join(part, "run")},
		{[]string{"merge", "-run", filepath.Join(part, "run"), part}, "-run " + filepath.Join(part, "run")},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err := run(ctx, c.args, io.Discard, progress.Quiet())
		if !errors.Is(err, cli.ErrUsage) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want a usage error naming %s", c.args, err, c.want)
		}
	}
}

// TestRunOfAMillionImages: the same evaluation's settings match when read
// back from config.json, large counts included (1000000 came back as 1e+06
// and every later shard was refused as another evaluation).
func TestRunOfAMillionImages(t *testing.T) {
	dir := t.TempDir()
	settings := map[string]any{"kind": "eval", "source": "s", "scorer": "c", "images": 1000000}
	for i := 0; i < 2; i++ {
		var log bytes.Buffer
		rec, err := evalRun(dir, settings, progress.New(&log, false, 0))
		if err != nil {
			t.Fatalf("evalRun %d: %v", i+1, err)
		}
		rec.Close()
		// The second time says that it adds to the records.
		if said := strings.Contains(log.String(), "adding to its records"); said != (i == 1) {
			t.Errorf("evalRun %d: log %q", i+1, log.String())
		}
	}
	if err := checkRun(dir); err != nil {
		t.Fatal(err)
	}
	held := t.TempDir()
	if err := os.WriteFile(filepath.Join(held, "checkpoint.safetensors"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := checkRun(held); !errors.Is(err, cli.ErrUsage) {
		t.Errorf("a directory holding a checkpoint and no log: %v, want a usage error", err)
	}
}
