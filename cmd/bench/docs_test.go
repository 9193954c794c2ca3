package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/autogan-go/autogan/cmd/internal/doclines"
)

// TestDocumentedCommandLines checks every command line of bench that the
// documentation shows, and runs the JSON one on the smallest GEMM with one
// timed run.
func TestDocumentedCommandLines(t *testing.T) {
	lines := doclines.Check(t, "../..", "bench", func(args []string) (doclines.FlagSet, []string) {
		fs, _ := flags()
		return fs, args
	})
	ran := 0
	for _, l := range doclines.Distinct(lines) {
		if !strings.Contains(strings.Join(l.Args, " "), "-json") {
			continue // the whole table takes minutes
		}
		var out bytes.Buffer
		if err := run(doclines.Substitute(l.Args, map[string]string{"only": "gemm/n256", "reps": "1"}), &out); err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		var r result
		if err := json.Unmarshal(out.Bytes(), &r); err != nil || r.Name != "gemm/n256" {
			t.Errorf("%s: %q", l, out.String())
		}
		ran++
	}
	if ran != 1 {
		t.Errorf("ran %d documented lines, want 1", ran)
	}
}

// TestOldSpellings: the flags of bench kept their names; the command lines
// written before the flags were unified still parse to the same options.
func TestOldSpellings(t *testing.T) {
	fs, o := flags()
	if err := fs.Parse([]string{"-json", "-threads", "1", "-only", "gemm/", "-reps", "2", "-list", "-cpuprofile", "p.out"}); err != nil {
		t.Fatal(err)
	}
	want := options{asJSON: true, list: true, threads: 1, reps: 2, rounds: 3, only: "gemm/", cpuProfile: "p.out", python: "/usr/bin/python3"}
	if *o != want {
		t.Errorf("options %+v, want %+v", *o, want)
	}
}
