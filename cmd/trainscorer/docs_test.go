package main

import (
	"os"
	"testing"

	"github.com/autogan-go/autogan/cmd/internal/doclines"
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
	ran := 0
	for _, l := range doclines.Distinct(lines) {
		if l.Sketch {
			continue
		}
		if err := run(doclines.Substitute(l.Args, map[string]string{"n": "64", "epochs": "1", "test": "10"})); err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		if _, err := os.Stat("inception/classifier/shapes10_scorer.safetensors"); err != nil {
			t.Errorf("%s: %v", l, err)
		}
		ran++
	}
	if ran != 1 {
		t.Errorf("ran %d documented lines, want 1", ran)
	}
}

// TestOldSpellings: the flags of trainscorer kept their names.
func TestOldSpellings(t *testing.T) {
	fs, o := flags()
	if err := fs.Parse([]string{"-n", "10", "-epochs", "2", "-batch", "4", "-lr", "0.01", "-seed", "3", "-test", "5", "-out", "w", "-lowres", "0.5"}); err != nil {
		t.Fatal(err)
	}
	want := options{n: 10, epochs: 2, batch: 4, testN: 5, lr: 0.01, lowres: 0.5, seed: 3, out: "w"}
	if *o != want {
		t.Errorf("options %+v, want %+v", *o, want)
	}
}
