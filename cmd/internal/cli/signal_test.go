//go:build unix

package cli

import (
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestInterruptibleSaysWhatItDoes: the first signal cancels the context
// and prints the command's own action (report only stops; search writes a
// checkpoint), not one message for every command.
func TestInterruptibleSaysWhatItDoes(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := os.Stderr
	os.Stderr = w
	ctx, stop := Interruptible("stopping the test")
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("SIGINT did not cancel the context")
	}
	stop()
	os.Stderr = stderr
	w.Close()
	out, _ := io.ReadAll(r)
	if want := "received interrupt: stopping the test"; !strings.Contains(string(out), want) {
		t.Errorf("printed %q, want %q", out, want)
	}
}
