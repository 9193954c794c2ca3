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

// TestEarlierRecordKept: -run on a directory that holds an evaluation's
// record is refused, and the record stays as it was.
func TestEarlierRecordKept(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "metrics.jsonl")
	if err := os.WriteFile(log, []byte("{\"event\":\"result\"}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := run(context.Background(), []string{"-dataset", "shapes10", "-limit", "100", "-run", dir}, io.Discard, progress.Quiet())
	if !errors.Is(err, cli.ErrUsage) || !strings.Contains(err.Error(), "already holds") {
		t.Fatalf("error %v, want a usage error: the directory already holds a record", err)
	}
	if b, _ := os.ReadFile(log); string(b) != "{\"event\":\"result\"}\n" {
		t.Fatalf("the earlier record became %q", b)
	}
}
