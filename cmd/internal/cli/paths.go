package cli

// The checks of the paths a command line names, made before any work: an
// input must exist, an output must be writable, a new run's directory must
// not hold another run.

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/autogan-go/autogan/nas/rundir"
)

// CheckOutput returns a usage error unless a file can be created beside
// path (in the directory that will hold it): commands that write their
// result at the end check it first, so that an hour of work is not lost to
// a mistyped or read-only output path. flag is the flag that names the
// path, without its dash ("" for none), which the message names as
// CheckExists does.
func CheckOutput(flag, path string) error {
	if path == "" {
		return Usagef("%sthe output path is empty", flagPrefix(flag, ": "))
	}
	// A folder of that name lets a file be created beside it, and then
	// refuses to be replaced by the result when the work is done.
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return Usagef("%s%s is a folder: name the file to write", flagPrefix(flag, " "), path)
	}
	if err := createIn(filepath.Dir(path), filepath.Base(path)); err != nil {
		return fmt.Errorf("%w: %s%s: cannot write in %s: %w", ErrUsage, flagPrefix(flag, " "), path, filepath.Dir(path), err)
	}
	return nil
}

// flagPrefix is "-flag" and sep, or nothing without a flag.
func flagPrefix(flag, sep string) string {
	if flag == "" {
		return ""
	}
	return "-" + flag + sep
}

// CheckOutputDir is CheckOutput for an output folder that the command
// creates with its missing parents (os.MkdirAll) and writes files in: the
// folder, or else the nearest of its parents that exists, must be a folder
// in which a file can be created.
func CheckOutputDir(flag, dir string) error {
	if dir == "" {
		return Usagef("%sthe output folder is empty", flagPrefix(flag, ": "))
	}
	p := filepath.Clean(dir)
	st, err := os.Stat(p)
	for err != nil && filepath.Dir(p) != p {
		p = filepath.Dir(p)
		st, err = os.Stat(p)
	}
	switch {
	case err != nil:
		return fmt.Errorf("%w: %s%s: %w", ErrUsage, flagPrefix(flag, " "), dir, err)
	case !st.IsDir():
		return Usagef("%s%s: %s is not a folder", flagPrefix(flag, " "), dir, p)
	}
	if err := createIn(p, filepath.Base(filepath.Clean(dir))); err != nil {
		return fmt.Errorf("%w: %s%s: cannot write in %s: %w", ErrUsage, flagPrefix(flag, " "), dir, p, err)
	}
	return nil
}

// createIn creates and removes a temporary file in dir, named after name.
// The error is the system's (no such file or directory, permission
// denied, read-only file system), without the temporary file's name.
func createIn(dir, name string) error {
	f, err := os.CreateTemp(dir, "."+name+".check-*")
	if err != nil {
		if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
			return pe.Err
		}
		return err
	}
	tmp := f.Name()
	f.Close()
	return os.Remove(tmp)
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
		return Usagef("%s%s: no such file or directory", flagPrefix(flag, " "), path)
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

// CheckNewRun refuses, before any work, a run directory (-run) in which a
// new run cannot start: one that holds a run to resume or a finished run's
// results (rundir.CheckNew), or that cannot be created.
func CheckNewRun(flag, dir string) error {
	if err := rundir.CheckNew(dir); err != nil {
		return fmt.Errorf("%w: %w", ErrUsage, err)
	}
	return CheckOutputDir(flag, dir)
}
