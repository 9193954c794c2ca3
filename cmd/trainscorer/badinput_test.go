package main

import (
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autogan-go/autogan/cmd/internal/cli"
)

// TestBadSettingsRefusedFirst: settings that used to train a scorer of NaN
// weights, or of no images, and exit 0 are usage errors; so are, before
// any epoch, an -n of 0 for any dataset (it meant the whole training split
// of all but shapes10, which the help did not say), an unknown dataset, a
// dataset without its -data_dir, a -data_dir or -test_dir that does not
// exist and an -out that cannot be written (they exited 1).
func TestBadSettingsRefusedFirst(t *testing.T) {
	out := t.TempDir() + "/scorer.safetensors"
	missing := filepath.Join(t.TempDir(), "missing")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-lr", "NaN"}, "-lr"},
		{[]string{"-lr", "Inf"}, "-lr"},
		{[]string{"-lowres", "NaN"}, "-lowres"},
		{[]string{"-n", "0"}, "-n must be at least 1"},
		{[]string{"-n", "100000000000"}, "shapes10 generates at most"},
		{[]string{"-test", "100000000000"}, "shapes10 generates at most"},
		{[]string{"-n", "16000000", "-test", "16000000"}, "GB available"},
		{[]string{"-dataset", "folder", "-data_dir", t.TempDir(), "-out", out}, "-test_dir"},
		{[]string{"-dataset", "mnist", "-data_dir", t.TempDir(), "-n", "0", "-out", out}, "-n must be at least 1"},
		{[]string{"-dataset", "nope", "-out", out}, "unknown dataset"},
		{[]string{"-dataset", "cifar10", "-out", out}, "needs a folder"},
		{[]string{"-dataset", "cifar10", "-data_dir", missing, "-out", out}, "-data_dir " + missing},
		{[]string{"-dataset", "folder", "-data_dir", t.TempDir(), "-test_dir", missing, "-out", out}, "-test_dir " + missing},
		{[]string{"-out", filepath.Join(missing, "scorer.safetensors")}, "-out " + filepath.Join(missing, "scorer.safetensors") + ": cannot write"},
		// A name in capitals is Shapes-10 too (it asked for -out when it
		// was taken for another dataset).
		{[]string{"-dataset", "SHAPES10", "-out", filepath.Join(missing, "s.safetensors")}, "-out " + filepath.Join(missing, "s.safetensors") + ": cannot write"},
		// -out has no default, so that a trial run cannot overwrite the
		// embedded scorer (it once wrote inception/classifier/shapes10_scorer.safetensors).
		{[]string{"-n", "10"}, "-out names the weights file"},
		{[]string{"-dataset", "fashion-mnist"}, "-out names the weights file"},
	} {
		err := run(append([]string{"-epochs", "1", "-test", "10"}, c.args...))
		if !errors.Is(err, cli.ErrUsage) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want a usage error naming %s", c.args, err, c.want)
		}
	}
}

// TestFolderDataset trains on a folder of class subfolders and tests on
// another (the test split was looked up as a dataset "folder-test", so
// folder datasets always failed).
func TestFolderDataset(t *testing.T) {
	train, test := t.TempDir(), t.TempDir()
	for _, root := range []string{train, test} {
		for k, class := range []string{"dark", "light"} {
			dir := filepath.Join(root, class)
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			for i := range 2 {
				img := image.NewGray(image.Rect(0, 0, 32, 32))
				for p := range img.Pix {
					img.Pix[p] = uint8(40 + 160*k + 10*i)
				}
				f, err := os.Create(filepath.Join(dir, fmt.Sprintf("%d.png", i)))
				if err != nil {
					t.Fatal(err)
				}
				if err := png.Encode(f, img); err != nil {
					t.Fatal(err)
				}
				f.Close()
			}
		}
	}
	out := filepath.Join(t.TempDir(), "scorer.safetensors")
	if err := run([]string{"-dataset", "folder", "-data_dir", train, "-test_dir", test, "-out", out,
		"-epochs", "1", "-batch", "2"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(out); err != nil {
		t.Fatal(err)
	}
}
