package main

import (
	"flag"
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
	runcheck.Campaign{Name: "training", FixedKills: 22, Steps: 24, Writes: 3, Seed: 11, Trials: *killTrials}.Run(t)
}
