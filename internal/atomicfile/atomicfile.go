// Package atomicfile writes files so that a reader never sees a partial one:
// the data goes to a temporary file in the same directory, which is synced
// to disk and then renamed over the destination (and the directory synced),
// so a crash or a kill leaves either the old file or the new one.
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
)

// Write creates or replaces path with what write produces.
func Write(path string, write func(w io.Writer) error) error { return WriteHook(path, write, nil) }

// WriteHook is Write with a hook called when the new content is complete
// and on disk but not yet in place (before the rename): the moment a crash
// tests the atomicity of the write. An error from it abandons the write,
// as a full disk would.
func WriteHook(path string, write func(w io.Writer) error, beforeRename func() error) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	if err = write(bw); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = f.Chmod(0o644); err != nil { // CreateTemp makes 0600 files
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("syncing %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", path, err)
	}
	if beforeRename != nil {
		if err = beforeRename(); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("renaming %s: %w", path, err)
	}
	// The rename is durable once the directory is synced. The new file is
	// in place whatever happens here, but a failed sync means a crash could
	// still bring the old one back, which the caller must hear about.
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("%s is written, but syncing its directory failed, so it may not survive a crash: %w", path, err)
	}
	return nil
}

// syncDir flushes the entries of directory dir to disk. File systems that
// cannot sync a directory (some network and FUSE file systems answer
// EINVAL or ENOTSUP) offer no stronger guarantee to wait for, so that is
// not an error.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return ignoreUnsupportedSync(err)
}

// ignoreUnsupportedSync drops the errors with which a file system says it
// does not sync directories.
func ignoreUnsupportedSync(err error) error {
	if errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP) || errors.Is(err, errors.ErrUnsupported) {
		return nil
	}
	return err
}

// WriteBytes creates or replaces path with data.
func WriteBytes(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}
