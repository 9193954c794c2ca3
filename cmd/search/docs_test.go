package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/autogan-go/autogan/cmd/internal/cli"
	"github.com/autogan-go/autogan/cmd/internal/doclines"
	"github.com/autogan-go/autogan/internal/progress"
	"github.com/autogan-go/autogan/nas"
)

func parseOnly(args []string) (doclines.FlagSet, []string) {
	fs, _ := flags()
	return fs, args
}

// TestDocumentedCommandLines checks every command line of search that the
// documentation shows (README, docs, the deploy templates and their
// defaults, the doc comment), and runs those that need no downloaded data,
// with the tiny preset's settings given as a -config file so that the run
// directory stays the documented one: the demo search, interrupted at its
// first step as Ctrl-C would, then -resume runs/demo; and -h.
func TestDocumentedCommandLines(t *testing.T) {
	lines := doclines.Check(t, "../..", "search", parseOnly)
	tiny := nas.MustPreset("tiny")
	tiny.Preset = "demo"
	b, _ := json.Marshal(tiny)
	t.Chdir(t.TempDir())
	if err := os.WriteFile("tiny.json", b, 0o644); err != nil {
		t.Fatal(err)
	}
	var ran []string
	for _, l := range doclines.Distinct(lines) {
		switch {
		case len(l.Args) == 0: // go run ./cmd/search
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			err := run(ctx, []string{"-config", "tiny.json"}, &bytes.Buffer{}, progress.Quiet())
			if !errors.Is(err, nas.ErrInterrupted) || !strings.Contains(err.Error(), "-resume runs/demo") {
				t.Fatalf("%s, interrupted: %v", l, err)
			}
		case slices.Equal(l.Args, []string{"-h"}):
			var out bytes.Buffer
			if err := run(context.Background(), l.Args, &out, progress.Quiet()); !errors.Is(err, cli.ErrHelp) || !strings.Contains(out.String(), "-max_search_iter int") {
				t.Fatalf("%s: %v\n%s", l, err, out.String())
			}
		case slices.Equal(l.Args, []string{"-resume", "runs/demo"}):
			var out bytes.Buffer
			if err := run(context.Background(), l.Args, &out, progress.Quiet()); err != nil || !strings.Contains(out.String(), "rank") {
				t.Fatalf("%s: %v\n%s", l, err, out.String())
			}
		default:
			continue
		}
		ran = append(ran, l.String())
	}
	if len(ran) != 3 {
		t.Errorf("ran %q, want the demo search, its -resume and -h", ran)
	}
}

// TestOldSpellings: the kebab-case spellings of the settings, and the
// scorer's former name, still work.
func TestOldSpellings(t *testing.T) {
	fs, o := flags()
	err := fs.Parse([]string{"-data-dir", "d", "-max-search-iter", "20", "-gf-dim", "64", "-dynamic-reset=false",
		"-weights", "w.pth", "-rl-num-eval-img", "100", "-dynamic_reset_threshold", "0.5"})
	if err != nil {
		t.Fatal(err)
	}
	cfg := nas.MustPreset("paper")
	o.apply(&cfg)
	if cfg.DataDir != "d" || cfg.MaxIters != 20 || cfg.GF != 64 || cfg.DynamicReset || cfg.Scorer != "w.pth" ||
		cfg.RewardImages != 100 || cfg.ResetThreshold != 0.5 {
		t.Errorf("settings %+v", cfg)
	}
	// Settings not given keep the preset's values.
	if cfg.DF != nas.MustPreset("paper").DF || cfg.Dataset != "cifar10" {
		t.Errorf("df_dim %d, dataset %q: the preset's values were overridden", cfg.DF, cfg.Dataset)
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
	for _, k := range fs.Undescribed(nas.MustPreset("demo"), help.String(), "preset") {
		t.Errorf("-h does not describe the setting %s", k)
	}
	for _, want := range []string{"mlas|slas|random|random-independent", "is|fid", "demo|paper|tiny", "xavier_uniform|normal", "tf|pytorch-fid", "shapes10|cifar10"} {
		if !strings.Contains(help.String(), want) {
			t.Errorf("-h does not list the values %s", want)
		}
	}
}
