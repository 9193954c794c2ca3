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

// TestSearchInterruptResume runs the tiny preset through the command, then
// the same search stopped by a signal (a cancelled context) and continued
// with -resume: the result and the final checkpoint equal the
// uninterrupted run's byte for byte.
func TestSearchInterruptResume(t *testing.T) {
	dir := t.TempDir()
	ref, stopped := filepath.Join(dir, "ref"), filepath.Join(dir, "stopped")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-preset", "tiny", "-run", ref}, &out, progress.Quiet()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"rank", "cell1:", "go run ./cmd/train -from_search " + ref} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	// Starting over in a directory that holds a run is refused: it would
	// overwrite the run's results.
	if err := run(context.Background(), []string{"-preset", "tiny", "-run", ref}, io.Discard, progress.Quiet()); err == nil {
		t.Error("a second search in the same directory: no error")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := run(ctx, []string{"-preset", "tiny", "-run", stopped}, io.Discard, progress.Quiet())
	if !errors.Is(err, nas.ErrInterrupted) || !strings.Contains(err.Error(), "-resume "+stopped) {
		t.Fatalf("stopped run: %v", err)
	}
	// A setting that may not change is refused before the run is loaded:
	// nothing says "resumed".
	var log bytes.Buffer
	err = run(context.Background(), []string{"-resume", stopped, "-gf_dim", "64"}, io.Discard, progress.New(&log, false, 0))
	if !errors.Is(err, cli.ErrUsage) || strings.Contains(log.String(), "resumed") {
		t.Errorf("-resume with -gf_dim 64: %v, log %q; want a usage error before loading", err, log.String())
	}
	if err := run(context.Background(), []string{"-resume", stopped}, io.Discard, progress.Quiet()); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"result.json", "checkpoint.safetensors"} {
		a, _ := os.ReadFile(filepath.Join(ref, f))
		b, _ := os.ReadFile(filepath.Join(stopped, f))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs after resume", f)
		}
	}
	// Resuming the finished run says so, shows the result again and
	// changes no file of the run.
	before := runFiles(t, ref)
	out.Reset()
	log.Reset()
	if err := run(context.Background(), []string{"-resume", ref}, &out, progress.New(&log, false, 0)); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"already finished", "rank", "cell1:"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("-resume of a finished run: output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "finished in") || strings.Contains(log.String(), "resumed") {
		t.Errorf("-resume of a finished run reads as if it ran:\n%s%s", log.String(), out.String())
	}
	after := runFiles(t, ref)
	for name, data := range before {
		if !bytes.Equal(data, after[name]) {
			t.Errorf("-resume of a finished run changed %s", name)
		}
	}
	if len(after) != len(before) {
		t.Errorf("-resume of a finished run: %d files before, %d after", len(before), len(after))
	}
}

// runFiles reads every file of the run directory dir, by relative path.
func runFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		files[rel] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestSearchBadCommandLines: mistakes on the command line are usage errors
// (exit code 2), before any work starts: an unknown preset or dataset, a
// -config file that is missing or holds no settings, and a -resume
// directory, -scorer or -data_dir that does not exist (these exited 1 from
// search and 2 from train).
func TestSearchBadCommandLines(t *testing.T) {
	dir := t.TempDir()
	notSettings := filepath.Join(dir, "list.json")
	if err := os.WriteFile(notSettings, []byte("[1, 2]"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing")
	// Run directories where a new search must not start: one to resume,
	// one whose search finished and whose checkpoint has gone.
	held, finished := filepath.Join(dir, "held"), filepath.Join(dir, "finished")
	for path, file := range map[string]string{held: "checkpoint.safetensors", finished: "result.json"} {
		os.MkdirAll(path, 0o755)
		if err := os.WriteFile(filepath.Join(path, file), []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		args  []string
		usage bool
		want  string
	}{
		{[]string{"-no-such-flag"}, true, "no-such-flag"},
		{[]string{"-preset", "tiny", "extra"}, true, "unexpected arguments"},
		{[]string{"-threads", "0"}, true, "-threads"},
		{[]string{"-preset", "huge", "-run", dir}, true, "huge"},
		{[]string{"-resume", missing}, true, "-resume " + missing},
		{[]string{"-preset", "tiny", "-run", filepath.Join(dir, "x"), "-config", filepath.Join(dir, "none.json")}, true, "none.json"},
		{[]string{"-preset", "tiny", "-run", filepath.Join(dir, "x"), "-config", notSettings}, true, "one JSON object"},
		{[]string{"-preset", "tiny", "-run", filepath.Join(dir, "y"), "-dataset", "nope"}, true, "nope"},
		{[]string{"-preset", "tiny", "-run", filepath.Join(dir, "y"), "-dataset", "cifar10", "-any_scorer"}, true, "needs a folder"},
		{[]string{"-preset", "tiny", "-run", filepath.Join(dir, "y"), "-dataset", "cifar10", "-any_scorer", "-data_dir", missing}, true, "-data_dir " + missing},
		{[]string{"-preset", "tiny", "-run", filepath.Join(dir, "y"), "-scorer", missing}, true, "-scorer " + missing},
		{[]string{"-preset", "tiny", "-run", held}, true, "resume it with -resume " + held},
		{[]string{"-preset", "tiny", "-run", finished}, true, "finished run (result.json)"},
	} {
		err := run(context.Background(), c.args, io.Discard, progress.Quiet())
		if err == nil || errors.Is(err, cli.ErrUsage) != c.usage || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want usage=%v mentioning %q", c.args, err, c.usage, c.want)
		}
	}
}
