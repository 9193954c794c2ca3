package nas

import (
	"testing"

	"github.com/autogan-go/autogan/nas/rundir"
)

// newRun creates a run directory for a test (the recorder of a new run).
func newRun(t testing.TB, dir string) Recorder {
	t.Helper()
	d, err := rundir.Create(dir)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// openRun opens a run directory to resume it.
func openRun(t testing.TB, dir string) Recorder {
	t.Helper()
	d, err := rundir.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
