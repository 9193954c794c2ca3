package cifar

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenReadsNamesInAnyCase: a name in capitals opens the same dataset
// as in lower case, its split and its class names included ("CIFAR10" read
// the one-image test split, "FASHION-MNIST" the garments under the digits'
// class names).
func TestOpenReadsNamesInAnyCase(t *testing.T) {
	dir := t.TempDir()
	writeCIFAR10(t, dir, 3)
	writeIDX(t, filepath.Join(dir, "train-images-idx3-ubyte"), 0x803, []uint32{1, 28, 28}, make([]byte, 28*28))
	writeIDX(t, filepath.Join(dir, "train-labels-idx1-ubyte"), 0x801, []uint32{1}, []byte{7})
	for _, c := range [][2]string{{"cifar10", "CIFAR10"}, {"cifar10", "Cifar10"}, {"fashion-mnist", "FASHION-MNIST"}} {
		want, err := Open(c[0], Options{Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		got, err := Open(c[1], Options{Dir: dir})
		if err != nil {
			t.Fatalf("%s: %v", c[1], err)
		}
		if got.Len() != want.Len() || got.Classes()[7] != want.Classes()[7] {
			t.Errorf("%s: %d images, class 7 %q; %s: %d images, class 7 %q", c[1], got.Len(), got.Classes()[7], c[0], want.Len(), want.Classes()[7])
		}
	}
}

// TestNeedsDir: which datasets Open refuses without a folder, in any case.
func TestNeedsDir(t *testing.T) {
	for name, want := range map[string]bool{
		"shapes10": false, "": false, "fashion-mnist": false, "FASHION-MNIST-test": false,
		"cifar10": true, "CIFAR100-test": true, "stl10": true, "mnist": true, "mnist-test": true,
		"folder": false, "nope": false,
	} {
		if got := NeedsDir(name); got != want {
			t.Errorf("NeedsDir(%q) = %v, want %v", name, got, want)
		}
		if _, err := Open(name, Options{N: 1}); want && (err == nil || !strings.Contains(err.Error(), "needs a folder")) {
			t.Errorf("Open(%q) without a folder: %v", name, err)
		}
	}
}

// TestInstallHint: a Fashion-MNIST folder without its files names the
// Debian package that installs them; other errors are left alone.
func TestInstallHint(t *testing.T) {
	_, err := MNIST(t.TempDir(), true, true)
	if err == nil {
		t.Fatal("an empty folder: no error")
	}
	if got := installHint(err); !strings.Contains(got.Error(), "apt-get install dataset-fashion-mnist") || !errors.Is(got, fs.ErrNotExist) {
		t.Errorf("hint: %v", got)
	}
	other := errors.New("damaged archive")
	if installHint(other) != other || installHint(nil) != nil {
		t.Error("installHint changed an error that is not a missing file")
	}
}
