package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/autogan-go/autogan/cmd/internal/cli"
	"github.com/autogan-go/autogan/cmd/internal/doclines"
	"github.com/autogan-go/autogan/internal/progress"
	"github.com/autogan-go/autogan/nas/study"
)

// TestDocumentedCommandLines: every command line of study that the
// documentation shows parses, and -h works. (The whole tiny study runs in
// package nas/study's tests; TestPieces below runs the commands' pieces.)
func TestDocumentedCommandLines(t *testing.T) {
	lines := doclines.Check(t, "../..", "study", func(args []string) (doclines.FlagSet, []string) {
		fs, _ := flags()
		return fs, args
	})
	if len(lines) < 4 {
		t.Errorf("only %d documented lines", len(lines))
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-h"}, &out, progress.Quiet()); !errors.Is(err, cli.ErrHelp) ||
		!strings.Contains(out.String(), "cpu|paper|tiny") || !strings.Contains(out.String(), "-only string") {
		t.Fatalf("-h: %v\n%s", err, out.String())
	}
}

// TestPieces runs what a cluster job runs: one search of a new tiny study
// (-only search -index 1), the status of the study, a training that is
// not possible yet, an index beyond the trainings, and the document of a
// study half done, which says it is incomplete.
func TestPieces(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "st")
	quiet := progress.Quiet()
	ctx := context.Background()
	var out bytes.Buffer

	// A new study needs -preset's plan; pieces of a study that does not exist are refused.
	if err := run(ctx, []string{"-dir", dir, "-status"}, &out, quiet); !errors.Is(err, cli.ErrUsage) {
		t.Fatalf("-status of no study: %v", err)
	}
	if err := run(ctx, []string{"-preset", "tiny", "-dir", dir, "-only", "search", "-index", "1"}, &out, quiet); err == nil {
		t.Fatal("-only search on a new study: want the usage error (create the study first)")
	}
	// Create it as a first run with -preset does.
	st, _, err := openStudy(mustFlags(t, "-preset", "tiny", "-dir", dir))
	if err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"-dir", dir, "-only", "search", "-index", "1"}, &out, quiet); err != nil {
		t.Fatal(err)
	}
	first := st.Plan.Searches()[0].Name
	if _, err := os.Stat(filepath.Join(dir, "search", first, "result.json")); err != nil {
		t.Fatalf("search %s did not finish: %v", first, err)
	}
	if err := run(ctx, []string{"-dir", dir, "-preset", "cpu"}, &out, quiet); !errors.Is(err, cli.ErrUsage) || !strings.Contains(err.Error(), "own plan") {
		t.Fatalf("-preset on an existing study: %v", err)
	}
	// The second search as a kill leaves it: a run directory, no result.
	second := st.Plan.Searches()[1].Name
	if err := os.MkdirAll(filepath.Join(dir, "search", second), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "search", second, "config.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(ctx, []string{"-dir", dir, "-status"}, &out, quiet); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`search 1: `+first+` +done +\d+s +top-1 `).MatchString(out.String()) ||
		!regexp.MustCompile(`search 2: `+second+` +started `).MatchString(out.String()) ||
		!regexp.MustCompile(`search 3: \S+ +- `).MatchString(out.String()) || !strings.Contains(out.String(), "(after the searches)") {
		t.Errorf("-status:\n%s", out.String())
	}
	if err := run(ctx, []string{"-dir", dir, "-only", "train", "-index", "1"}, &out, quiet); err == nil || !strings.Contains(err.Error(), "not finished") {
		t.Errorf("-only train before the searches end: %v", err)
	}
	// The number of searches is fixed by the plan: an index beyond it is a
	// mistake in the command line (exit code 2).
	if err := run(ctx, []string{"-dir", dir, "-only", "search", "-index", "99"}, &out, quiet); !errors.Is(err, cli.ErrUsage) {
		t.Errorf("-only search -index 99: %v, want a usage error", err)
	}
	out.Reset()
	if err := run(ctx, []string{"-dir", dir, "-create"}, &out, quiet); err != nil || !strings.Contains(out.String(), "already exists") {
		t.Errorf("-create on an existing study: %v, %q", err, out.String())
	}
	if err := run(ctx, []string{"-dir", dir, "-only", "search"}, &out, quiet); !errors.Is(err, cli.ErrUsage) {
		t.Errorf("-only search without -index: %v", err)
	}
	t.Setenv("SLURM_ARRAY_TASK_ID", "0")
	if i, err := pieceIndex("env", 3); err != nil || i != 0 {
		t.Errorf("-index env with task 0: %d, %v", i, err)
	}
	docs := filepath.Join(t.TempDir(), "doc")
	out.Reset()
	if err := run(ctx, []string{"-dir", dir, "-document", "-out", docs}, &out, quiet); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(docs, "results.md"))
	if err != nil || !bytes.Contains(md, []byte("**Incomplete:**")) || !strings.Contains(out.String(), "pieces not finished") {
		t.Errorf("document of a study half done: %v\n%s", err, out.String())
	}
}

