package nas

import "context"

// A search and a training run are both state machines advanced one small
// step at a time, with all their state in a checkpoint-able struct. This
// is what makes them interruptible at any step and resumable bit for bit:
// between two steps nothing lives outside the state that the checkpoint
// writes.

// stepper is what runSteps drives.
type stepper interface {
	done() bool
	step() error
	// saveInterrupted writes the checkpoint after ctx was cancelled and
	// says where the run stopped.
	saveInterrupted() error
}

// runSteps advances s until it is done (nil), a step fails, or ctx is
// cancelled (ErrInterrupted once the checkpoint is written). Every
// completed step increments *total and is reported to onStep (tests use it
// to interrupt a run at a chosen step).
func runSteps(ctx context.Context, s stepper, total *int, onStep func(int)) error {
	for !s.done() {
		if ctx.Err() != nil {
			if err := s.saveInterrupted(); err != nil {
				return err
			}
			return ErrInterrupted
		}
		if err := s.step(); err != nil {
			return err
		}
		*total++
		if onStep != nil {
			onStep(*total)
		}
	}
	return nil
}
