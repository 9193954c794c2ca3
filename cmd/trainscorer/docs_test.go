package main

import (
	"os"
	"slices"
	"testing"

	"github.com/autogan-go/autogan/cifar"
	"github.com/autogan-go/autogan/cmd/internal/doclines"
	"github.com/autogan-go/autogan/inception/classifier"
)

// TestDocumentedCommandLines checks every command line of trainscorer that
// the documentation shows, and runs them on 64 images for one epoch (the
// documented defaults take 45 minutes), writing into a temporary folder.
func TestDocumentedCommandLines(t *testing.T) {
	lines := doclines.Check(t, "../..", "trainscorer", func(args []string) (doclines.FlagSet, []string) {
		fs, _ := flags()
		return fs, args
	})
	t.Chdir(t.TempDir())
	if err := os.MkdirAll("inception/classifier", 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := os.Stat(cifar.DefaultFashionMNISTDir)
	fashion := err == nil
	ran, ranFashion, skipped := 0, 0, 0
	for _, l := range doclines.Distinct(lines) {
		if l.Sketch || slices.Contains(l.Args, "fashion-mnist") && !fashion {
			skipped++
			continue
		}
		args := doclines.Substitute(l.Args, map[string]string{"n": "64", "epochs": "1", "test": "10"})
		if err := run(args); err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		// run refuses a line without -out, so the line names its file.
		out := args[slices.Index(args, "-out")+1]
		if _, err := classifier.Load(out); err != nil {
			t.Errorf("%s: %v", l, err)
		}
		ran++
		if slices.Contains(l.Args, "fashion-mnist") {
			ranFashion++
		}
	}
	// The README and docs show at least the Shapes-10 default and one
	// Fashion-MNIST line; every line runs unless it is a sketch or needs
	// Debian's Fashion-MNIST package that this machine lacks.
	if ran < 1 || fashion && ranFashion < 1 {
		t.Errorf("ran %d documented lines (%d of Fashion-MNIST; %d skipped)", ran, ranFashion, skipped)
	}
}

// TestOldSpellings: the flags of trainscorer kept their names.
func TestOldSpellings(t *testing.T) {
	fs, o := flags()
	if err := fs.Parse([]string{"-n", "10", "-epochs", "2", "-batch", "4", "-lr", "0.01", "-seed", "3", "-test", "5", "-out", "w", "-lowres", "0.5"}); err != nil {
		t.Fatal(err)
	}
	want := options{dataset: "shapes10", n: 10, epochs: 2, batch: 4, testN: 5, lr: 0.01, lowres: 0.5, seed: 3, out: "w"}
	if *o != want {
		t.Errorf("options %+v, want %+v", *o, want)
	}
}
