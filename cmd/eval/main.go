// Command eval computes the Inception Score of a set of images and, given
// statistics of real images, their FID. The images are a folder, a
// dataset, or the output of a generator:
//
//	go run ./cmd/eval -images samples/ -scorer pt_inception-2015-12-05-6726825d.pth \
//	    -fid_stat fid_stats_cifar10_train.npz
//	go run ./cmd/eval -dataset shapes10 -json                      # embedded scorer
//	go run ./cmd/eval -checkpoint runs/train-a/best.safetensors \
//	    -scorer pt_inception-2015-12-05-6726825d.pth -fid_stat fid_stats_cifar10_train.npz
//	go run ./cmd/eval -checkpoint autogan_cifar10_a.pth -arch autogan_cifar10_a ...
//
// IS follows the reference: 10 contiguous splits of the images in their
// given order, float64 softmax of the logits (Inception: the 1008 logits
// without the fc bias), mean and population standard deviation. FID uses
// the unbiased covariance and the symmetric-eigenvalue form of tr √(Σ1Σ2).
// With -json it prints one object: is_mean, is_std, fid (when computed)
// and n.
//
// Generated images follow the reference protocol (functions.validate):
// the generator in eval mode, image i from latent i of -seed (the same
// images cmd/sample -seed writes), pixels uint8(127.5x + 127.5) by
// truncation, 50,000 images against the training set's statistics.
// -protocol sngan scores 5,000 generated images against 10,000 real ones
// (with -real_dataset the real statistics are computed from the first
// 10,000 images; a -fid_stat file should have been made the same way, e.g.
// cmd/fidstats -limit 10000).
//
// Sharded evaluation on a cluster (the merged result is bit-identical to a
// single run, for any number of shards):
//
//	go run ./cmd/eval -checkpoint C -shard 2/4 -partial part2.eval   # or -shard env/4 in an array job
//	go run ./cmd/eval merge -fid_stat S.npz -json [-save merged.eval] part*.eval
//
// A shard interrupted by SIGINT/SIGTERM saves its progress in the partial
// file and exits with code 3; run again, it continues from there. A shard
// whose partial file is complete is not recomputed.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/autogan-go/autogan/inception/metrics"
	"github.com/autogan-go/autogan/nas/rundir"

	"github.com/autogan-go/autogan/cmd/internal/cli"
	"github.com/autogan-go/autogan/internal/progress"
	"github.com/autogan-go/autogan/nas"
	"github.com/autogan-go/autogan/tensor"
)

// result is the -json output.
type result struct {
	ISMean float64  `json:"is_mean"`
	ISStd  float64  `json:"is_std"`
	FID    *float64 `json:"fid,omitempty"`
	N      int      `json:"n"`
	Scorer string   `json:"scorer"`
	Source string   `json:"source"`
	// With -confident P: the share of images classified with a
	// probability ≥ P, and their count per class.
	Confident         *float64 `json:"confident,omitempty"`
	ConfidentPerClass []int    `json:"confident_per_class,omitempty"`
}

func main() {
	cli.LimitHeapGrowth()
	ctx, stop := cli.Interruptible("stopping after the current block of images (with -partial, its progress is saved)")
	defer stop()
	cli.Exit("eval", run(ctx, os.Args[1:], os.Stdout, progress.Stderr()))
}

// fidFlags say where the real images' statistics come from.
type fidFlags struct {
	stats       string
	realDataset string
	realDataDir string
	realSize    int
	realN       int
	mu, sigma   []float64 // the -fid_stat file, read before any work
}

// open checks the settings and reads the statistics file, so that a wrong
// file fails before an hour of scoring rather than after.
func (f *fidFlags) open() error {
	if f.realSize < 0 || f.realN < 0 {
		return cli.Usagef("-real_size and -real_n must be at least 0")
	}
	if f.stats != "" && f.realDataset != "" {
		return cli.Usagef("give -fid_stat or -real_dataset, not both")
	}
	// The real dataset is opened after the scoring: its name and folder
	// are checked now.
	if f.realDataset != "" && !cli.KnownDataset(f.realDataset) {
		return cli.Usagef("-real_dataset: unknown dataset %q (one of %s)", f.realDataset, strings.Join(cli.DatasetNames(), ", "))
	}
	if f.realDataDir == "" && cli.NeedsDataDir(f.realDataset) {
		return cli.Usagef("-real_dataset %s needs its folder or archive (-real_data_dir)", f.realDataset)
	}
	if err := cli.CheckDataDir("real_data_dir", f.realDataset, f.realDataDir); err != nil {
		return err
	}
	if err := cli.CheckExists("fid_stat", f.stats); err != nil {
		return err
	}
	if f.stats == "" {
		return nil
	}
	var err error
	f.mu, f.sigma, err = metrics.ReadStatsFile(f.stats)
	return err
}

