package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestWriteReplacesAndFailureKeepsOld(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "ckpt")
	if err := WriteBytes(p, []byte("one")); err != nil {
		t.Fatal(err)
	}
	err := Write(p, func(w io.Writer) error {
		w.Write([]byte("partial"))
		return errors.New("interrupted")
	})
	if err == nil {
		t.Fatal("error not reported")
	}
	if b, _ := os.ReadFile(p); string(b) != "one" {
		t.Fatalf("failed write changed the file: %q", b)
	}
	if err := WriteBytes(p, []byte("two")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "two" {
		t.Fatalf("got %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
}

// A directory that cannot be synced is reported once the file is in place,
// unless the file system says it does not sync directories at all.
func TestDirectorySyncErrors(t *testing.T) {
	if err := syncDir(t.TempDir()); err != nil {
		t.Fatalf("syncing a directory: %v", err)
	}
	if err := syncDir(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("syncing a missing directory: no error")
	}
	for _, err := range []error{syscall.EINVAL, syscall.ENOTSUP, &os.PathError{Op: "sync", Path: "d", Err: syscall.EINVAL}} {
		if got := ignoreUnsupportedSync(err); got != nil {
			t.Errorf("%v: got %v, want nil (the file system cannot sync directories)", err, got)
		}
	}
	eio := &os.PathError{Op: "sync", Path: "d", Err: syscall.EIO}
	if got := ignoreUnsupportedSync(eio); !errors.Is(got, syscall.EIO) {
		t.Errorf("EIO: got %v, want it reported", got)
	}
}
