package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// CheckWritable returns a usage error unless a file can be created beside
// path (in the directory that will hold it): commands that write their
// result at the end check it first, so that an hour of work is not lost to
// a mistyped or read-only output path.
func CheckWritable(path string) error {
	if path == "" {
		return Usagef("the output path is empty")
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".check-*")
	if err != nil {
		return fmt.Errorf("%w: cannot write %s: %w", ErrUsage, path, err)
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// CheckExists returns a usage error when path, a file or folder that the
// command line names with the flag flag (without its dash; "" for a
// positional argument), does not exist: a mistyped path is a mistake on
// the command line, refused before any work. An empty path is not checked
// (the flag was not given), nor is a path that exists but cannot be read:
// opening it reports that, as an error of its own.
func CheckExists(flag, path string) error {
	if path == "" {
		return nil
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		if flag == "" {
			return Usagef("%s: no such file or directory", path)
		}
		return Usagef("-%s %s: no such file or directory", flag, path)
	}
	return nil
}

// CheckDataDir is CheckExists for the folder or archive of a dataset
// (-data_dir), checked only for the datasets that read one: Shapes-10 is
// generated and ignores it.
func CheckDataDir(flag, dataset, dir string) error {
	if isShapes10(dataset) {
		return nil
	}
	return CheckExists(flag, dir)
}

func isShapes10(dataset string) bool { return dataset == "" || strings.EqualFold(dataset, "shapes10") }