// matches checks that the statistics are of the scorer's features.
func (f *fidFlags) matches(sc metrics.Scorer) error {
	if f.mu != nil && sc != nil && len(f.mu) != sc.FeatureDim() {
		return fmt.Errorf("%s holds statistics of %d-dimensional features, but %s gives %d (Inception's are 2048)",
			f.stats, len(f.mu), sc.Name(), sc.FeatureDim())
	}
	return nil
}

func (f *fidFlags) register(fs *cli.FlagSet) {
	fs.Group("FID (real statistics from a file or a dataset)")
	fs.StringVar(&f.stats, "fid_stat", "", "FID statistics of real images (.npz with mu and sigma)")
	fs.StringVar(&f.realDataset, "real_dataset", "", "compute the real statistics from this dataset instead of -fid_stat")
	fs.StringVar(&f.realDataDir, "real_data_dir", "", "folder or archive of -real_dataset")
	fs.IntVar(&f.realSize, "real_size", 0, "resize the real images to this size (0, the default: the generated images' size; in eval merge, no resize)")
	fs.IntVar(&f.realN, "real_n", 0, "real images for -real_dataset (0, the default: 50,000, or 10,000 with -protocol sngan)")
}

// options are the command line of eval.
type options struct {
	im         cli.ImageFlags
	sf         cli.ScoringFlags
	ff         fidFlags
	checkpoint string
	arch       string
	n          int
	seed       uint64
	protocol   string
	asJSON     bool
	threads    int
	run        string
	confident  float64
}

// flags defines the command line of eval.
func flags() (*cli.FlagSet, *options) {
	fs := cli.NewFlagSet("eval [flags]",
		"Computes the Inception Score and, with real statistics, the FID of a generator, a folder of images\n"+
			"or a dataset; \"eval merge\" combines the partial files of a sharded evaluation.")
	var o options
	fs.Group("Generator")
	fs.StringVar(&o.checkpoint, "checkpoint", "", "score a generator: checkpoint of cmd/train, or a PyTorch .pth")
	fs.StringVar(&o.arch, "arch", "", "architecture of a PyTorch generator: autogan_cifar10_a|b|c or 14 integers")
	fs.IntVar(&o.n, "n", 0, "generated images (0, the default: 50,000, or 5,000 with -protocol sngan)")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the generator's latents (image i from latent i, as cmd/sample)")
	fs.StringVar(&o.protocol, "protocol", "reference", "evaluation protocol: reference|sngan (50,000 generated images against the training set, or 5,000 against 10,000)")
	o.im.Register(fs)
	o.sf.Register(fs)
	o.ff.register(fs)
	fs.Group("Output")
	fs.BoolVar(&o.asJSON, "json", false, "print one JSON object: is_mean, is_std, fid, n, scorer, source")
	fs.StringVar(&o.run, "run", "", "also record the evaluation in this run directory (config.json, metrics.jsonl) for cmd/report")
	fs.Float64Var(&o.confident, "confident", 0, "also report the share of images the scorer classifies with a probability ≥ this (0.9: are the samples recognisable?)")
	fs.IntVar(&o.threads, "threads", runtime.GOMAXPROCS(0), "worker goroutines")
	return fs, &o
}