// mustFlags parses a command line into the arguments of openStudy.
func mustFlags(t *testing.T, args ...string) (*cli.FlagSet, *options, study.Env) {
	t.Helper()
	fs, o := flags()
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return fs, o, newEnv(progress.Quiet(), &cli.Faults{})
}

// TestUnusableInputsRefusedAtCreation: a study whose every piece would fail
// on its data or scorer is refused before its plan is written (the plan's
// dataset and scorer cannot be changed afterwards).
func TestUnusableInputsRefusedAtCreation(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-dataset", "nosuch"}, "unknown dataset"},
		{[]string{"-dataset", "cifar10"}, "needs a folder"},
		{[]string{"-scorer", "/nonexistent/scorer.pth"}, "/nonexistent/scorer.pth"},
	} {
		dir := filepath.Join(t.TempDir(), "st")
		_, _, err := openStudy(mustFlags(t, append([]string{"-preset", "tiny", "-dir", dir}, c.args...)...))
		if !errors.Is(err, cli.ErrUsage) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want a usage error mentioning %q", c.args, err, c.want)
		}
		if _, err := os.Stat(filepath.Join(dir, "study.json")); err == nil {
			t.Errorf("%q: the refused study's plan was written", c.args)
		}
	}
}

// TestFlagsThatDoNotGoTogether: a flag that the rest of the command line
// would ignore is refused before any work.
func TestFlagsThatDoNotGoTogether(t *testing.T) {
	// No study can be made under a file: were these command lines, which
	// would create one, not refused, they would fail there at once (not
	// with a usage error) instead of running a study.
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	// The others name a study that exists, as they must to get this far.
	dir := filepath.Join(t.TempDir(), "st")
	if _, _, err := openStudy(mustFlags(t, "-preset", "tiny", "-dir", dir)); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"-dir", filepath.Join(file, "st"), "-index", "1"},
		{"-dir", filepath.Join(file, "st"), "-create", "-out", "doc"},
		{"-dir", dir, "-only", "proxy", "-index", "1"},
		{"-dir", dir, "-status", "-out", "doc"},
		{"-dir", dir, "-only", "train", "-index", "1", "-out", "doc"},
		{"-dir", dir, "-status", "-document"},
	} {
		if err := run(context.Background(), args, io.Discard, progress.Quiet()); !errors.Is(err, cli.ErrUsage) {
			t.Errorf("%q: %v, want a usage error", args, err)
		}
	}
}

// TestDamagedInputsAreFailures: a scorer or dataset that exists but cannot
// be read fails the creation with exit code 1 (as in cmd/search and
// cmd/train), while one that does not exist is a usage error (2).
func TestDamagedInputsAreFailures(t *testing.T) {
	tmp := t.TempDir()
	junk := filepath.Join(tmp, "junk.pth")
	if err := os.WriteFile(junk, []byte("not a weights file"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(tmp, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args  []string
		usage bool
	}{
		{[]string{"-scorer", junk}, false},
		{[]string{"-dataset", "cifar10", "-data_dir", empty}, false},
		{[]string{"-dataset", "cifar10", "-data_dir", filepath.Join(tmp, "nosuch")}, true},
	} {
		dir := filepath.Join(t.TempDir(), "st")
		_, _, err := openStudy(mustFlags(t, append([]string{"-preset", "tiny", "-dir", dir}, c.args...)...))
		if err == nil || errors.Is(err, cli.ErrUsage) != c.usage {
			t.Errorf("%q: %v, want a usage error: %t", c.args, err, c.usage)
		}
	}
}
