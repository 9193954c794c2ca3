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
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"

	"github.com/autogan-go/autogan/inception"
	"github.com/autogan-go/autogan/internal/cli"
	"github.com/autogan-go/autogan/internal/progress"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "merge" {
		merge(os.Args[2:])
		return
	}
	var im cli.ImageFlags
	flag.StringVar(&im.Dir, "images", "", "folder of PNG/JPEG images")
	flag.StringVar(&im.Dataset, "dataset", "", "dataset name (cifar10, stl10, shapes10, ...)")
	flag.StringVar(&im.DataDir, "data-dir", "", "folder or archive of the dataset")
	flag.IntVar(&im.Size, "size", 0, "resize the dataset's images to this size first (the reference uses 48 for STL-10)")
	flag.IntVar(&im.Limit, "limit", 0, "use only the first N images")
	weights := flag.String("weights", "", "Inception weights (.pth or .pb); default: the embedded scorer")
	pre := flag.String("preprocess", "tf", "Inception preprocessing: tf or pytorch-fid")
	out := flag.String("out", "", "statistics file to write (.npz)")
	shard := flag.String("shard", "", "compute only shard I/N (I may be 'env' for SLURM_ARRAY_TASK_ID)")
	partial := flag.String("partial", "", "partial statistics file of the shard")
	threads := flag.Int("threads", runtime.GOMAXPROCS(0), "worker goroutines")
	flag.Parse()
	runtime.GOMAXPROCS(*threads)

	i, n, err := cli.Shard(*shard)
	if err != nil {
		cli.Fatalf(cli.ExitUsage, "fidstats: %v", err)
	}
	if n == 1 && *out == "" {
		cli.Fatalf(cli.ExitUsage, "fidstats: -out is required")
	}
	src, desc, err := im.Open()
	if err != nil {
		cli.Fatalf(cli.ExitError, "fidstats: %v", err)
	}
	sc, err := cli.Scorer(*weights, *pre)
	if err != nil {
		cli.Fatalf(cli.ExitError, "fidstats: %v", err)
	}
	rep := progress.Stderr()
	h, w := src.Size()
	rep.Log("%s: %d images of %d×%d, scorer %s", desc, src.Len(), w, h, sc.Name())
	e, err := cli.EvaluateShard(src, sc, i, n, *partial, rep)
	if err != nil {
		cli.Fatalf(cli.ExitError, "fidstats: %v", err)
	}
	if n > 1 {
		return // the merge step writes the .npz
	}
	write(e, *out)
}

func write(e *inception.Eval, out string) {
	mu, sigma, err := e.Features.MeanCov()
	if err != nil {
		cli.Fatalf(cli.ExitError, "fidstats: %v", err)
	}
	if err := inception.WriteStatsFile(out, mu, sigma); err != nil {
		cli.Fatalf(cli.ExitError, "fidstats: %v", err)
	}
	fmt.Printf("wrote %s: %d images, %d-dimensional features (%s)\n", out, e.Features.Count, len(mu), e.Scorer)
}

func merge(args []string) {
	fs := flag.NewFlagSet("merge", flag.ExitOnError)
	out := fs.String("out", "", "statistics file to write (.npz)")
	fs.Parse(args)
	if *out == "" || fs.NArg() == 0 {
		cli.Fatalf(cli.ExitUsage, "usage: fidstats merge -out stats.npz part1.eval part2.eval ...")
	}
	e, err := cli.MergeFiles(fs.Args())
	if err != nil {
		cli.Fatalf(cli.ExitError, "fidstats merge: %v", err)
	}
	write(e, *out)
}