// run is the command: eval merge, or an evaluation.
func run(ctx context.Context, args []string, stdout io.Writer, rep *progress.Reporter) error {
	if len(args) > 0 && args[0] == "merge" {
		return merge(args[1:], stdout, rep)
	}
	fs, o := flags()
	fs.HelpOutput = stdout
	if err := fs.Parse(args); err != nil {
		return err
	}
	im, sf, ff := o.im, o.sf, o.ff
	if err := cli.SetThreads(o.threads); err != nil {
		return err
	}

	p, err := metrics.ParseProtocol(o.protocol)
	if err != nil {
		return cli.Usagef("-protocol: %v", err)
	}
	genN, realN := p.Generated, p.Real
	if o.n > 0 {
		genN = o.n
	}
	if ff.realN == 0 {
		ff.realN = realN
	}
	i, shards, err := sf.Sharding()
	if err != nil {
		return err
	}
	if o.n < 0 || im.Size < 0 || im.Limit < 0 {
		return cli.Usagef("-n, -size and -limit must be at least 0")
	}
	if o.confident < 0 || o.confident > 1 || o.confident > 0 && shards > 1 {
		return cli.Usagef("-confident takes a probability in (0, 1], and works on unsharded evaluations")
	}
	if err := checkRun(o.run); err != nil {
		return err
	}
	// Every input before any work: the statistics, then the scorer, so a
	// wrong file fails before a large dataset is read or a generator run;
	// a generator file that is not there at all, before the scorer loads.
	if err := ff.open(); err != nil {
		return err
	}
	if err := cli.CheckExists("checkpoint", o.checkpoint); err != nil {
		return err
	}
	if err := cli.CheckExists("scorer", sf.Scorer); err != nil {
		return err
	}
	sc, err := cli.Scorer(sf.Scorer, sf.Preprocess)
	if err != nil {
		return err
	}
	if err := ff.matches(sc); err != nil {
		return err
	}
	for _, ds := range []string{im.Dataset, ff.realDataset} {
		if err := cli.CheckScorer(sc, ds, sf.AnyScorer); err != nil {
			return err
		}
	}
	var src metrics.Images
	var desc string
	if o.checkpoint != "" {
		if im.Dir != "" || im.Dataset != "" {
			return cli.Usagef("give -checkpoint or -images/-dataset, not both")
		}
		g, err := cli.OpenGenerator(o.checkpoint, o.arch)
		if err != nil {
			return err
		}
		src = nas.GeneratedImages(g, genN, tensor.NewRNG(o.seed))
		desc = fmt.Sprintf("generator %s (%s), seed %d", filepath.Base(o.checkpoint), g.Arch(), o.seed)
	} else if src, desc, err = im.Open(); err != nil {
		return err
	}
	h, w := src.Size()
	rep.Log("%s: %d images of %d×%d, scorer %s", desc, src.Len(), w, h, sc.Name())
	rec, err := evalRun(o.run, map[string]any{"kind": "eval", "source": desc, "scorer": sc.Name(), "checkpoint": o.checkpoint,
		"protocol": o.protocol, "seed": o.seed, "images": src.Len(), "shard": sf.Shard, "fid_stat": ff.stats, "real_dataset": ff.realDataset}, rep)
	if err != nil {
		return err
	}
	// The shard's record counts the images this process scores, so that
	// its rate is right when it continues a partial file (a requeued
	// task), and a task that finds its shard done records nothing.
	start := time.Now()
	e, images, err := metrics.EvaluateShard(ctx, src, desc, sc, i, shards, sf.Partial, rep)
	if rec != nil {
		defer rec.Close()
	}
	if err != nil {
		return err
	}
	if rec != nil {
		if images == 0 {
			rec = nil // found done: its records are there already, the result is only printed
		} else if err := rec.Event(map[string]any{"event": "shard", "shard": i, "shards": shards, "first_block": e.FirstBlock,
			"end_block": e.EndBlock, "images": images, "seconds": time.Since(start).Seconds()}); err != nil {
			return err
		}
	}
	if shards > 1 {
		return nil // the merge step reports
	}
	var conf *metrics.Confidence
	if o.confident > 0 {
		c, err := metrics.MeasureConfidence(src, sc, o.confident)
		if err != nil {
			return err
		}
		conf = &c
	}
	return report(e, ff, h, sc, stdout, o.asJSON, rec, "result", rep, conf, 0)
}

// checkRun refuses, before any work, a -run directory that could not
// take the record: one that holds another kind of run (a search's or a
// training's, whose log is not mixed with an evaluation's), or one that
// cannot be created (it and its missing parents are made) or written in.
// A directory that holds an evaluation's record takes more: the same
// evaluation run again after an interruption, its other shards and its
// merge add their records to it.
func checkRun(dir string) error {
	if dir == "" {
		return nil
	}
	if nas.RunKind(dir) != "eval" {
		if st, err := os.Stat(filepath.Join(dir, rundir.MetricsFile)); err == nil && st.Size() > 0 {
			return cli.Usagef("%s holds a run that is not an evaluation; choose another -run", dir)
		}
		if err := rundir.CheckNew(dir); err != nil { // a checkpoint or a result, whatever its log
			return cli.Usagef("%v", err)
		}
	}
	return cli.CheckOutputDir("run", dir)
}

