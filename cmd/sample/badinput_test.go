package main

import (
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autogan-go/autogan/cmd/internal/cli"
)

// TestAbsurdCountsRefusedUpFront: ten billion images died with "fatal
// error: runtime: out of memory" because every image was allocated before
// the first was written. Now a grid that cannot fit in memory is a usage
// error with the estimate, and any output that cannot fit on its disk is
// refused with the size it would need, before anything is generated.
func TestAbsurdCountsRefusedUpFront(t *testing.T) {
	dir := t.TempDir()
	base := []string{"-checkpoint", "../../testdata/gen_a_state_legacy.pth", "-arch", "autogan_cifar10_a", "-n", "10000000000"}
	err := run(append(base, "-out", filepath.Join(dir, "grid.png")), io.Discard)
	if !errors.Is(err, cli.ErrUsage) || !strings.Contains(err.Error(), "grid of 10000000000 images") {
		t.Errorf("grid: %v, want a usage error with the memory estimate", err)
	}
	for _, out := range []string{"x.npy", "folder"} {
		err := run(append(base, "-out", filepath.Join(dir, out)), io.Discard)
		if err == nil || !strings.Contains(err.Error(), "writing 10000000000 images") {
			t.Errorf("%s: %v, want a refusal with the disk space needed", out, err)
		}
	}
}
