package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckOutputLeavesNothing: a writable path passes and the check
// leaves no file behind; an empty path or a missing folder is a usage
// error.
func TestCheckOutputLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	if err := CheckOutput("", filepath.Join(dir, "out.npz")); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("the check left %d files behind", len(entries))
	}
	for _, bad := range []string{"", filepath.Join(dir, "no", "such", "dir", "out.npz")} {
		if err := CheckOutput("", bad); !errors.Is(err, ErrUsage) {
			t.Errorf("%q: %v, want a usage error", bad, err)
		}
	}
}

// TestCheckOutput: the messages name the flag, without the temporary
// file's name. A path that is a folder is refused too: a file could be
// created beside it, but the result could not replace it at the end of
// the work (it passed, and fidstats -out DIR failed after the scoring).
func TestCheckOutput(t *testing.T) {
	dir := t.TempDir()
	if err := CheckOutput("out", dir); !errors.Is(err, ErrUsage) || !strings.Contains(err.Error(), "-out "+dir+" is a folder") {
		t.Errorf("a folder: %v, want a usage error naming -out", err)
	}
	missing := filepath.Join(dir, "no", "out.npz")
	err := CheckOutput("out", missing)
	if !errors.Is(err, ErrUsage) || !strings.Contains(err.Error(), "-out "+missing+": cannot write in") || strings.Contains(err.Error(), ".check-") {
		t.Errorf("missing directory: %v, want a usage error naming -out and the path", err)
	}
	if err := CheckOutput("out", ""); !errors.Is(err, ErrUsage) || !strings.Contains(err.Error(), "-out") {
		t.Errorf("empty: %v, want a usage error naming -out", err)
	}
}

// TestCheckOutputDir: a folder created with its missing parents passes
// when the nearest existing one is a writable folder, and the check
// creates nothing; under a file it is refused.
func TestCheckOutputDir(t *testing.T) {
	dir := t.TempDir()
	for _, ok := range []string{dir, filepath.Join(dir, "a", "b", "c")} {
		if err := CheckOutputDir("run", ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("the check left %d files behind", len(entries))
	}
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", file, filepath.Join(file, "sub", "run")} {
		if err := CheckOutputDir("run", bad); !errors.Is(err, ErrUsage) || !strings.Contains(err.Error(), "-run") {
			t.Errorf("%q: %v, want a usage error naming -run", bad, err)
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

// TestCheckRunKindOfAnEvaluation: resuming a training in an evaluation's
// run directory is refused, without offering a resume that does not exist.
func TestCheckRunKindOfAnEvaluation(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(`{"kind":"eval","source":"s"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	err := CheckRunKind(dir, "train")
	if !errors.Is(err, ErrUsage) || !strings.Contains(err.Error(), `kind "eval" (cmd/eval)`) || strings.Contains(err.Error(), "-resume") {
		t.Errorf("CheckRunKind: %v, want a usage error naming the evaluation, offering no resume", err)
	}
}

// TestCheckRunKindOfAFolderThatIsNoRun: a folder without config.json is a
// usage error saying what -resume takes (it failed with exit 1 on "open
// config.json: no such file or directory"); a damaged config.json is left
// to the resume, which names the damage.
func TestCheckRunKindOfAFolderThatIsNoRun(t *testing.T) {
	dir := t.TempDir()
	for _, want := range []string{"search", "train"} {
		err := CheckRunKind(dir, want)
		if !errors.Is(err, ErrUsage) || !strings.Contains(err.Error(), "is not a run directory") {
			t.Errorf("%s: %v, want a usage error", want, err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := CheckRunKind(dir, "search"); err != nil {
		t.Errorf("damaged config.json: %v, want nil (the resume reports it)", err)
	}
}
