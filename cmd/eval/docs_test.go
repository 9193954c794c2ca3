package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/autogan-go/autogan/inception/metrics"

	"github.com/autogan-go/autogan/cmd/internal/cli"
	"github.com/autogan-go/autogan/cmd/internal/doclines"
	"github.com/autogan-go/autogan/cmd/internal/tinyrun"
	"github.com/autogan-go/autogan/internal/progress"
)

func parseOnly(args []string) (doclines.FlagSet, []string) {
	if len(args) > 0 && args[0] == "merge" {
		fs, _ := mergeFlags()
		return fs, args[1:]
	}
	fs, _ := flags()
	return fs, args
}

// needsDownloads reports whether a line names Inception weights or a
// dataset folder, which tests do not have.
func needsDownloads(fs doclines.FlagSet, args []string) bool {
	for _, a := range args {
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if fl := fs.Lookup(name); strings.HasPrefix(a, "-") && fl != nil {
			c := fs.(*cli.FlagSet).Canonical(name)
			if c == "scorer" || c == "data_dir" || c == "real_data_dir" {
				return true
			}
		}
	}
	return false
}

// TestDocumentedCommandLines checks every command line of eval that the
// documentation shows, and runs those that need no downloads with the
// embedded scorer on 200 images (400 for the shards): the files they name
// are made here (a generator trained by cmd/train's code for one step, the
// PyTorch fixture as autogan_cifar10_a.pth, statistics S.npz), and the
// documented shard 2/4 is merged with the other three.
func TestDocumentedCommandLines(t *testing.T) {
	lines := doclines.Check(t, "../..", "eval", parseOnly)
	testdata, _ := filepath.Abs("../../testdata")
	t.Chdir(t.TempDir())
	tinyrun.TrainGenerator(t, "runs/demo/train/top1")
	tinyrun.CopyFile(t, "runs/demo/train/top1/best.safetensors", "C")
	tinyrun.CopyFile(t, filepath.Join(testdata, "gen_a_state_legacy.pth"), "autogan_cifar10_a.pth")
	mu, sigma := make([]float64, 128), make([]float64, 128*128)
	for i := range 128 {
		sigma[i*129] = 1
	}
	if err := metrics.WriteStatsFile("S.npz", mu, sigma); err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, l := range doclines.Distinct(lines) {
		fs, args := parseOnly(l.Args)
		args, _ = doclines.Clean(fs, args)
		if needsDownloads(fs, args) || l.Sketch && !slices.Contains(args, "-checkpoint") || strings.Contains(l.Where, "deploy/") {
			continue // the cluster templates are run by .ci/slurm-test
		}
		n := map[string]string{"n": "200", "real_n": "200", "limit": "200"}
		var out bytes.Buffer
		var err error
		switch {
		case l.Args[0] == "merge":
			for _, shard := range []string{"0/4", "1/4", "3/4"} { // the documented shard is 2/4
				part := "part" + shard[:1] + ".eval"
				if err := run(context.Background(), []string{"-checkpoint", "C", "-n", "400", "-shard", shard, "-partial", part}, io.Discard, progress.Quiet()); err != nil {
					t.Fatal(err)
				}
			}
			var expanded []string
			for _, a := range args { // the shell's glob
				if m, _ := filepath.Glob(a); len(m) > 0 {
					expanded = append(expanded, m...)
				} else {
					expanded = append(expanded, a)
				}
			}
			err = merge(expanded, &out, progress.Quiet())
		case slices.Contains(args, "-shard"):
			err = run(context.Background(), doclines.Substitute(args, map[string]string{"n": "400"}), &out, progress.Quiet())
		case slices.Contains(args, "-checkpoint"):
			delete(n, "limit")
			err = run(context.Background(), doclines.Substitute(args, n), &out, progress.Quiet())
		default:
			err = run(context.Background(), doclines.Substitute(args, map[string]string{"limit": "200"}), &out, progress.Quiet())
		}
		if err != nil {
			t.Errorf("%s: %v", l, err)
		}
		if strings.Contains(strings.Join(args, " "), "-json") {
			var r result
			if err := json.Unmarshal(out.Bytes(), &r); err != nil || r.N == 0 {
				t.Errorf("%s: output %q", l, out.String())
			}
		}
		ran++
	}
	if ran != 5 {
		t.Errorf("ran %d documented lines, want 5", ran)
	}
	if _, err := os.Stat("merged.eval"); err != nil {
		t.Error(err)
	}
}

// TestOldSpellings: eval's former flag names (-weights, -stats and the
// kebab-case ones) still work, in eval and in eval merge.
func TestOldSpellings(t *testing.T) {
	fs, o := flags()
	err := fs.Parse([]string{"-weights", "w.pth", "-stats", "s.npz", "-data-dir", "d", "-real-dataset", "cifar10",
		"-real-data-dir", "r", "-real-size", "32", "-real-n", "100", "-dataset", "cifar10", "-limit", "7"})
	if err != nil {
		t.Fatal(err)
	}
	if o.sf.Scorer != "w.pth" || o.ff.stats != "s.npz" || o.ff.realDataset != "cifar10" || o.ff.realDataDir != "r" || o.ff.realSize != 32 || o.ff.realN != 100 || o.im.DataDir != "d" || o.im.Limit != 7 {
		t.Errorf("options %+v", *o)
	}
	mfs, m := mergeFlags()
	if err := mfs.Parse([]string{"-stats", "s.npz", "-weights", "w.pth", "-real-dataset", "x", "-json", "p.eval"}); err != nil {
		t.Fatal(err)
	}
	if m.ff.stats != "s.npz" || m.scorer != "w.pth" || m.ff.realDataset != "x" || !m.asJSON || len(mfs.Args()) != 1 {
		t.Errorf("merge options %+v", *m)
	}
}
