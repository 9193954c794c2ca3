// Command search runs the AutoGAN architecture search (Gong et al., ICCV
// 2019): a controller RNN proposes generator architectures cell by cell,
// a weight-sharing generator and a growing discriminator are trained on
// the proposals, and REINFORCE rewards the controller with the Inception
// Score of the generated images.
//
//	go run ./cmd/search                       # the demo preset: built-in data and scorer, minutes
//	go run ./cmd/search -preset paper -data_dir cifar-10-batches-bin \
//	    -scorer pt_inception-2015-12-05-6726825d.pth
//	go run ./cmd/search -resume runs/demo     # continue an interrupted run
//
// Every setting of the preset can be overridden with a flag named like its
// JSON key (-gf_dim 64, -max_search_iter 20, -dynamic_reset=false; the
// kebab-case -gf-dim works too) or a JSON file (-config my.json); a flag
// wins over the file, the file over the preset, and -h describes every
// setting with its type and the demo preset's value. The resolved
// configuration, metrics (JSON lines), sample grids, checkpoints and
// result.json go to the run directory (-run, default runs/<preset>).
//
// SIGINT or SIGTERM makes the search write a checkpoint at the next step
// and exit with code 3, on which batch schedulers can requeue; run it again
// with -resume to continue, bit for bit as if it had not stopped.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/autogan-go/autogan/cmd/internal/cli"
	"github.com/autogan-go/autogan/internal/progress"
	"github.com/autogan-go/autogan/nas"
)

func main() {
	cli.LimitHeapGrowth()
	ctx, stop := cli.Interruptible("writing a checkpoint at the next step")
	defer stop()
	cli.Exit("search", run(ctx, os.Args[1:], os.Stdout, progress.Stderr()), nas.ErrInterrupted)
}

// run is the command: it parses args, runs (or resumes) the search until it
// finishes or ctx is cancelled, and prints the discovered architectures to
// stdout. An interruption returns an error wrapping nas.ErrInterrupted
// after the checkpoint is written.
func run(ctx context.Context, args []string, stdout io.Writer, rep *progress.Reporter) error {
	fs, o := flags()
	fs.HelpOutput = stdout
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := cli.SetThreads(o.threads); err != nil {
		return err
	}
	faults, err := cli.FaultsFromEnv()
	if err != nil {
		return err
	}

	var s *nas.Searcher
	if o.resume != "" {
		if fs.IsSet("config") || fs.IsSet("preset") || fs.IsSet("run") {
			return cli.Usagef("-resume continues a run with its own settings; -preset, -config and -run do not apply")
		}
		if err := cli.CheckExists("resume", o.resume); err != nil {
			return err
		}
		if err := cli.CheckRunKind(o.resume, "search"); err != nil {
			return err
		}
		var cfg nas.Config
		if err := cfg.LoadConfigFile(filepath.Join(o.resume, "config.json")); err != nil {
			return fmt.Errorf("resume: %w", err)
		}
		// Settings given with -resume change the run from here on: only
		// those of nas.SearchResumeSettings may (a diverged run resumed
		// with smaller learning rates). They are checked before the run
		// is loaded.
		next := cfg
		o.apply(&next)
		if err := nas.CheckSearchOverride(cfg, next); err != nil {
			return cli.Usagef("%v", err)
		}
		if s, err = resumeSearch(o.resume, cfg, faults, rep); err != nil {
			return err
		}
		next = s.Cfg // the checkpoint's settings, which an earlier override may have changed
		o.apply(&next)
		if err := s.Override(next); err != nil {
			return cli.Usagef("%v", err)
		}
	} else {
		s, err = newSearch(o.preset, o.config, o.run, o.apply, faults, rep)
	}
	if err != nil {
		return err
	}
	start, done := time.Now(), s.Finished()
	if err := s.Run(ctx); err != nil {
		if errors.Is(err, nas.ErrInterrupted) {
			return fmt.Errorf("%w (go run ./cmd/search -resume %s)", err, s.Rec.Path())
		}
		return err
	}
	summary(stdout, s, time.Since(start), done)
	return nil
}

