package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autogan-go/autogan/internal/runcheck"
)

func TestMain(m *testing.M) { runcheck.Main(m, main) }

var killTrials = flag.Int("kill.trials", 0, "run this many chains of random kills instead of the fixed chain (the kill campaign)")

// TestKillAnywhere kills the tiny search with SIGKILL at 22 points — after
// steps and inside file writes (a metrics line half written, a checkpoint,
// grid or result on disk but not renamed into place) — resuming it after
// each, and requires the result to be the uninterrupted run's: result.json,
// grids and checkpoint tensors byte for byte, configuration and cursor as
// parsed JSON, metrics except wall-clock fields. With -kill.trials N it runs
// N chains of random kill points instead.
func TestKillAnywhere(t *testing.T) {
	runcheck.Campaign{Name: "search", FixedKills: 22, Steps: 50, Writes: 12, Seed: 7, Trials: *killTrials}.Run(t)
}

// TestFullDisk: a write that fails (here the checkpoint's, as on a full
// disk) stops the search with a clear error and exit code 1, leaves the
// previous checkpoint as it was, and the search resumes from it to the same
// result as an uninterrupted run.
func TestFullDisk(t *testing.T) {
	ref := filepath.Join(t.TempDir(), "ref")
	if r := runcheck.Command(t, nil, "-preset", "tiny", "-run", ref); r.Killed || r.Code != 0 {
		t.Fatalf("uninterrupted run: %+v", r)
	}
	dir := filepath.Join(t.TempDir(), "full")
	// A first checkpoint (the end of iteration 0), then a kill.
	runcheck.Command(t, []string{"AUTOGAN_FAULT=kill-step:20"}, "-preset", "tiny", "-run", dir)
	before, err := os.ReadFile(filepath.Join(dir, "checkpoint.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	r := runcheck.Command(t, []string{"AUTOGAN_FAULT=fail-write:checkpoint.safetensors"}, "-resume", dir)
	if r.Killed || r.Code != 1 || !strings.Contains(r.Output, "no space left on device") || !strings.Contains(r.Output, "checkpoint.safetensors") {
		t.Fatalf("a failed checkpoint write: %+v", r)
	}
	after, err := os.ReadFile(filepath.Join(dir, "checkpoint.safetensors"))
	if err != nil || !bytes.Equal(before, after) {
		t.Fatalf("the failed write changed the previous checkpoint (%v)", err)
	}
	if r := runcheck.Command(t, nil, "-resume", dir); r.Killed || r.Code != 0 {
		t.Fatalf("resuming after the failure: %+v", r)
	}
	if diffs := runcheck.Diff(ref, dir); len(diffs) > 0 {
		t.Errorf("the search resumed after a failed write differs:\n%v", diffs)
	}
}
