package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
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
		if err := CheckWritable(bad); !errors.Is(err, ErrUsage) {
			t.Errorf("%q: %v, want a usage error", bad, err)
		}
	}
}

func TestCheckExists(t *testing.T) {
	dir := t.TempDir()
	for _, path := range []string{"", dir} {
		if err := CheckExists("data_dir", path); err != nil {
			t.Errorf("%q: %v", path, err)
		}
	}
	missing := filepath.Join(dir, "missing")
	if err := CheckExists("data_dir", missing); !errors.Is(err, ErrUsage) || !strings.Contains(err.Error(), "-data_dir "+missing) {
		t.Errorf("missing: %v, want a usage error naming -data_dir", err)
	}
	// Shapes-10 is generated: its -data_dir is not read, nor checked.
	if err := CheckDataDir("data_dir", "shapes10", missing); err != nil {
		t.Errorf("shapes10: %v", err)
	}
}