func newSearch(preset, config, run string, overrides func(any), faults *cli.Faults, rep *progress.Reporter) (*nas.Searcher, error) {
	cfg, err := nas.Preset(preset)
	if err != nil {
		return nil, cli.Usagef("%v", err)
	}
	if config != "" {
		if err := cfg.LoadConfigFile(config); err != nil {
			return nil, cli.Usagef("%v", err)
		}
	}
	overrides(&cfg)
	// Check the settings before the data and the scorer are loaded.
	if err := cfg.Validate(); err != nil {
		return nil, cli.Usagef("%v", err)
	}
	if err := checkFiles(cfg.GANConfig); err != nil {
		return nil, err
	}
	if run == "" {
		run = filepath.Join("runs", cfg.Preset)
	}
	if err := cli.CheckNewRun("run", run); err != nil {
		return nil, err
	}
	scorer, data, err := cli.Open(cfg.GANConfig, rep)
	if err != nil {
		return nil, err
	}
	rd, err := cli.CreateRun(run, faults)
	if err != nil {
		return nil, err
	}
	s, err := nas.NewSearcher(cfg, rd, scorer, data, rep)
	if err != nil {
		return nil, err
	}
	s.OnStep = faults.OnStep
	rep.Log("search %s: preset %s, strategy %s, %d iterations, dataset %s (%d images), scorer %s; run directory %s",
		run, cfg.Preset, cfg.Strategy, cfg.MaxIters, cfg.Dataset, data.Len(), scorer.Name(), run)
	rep.Log("watch it live: go run ./cmd/report -serve %s", run)
	return s, nil
}

// checkFiles refuses the settings that name a file or folder that does not
// exist (-scorer, -data_dir), before any work.
func checkFiles(cfg nas.GANConfig) error {
	if err := cli.CheckExists("scorer", cfg.Scorer); err != nil {
		return err
	}
	return cli.CheckDataDir("data_dir", cfg.Dataset, cfg.DataDir)
}

// resumeSearch loads the search in dir, whose settings are cfg.
func resumeSearch(dir string, cfg nas.Config, faults *cli.Faults, rep *progress.Reporter) (*nas.Searcher, error) {
	scorer, data, err := cli.Open(cfg.GANConfig, rep)
	if err != nil {
		return nil, err
	}
	rd, err := cli.OpenRun(dir, faults)
	if err != nil {
		return nil, fmt.Errorf("resume: %w", err)
	}
	s, err := nas.Resume(rd, scorer, data, rep)
	if err == nil {
		s.OnStep = faults.OnStep
	}
	return s, err
}

// options are the command line of search.
type options struct {
	preset, config, run, resume string
	threads                     int
	apply                       func(target any) // the configuration flags the user gave
}

// flags defines the command line: the run flags, then one flag per
// configuration setting, named like its JSON key.
func flags() (*cli.FlagSet, *options) {
	fs := cli.NewFlagSet("search [flags]",
		"Searches generator architectures with AutoGAN (Gong et al., ICCV 2019) and writes them to RUN/result.json.")
	var o options
	fs.Group("Run")
	fs.StringVar(&o.preset, "preset", "demo", "starting configuration: "+strings.Join(nas.PresetNames, "|"))
	fs.StringVar(&o.config, "config", "", "JSON file of settings (keys as below) laid over the preset")
	fs.StringVar(&o.run, "run", "", "run directory (default runs/<preset>)")
	fs.StringVar(&o.resume, "resume", "", "continue the interrupted search in this run directory, with its settings")
	fs.IntVar(&o.threads, "threads", runtime.GOMAXPROCS(0), "worker goroutines")
	fs.Group("Search settings (defaults of the demo preset; a flag overrides the preset and the -config file)")
	def := nas.MustPreset("demo")
	o.apply = fs.Settings(&def, "preset")
	fs.Lookup("dataset").Usage += ": " + strings.Join(cli.DatasetNames(), "|")
	return fs, &o
}

// summary prints the discovered architectures; before says that the
// search had finished before this command started (-resume of a finished
// run), which then only shows them again.
func summary(w io.Writer, s *nas.Searcher, took time.Duration, before bool) {
	res := s.Result()
	result := filepath.Join(s.Rec.Path(), "result.json")
	if before {
		fmt.Fprintf(w, "\nthis search had already finished; nothing was run. %d dynamic resets; results in %s\n\n", res.Resets, result)
	} else {
		fmt.Fprintf(w, "\nsearch finished in %s; %d dynamic resets; results in %s\n\n", took.Round(time.Second), res.Resets, result)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "rank\treward\tarchitecture\tdescription\n")
	for _, a := range res.Architectures {
		fmt.Fprintf(tw, "%d\t%.4f\t%s\t%s\n", a.Rank, a.Reward, a.Arch, a.Description)
	}
	tw.Flush()
	fmt.Fprintf(w, "\ntrain the best one from scratch:\n  go run ./cmd/train -from_search %s -top 1\n", s.Rec.Path())
}
