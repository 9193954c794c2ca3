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

// generator is a random-weight autogan_cifar10_a (gf 8) saved by PyTorch.
var generator = []string{"-checkpoint", "../../testdata/gen_a_state_legacy.pth", "-arch", "autogan_cifar10_a",
	"-n", "1300", "-seed", "5"}

// TestShardsMergeExactly evaluates 1,300 generated images (13 blocks) in
// one process and in 3 and 7 shards: the merged statistics files are
// byte-identical to the single run's, and so is the printed result.
func TestShardsMergeExactly(t *testing.T) {
	dir := t.TempDir()
	single := filepath.Join(dir, "single.eval")
	var want bytes.Buffer
	if err := run(context.Background(), append(generator, "-partial", single, "-json"), &want, progress.Quiet()); err != nil {
		t.Fatal(err)
	}
	singleBytes, err := os.ReadFile(single)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("single run: %s", strings.TrimSpace(want.String()))
	for _, shards := range []int{1, 3, 7} {
		var parts []string
		for i := 0; i < shards; i++ {
			p := filepath.Join(dir, fmt.Sprintf("n%d_part%d.eval", shards, i))
			parts = append(parts, p)
			if err := run(context.Background(), append(generator, "-shard", fmt.Sprintf("%d/%d", i, shards), "-partial", p), io.Discard, progress.Quiet()); err != nil {
				t.Fatal(err)
			}
		}
		// Merge in reverse order: the files are ordered by their blocks.
		for a, b := 0, len(parts)-1; a < b; a, b = a+1, b-1 {
			parts[a], parts[b] = parts[b], parts[a]
		}
		var got bytes.Buffer
		merged := filepath.Join(dir, fmt.Sprintf("merged%d.eval", shards))
		runDir := filepath.Join(dir, fmt.Sprintf("run%d", shards))
		if err := merge(append([]string{"-json", "-save", merged, "-run", runDir}, parts...), &got, progress.Quiet()); err != nil {
			t.Fatal(err)
		}
		// The run directory's merge record names the number of parts (the
		// run report shows it).
		if log, _ := os.ReadFile(filepath.Join(runDir, "metrics.jsonl")); !bytes.Contains(log, []byte(`"event":"merge"`)) ||
			!bytes.Contains(log, []byte(fmt.Sprintf(`"parts":%d`, shards))) || bytes.Contains(log, []byte(`"event":"parts"`)) {
			t.Errorf("%d shards: metrics.jsonl of the merge:\n%s", shards, log)
		}
		if got.String() != want.String() {
			t.Errorf("%d shards: merged result %s, single run %s", shards, got.String(), want.String())
		}
		if b, _ := os.ReadFile(merged); !bytes.Equal(b, singleBytes) {
			t.Errorf("%d shards: the merged statistics file differs from the single run's", shards)
		}
	}
}

func TestInterruptedShardContinues(t *testing.T) {
	dir := t.TempDir()
	full := filepath.Join(dir, "full.eval")
	if err := run(context.Background(), append(generator, "-shard", "1/2", "-partial", full), io.Discard, progress.Quiet()); err != nil {
		t.Fatal(err)
	}
	// A cancelled context (SIGTERM) saves the progress and asks for a requeue.
	p := filepath.Join(dir, "p.eval")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := run(ctx, append(generator, "-shard", "1/2", "-partial", p), io.Discard, progress.Quiet())
	if !errors.Is(err, metrics.ErrInterrupted) {
		t.Fatalf("interrupted run: %v", err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("no progress file: %v", err)
	}
	if err := run(context.Background(), append(generator, "-shard", "1/2", "-partial", p), io.Discard, progress.Quiet()); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(full)
	b, _ := os.ReadFile(p)
	if !bytes.Equal(a, b) {
		t.Error("the continued shard differs from an uninterrupted one")
	}
	// Running a finished shard again reuses its file.
	before, _ := os.Stat(p)
	if err := run(context.Background(), append(generator, "-shard", "1/2", "-partial", p), io.Discard, progress.Quiet()); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.Stat(p); !after.ModTime().Equal(before.ModTime()) {
		t.Error("a finished shard was recomputed")
	}
	// A partial file of another evaluation (another seed) is refused, not overwritten.
	other := append(append([]string{}, generator...), "-seed", "6", "-shard", "1/2", "-partial", p)
	if err := run(context.Background(), other, io.Discard, progress.Quiet()); err == nil || !strings.Contains(err.Error(), "seed 5") {
		t.Errorf("partial file of another evaluation: %v", err)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"-protocol", "x"},
		{"-shard", "3/3"},
		{"-stats", "a.npz", "-real-dataset", "shapes10"},
		{"-images", "x", "-checkpoint", "y"},
	} {
		if err := run(context.Background(), args, io.Discard, progress.Quiet()); !errors.Is(err, cli.ErrUsage) {
			t.Errorf("%q: %v, want a usage error", args, err)
		}
	}
	if err := run(context.Background(), append(generator, "-shard", "0/2"), io.Discard, progress.Quiet()); err == nil {
		t.Error("a shard without -partial: no error")
	}
	if err := merge([]string{filepath.Join(t.TempDir(), "missing.eval")}, io.Discard, progress.Quiet()); err == nil {
		t.Error("merging a missing file: no error")
	}
}

// TestRealStatistics scores generated images against real statistics
// computed on the fly (the path -protocol sngan uses with 5,000 and 10,000
// images; fewer here).
func TestRealStatistics(t *testing.T) {
	if p, err := metrics.ParseProtocol("sngan"); p.Generated != 5000 || p.Real != 10000 || err != nil {
		t.Errorf("sngan protocol: %+v, %v", p, err)
	}
	if p, err := metrics.ParseProtocol("reference"); p.Generated != 50000 || p.Real != 50000 || err != nil {
		t.Errorf("reference protocol: %+v, %v", p, err)
	}
	var out bytes.Buffer
	args := []string{"-checkpoint", "../../testdata/gen_a_state_legacy.pth", "-arch", "autogan_cifar10_a",
		"-protocol", "sngan", "-n", "1000", "-real-dataset", "shapes10", "-real-n", "2000", "-json"}
	if err := run(context.Background(), args, &out, progress.Quiet()); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if !strings.Contains(s, `"n":1000`) || !strings.Contains(s, `"fid":`) {
		t.Errorf("output %s", s)
	}
}
