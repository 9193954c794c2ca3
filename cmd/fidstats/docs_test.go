package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/autogan-go/autogan/cmd/internal/doclines"
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

// TestDocumentedCommandLines checks every command line of fidstats that
// the documentation shows, and runs the one that needs no download, the
// statistics of Shapes-10 with the embedded scorer, on 200 images.
func TestDocumentedCommandLines(t *testing.T) {
	lines := doclines.Check(t, "../..", "fidstats", parseOnly)
	t.Chdir(t.TempDir())
	ran := 0
	for _, l := range doclines.Distinct(lines) {
		if strings.Join(l.Args, " ") != "-dataset shapes10 -out shapes10_stats.npz" {
			continue
		}
		var out bytes.Buffer
		if err := run(context.Background(), doclines.Substitute(l.Args, map[string]string{"limit": "200"}), &out, progress.Quiet()); err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		if !strings.Contains(out.String(), "wrote shapes10_stats.npz: 200 images") {
			t.Errorf("%s: %s", l, out.String())
		}
		ran++
	}
	if ran != 1 {
		t.Errorf("ran %d documented lines, want 1", ran)
	}
}

// TestOldSpellings: fidstats' former flag names (-weights, -data-dir)
// still work.
func TestOldSpellings(t *testing.T) {
	fs, o := flags()
	if err := fs.Parse([]string{"-dataset", "cifar10", "-data-dir", "d", "-weights", "w.pth", "-out", "s.npz", "-shard", "1/2"}); err != nil {
		t.Fatal(err)
	}
	if o.im.DataDir != "d" || o.sf.Scorer != "w.pth" || o.out != "s.npz" || o.sf.Shard != "1/2" {
		t.Errorf("options %+v", *o)
	}
	mfs, out := mergeFlags()
	if err := mfs.Parse([]string{"-out", "s.npz", "a.eval", "b.eval"}); err != nil || *out != "s.npz" || len(mfs.Args()) != 2 {
		t.Errorf("merge: %v %q %q", err, *out, mfs.Args())
	}
}
