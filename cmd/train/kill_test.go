package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/autogan-go/autogan/internal/runcheck"
)

func TestMain(m *testing.M) { runcheck.Main(m, main) }

var killTrials = flag.Int("kill.trials", 0, "run this many chains of random kills instead of the fixed chain (the kill campaign)")

// TestKillAnywhere kills the tiny training with SIGKILL at 22 points —
// after steps (training and evaluation steps) and inside file writes —
// resuming it after each, and requires the result to be the uninterrupted
// run's (see the search's test of the same name). With -kill.trials N it
// runs N chains of random kill points instead.
func TestKillAnywhere(t *testing.T) {
	ref := filepath.Join(t.TempDir(), "ref")
	if r := runcheck.Command(t, nil, "-preset", "tiny", "-run", ref); r.Killed || r.Code != 0 {
		t.Fatalf("uninterrupted run: %+v", r)
	}
	chains := [][]string{runcheck.KillPoints(22, 24, 3, nil)}
	if *killTrials > 0 {
		chains = nil
		rng := rand.New(rand.NewPCG(uint64(*killTrials), 11))
		for i := 0; i < *killTrials; i++ {
			chains = append(chains, runcheck.KillPoints(6, 24, 3, rng))
		}
	}
	var total runcheck.ChainStats
	mismatches := 0
	for i, points := range chains {
		dir := filepath.Join(t.TempDir(), fmt.Sprintf("chain%d", i))
		st := runcheck.Chain{Dir: dir, Start: []string{"-preset", "tiny", "-run", dir},
			Resume: []string{"-resume", dir}, Checkpoint: "checkpoint.safetensors"}.Run(t, points)
		total.Kills += st.Kills
		total.InsideWrites += st.InsideWrites
		total.Resumes += st.Resumes
		if diffs := runcheck.Diff(ref, dir); len(diffs) > 0 {
			mismatches++
			t.Errorf("kills at %v: the resumed training differs from the uninterrupted one:\n%v", points, diffs)
		}
	}
	t.Logf("%d chains: %d kills (%d inside file writes), %d resumes, %d mismatches", len(chains), total.Kills, total.InsideWrites, total.Resumes, mismatches)
	if *killTrials == 0 && total.Kills < 20 {
		t.Errorf("only %d of the 22 kill points killed the training", total.Kills)
	}
}
