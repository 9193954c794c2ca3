package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/autogan-go/autogan/cmd/internal/cli"
	"github.com/autogan-go/autogan/cmd/internal/doclines"
	"github.com/autogan-go/autogan/internal/progress"
	"github.com/autogan-go/autogan/nas"
)

func parseOnly(args []string) (doclines.FlagSet, []string) {
	if len(args) > 0 && args[0] == "report" {
		fs, _ := reportFlags()
		return fs, args[1:]
	}
	fs, _ := flags()
	return fs, args
}

// TestDocumentedCommandLines checks every command line of train that the
// documentation shows, and runs those of the demo pipeline that need no
// downloaded data on a search result of five architectures: training the
// top one, the third as array task 3 would, and the report. The runs use
// the tiny preset shrunk further (one generator step, 20-image
// evaluations) through -config, so that each takes a fraction of a second.
func TestDocumentedCommandLines(t *testing.T) {
	lines := doclines.Check(t, "../..", "train", parseOnly)
	micro := nas.MustTrainPreset("tiny")
	micro.MaxIter, micro.EvalImages, micro.EvalBatch, micro.DatasetN, micro.GridImages = 1, 20, 10, 32, 4
	b, _ := json.Marshal(micro)
	t.Chdir(t.TempDir())
	result := `{"strategy": "mlas", "reward": "is", "scorer": "embedded", "architectures": [
		{"rank": 1, "arch": "1 0 1 1 1 0 0 1 1 1 0 1 0 3", "reward": 3.1, "description": "A"},
		{"rank": 2, "arch": "0 2 2 1 1 1 0 0 1 0 0 1 1 2", "reward": 2.9, "description": "B"},
		{"rank": 3, "arch": "1 0 0 0 1 0 0 0 0 1 0 0 0 0", "reward": 2.8, "description": "C"},
		{"rank": 4, "arch": "1 1 0 0 1 0 0 0 0 1 0 0 0 0", "reward": 2.7, "description": "D"},
		{"rank": 5, "arch": "1 0 1 0 1 0 0 0 0 1 0 0 0 0", "reward": 2.6, "description": "E"}]}`
	if err := os.MkdirAll("runs/demo", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("runs/demo/result.json", []byte(result), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("micro.json", b, 0o644); err != nil {
		t.Fatal(err)
	}
	var ran []string
	runLine := func(l doclines.Line, args []string) string {
		var out bytes.Buffer
		if err := run(context.Background(), args, &out, progress.Quiet()); err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		ran = append(ran, l.String())
		return out.String()
	}
	var report doclines.Line
	for _, l := range doclines.Distinct(lines) {
		switch {
		case !slices.Contains(l.Args, "runs/demo"): // trainings of other runs need CIFAR-10 or STL-10
		case l.Args[0] == "report":
			report = l // after the trainings
		default:
			runLine(l, append(slices.Clone(l.Args), "-config", "micro.json"))
		}
	}
	if report.Command == "" {
		t.Fatal("no documented train report")
	}
	if out := runLine(report, report.Args); !strings.Contains(out, "derived generator: top") || strings.Count(out, "\ntop") != 2 {
		t.Errorf("%s:\n%s", report, out)
	}
	// Every documented line ran above; these three must be among them
	// (docs/performance.md adds a shorter training of the demo's top 1).
	for _, want := range []string{"train -from_search runs/demo -top 1", "train -from_search runs/demo -top 5 -index 3", "train report runs/demo"} {
		found := false
		for _, r := range ran {
			found = found || strings.HasSuffix(r, ": "+want)
		}
		if !found {
			t.Errorf("ran %q, want among them %q", ran, want)
		}
	}
}

// TestOldSpellings: the kebab-case spellings, and the names eval and
// fidstats gave the scorer and the statistics, still work.
func TestOldSpellings(t *testing.T) {
	fs, o := flags()
	err := fs.Parse([]string{"-from-search", "runs/x", "-data-dir", "d", "-fid-stat", "s.npz", "-weights", "w.pth",
		"-gen-batch-size", "8", "-lr-decay", "-num-eval-imgs", "100"})
	if err != nil {
		t.Fatal(err)
	}
	cfg := nas.MustTrainPreset("paper")
	o.apply(&cfg)
	if o.fromSearch != "runs/x" || cfg.DataDir != "d" || cfg.FIDStats != "s.npz" || cfg.Scorer != "w.pth" ||
		cfg.GenBatch != 8 || !cfg.LRDecay || cfg.EvalImages != 100 || cfg.GF != 256 {
		t.Errorf("from_search %q, settings %+v", o.fromSearch, cfg)
	}
	fs, o = flags()
	if err := fs.Parse([]string{"-stats", "t.npz", "-lr_decay=false"}); err != nil {
		t.Fatal(err)
	}
	cfg.LRDecay = true
	o.apply(&cfg)
	if cfg.FIDStats != "t.npz" || cfg.LRDecay {
		t.Errorf("-stats / -lr_decay=false: %q %v", cfg.FIDStats, cfg.LRDecay)
	}
}

// TestHelpDescribesEverySetting: -h lists every configuration field with
// its type and a description, and exits with success.
func TestHelpDescribesEverySetting(t *testing.T) {
	fs, _ := flags()
	var help bytes.Buffer
	fs.HelpOutput = &help
	if err := fs.Parse([]string{"-h"}); !errors.Is(err, cli.ErrHelp) {
		t.Fatalf("-h: %v", err)
	}
	for _, k := range fs.Undescribed(nas.MustTrainPreset("demo"), help.String(), "preset") {
		t.Errorf("-h does not describe the setting %s", k)
	}
	if !strings.Contains(help.String(), "demo|paper|stl10|tiny") {
		t.Error("-h does not list the presets")
	}
	if err := run(context.Background(), []string{"report", "-h"}, io.Discard, progress.Quiet()); !errors.Is(err, cli.ErrHelp) {
		t.Errorf("train report -h: %v", err)
	}
	if err := run(context.Background(), []string{"report", filepath.Join("a", "b"), "c"}, io.Discard, progress.Quiet()); !errors.Is(err, cli.ErrUsage) {
		t.Errorf("train report with two directories: %v", err)
	}
}
