// Command train trains a generator architecture from scratch, as the
// reference's train.py / train_derived.py, with the EMA of G, periodic IS and
// FID, sample grids, best and latest checkpoints, and exact resume:
//
//	go run ./cmd/train                                    # demo preset: model A on Shapes-10, minutes
//	go run ./cmd/train -arch "1 0 1 1 1 0 0 1 1 1 0 1 0 3" -preset demo
//	go run ./cmd/train -preset paper -arch autogan_cifar10_a -data_dir cifar-10-batches-bin \
//	    -scorer pt_inception-2015-12-05-6726825d.pth -fid_stat fid_stats_cifar10_train.npz
//	go run ./cmd/train -preset stl10 -data_dir stl10_binary -scorer ... -fid_stat ...
//
// After a search, -from_search RUN -top K trains the top K discovered
// architectures one after another (in RUN/train/top1, top2, …) and reports
// the best, the paper's derivation step. On a cluster, -index I (or
// -index env for SLURM_ARRAY_TASK_ID) trains only the I-th (1-based) of
// them, and `train report RUN` gathers the results:
//
//	go run ./cmd/train -from_search runs/demo -top 5 -index 3
//	go run ./cmd/train report runs/demo
//
// Every setting can be overridden with a flag named like its JSON key
// (-max_iter 1000, -lr_decay; the kebab-case -max-iter works too) or a
// JSON file (-config my.json); a flag wins over the file, the file over the
// preset, and -h describes every setting.
//
// SIGINT/SIGTERM write a checkpoint and exit with code 3 (requeue); -resume
// DIR continues a run.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/autogan-go/autogan/cmd/internal/cli"
	"github.com/autogan-go/autogan/internal/progress"
	"github.com/autogan-go/autogan/nas"
)

func main() {
	cli.LimitHeapGrowth()
	ctx, stop := cli.Interruptible("writing a checkpoint at the next step")
	defer stop()
	cli.Exit("train", run(ctx, os.Args[1:], os.Stdout, progress.Stderr()), nas.ErrInterrupted)
}

// run is the command: train report RUN, or a training run.
func run(ctx context.Context, args []string, stdout io.Writer, rep *progress.Reporter) error {
	if len(args) > 0 && args[0] == "report" {
		return reportCommand(args[1:], stdout)
	}
	fs, o := flags()
	fs.HelpOutput = stdout
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := cli.SetThreads(o.threads); err != nil {
		return err
	}
	var err error
	if o.faults, err = cli.FaultsFromEnv(); err != nil {
		return err
	}
	return train(ctx, o, stdout, rep)
}

// options are the command line of a training run.
type options struct {
	preset, config, run, resume string
	fromSearch, index           string
	top, threads                int
	apply                       func(target any) // the configuration flags the user gave
	fs                          *cli.FlagSet
	faults                      *cli.Faults // AUTOGAN_FAULT (tests)
}

// flags defines the command line: the run flags, the flags of training
// a search's results, then one flag per configuration setting, named like
// its JSON key.
func flags() (*cli.FlagSet, *options) {
	fs := cli.NewFlagSet("train [flags]",
		"Trains a generator architecture from scratch (the reference's train.py / train_derived.py), or the\n"+
			"top architectures of a search; \"train report RUN\" ranks the trained ones.")
	var o options
	fs.Group("Run")
	fs.StringVar(&o.preset, "preset", "demo", "starting configuration: "+strings.Join(nas.TrainPresetNames, "|"))
	fs.StringVar(&o.config, "config", "", "JSON file of settings (keys as below) laid over the preset")
	fs.StringVar(&o.run, "run", "", "run directory (default runs/train-<preset>)")
	fs.StringVar(&o.resume, "resume", "", "continue the interrupted training in this run directory, with its settings")
	fs.IntVar(&o.threads, "threads", runtime.GOMAXPROCS(0), "worker goroutines")
	fs.Group("Training the architectures a search found")
	fs.StringVar(&o.fromSearch, "from_search", "", "train the top architectures of this search run directory, in RUN/train/top1, top2, …")
	fs.IntVar(&o.top, "top", 1, "how many of the top architectures")
	fs.StringVar(&o.index, "index", "", "train only the I-th of them (1-based; 'env': SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX + 1)")
	fs.Group("Training settings (defaults of the demo preset; a flag overrides the preset and the -config file)")
	def := nas.MustTrainPreset("demo")
	o.apply = fs.Settings(&def, "preset")
	o.fs = fs
	fs.Lookup("dataset").Usage += ": " + strings.Join(cli.DatasetNames(), "|")
	return fs, &o
}

