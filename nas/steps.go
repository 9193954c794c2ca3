package nas

import (
	"context"
	"errors"
)

// A search and a training run advance one small step at a time, and all
// their state between two steps lives in a struct that a checkpoint writes.
// That is what makes them interruptible at any step and resumable bit for
// bit: the algorithms are written as ordinary loops whose counters are
// fields of the checkpointed cursor, every unit of work inside them goes
// through steps.do, and a loop resumed from a checkpoint simply continues
// from the counters it finds.

// ErrInterrupted is returned by Run when the context was cancelled: a
// checkpoint was written at the last step boundary and the run continues
// from there when it is resumed.
var ErrInterrupted = errors.New("interrupted after writing a checkpoint; resume from the run directory")

// steps runs the units of work of a run and counts them.
type steps struct {
	ctx    context.Context
	total  *int             // steps done since the run started (part of the cursor)
	onStep func(total int)  // called after every step (tests interrupt runs with it)
	save   func() error     // writes the checkpoint when the run is interrupted
	where  func() string    // where the run stopped, for the log
	log    func(msg string) // progress log
}

// do runs one step, unless the context was cancelled: then it writes the
// checkpoint and returns ErrInterrupted, so that nothing is lost and the
// step runs when the run is resumed.
func (st *steps) do(step func() error) error {
	if st.ctx.Err() != nil {
		if err := st.save(); err != nil {
			return err
		}
		st.log("interrupted: checkpoint written at " + st.where())
		return ErrInterrupted
	}
	// The step counts before it runs: a step that writes a checkpoint (the
	// end of an iteration or an epoch) must record itself as done, or a run
	// resumed from that checkpoint would count it twice.
	*st.total++
	if err := step(); err != nil {
		return err
	}
	if st.onStep != nil {
		st.onStep(*st.total)
	}
	return nil
}
