package main

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autogan-go/autogan/cmd/internal/cli"
	"github.com/autogan-go/autogan/internal/progress"
)

// TestBadSettingsRefusedFirst reproduces the bad inputs that a new user's
// trial found accepted, crashing or silently ignored, each now a usage
// error (exit code 2) that names the setting, before any work: non-finite,
// negative and infinite learning rates, betas outside [0, 1), a negative
// thread count, an absurd dataset size (it panicked in makeslice), an
// invalid configuration (it exited 1 from search and 2 from train), and a
// scorer trained on another dataset than the one searched (the embedded
// Shapes-10 classifier scoring CIFAR-10 without a word).
func TestBadSettingsRefusedFirst(t *testing.T) {
	dir := t.TempDir()
	for i, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-g_lr", "NaN"}, "g_lr"},
		{[]string{"-g_lr", "-1"}, "g_lr"},
		{[]string{"-d_lr", "+Inf"}, "d_lr"},
		{[]string{"-beta2", "5"}, "beta2"},
		{[]string{"-beta1", "-0.5"}, "beta1"},
		{[]string{"-threads", "-2"}, "-threads"},
		{[]string{"-dataset_n", "100000000000"}, "100000000000 training images"},
		{[]string{"-gf_dim", "0"}, "gf_dim"},
		{[]string{"-dataset", "cifar10", "-data_dir", dir}, "any_scorer"},
	} {
		args := append([]string{"-preset", "tiny", "-run", filepath.Join(dir, string(rune('a'+i)))}, c.args...)
		err := run(context.Background(), args, io.Discard, progress.Quiet())
		if !errors.Is(err, cli.ErrUsage) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want a usage error naming %s", c.args, err, c.want)
		}
	}
}
