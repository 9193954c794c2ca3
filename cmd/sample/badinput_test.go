package main

import (
	"errors"
	"github.com/autogan-go/autogan/internal/progress"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autogan-go/autogan/cmd/internal/cli"
	"github.com/autogan-go/autogan/internal/npy"
)

// TestAbsurdCountsRefusedUpFront: ten billion images died with "fatal
// error: runtime: out of memory" because every image was allocated before
// the first was written. Now a grid that cannot fit in memory is a usage
// error with the estimate, and any output that cannot fit on its disk is
// a usage error with the size it would need (it exited 1 where the grid
// exited 2), before anything is generated.
func TestAbsurdCountsRefusedUpFront(t *testing.T) {
	dir := t.TempDir()
	base := []string{"-checkpoint", "../../testdata/gen_a_state_legacy.pth", "-arch", "autogan_cifar10_a", "-n", "10000000000"}
	err := run(append(base, "-out", filepath.Join(dir, "grid.png")), io.Discard, progress.Quiet())
	if !errors.Is(err, cli.ErrUsage) || !strings.Contains(err.Error(), "grid of 10000000000 images") {
		t.Errorf("grid: %v, want a usage error with the memory estimate", err)
	}
	for _, out := range []string{"x.npy", "folder"} {
		err := run(append(base, "-out", filepath.Join(dir, out)), io.Discard, progress.Quiet())
		if !errors.Is(err, cli.ErrUsage) || !strings.Contains(err.Error(), "writing 10000000000 images") {
			t.Errorf("%s: %v, want a usage error with the disk space needed", out, err)
		}
	}
}

// TestBadLatentsRefused: a latent file with no rows, or with a NaN, is
// refused (no rows "wrote 0 images" and exited 0).
func TestBadLatentsRefused(t *testing.T) {
	dir := t.TempDir()
	base := []string{"-checkpoint", "../../testdata/gen_a_state_legacy.pth", "-arch", "autogan_cifar10_a", "-out", filepath.Join(dir, "g.png")}
	for name, a := range map[string]*npy.Array{
		"empty": {Shape: []int{0, 128}},
		"nan":   {Shape: []int{1, 128}, Data: append([]float64{math.NaN()}, make([]float64, 127)...)},
	} {
		path := filepath.Join(dir, name+".npy")
		if err := os.WriteFile(path, npy.Encode(a), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := run(append(base, "-z", path), io.Discard, progress.Quiet()); err == nil || !strings.Contains(err.Error(), name+".npy") {
			t.Errorf("%s latents: %v, want an error naming the file", name, err)
		}
	}
}

// TestEmptyOutRefused: -out "" is a usage error (it said: mkdir : no such
// file or directory).
func TestEmptyOutRefused(t *testing.T) {
	err := run([]string{"-checkpoint", "../../testdata/gen_a_state_legacy.pth", "-arch", "autogan_cifar10_a", "-out", ""}, io.Discard, progress.Quiet())
	if !errors.Is(err, cli.ErrUsage) || !strings.Contains(err.Error(), "-out") {
		t.Fatalf("error %v, want a usage error naming -out", err)
	}
}

// TestCommandLineMistakesAreUsageErrors: a -checkpoint or -z that does not
// exist, an -arch that is no architecture, a PyTorch file without -arch,
// -n 0, and an -out that cannot be written (a .png grid or .npy file in a
// missing folder, a folder under a file) are usage errors naming what is
// wrong (all but -n 0 exited 1, the grid's after generating every image).
func TestCommandLineMistakesAreUsageErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing")
	pth := "../../testdata/gen_a_state_legacy.pth"
	out := []string{"-out", filepath.Join(dir, "g.png")}
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	gen := []string{"-checkpoint", pth, "-arch", "autogan_cifar10_a", "-n", "2"}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-checkpoint", missing}, "-checkpoint " + missing},
		{[]string{"-checkpoint", pth, "-arch", "bogus"}, `architecture "bogus"`},
		{[]string{"-checkpoint", pth}, "give its architecture"},
		{[]string{"-checkpoint", pth, "-arch", "autogan_cifar10_a", "-z", missing}, "-z " + missing},
		// The latents are looked for before the generator is loaded.
		{[]string{"-checkpoint", missing, "-z", missing + ".npy"}, "-z " + missing + ".npy"},
		{[]string{"-checkpoint", pth, "-arch", "autogan_cifar10_a", "-n", "0"}, "-n"},
		// (the last -out wins)
		{append(gen, "-out", filepath.Join(missing, "g.png")), "-out " + filepath.Join(missing, "g.png")},
		{append(gen, "-out", filepath.Join(missing, "x.npy")), "-out " + filepath.Join(missing, "x.npy")},
		{append(gen, "-out", filepath.Join(file, "samples")), "-out " + filepath.Join(file, "samples")},
		// A file name of a format sample does not write (it became a
		// folder of PNG files named x.jpg).
		{append(gen, "-out", filepath.Join(dir, "x.jpg")), "-out " + filepath.Join(dir, "x.jpg") + ": sample writes"},
	} {
		err := run(append(out, c.args...), io.Discard, progress.Quiet())
		if !errors.Is(err, cli.ErrUsage) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want a usage error naming %s", c.args, err, c.want)
		}
	}
}
