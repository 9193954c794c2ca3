package main

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/autogan-go/autogan/cifar"
	"github.com/autogan-go/autogan/cmd/internal/doclines"
)

// TestDocumentedCommandLines checks every command line of datasets that
// the documentation shows, and runs the Shapes-10 grid of the README (on
// 100 generated images) and, where Debian's dataset-fashion-mnist package
// is installed (CI installs it), the Fashion-MNIST summary.
func TestDocumentedCommandLines(t *testing.T) {
	lines := doclines.Check(t, "../..", "datasets", func(args []string) (doclines.FlagSet, []string) {
		fs, _ := flags()
		return fs, args
	})
	_, err := os.Stat(cifar.DefaultFashionMNISTDir)
	fashion := err == nil
	t.Chdir(t.TempDir())
	ran, shapes := 0, 0
	for _, l := range doclines.Distinct(lines) {
		var args []string
		switch {
		case slices.Contains(l.Args, "shapes10"):
			args = doclines.Substitute(l.Args, map[string]string{"dataset_n": "100"})
			shapes++
		case slices.Contains(l.Args, "fashion-mnist") && fashion:
			args = l.Args
		default:
			continue
		}
		var out bytes.Buffer
		if err := run(args, &out); err != nil || !strings.Contains(out.String(), "images of") {
			t.Errorf("%s: %v\n%s", l, err, out.String())
		}
		ran++
	}
	// The README's grid and the package comment's export are the Shapes-10
	// lines; the Fashion-MNIST summary runs where the data is installed.
	if want := shapes + map[bool]int{false: 0, true: 1}[fashion]; shapes < 2 || ran != want {
		t.Errorf("ran %d documented lines (%d of Shapes-10), want %d", ran, shapes, want)
	}
}

// TestOldSpellings: the former flag names of datasets (-name, -data-dir,
// -count) still work.
func TestOldSpellings(t *testing.T) {
	fs, o := flags()
	if err := fs.Parse([]string{"-name", "cifar10", "-data-dir", "d", "-count", "7", "-grid", "g.png", "-n", "3", "-scale", "2", "-seed", "5", "-size", "16"}); err != nil {
		t.Fatal(err)
	}
	want := options{dataset: "cifar10", dataDir: "d", grid: "g.png", size: 16, n: 3, scale: 2, datasetN: 7, seed: 5}
	if *o != want || !fs.IsSet("size") {
		t.Errorf("options %+v, want %+v", *o, want)
	}
}