// reportFlags defines the command line of train report.
func reportFlags() (*cli.FlagSet, *string) {
	fs := cli.NewFlagSet("train report [flags]", "Ranks the trained top architectures of a search and names the derived generator:\n"+
		"by default the one with the highest Inception Score, as the paper chooses it (§3.3.3).")
	fs.ArgsUsage = "RUN_DIR"
	by := new(string)
	fs.StringVar(by, "by", string(nas.ByIS), "rank by the best Inception Score (is, the paper's choice) or the lowest FID (fid): is|fid")
	return fs, by
}

// train runs the training the options describe.
func train(ctx context.Context, o *options, stdout io.Writer, rep *progress.Reporter) error {
	if o.resume != "" {
		if fs := o.fs; fs.IsSet("config") || fs.IsSet("preset") || fs.IsSet("run") || fs.IsSet("from_search") || fs.IsSet("top") || fs.IsSet("index") {
			return cli.Usagef("-resume continues a run with its own settings; -preset, -config, -run, -from_search, -top and -index do not apply")
		}
		if err := cli.CheckExists("resume", o.resume); err != nil {
			return err
		}
		if err := cli.CheckRunKind(o.resume, "train"); err != nil {
			return err
		}
		// Settings given with -resume change the run from here on: only
		// those of nas.TrainResumeSettings may (a diverged run resumed
		// with smaller learning rates). They are checked before the run
		// is loaded.
		var cfg nas.TrainConfig
		if err := cfg.LoadConfigFile(filepath.Join(o.resume, "config.json")); err != nil {
			return fmt.Errorf("resume: %w", err)
		}
		next := cfg
		o.apply(&next)
		if err := nas.CheckTrainOverride(cfg, next); err != nil {
			return cli.Usagef("%v", err)
		}
		t, err := nas.OpenTraining(o.resume, nil, cli.Runs(o.faults), cli.TrainOpener(rep), rep)
		if err != nil {
			return err
		}
		next = t.Cfg // the checkpoint's settings, which an earlier override may have changed
		o.apply(&next)
		if err := t.Override(next); err != nil {
			return cli.Usagef("%v", err)
		}
		return finish(ctx, t, o.resume, stdout, rep)
	}
	cfg, err := nas.TrainPreset(o.preset)
	if err != nil {
		return cli.Usagef("%v", err)
	}
	if o.config != "" {
		if err := cfg.LoadConfigFile(o.config); err != nil {
			return cli.Usagef("%v", err)
		}
	}
	o.apply(&cfg)
	if err := cfg.Validate(); err != nil {
		return cli.Usagef("%v", err)
	}
	if err := checkFiles(cfg); err != nil {
		return err
	}
	if o.fromSearch == "" {
		if o.fs.IsSet("top") || o.fs.IsSet("index") {
			return cli.Usagef("-top and -index choose among the architectures of -from_search, which is not given")
		}
		dir := o.run
		if dir == "" {
			dir = filepath.Join("runs", "train-"+cfg.Preset)
		}
		if err := cli.CheckNewRun("run", dir); err != nil {
			return err
		}
		return trainOne(ctx, &cfg, dir, o.faults, stdout, rep)
	}
	if o.fs.IsSet("run") {
		return cli.Usagef("-run does not apply with -from_search: the trainings go to %s", filepath.Join(o.fromSearch, "train", "topK"))
	}
	if o.fs.IsSet("arch") {
		return cli.Usagef("-arch does not apply with -from_search, which trains the search's architectures (-top, -index choose among them)")
	}
	if err := cli.CheckExists("from_search", o.fromSearch); err != nil {
		return err
	}
	res, err := nas.LoadResult(o.fromSearch)
	if err != nil {
		return err
	}
	if len(res.Architectures) == 0 {
		return fmt.Errorf("%s: the search's result lists no architectures", filepath.Join(o.fromSearch, "result.json"))
	}
	if o.top < 1 {
		return cli.Usagef("-top %d: want at least 1", o.top)
	}
	if o.top > len(res.Architectures) {
		rep.Log("-top %d: the search lists %d architectures; training all %d", o.top, len(res.Architectures), len(res.Architectures))
	}
	which, err := indices(o.index, min(o.top, len(res.Architectures)))
	if err != nil {
		return cli.Usagef("%v", err)
	}
	if err := nas.TrainTopK(ctx, o.fromSearch, which, cfg, cli.Runs(o.faults), cli.TrainOpener(rep), rep); err != nil {
		return err
	}
	return report(o.fromSearch, nas.ByIS, stdout)
}

// checkFiles refuses the settings that name a file or folder that does not
// exist (-scorer, -data_dir, -fid_stat), before any work.
func checkFiles(cfg nas.TrainConfig) error {
	for _, c := range []struct{ flag, path string }{{"scorer", cfg.Scorer}, {"fid_stat", cfg.FIDStats}} {
		if err := cli.CheckExists(c.flag, c.path); err != nil {
			return err
		}
	}
	return cli.CheckDataDir("data_dir", cfg.Dataset, cfg.DataDir)
}

