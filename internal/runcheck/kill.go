package runcheck

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// A command's test binary can run as the command itself, so that tests
// can start it as a separate process and kill it (TestMain calls Main).
const asCommand = "AUTOGAN_TEST_AS_COMMAND"

// Main runs the command's main instead of the tests when the binary was
// started by Command.
func Main(m *testing.M, main func()) {
	if os.Getenv(asCommand) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// Result is how a command process ended.
type Result struct {
	Code   int  // exit code (when not killed)
	Killed bool // ended by SIGKILL
	Output string
}

// Command runs the test binary as the command with args, in the
// environment plus env.
func Command(t testing.TB, env []string, args ...string) Result {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), asCommand+"=1"), env...)
	out, err := cmd.CombinedOutput()
	r := Result{Output: string(out)}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			r.Killed = true
		} else {
			r.Code = exit.ExitCode()
		}
	default:
		t.Fatal(err)
	}
	return r
}

// KillPoints returns the faults of a kill chain: kills after steps of the
// run (the cursor's count: strictly increasing, below steps, so each lands
// later in the run) and kills inside the first writes of a process (at
// most maxWrite, which every process reaches before the run's next
// checkpoint), interleaved. With a non-nil rng they are random, n of them;
// otherwise n of them, spread evenly.
func KillPoints(n, steps, maxWrite int, rng *rand.Rand) []string {
	var stepKills, writeKills []int
	if rng == nil {
		for i := 0; i < (n+1)/2; i++ {
			stepKills = append(stepKills, 1+(i*(steps-2))/((n+1)/2))
		}
		for i := 0; i < n/2; i++ {
			writeKills = append(writeKills, 1+(i*7)%maxWrite)
		}
	} else {
		for i := 0; i < n; i++ {
			if rng.IntN(2) == 0 {
				stepKills = append(stepKills, 1+rng.IntN(steps-1))
			} else {
				writeKills = append(writeKills, 1+rng.IntN(maxWrite))
			}
		}
		slices.Sort(stepKills)
	}
	var points []string
	for i := 0; i < max(len(stepKills), len(writeKills)); i++ {
		if i < len(stepKills) {
			points = append(points, fmt.Sprintf("kill-step:%d", stepKills[i]))
		}
		if i < len(writeKills) {
			points = append(points, fmt.Sprintf("kill-write:%d", writeKills[i]))
		}
	}
	return points
}

// Chain is a kill-and-resume chain of a command on one run directory.
type Chain struct {
	Dir    string
	Start  []string // the command line of a new run (it must name Dir)
	Resume []string // the command line that resumes it
	// Checkpoint is the file whose presence means the run can be resumed.
	Checkpoint string
}

// ChainStats counts what a chain did.
type ChainStats struct {
	Kills, InsideWrites, Resumes int
}

// Run kills the command at each point in turn, starting or resuming it
// each time (a run killed before its first checkpoint starts again), then
// lets it finish. A process that ends without being killed (its run was
// already done, or the point lay beyond its end) must end with code 0.
func (c Chain) Run(t testing.TB, points []string) ChainStats {
	t.Helper()
	var st ChainStats
	args := func() []string {
		if _, err := os.Stat(filepath.Join(c.Dir, c.Checkpoint)); err == nil {
			st.Resumes++
			return c.Resume
		}
		return c.Start
	}
	for _, p := range points {
		r := Command(t, []string{"AUTOGAN_FAULT=" + p}, args()...)
		switch {
		case r.Killed:
			st.Kills++
			if strings.HasPrefix(p, "kill-write") {
				st.InsideWrites++
			}
		case r.Code != 0:
			t.Fatalf("%s: exit code %d:\n%s", p, r.Code, r.Output)
		}
	}
	if r := Command(t, nil, args()...); r.Killed || r.Code != 0 {
		t.Fatalf("the last run: %+v", r)
	}
	return st
}

// Campaign is a kill-anywhere test of a command's tiny run: one fixed chain
// of FixedKills kill points, or, with Trials > 0 (the kill campaign),
// Trials chains of 6 random points, each killed and resumed to the end and
// compared with an uninterrupted run by [Diff].
type Campaign struct {
	Name       string // "search", "training": for the messages
	FixedKills int    // kill points of the fixed chain
	Steps      int    // kill after one of the first Steps steps
	Writes     int    // or inside one of the first Writes writes of a file
	Seed       uint64 // stream of the random chains
	Trials     int    // random chains instead of the fixed one
}

// Run runs the campaign with `-preset tiny`, resuming with `-resume DIR`,
// and fails t on any mismatch, or when fewer than 20 of the fixed chain's
// points killed the run.
func (c Campaign) Run(t *testing.T) {
	t.Helper()
	ref := filepath.Join(t.TempDir(), "ref")
	if r := Command(t, nil, "-preset", "tiny", "-run", ref); r.Killed || r.Code != 0 {
		t.Fatalf("uninterrupted run: %+v", r)
	}
	chains := [][]string{KillPoints(c.FixedKills, c.Steps, c.Writes, nil)}
	if c.Trials > 0 {
		chains = nil
		rng := rand.New(rand.NewPCG(uint64(c.Trials), c.Seed))
		for i := 0; i < c.Trials; i++ {
			chains = append(chains, KillPoints(6, c.Steps, c.Writes, rng))
		}
	}
	var total ChainStats
	mismatches := 0
	for i, points := range chains {
		dir := filepath.Join(t.TempDir(), fmt.Sprintf("chain%d", i))
		st := Chain{Dir: dir, Start: []string{"-preset", "tiny", "-run", dir},
			Resume: []string{"-resume", dir}, Checkpoint: "checkpoint.safetensors"}.Run(t, points)
		total.Kills += st.Kills
		total.InsideWrites += st.InsideWrites
		total.Resumes += st.Resumes
		if diffs := Diff(ref, dir); len(diffs) > 0 {
			mismatches++
			t.Errorf("kills at %v: the resumed %s differs from the uninterrupted one:\n%v", points, c.Name, diffs)
		}
	}
	t.Logf("%d chains: %d kills (%d inside file writes), %d resumes, %d mismatches", len(chains), total.Kills, total.InsideWrites, total.Resumes, mismatches)
	if c.Trials == 0 && total.Kills < 20 {
		t.Errorf("only %d of the %d kill points killed the %s", total.Kills, c.FixedKills, c.Name)
	}
}
