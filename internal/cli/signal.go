package cli

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// Interruptible returns a context cancelled by the first SIGINT or SIGTERM
// (Ctrl-C, kill, Slurm's scancel and preemption), so long commands can
// checkpoint at the next step boundary and exit with ExitRequeue. A second
// signal kills the process at once.
func Interruptible() (context.Context, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case sig := <-ch:
			os.Stderr.WriteString("\nreceived " + sig.String() + ": checkpointing at the next step (signal again to quit now)\n")
			cancel()
		case <-ctx.Done():
			return
		}
		if sig, ok := <-ch; ok {
			os.Stderr.WriteString("received " + sig.String() + " again: exiting without a checkpoint\n")
			os.Exit(130)
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		cancel()
	}
}
