// Command eval computes the Inception Score of a set of images and, given
// statistics of real images, their FID:
//
//	go run ./cmd/eval -images samples/ -weights pt_inception-2015-12-05-6726825d.pth \
//	    -stats fid_stats_cifar10_train.npz
//	go run ./cmd/eval -dataset shapes10 -json          # embedded scorer
//
// IS follows the reference: 10 contiguous splits of the images in their
// given order, float64 softmax of the logits (Inception: the 1008 logits
// without the fc bias), mean and population standard deviation. FID uses
// the unbiased covariance and the symmetric-eigenvalue form of tr √(Σ1Σ2).
// With -json it prints one object: is_mean, is_std, fid (when -stats is
// given) and n.
//
// Sharded evaluation on a cluster (the merged result is bit-identical to a
// single run):
//
//	go run ./cmd/eval -images samples/ -shard 2/4 -partial part2.eval
//	go run ./cmd/eval merge -stats S.npz -json part*.eval
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"

	"github.com/autogan-go/autogan/inception"
	"github.com/autogan-go/autogan/internal/cli"
	"github.com/autogan-go/autogan/internal/progress"
)

// result is the -json output.
type result struct {
	ISMean float64  `json:"is_mean"`
	ISStd  float64  `json:"is_std"`
	FID    *float64 `json:"fid,omitempty"`
	N      int      `json:"n"`
	Scorer string   `json:"scorer"`
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "merge" {
		merge(os.Args[2:])
		return
	}
	var im cli.ImageFlags
	flag.StringVar(&im.Dir, "images", "", "folder of PNG/JPEG images (all of one size)")
	flag.StringVar(&im.Dataset, "dataset", "", "score a dataset's images instead (cifar10, shapes10, ...)")
	flag.StringVar(&im.DataDir, "data-dir", "", "folder or archive of the dataset")
	flag.IntVar(&im.Size, "size", 0, "resize the dataset's images to this size first")
	flag.IntVar(&im.Limit, "limit", 0, "use only the first N images")
	weights := flag.String("weights", "", "Inception weights (.pth or .pb); default: the embedded scorer")
	pre := flag.String("preprocess", "tf", "Inception preprocessing: tf or pytorch-fid")
	stats := flag.String("stats", "", "FID statistics of real images (.npz with mu and sigma)")
	asJSON := flag.Bool("json", false, "print one JSON object")
	shard := flag.String("shard", "", "evaluate only shard I/N (I may be 'env' for SLURM_ARRAY_TASK_ID)")
	partial := flag.String("partial", "", "partial statistics file of the shard")
	threads := flag.Int("threads", runtime.GOMAXPROCS(0), "worker goroutines")
	flag.Parse()
	runtime.GOMAXPROCS(*threads)

	i, n, err := cli.Shard(*shard)
	if err != nil {
		cli.Fatalf(cli.ExitUsage, "eval: %v", err)
	}
	src, desc, err := im.Open()
	if err != nil {
		cli.Fatalf(cli.ExitError, "eval: %v", err)
	}
	sc, err := cli.Scorer(*weights, *pre)
	if err != nil {
		cli.Fatalf(cli.ExitError, "eval: %v", err)
	}
	rep := progress.Stderr()
	h, w := src.Size()
	rep.Log("%s: %d images of %d×%d, scorer %s", desc, src.Len(), w, h, sc.Name())
	e, err := cli.EvaluateShard(src, sc, i, n, *partial, rep)
	if err != nil {
		cli.Fatalf(cli.ExitError, "eval: %v", err)
	}
	if n > 1 {
		return
	}
	report(e, *stats, *asJSON)
}

// report prints IS and, with statistics, FID.
func report(e *inception.Eval, stats string, asJSON bool) {
	r := result{N: e.Total, Scorer: e.Scorer}
	var err error
	if r.ISMean, r.ISStd, err = e.InceptionScore(); err != nil {
		cli.Fatalf(cli.ExitError, "eval: %v", err)
	}
	if stats != "" {
		mu, sigma, err := inception.ReadStatsFile(stats)
		if err != nil {
			cli.Fatalf(cli.ExitError, "eval: %v", err)
		}
		fid, err := e.FID(mu, sigma)
		if err != nil {
			cli.Fatalf(cli.ExitError, "eval: %v", err)
		}
		r.FID = &fid
	}
	if asJSON {
		b, _ := json.Marshal(r)
		fmt.Println(string(b))
		return
	}
	fmt.Printf("IS  %.4f ± %.4f   (%d images, %s, 10 splits)\n", r.ISMean, r.ISStd, r.N, r.Scorer)
	if r.FID != nil {
		fmt.Printf("FID %.4f   (against %s)\n", *r.FID, stats)
	}
}

func merge(args []string) {
	fs := flag.NewFlagSet("merge", flag.ExitOnError)
	stats := fs.String("stats", "", "FID statistics of real images (.npz)")
	asJSON := fs.Bool("json", false, "print one JSON object")
	fs.Parse(args)
	if fs.NArg() == 0 {
		cli.Fatalf(cli.ExitUsage, "usage: eval merge [-stats S.npz] [-json] part1.eval part2.eval ...")
	}
	e, err := cli.MergeFiles(fs.Args())
	if err != nil {
		cli.Fatalf(cli.ExitError, "eval merge: %v", err)
	}
	report(e, *stats, *asJSON)
}