// evalRun opens the run directory of an evaluation (nil without -run),
// which checkRun has checked. A new one gets the evaluation's settings
// (config.json) and the schema line; one that holds a record already must
// be of the same evaluation (source, scorer, number of images), and the new records are
// appended.
func evalRun(dir string, settings map[string]any, rep *progress.Reporter) (*rundir.Dir, error) {
	if dir == "" {
		return nil, nil
	}
	rec, fresh, err := rundir.Append(dir)
	if err != nil {
		return nil, err
	}
	if !fresh {
		// Both sides as JSON reads them (numbers as float64), so that
		// 1000000 equals the 1e+06 read back.
		var old, now map[string]any
		b, err := os.ReadFile(filepath.Join(dir, "config.json"))
		if err == nil {
			err = json.Unmarshal(b, &old)
		}
		if err == nil {
			if b, err = json.Marshal(settings); err == nil {
				err = json.Unmarshal(b, &now)
			}
		}
		if err != nil {
			rec.Close()
			return nil, fmt.Errorf("%s: reading the evaluation's settings: %w", dir, err)
		}
		for _, key := range []string{"source", "scorer", "images"} {
			if fmt.Sprint(old[key]) != fmt.Sprint(now[key]) {
				rec.Close()
				return nil, cli.Usagef("%s records another evaluation (%s %v, this one %v); choose another -run", dir, key, old[key], settings[key])
			}
		}
		rep.Log("%s records this evaluation already: adding to its records", dir)
		return rec, nil
	}
	if err := rec.WriteJSON("config.json", settings); err != nil {
		rec.Close()
		return nil, err
	}
	if err := rec.Event(map[string]any{"event": "schema", "version": nas.MetricsSchema, "kind": "eval"}); err != nil {
		rec.Close()
		return nil, err
	}
	return rec, nil
}

// report prints IS and, with real statistics, FID, and records them in the
// run directory (if any) as the event kind ("result", or "merge" of
// parts shards).
func report(e *metrics.Eval, ff fidFlags, size int, sc metrics.Scorer, stdout io.Writer, asJSON bool, rec *rundir.Dir, kind string, rep *progress.Reporter, conf *metrics.Confidence, parts int) error {
	r := result{N: e.Total, Scorer: e.Scorer, Source: e.Source}
	if conf != nil {
		share := conf.Share()
		r.Confident, r.ConfidentPerClass = &share, conf.PerClass
	}
	var err error
	if r.ISMean, r.ISStd, err = e.InceptionScore(); err != nil {
		return err
	}
	var against string
	var mu, sigma []float64
	switch {
	case ff.stats != "":
		mu, sigma, against = ff.mu, ff.sigma, ff.stats
	case ff.realDataset != "":
		if ff.realSize == 0 {
			ff.realSize = size
		}
		real, desc, err := cli.ImageFlags{Dataset: ff.realDataset, DataDir: ff.realDataDir, Size: ff.realSize, Limit: ff.realN}.Open()
		if err != nil {
			return err
		}
		rep.Log("real statistics: %s, %d images", desc, real.Len())
		re, _, err := metrics.EvaluateShard(context.Background(), real, desc, sc, 0, 1, "", rep)
		if err != nil {
			return err
		}
		if mu, sigma, err = re.Features.MeanCov(); err != nil {
			return err
		}
		against = fmt.Sprintf("%s (%d images)", desc, real.Len())
	}
	if mu != nil {
		fid, err := e.FID(mu, sigma)
		if err != nil {
			return err
		}
		r.FID = &fid
	}
	if rec != nil {
		ev := map[string]any{"event": kind, "is_mean": r.ISMean, "is_std": r.ISStd, "n": r.N, "scorer": r.Scorer, "source": r.Source}
		if r.FID != nil {
			ev["fid"] = *r.FID
		}
		if kind == "merge" {
			ev["images"], ev["parts"] = r.N, parts
		}
		if r.Confident != nil {
			ev["confident"], ev["confident_per_class"] = *r.Confident, r.ConfidentPerClass
		}
		if err := rec.Event(ev); err != nil {
			return err
		}
	}
	if asJSON {
		b, err := json.Marshal(r)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, string(b))
		return nil
	}
	fmt.Fprintf(stdout, "IS  %.4f ± %.4f   (%d images, %s, 10 splits)\n", r.ISMean, r.ISStd, r.N, r.Scorer)
	if r.FID != nil {
		fmt.Fprintf(stdout, "FID %.4f   (against %s)\n", *r.FID, against)
	}
	if conf != nil {
		fmt.Fprintf(stdout, "%.1f%% of the images classified with a probability ≥ %g (%d of %d); per class: %v\n",
			100*conf.Share(), conf.Threshold, conf.Confident, conf.Images, conf.PerClass)
	}
	return nil
}