// indices returns the 1-based architectures to train.
func indices(spec string, k int) ([]int, error) {
	if spec == "" {
		var all []int
		for i := 1; i <= k; i++ {
			all = append(all, i)
		}
		return all, nil
	}
	if spec == "env" {
		n, err := cli.ArrayTaskID()
		if err != nil {
			return nil, fmt.Errorf("-index env: %w", err)
		}
		spec = strconv.Itoa(n + 1)
	}
	i, err := strconv.Atoi(spec)
	if err != nil || i < 1 || i > k {
		return nil, fmt.Errorf("-index %q: want 1…%d", spec, k)
	}
	return []int{i}, nil
}

// trainOne runs one new training run and prints its best scores.
func trainOne(ctx context.Context, cfg *nas.TrainConfig, dir string, faults *cli.Faults, stdout io.Writer, rep *progress.Reporter) error {
	t, err := nas.OpenTraining(dir, cfg, cli.Runs(faults), cli.TrainOpener(rep), rep)
	if err != nil {
		return err
	}
	return finish(ctx, t, dir, stdout, rep)
}

// finish runs a training run to its end and prints its best scores.
func finish(ctx context.Context, t *nas.Trainer, dir string, stdout io.Writer, rep *progress.Reporter) error {
	if err := t.Run(ctx); err != nil {
		if errors.Is(err, nas.ErrInterrupted) {
			rep.Log("stopped; continue with: go run ./cmd/train -resume %s", dir)
		}
		return err
	}
	s := t.Summary()
	fmt.Fprintf(stdout, "%s: best IS %.4f ± %.4f at epoch %d (%s); best FID %.4f at epoch %d (%s); scorer %s\n",
		dir, s.BestIS, s.BestISStd, s.BestISEpoch, s.BestISFile, s.BestFID, s.BestEpoch, s.BestFIDFile, s.Scorer)
	sampleHint(stdout, filepath.Join(dir, s.BestFIDFile))
	return nil
}

// sampleHint prints the command that draws samples of a trained generator.
func sampleHint(w io.Writer, checkpoint string) {
	fmt.Fprintf(w, "\nsamples of it:\n  go run ./cmd/sample -checkpoint %s -n 64 -out samples.png\n", checkpoint)
}

// reportCommand is `train report RUN [-by is|fid]` (flags before or after RUN).
func reportCommand(args []string, stdout io.Writer) error {
	fs, by := reportFlags()
	fs.HelpOutput = stdout
	var pos []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return err
		}
		if args = fs.Args(); len(args) > 0 {
			pos, args = append(pos, args[0]), args[1:]
		}
	}
	if len(pos) != 1 {
		return cli.Usagef("train report RUN_DIR [-by is|fid]")
	}
	crit, err := nas.ParseCriterion(*by)
	if err != nil {
		return cli.Usagef("-by: %v", err)
	}
	if err := cli.CheckExists("", pos[0]); err != nil {
		return err
	}
	return report(pos[0], crit, stdout)
}

// report ranks the trained top-K architectures of a search (paper §3.3.3:
// the highest Inception Score is the derived generator) and names the
// checkpoint that holds it.
func report(run string, by nas.Criterion, stdout io.Writer) error {
	ranked, unfinished, err := nas.DeriveFromTrained(run, by)
	if err != nil {
		return err
	}
	if by == nas.ByIS {
		fmt.Fprintf(stdout, "ranked by the best Inception Score of each run, the paper's choice of the derived generator (-by fid ranks by FID)\n")
	} else {
		fmt.Fprintf(stdout, "ranked by the lowest FID of each run (-by is ranks by Inception Score, the paper's choice)\n")
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "run\tbest IS\tepoch\tbest FID\tepoch\timages\tarchitecture\n")
	for _, r := range ranked {
		s := r.Summary
		fmt.Fprintf(tw, "%s\t%.4f ± %.4f\t%d\t%.4f\t%d\t%d\t%s\n", r.Name, s.BestIS, s.BestISStd, s.BestISEpoch, s.BestFID, s.BestEpoch, s.EvalImages, s.Arch)
	}
	tw.Flush()
	best := ranked[0]
	score, epoch := best.Best(by)
	name := map[nas.Criterion]string{nas.ByIS: "IS", nas.ByFID: "FID"}[by]
	fmt.Fprintf(stdout, "derived generator: %s (%s), %s %.4f at epoch %d: %s\n", best.Name, best.Summary.Arch, name, score, epoch, best.Checkpoint(by))
	if len(unfinished) > 0 {
		fmt.Fprintf(stdout, "not finished: %s\n", strings.Join(unfinished, ", "))
	}
	sampleHint(stdout, best.Checkpoint(by))
	return nil
}
