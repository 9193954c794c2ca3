package cli

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/autogan-go/autogan/nas/rundir"
)

// Faults are the test-only fault injections a command reads from the
// environment variable AUTOGAN_FAULT, for the kill-anywhere and disk-full
// tests (cmd/search, cmd/train). A kill at a random wall-clock time rarely
// lands inside a write that lasts a millisecond and does not reproduce on a
// busy machine; these land exactly where they are told:
//
//	AUTOGAN_FAULT=kill-step:K    SIGKILL itself after the run's K-th step (the cursor's count)
//	AUTOGAN_FAULT=kill-write:K   SIGKILL itself inside its K-th file write of this process
//	                             (a metrics line half written, a checkpoint, grid or result
//	                             on disk but not yet renamed into place)
//	AUTOGAN_FAULT=fail-write:K   make its K-th file write fail, as a full disk would
//	AUTOGAN_FAULT=fail-write:F   make its first write of the file F fail (checkpoint.safetensors)
//
// Users never set it; without it Faults do nothing.
type Faults struct {
	kind   string
	at     int    // the step or write count
	file   string // fail-write:F
	writes int
}

// FaultsFromEnv reads AUTOGAN_FAULT.
func FaultsFromEnv() (*Faults, error) {
	spec := os.Getenv("AUTOGAN_FAULT")
	if spec == "" {
		return &Faults{}, nil
	}
	kind, n, ok := strings.Cut(spec, ":")
	k, err := strconv.Atoi(n)
	if ok && kind == "fail-write" && err != nil && n != "" {
		return &Faults{kind: kind, file: n}, nil
	}
	if !ok || err != nil || k < 1 || (kind != "kill-step" && kind != "kill-write" && kind != "fail-write") {
		return nil, fmt.Errorf("AUTOGAN_FAULT=%q: want kill-step:K, kill-write:K, fail-write:K (K ≥ 1) or fail-write:FILE", spec)
	}
	return &Faults{kind: kind, at: k}, nil
}

// OnStep is called after each step of a run with the step count.
func (f *Faults) OnStep(total int) {
	if f.kind == "kill-step" && total == f.at {
		killSelf()
	}
}

// Hook is called inside every file write of a run directory (rundir.Dir's
// Hook).
func (f *Faults) Hook(point string) error {
	f.writes++
	if f.file != "" && point == f.file {
		f.file = "\x00" // only the first write of the file fails
		return errors.New("no space left on device (injected by AUTOGAN_FAULT)")
	}
	if f.writes != f.at {
		return nil
	}
	switch f.kind {
	case "kill-write":
		killSelf()
	case "fail-write":
		return errors.New("no space left on device (injected by AUTOGAN_FAULT)")
	}
	return nil
}

// killSelf ends the process with SIGKILL: no deferred function, no
// signal handler, no flushing runs, as when the node dies.
func killSelf() {
	p, err := os.FindProcess(os.Getpid())
	if err == nil {
		err = p.Kill()
	}
	if err == nil {
		time.Sleep(time.Minute) // the signal takes effect asynchronously
	}
	fmt.Fprintln(os.Stderr, "AUTOGAN_FAULT: could not kill the process:", err)
	os.Exit(137)
}

// dir installs the write hook on a run directory.
func (f *Faults) dir(d *rundir.Dir, err error) (*rundir.Dir, error) {
	if err == nil && f.kind != "" {
		d.Hook = f.Hook
	}
	return d, err
}
