package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/autogan-go/autogan/cmd/internal/doclines"
)

// TestDocumentedCommandLines checks every command line of report that the
// documentation shows, and writes the pages of the one-run and the
// several-runs forms for the tiny runs committed in internal/runreport.
func TestDocumentedCommandLines(t *testing.T) {
	lines := doclines.Check(t, "../..", "report", func(args []string) (doclines.FlagSet, []string) {
		fs, _ := flags()
		return fs, args
	})
	fixture, err := filepath.Abs("../../internal/runreport/testdata")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	ran := 0
	for _, l := range doclines.Distinct(lines) {
		if slices.Contains(l.Args, "-serve") || l.Sketch {
			continue // serving is tested in main_test.go
		}
		// Every run directory named becomes a copy of the tiny search.
		var args []string
		for _, a := range l.Args {
			if strings.HasPrefix(a, "runs/") {
				copyTree(t, filepath.Join(fixture, "search"), a)
			}
			args = append(args, a)
		}
		var out bytes.Buffer
		if err := run(context.Background(), args, &out); err != nil || !strings.Contains(out.String(), "wrote ") {
			t.Errorf("%s: %v\n%s", l, err, out.String())
		}
		ran++
	}
	if ran < 2 {
		t.Errorf("ran %d documented lines, want the one-run and the comparison forms", ran)
	}
}

// TestOldSpellings: kebab-case spellings work for report too.
func TestOldSpellings(t *testing.T) {
	fs, o := flags()
	if err := fs.Parse([]string{"-grids", "3", "-serve", "-addr", "localhost:9"}); err != nil {
		t.Fatal(err)
	}
	if o.grids != 3 || !o.serve || o.addr != "localhost:9" {
		t.Errorf("%+v", o)
	}
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	if _, err := os.Stat(to); err == nil {
		return
	}
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
