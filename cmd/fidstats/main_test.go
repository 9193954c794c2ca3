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

	"github.com/autogan-go/autogan/inception/metrics"

	"github.com/autogan-go/autogan/cmd/internal/cli"
	"github.com/autogan-go/autogan/internal/progress"
)

// TestShardedStatsEqualSingleRun computes the statistics of 450 Shapes-10
// images in one process and in 3 shards merged afterwards: the .npz files
// are byte-identical, and they read back as 128-d mean and covariance.
func TestShardedStatsEqualSingleRun(t *testing.T) {
	dir := t.TempDir()
	src := []string{"-dataset", "shapes10", "-limit", "450"}
	single := filepath.Join(dir, "single.npz")
	var out bytes.Buffer
	if err := run(context.Background(), append(src, "-out", single), &out, progress.Quiet()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "450 images, 128-dimensional") {
		t.Errorf("output %q", out.String())
	}
	var parts []string
	for i := range 3 {
		p := filepath.Join(dir, fmt.Sprintf("part%d.eval", i))
		parts = append(parts, p)
		if err := run(context.Background(), append(src, "-shard", fmt.Sprintf("%d/3", i), "-partial", p), io.Discard, progress.Quiet()); err != nil {
			t.Fatal(err)
		}
	}
	merged := filepath.Join(dir, "merged.npz")
	// The order of the parts on the command line does not matter.
	if err := merge([]string{"-out", merged, parts[2], parts[0], parts[1]}, io.Discard); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(single)
	b, _ := os.ReadFile(merged)
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Fatal("merged statistics differ from the single run's")
	}
	mu, sigma, err := metrics.ReadStatsFile(merged)
	if err != nil {
		t.Fatal(err)
	}
	if len(mu) != 128 || len(sigma) != 128*128 {
		t.Errorf("read back %d-d mean, %d covariance entries", len(mu), len(sigma))
	}
	// A missing shard is an error that says which images are missing.
	if err := merge([]string{"-out", filepath.Join(dir, "x.npz"), parts[0], parts[2]}, io.Discard); err == nil {
		t.Error("merge without shard 1: no error")
	}
}

// TestFidstatsBadCommandLines: mistakes on the command line are usage
// errors (exit code 2) before any image is scored, among them a -data_dir,
// -scorer or -images that does not exist, an -out or -partial that cannot
// be written (-partial's failed after the scoring), -images with -dataset
// or neither, an unknown dataset and a part to merge that does not exist
// (they exited 1); a file that exists but is not what it should be is an
// error of its own (exit code 1).
func TestFidstatsBadCommandLines(t *testing.T) {
	dir := t.TempDir()
	notWeights := filepath.Join(dir, "w.pth")
	if err := os.WriteFile(notWeights, []byte("not weights"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "x.npz")
	for _, c := range []struct {
		args  []string
		usage bool
		want  string
	}{
		{[]string{"-dataset", "shapes10"}, true, "-out"},
		{[]string{"-dataset", "shapes10", "-out", "x.npz", "-shard", "3/3"}, true, "shard"},
		{[]string{"-bogus"}, true, "bogus"},
		{[]string{"-dataset", "cifar10", "-data-dir", filepath.Join(dir, "none"), "-out", "x.npz", "-any_scorer"}, true, "-data_dir " + filepath.Join(dir, "none")},
		// The embedded scorer knows Shapes-10 only.
		{[]string{"-dataset", "cifar10", "-data-dir", filepath.Join(dir, "none"), "-out", "x.npz"}, true, "trained on shapes10"},
		{[]string{"-dataset", "shapes10", "-out", "x.npz", "-weights", filepath.Join(dir, "none.pth")}, true, "-scorer " + filepath.Join(dir, "none.pth")},
		{[]string{"-dataset", "shapes10", "-out", "x.npz", "-weights", notWeights}, false, "w.pth"},
		{[]string{"-dataset", "shapes10", "-limit", "5", "-out", out}, true, "at least 10"},
		{[]string{"-dataset", "shapes10", "-limit", "-1", "-out", out}, true, "-limit"},
		{[]string{"-dataset", "shapes10", "-out", filepath.Join(dir, "no", "x.npz")}, true, "-out " + filepath.Join(dir, "no", "x.npz") + ": cannot write"},
		{[]string{"-dataset", "shapes10", "-limit", "20", "-out", out, "-partial", filepath.Join(dir, "no", "p.eval")}, true, "-partial " + filepath.Join(dir, "no", "p.eval")},
		{[]string{"-dataset", "shapes10", "-limit", "20", "-shard", "2/3"}, true, "-shard 2/3 needs -partial"},
		{[]string{"-dataset", "shapes10", "-limit", "20", "-shard", "2/3", "-partial", filepath.Join(dir, "p.eval"), "-out", out}, true, "-out does not apply to a shard"},
		{[]string{"merge", "-out", filepath.Join(dir, "no", "s.npz"), filepath.Join(dir, "any.eval")}, true, "-out " + filepath.Join(dir, "no", "s.npz")},
		{[]string{"-images", filepath.Join(dir, "none"), "-out", out}, true, "-images " + filepath.Join(dir, "none")},
		{[]string{"-images", dir, "-dataset", "shapes10", "-out", out}, true, "not both"},
		{[]string{"-out", out}, true, "nothing to score"},
		{[]string{"-dataset", "nope", "-out", out}, true, "unknown dataset"},
		{[]string{"merge", "-out", out, filepath.Join(dir, "none.eval")}, true, filepath.Join(dir, "none.eval")},
	} {
		err := run(context.Background(), c.args, io.Discard, progress.Quiet())
		if err == nil || errors.Is(err, cli.ErrUsage) != c.usage || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want usage=%v mentioning %q", c.args, err, c.usage, c.want)
		}
	}
	if err := merge([]string{"-out", "x.npz"}, io.Discard); !errors.Is(err, cli.ErrUsage) {
		t.Errorf("merge without parts: %v", err)
	}
}
