// Command fidstats computes the FID statistics (mean and covariance of the
// scorer's features) of a set of real images and writes them as an .npz
// file in the layout of TTUR and pytorch-fid (mu, sigma; float64):
//
//	go run ./cmd/fidstats -dataset cifar10 -data_dir cifar-10-binary.tar.gz \
//	    -scorer pt_inception-2015-12-05-6726825d.pth -out fid_stats_cifar10_train.npz
//	go run ./cmd/fidstats -images DIR -scorer classify_image_graph_def.pb -out stats.npz
//	go run ./cmd/fidstats -dataset shapes10 -out shapes10_stats.npz   # embedded scorer
//
// Without -scorer the embedded Shapes-10 scorer is used (128-dimensional
// features). For a cluster, the work splits into shards that each write
// their exact partial sums, merged afterwards into the same bytes a single
// run produces:
//
//	go run ./cmd/fidstats -dataset cifar10 ... -shard 3/8 -partial part3.eval
//	go run ./cmd/fidstats merge -out stats.npz part*.eval
//
// A shard interrupted by SIGINT/SIGTERM saves its progress in the partial
// file and exits with code 3; run again, it continues from there.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"

	"github.com/autogan-go/autogan/inception/metrics"

	"github.com/autogan-go/autogan/cmd/internal/cli"
	"github.com/autogan-go/autogan/internal/progress"
)

func main() {
	cli.LimitHeapGrowth()
	ctx, stop := cli.Interruptible("stopping after the current block of images (with -partial, its progress is saved)")
	defer stop()
	cli.Exit("fidstats", run(ctx, os.Args[1:], os.Stdout, progress.Stderr()))
}

// options are the command line of fidstats.
type options struct {
	im      cli.ImageFlags
	sf      cli.ScoringFlags
	out     string
	threads int
}

// flags defines the command line of fidstats.
func flags() (*cli.FlagSet, *options) {
	fs := cli.NewFlagSet("fidstats [flags]",
		"Writes the FID statistics (mean and covariance of the scorer's features) of real images as an .npz\n"+
			"file (TTUR / pytorch-fid layout); \"fidstats merge\" combines the partial files of shards.")
	var o options
	o.im.Register(fs)
	o.sf.Register(fs)
	fs.Group("Output")
	fs.StringVar(&o.out, "out", "", "statistics file to write (.npz); a shard (-shard I/N) writes its -partial file instead")
	fs.IntVar(&o.threads, "threads", runtime.GOMAXPROCS(0), "worker goroutines")
	return fs, &o
}

// run is the command: fidstats merge, or the statistics of images.
func run(ctx context.Context, args []string, stdout io.Writer, rep *progress.Reporter) error {
	if len(args) > 0 && args[0] == "merge" {
		return merge(args[1:], stdout)
	}
	fs, o := flags()
	fs.HelpOutput = stdout
	if err := fs.Parse(args); err != nil {
		return err
	}
	im, sf := o.im, o.sf
	if err := cli.SetThreads(o.threads); err != nil {
		return err
	}
	i, n, err := sf.Sharding()
	if err != nil {
		return err
	}
	if n == 1 && o.out == "" {
		return cli.Usagef("-out is required")
	}
	// A shard writes only its -partial file; the statistics file comes
	// from fidstats merge -out. An -out here would be silently ignored.
	if n > 1 && o.out != "" {
		return cli.Usagef("-out does not apply to a shard (-shard %s): it writes -partial, and fidstats merge -out writes the statistics", sf.Shard)
	}
	// The output is written when the scoring ends: one that cannot be
	// written is refused first (Sharding checked -partial).
	if o.out != "" {
		if err := cli.CheckOutput("out", o.out); err != nil {
			return err
		}
	}
	// The scorer first: a wrong weights file fails before a large dataset
	// is read.
	if err := cli.CheckExists("scorer", sf.Scorer); err != nil {
		return err
	}
	sc, err := cli.Scorer(sf.Scorer, sf.Preprocess)
	if err != nil {
		return err
	}
	if err := cli.CheckScorer(sc, im.Dataset, sf.AnyScorer); err != nil {
		return err
	}
	src, desc, err := im.Open()
	if err != nil {
		return err
	}
	// The scoring pass also cuts the images into the ten Inception Score
	// splits; statistics of fewer images would mean nothing anyway.
	if src.Len() < 10 {
		return cli.Usagef("%s has %d images: FID statistics need at least 10", desc, src.Len())
	}
	h, w := src.Size()
	rep.Log("%s: %d images of %d×%d, scorer %s", desc, src.Len(), w, h, sc.Name())
	e, _, err := metrics.EvaluateShard(ctx, src, desc, sc, i, n, sf.Partial, rep)
	if err != nil {
		return err
	}
	if n > 1 {
		return nil // the merge step writes the .npz
	}
	return write(e, o.out, stdout)
}

func write(e *metrics.Eval, out string, stdout io.Writer) error {
	mu, sigma, err := e.Features.MeanCov()
	if err != nil {
		return err
	}
	if err := metrics.WriteStatsFile(out, mu, sigma); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: %d images, %d-dimensional features (%s)\n", out, e.Features.Count, len(mu), e.Scorer)
	return nil
}

// mergeFlags defines the command line of fidstats merge.
func mergeFlags() (*cli.FlagSet, *string) {
	fs := cli.NewFlagSet("fidstats merge [flags]",
		"Merges the partial files of fidstats -shard I/N -partial FILE into the statistics file one process writes.")
	fs.ArgsUsage = "part.eval ..."
	out := new(string)
	fs.StringVar(out, "out", "", "statistics file to write (.npz)")
	return fs, out
}

func merge(args []string, stdout io.Writer) error {
	fs, out := mergeFlags()
	fs.HelpOutput = stdout
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || len(fs.Args()) == 0 {
		return cli.Usagef("fidstats merge -out stats.npz part1.eval part2.eval ...")
	}
	if err := cli.CheckOutput("out", *out); err != nil {
		return err
	}
	for _, part := range fs.Args() {
		if err := cli.CheckExists("", part); err != nil {
			return err
		}
	}
	e, err := metrics.MergeFiles(fs.Args())
	if err != nil {
		return err
	}
	return write(e, *out, stdout)
}
