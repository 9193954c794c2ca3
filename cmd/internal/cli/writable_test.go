package cli

import (
	"os"
	"path/filepath"
	"testing"
)

func TestCheckWritable(t *testing.T) {
	dir := t.TempDir()
	if err := CheckWritable(filepath.Join(dir, "out.npz")); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("the check left %d files behind", len(entries))
	}
	for _, bad := range []string{"", filepath.Join(dir, "no", "such", "dir", "out.npz")} {
		if err := CheckWritable(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
