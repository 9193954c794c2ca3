package cli

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/autogan-go/autogan/internal/progress"
)

// Interruptible returns a context cancelled by the first SIGINT or SIGTERM
// (Ctrl-C, kill, Slurm's scancel, preemption and --signal before the time
// limit), so long commands can checkpoint at the next step boundary and
// exit with ExitRequeue. action says what the command does on the signal
// ("writing a checkpoint at the next step"); it is printed when one comes.
//
// On a terminal a second signal, a second or more after the first, quits
// at once without a checkpoint (an impatient Ctrl-C). In a batch job
// further signals are ignored: Slurm may deliver SIGTERM more than once
// (to the job step and to the job), and SIGKILL follows after KillWait
// anyway, so quitting on a repeat would only lose the checkpoint.
func Interruptible(action string) (context.Context, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan os.Signal, 4)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	interactive := progress.IsTerminal(os.Stderr)
	go func() {
		var first time.Time
		done := ctx.Done()
		for {
			select {
			case sig := <-ch:
				switch {
				case first.IsZero():
					first = time.Now()
					msg := "\nreceived " + sig.String() + ": " + action
					if interactive {
						msg += " (signal again to quit now)"
					}
					os.Stderr.WriteString(msg + "\n")
					cancel()
					done = nil // keep listening for repeats
				case interactive && time.Since(first) > time.Second:
					os.Stderr.WriteString("received " + sig.String() + " again: exiting now\n")
					os.Exit(130)
				default:
					os.Stderr.WriteString("received " + sig.String() + " again: still " + action + "\n")
				}
			case <-done:
				return // stopped by the caller
			}
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		cancel()
	}
}
