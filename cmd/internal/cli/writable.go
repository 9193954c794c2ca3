package cli

import (
	"fmt"
	"os"
	"path/filepath"
)

// CheckWritable returns an error unless a file can be created beside path
// (in the directory that will hold it): commands that write their result
// at the end check it first, so that an hour of work is not lost to a
// mistyped or read-only output path.
func CheckWritable(path string) error {
	if path == "" {
		return Usagef("the output path is empty")
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".check-*")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}
