package cli

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autogan-go/autogan/cifar"
	"github.com/autogan-go/autogan/inception/metrics"
	"github.com/autogan-go/autogan/internal/progress"
)

// TestImageFlagsSayWhatZeroMeans: -limit 0 and -size 0, the defaults, mean
// all the images and no resize; the help says so (it did not).
func TestImageFlagsSayWhatZeroMeans(t *testing.T) {
	fs := NewFlagSet("cmd [flags]", "Does things.")
	var f ImageFlags
	f.Register(fs)
	for name, want := range map[string]string{"limit": "0: all images", "size": "0: no resize"} {
		if u := fs.Lookup(name).Usage; !strings.Contains(u, want) {
			t.Errorf("-%s: help %q, want it to say %q", name, u, want)
		}
	}
}

// TestShardingAcceptsAFinishedPartial: a -partial file that holds its
// shard whole is only read (the evaluation returns it), so a finished task
// run again passes even where no file can be written, as in a folder
// mounted read-only (it was refused as a usage error); a partial file that
// is not whole, or of another shard, is still refused there. Root, who
// runs CI, writes in any folder, so a name too long for the check's
// temporary file stands in for the read-only folder.
func TestShardingAcceptsAFinishedPartial(t *testing.T) {
	sc, err := Scorer("", "")
	if err != nil {
		t.Fatal(err)
	}
	src := metrics.DatasetImages(cifar.Shapes10(200, 1))
	dir := t.TempDir()
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, c := range []struct {
		name  string
		ctx   context.Context
		shard string
		ok    bool
	}{
		{"whole", context.Background(), "1/2", true},
		{"whole", context.Background(), "0/2", false}, // another shard's
		{"begun", cancelled, "1/2", false},            // saved at once by the interruption
	} {
		short := filepath.Join(dir, c.name+".eval")
		if _, _, err := metrics.EvaluateShard(c.ctx, src, "shapes", sc, 1, 2, short, progress.Quiet()); err != nil && !errors.Is(err, metrics.ErrInterrupted) {
			t.Fatal(err)
		}
		path := filepath.Join(dir, c.name+strings.Repeat("p", 240)+".eval")
		if err := os.Rename(short, path); err != nil {
			t.Fatal(err)
		}
		if CheckOutput("partial", path) == nil {
			t.Fatal("the stand-in for a read-only folder takes files")
		}
		_, _, err := ScoringFlags{Shard: c.shard, Partial: path}.Sharding()
		if c.ok && err != nil || !c.ok && !errors.Is(err, ErrUsage) {
			t.Errorf("%s partial file, -shard %s: %v (accepted: %v wanted)", c.name, c.shard, err, c.ok)
		}
		os.Remove(path)
	}
}

// TestUnknownDatasetListsEveryName: the error for an unknown name lists
// every name -dataset takes, folder included (cifar's list lacked it).
func TestUnknownDatasetListsEveryName(t *testing.T) {
	_, err := OpenDataset("shapes11", cifar.Options{}, 0)
	if !errors.Is(err, ErrUsage) || !strings.Contains(err.Error(), strings.Join(DatasetNames(), ", ")) {
		t.Errorf("unknown dataset: %v", err)
	}
}