// mergeOptions are the command line of eval merge.
type mergeOptions struct {
	ff                    fidFlags
	scorer, pre, protocol string
	save                  string
	asJSON                bool
	run                   string
}

// mergeFlags defines the command line of eval merge.
func mergeFlags() (*cli.FlagSet, *mergeOptions) {
	fs := cli.NewFlagSet("eval merge [flags]",
		"Merges the partial files of a sharded evaluation (eval -shard I/N -partial FILE) and reports IS and FID,\n"+
			"exactly as one process would.")
	fs.ArgsUsage = "part.eval ..."
	var o mergeOptions
	o.ff.register(fs)
	fs.Group("With -real_dataset")
	fs.StringVar(&o.scorer, "scorer", "", "the Inception weights the shards used")
	fs.StringVar(&o.pre, "preprocess", "tf", "the preprocessing the shards used: tf|pytorch-fid")
	fs.StringVar(&o.protocol, "protocol", "reference", "evaluation protocol: reference|sngan (50,000 real images, or 10,000)")
	fs.Group("Output")
	fs.BoolVar(&o.asJSON, "json", false, "print one JSON object: is_mean, is_std, fid, n, scorer, source")
	fs.StringVar(&o.save, "save", "", "also write the merged statistics to this file (the bytes a single -partial run writes)")
	fs.StringVar(&o.run, "run", "", "also record the merged evaluation in this run directory for cmd/report")
	return fs, &o
}

func merge(args []string, stdout io.Writer, rep *progress.Reporter) error {
	fs, o := mergeFlags()
	fs.HelpOutput = stdout
	if err := fs.Parse(args); err != nil {
		return err
	}
	ff := o.ff
	p, err := metrics.ParseProtocol(o.protocol)
	if err != nil {
		return cli.Usagef("-protocol: %v", err)
	}
	realN := p.Real
	if ff.realN == 0 {
		ff.realN = realN
	}
	if len(fs.Args()) == 0 {
		return cli.Usagef("eval merge [-fid_stat S.npz] [-json] part1.eval part2.eval ...")
	}
	if err := ff.open(); err != nil {
		return err
	}
	if err := checkRun(o.run); err != nil {
		return err
	}
	if o.save != "" {
		if err := cli.CheckOutput("save", o.save); err != nil {
			return err
		}
	}
	for _, part := range fs.Args() {
		if err := cli.CheckExists("", part); err != nil {
			return err
		}
	}
	if ff.realDataset != "" {
		if err := cli.CheckExists("scorer", o.scorer); err != nil {
			return err
		}
	}
	e, err := metrics.MergeFiles(fs.Args())
	if err != nil {
		return err
	}
	if o.save != "" {
		if err := e.Save(o.save); err != nil {
			return err
		}
	}
	var sc metrics.Scorer
	if ff.realDataset != "" {
		if sc, err = cli.Scorer(o.scorer, o.pre); err != nil {
			return err
		}
		if sc.Name() != e.Scorer {
			return fmt.Errorf("the shards were scored by %q, -scorer gives %q", e.Scorer, sc.Name())
		}
	}
	rec, err := evalRun(o.run, map[string]any{"kind": "eval", "parts": fs.Args(), "scorer": e.Scorer, "source": e.Source, "images": e.Total,
		"protocol": o.protocol, "fid_stat": ff.stats, "real_dataset": ff.realDataset}, rep)
	if err != nil {
		return err
	}
	if rec != nil {
		defer rec.Close()
	}
	return report(e, ff, ff.realSize, sc, stdout, o.asJSON, rec, "merge", progress.Stderr(), nil, len(fs.Args()))
}
