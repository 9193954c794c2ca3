// Command fidstats computes the FID statistics (mean and covariance of the
// scorer's features) of a set of real images and writes them as an .npz
// file in the layout of TTUR and pytorch-fid (mu, sigma; float64):
//
//	go run ./cmd/fidstats -dataset cifar10 -data-dir cifar-10-binary.tar.gz \
//	    -weights pt_inception-2015-12-05-6726825d.pth -out fid_stats_cifar10_train.npz
//	go run ./cmd/fidstats -images DIR -weights classify_image_graph_def.pb -out stats.npz
//	go run ./cmd/fidstats -dataset shapes10 -out shapes10_stats.npz   # embedded scorer
//
// Without -weights the embedded Shapes-10 scorer is used (128-dimensional
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
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"

	"github.com/autogan-go/autogan/inception"
	"github.com/autogan-go/autogan/internal/cli"
	"github.com/autogan-go/autogan/internal/progress"
)

func main() {
	ctx, stop := cli.Interruptible()
	defer stop()
	var err error
	if len(os.Args) > 1 && os.Args[1] == "merge" {
		err = merge(os.Args[2:], os.Stdout)
	} else {
		err = run(ctx, os.Args[1:], os.Stdout, progress.Stderr())
	}
	cli.Exit("fidstats", err)
}

func run(ctx context.Context, args []string, stdout io.Writer, rep *progress.Reporter) error {
	fs := flag.NewFlagSet("fidstats", flag.ContinueOnError)
	var im cli.ImageFlags
	im.Register(fs)
	var sf cli.ScoringFlags
	sf.Register(fs)
	out := fs.String("out", "", "statistics file to write (.npz)")
	threads := fs.Int("threads", runtime.GOMAXPROCS(0), "worker goroutines")
	if err := fs.Parse(args); err != nil {
		return cli.Usagef("%v", err)
	}
	runtime.GOMAXPROCS(*threads)
	i, n, err := cli.Shard(sf.Shard)
	if err != nil {
		return cli.Usagef("%v", err)
	}
	if n == 1 && *out == "" {
		return cli.Usagef("-out is required")
	}
	// The scorer first: a wrong weights file fails before a large dataset
	// is read.
	sc, err := cli.Scorer(sf.Weights, sf.Preprocess)
	if err != nil {
		return err
	}
	src, desc, err := im.Open()
	if err != nil {
		return err
	}
	h, w := src.Size()
	rep.Log("%s: %d images of %d×%d, scorer %s", desc, src.Len(), w, h, sc.Name())
	e, err := cli.EvaluateShard(ctx, src, desc, sc, i, n, sf.Partial, rep)
	if err != nil {
		return err
	}
	if n > 1 {
		return nil // the merge step writes the .npz
	}
	return write(e, *out, stdout)
}

func write(e *inception.Eval, out string, stdout io.Writer) error {
	mu, sigma, err := e.Features.MeanCov()
	if err != nil {
		return err
	}
	if err := inception.WriteStatsFile(out, mu, sigma); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: %d images, %d-dimensional features (%s)\n", out, e.Features.Count, len(mu), e.Scorer)
	return nil
}

func merge(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	out := fs.String("out", "", "statistics file to write (.npz)")
	if err := fs.Parse(args); err != nil {
		return cli.Usagef("%v", err)
	}
	if *out == "" || fs.NArg() == 0 {
		return cli.Usagef("fidstats merge -out stats.npz part1.eval part2.eval ...")
	}
	e, err := cli.MergeFiles(fs.Args())
	if err != nil {
		return err
	}
	return write(e, *out, stdout)
}
