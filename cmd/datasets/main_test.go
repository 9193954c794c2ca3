package main

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/autogan-go/autogan/cifar"
	"github.com/autogan-go/autogan/cmd/internal/cli"
)

// TestShapes10Summary: the class counts and a grid with one column per
// class.
func TestShapes10Summary(t *testing.T) {
	grid := filepath.Join(t.TempDir(), "grid.png")
	var out bytes.Buffer
	if err := run([]string{"-count", "200", "-n", "20", "-scale", "1", "-grid", grid}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "shapes10: 200 images of 3×32×32") || strings.Count(out.String(), " 20\n") != 10 {
		t.Errorf("output:\n%s", out.String())
	}
	f, err := os.Open(grid)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil {
		t.Fatal(err)
	}
	// 10 columns and 2 rows of 32-pixel images with 2-pixel gaps.
	if cfg.Width <= 10*32 || cfg.Width > 10*36 || cfg.Height <= 2*32 || cfg.Height > 2*36 {
		t.Errorf("grid of %d×%d pixels", cfg.Width, cfg.Height)
	}
}

// TestFolderDataset reads a folder of PNG files: images in a subfolder are
// labeled by it (as torchvision's ImageFolder does), the others are not.
func TestFolderDataset(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a.png", "b.png", "sub/c.png"} {
		img := image.NewNRGBA(image.Rect(0, 0, 8, 8))
		img.Set(1, 1, color.NRGBA{200, 10, 10, 255})
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(f, img); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	var out bytes.Buffer
	if err := run([]string{"-name", "folder", "-data-dir", dir, "-size", "8"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "folder: 3 images of 3×8×8") || !strings.Contains(out.String(), "sub            1") ||
		!strings.Contains(out.String(), "unlabeled      2") {
		t.Errorf("output:\n%s", out.String())
	}
}

// TestDatasetsErrors: the mistakes of the command line are usage errors
// (exit code 2): a dataset without its -data_dir, a -data_dir that does not
// exist, an unknown dataset and a number of Shapes-10 images out of range
// among them (they exited 1).
func TestDatasetsErrors(t *testing.T) {
	for _, c := range []struct {
		args  []string
		usage bool
	}{
		{[]string{"-n", "0"}, true},
		{[]string{"-bogus"}, true},
		{[]string{"-name", "cifar10"}, true}, // needs -data-dir
		{[]string{"-name", "cifar10", "-data-dir", filepath.Join(t.TempDir(), "missing")}, true},
		{[]string{"-name", "nothing"}, true},
		{[]string{"-name", "folder"}, true}, // needs -data-dir
		{[]string{"-name", "shapes10", "-dataset_n", "100000000000"}, true},
		// Outputs are checked before the dataset is read.
		{[]string{"-grid", filepath.Join(t.TempDir(), "missing", "g.png")}, true},
		{[]string{"-npz", filepath.Join(t.TempDir(), "missing", "s.npz")}, true},
	} {
		err := run(c.args, io.Discard)
		if err == nil || errors.Is(err, cli.ErrUsage) != c.usage {
			t.Errorf("%q: %v (usage error wanted: %v)", c.args, err, c.usage)
		}
		for _, flag := range []string{"-grid", "-npz"} {
			if slices.Contains(c.args, flag) && !strings.Contains(fmt.Sprint(err), flag+" ") {
				t.Errorf("%q: %v does not name %s", c.args, err, flag)
			}
		}
	}
}

// TestNPZExport: -npz writes the images, byte for byte, and the labels as
// NumPy arrays (np.load(path)["images"] is N×C×H×W uint8).
func TestNPZExport(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shapes.npz")
	var out bytes.Buffer
	if err := run([]string{"-dataset_n", "30", "-npz", path}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "images 30×3×32×32 uint8, labels 30 int64") {
		t.Errorf("output:\n%s", out.String())
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	members := map[string][]byte{}
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		if members[f.Name], err = io.ReadAll(r); err != nil {
			t.Fatal(err)
		}
		r.Close()
	}
	want := cifar.Shapes10(30, 12345)
	labels := make([]byte, 0, 8*30)
	for _, l := range want.Labels {
		labels = binary.LittleEndian.AppendUint64(labels, uint64(l))
	}
	for name, c := range map[string]struct {
		header string
		body   []byte
	}{
		"images.npy": {"{'descr': '|u1', 'fortran_order': False, 'shape': (30, 3, 32, 32), }", want.Pixels},
		"labels.npy": {"{'descr': '<i8', 'fortran_order': False, 'shape': (30,), }", labels},
	} {
		b := members[name]
		if len(b) < 10 || !bytes.HasPrefix(b, []byte("\x93NUMPY\x01\x00")) {
			t.Fatalf("%s: not an .npy file (%d bytes)", name, len(b))
		}
		n := 10 + int(binary.LittleEndian.Uint16(b[8:]))
		if got := strings.TrimSpace(string(b[10:n])); got != c.header || n%64 != 0 {
			t.Errorf("%s: header %q of %d bytes", name, got, n)
		}
		if !bytes.Equal(b[n:], c.body) {
			t.Errorf("%s: the data differ", name)
		}
	}
}
