package main

import (
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

// TestBadSettingsRefusedFirst: the settings a new user's trial found
// accepted (non-finite or negative rates, betas outside [0, 1), negative
// thread counts, extra arguments) are usage errors naming the setting, and
// an invalid configuration exits 2 as it does from search; so do an
// unknown dataset, a dataset without its -data_dir, and a -data_dir,
// -scorer or -fid_stat that does not exist (they exited 1, -fid_stat after
// the run directory was made).
func TestBadSettingsRefusedFirst(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing")
	// Run directories where a new training must not start: one to resume,
	// one whose training finished and whose checkpoint has gone.
	held, finished := t.TempDir(), t.TempDir()
	for path, file := range map[string]string{held: "checkpoint.safetensors", finished: "train_result.json"} {
		if err := os.WriteFile(filepath.Join(path, file), []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-g_lr", "NaN"}, "g_lr"},
		{[]string{"-d_lr", "-1e-4"}, "d_lr"},
		{[]string{"-g_lr", "Inf"}, "g_lr"},
		{[]string{"-beta2", "5"}, "beta2"},
		{[]string{"-threads", "-2"}, "-threads"},
		{[]string{"extra"}, "unexpected arguments"},
		{[]string{"-gf_dim", "0"}, "gf_dim"},
		{[]string{"-dataset_n", "100000000000"}, "100000000000 training images"},
		{[]string{"-dataset_n", "-5"}, "dataset_n"},
		{[]string{"-preprocess", "foo"}, "preprocess"},
		{[]string{"-arch", "autogan_cifar10_d"}, "autogan_cifar10_a, autogan_cifar10_b, autogan_cifar10_c"},
		{[]string{"-dataset", "nope"}, "unknown dataset"},
		{[]string{"-dataset", "cifar10", "-any_scorer"}, "needs a folder"},
		{[]string{"-dataset", "cifar10", "-any_scorer", "-data_dir", missing}, "-data_dir " + missing},
		{[]string{"-scorer", missing}, "-scorer " + missing},
		{[]string{"-fid_stat", missing}, "-fid_stat " + missing},
		{[]string{"-run", held}, "resume it with -resume " + held},
		{[]string{"-run", finished}, "finished run (train_result.json)"},
		{[]string{"-top", "3"}, "-top and -index choose among"},
		{[]string{"-index", "2"}, "-top and -index choose among"},
	} {
		args := append([]string{"-preset", "tiny", "-run", t.TempDir()}, c.args...)
		err := run(context.Background(), args, io.Discard, progress.Quiet())
		if !errors.Is(err, cli.ErrUsage) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want a usage error naming %s", c.args, err, c.want)
		}
	}
}

// TestDivergedTrainingExitsAsDiverged: learning rates of 1e9 make the tiny
// training diverge; train stops with an error that Exit turns into code 4
// (it exited 0 with a broken checkpoint), naming the loss and the step.
func TestDivergedTrainingExitsAsDiverged(t *testing.T) {
	err := run(context.Background(), []string{"-preset", "tiny", "-run", t.TempDir(), "-g_lr", "1e9", "-d_lr", "1e9"}, io.Discard, progress.Quiet())
	if !errors.Is(err, nas.ErrDiverged) || !strings.Contains(err.Error(), "loss") {
		t.Fatalf("error %v, want a divergence naming the loss", err)
	}
}

// TestResumeOfASearchNamesTheCommand: -resume on a search's run directory
// says which command resumes it (it said: unknown field "baseline_decay").
func TestResumeOfASearchNamesTheCommand(t *testing.T) {
	err := run(context.Background(), []string{"-resume", "../../testdata/resume/search-v1"}, io.Discard, progress.Quiet())
	if !errors.Is(err, cli.ErrUsage) || !strings.Contains(err.Error(), "go run ./cmd/search -resume") {
		t.Fatalf("error %v, want a usage error naming cmd/search", err)
	}
}

// TestMissingRunDirectoriesRefused: a run directory that does not exist,
// given to -resume, -from_search or train report, is a usage error naming
// it (they exited 1).
func TestMissingRunDirectoriesRefused(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing")
	for _, args := range [][]string{{"-resume", missing}, {"-from_search", missing}, {"report", missing}} {
		err := run(context.Background(), args, io.Discard, progress.Quiet())
		if !errors.Is(err, cli.ErrUsage) || !strings.Contains(err.Error(), missing+": no such file or directory") {
			t.Errorf("%q: %v, want a usage error naming %s", args, err, missing)
		}
	}
}
