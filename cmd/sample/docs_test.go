package main

import (
	"github.com/autogan-go/autogan/internal/progress"
	"io"
	"path/filepath"
	"slices"
	"testing"

	"github.com/autogan-go/autogan/cmd/internal/doclines"
	"github.com/autogan-go/autogan/cmd/internal/tinyrun"
)

// TestDocumentedCommandLines checks every command line of sample that the
// documentation shows, and runs them where the files they name are made
// here: a generator trained by cmd/train's code for one step at the tiny
// preset's widths in runs/demo/train/top1 and runs/train-demo, and the
// PyTorch test fixtures under the documented names. At most 16 images are
// written, and the search-space checkpoint is the fixture's architecture.
func TestDocumentedCommandLines(t *testing.T) {
	lines := doclines.Check(t, "../..", "sample", func(args []string) (doclines.FlagSet, []string) {
		fs, _ := flags()
		return fs, args
	})
	testdata, _ := filepath.Abs("../../testdata")
	t.Chdir(t.TempDir())
	tinyrun.TrainGenerator(t, "runs/demo/train/top1")
	tinyrun.CopyFile(t, "runs/demo/train/top1/best.safetensors", "runs/train-demo/best.safetensors")
	tinyrun.CopyFile(t, filepath.Join(testdata, "gen_a_state_legacy.pth"), "autogan_cifar10_a.pth")
	tinyrun.CopyFile(t, filepath.Join(testdata, "gen_search_ckpt_zip.pth"), "ckpt.pth")
	tinyrun.CopyFile(t, filepath.Join(testdata, "gen_z.npy"), "z.npy")
	ran := 0
	for _, l := range doclines.Distinct(lines) {
		if l.Sketch && !slices.Contains(l.Args, "-checkpoint") {
			continue // prose: "cmd/sample -seed S"
		}
		args := doclines.Substitute(l.Args, map[string]string{"n": "16"})
		if slices.Contains(args, "ckpt.pth") { // the fixture's search-space architecture
			args = doclines.Substitute(args, map[string]string{"arch": "0 1 2 1 1 2 0 1 1 0 2 2 0 3"})
		}
		if err := run(args, io.Discard, progress.Quiet()); err != nil {
			t.Errorf("%s: %v", l, err)
		}
		ran++
	}
	if ran != 5 {
		t.Errorf("ran %d documented lines, want 5", ran)
	}
}

// TestOldSpellings: the flags of sample kept their names; the command
// lines written before the flags were unified still parse to the same
// options.
func TestOldSpellings(t *testing.T) {
	fs, o := flags()
	err := fs.Parse([]string{"-checkpoint", "c.pth", "-arch", "autogan_cifar10_a", "-z", "z.npy", "-n", "5",
		"-seed", "3", "-out", "x.png", "-batch", "7", "-threads", "1"})
	if err != nil {
		t.Fatal(err)
	}
	want := options{checkpoint: "c.pth", arch: "autogan_cifar10_a", z: "z.npy", out: "x.png", n: 5, batch: 7, threads: 1, seed: 3}
	if *o != want {
		t.Errorf("options %+v, want %+v", *o, want)
	}
}
