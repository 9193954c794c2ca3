// Command eval computes the Inception Score of a set of images and, given
// statistics of real images, their FID. The images are a folder, a
// dataset, or the output of a generator:
//
//	go run ./cmd/eval -images samples/ -weights pt_inception-2015-12-05-6726825d.pth \
//	    -stats fid_stats_cifar10_train.npz
//	go run ./cmd/eval -dataset shapes10 -json                      # embedded scorer
//	go run ./cmd/eval -checkpoint runs/train-a/best.safetensors \
//	    -weights pt_inception-2015-12-05-6726825d.pth -stats fid_stats_cifar10_train.npz
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
// (with -real-dataset the real statistics are computed from the first
// 10,000 images; a -stats file should have been made the same way, e.g.
// cmd/fidstats -limit 10000).
//
// Sharded evaluation on a cluster (the merged result is bit-identical to a
// single run, for any number of shards):
//
//	go run ./cmd/eval -checkpoint C -shard 2/4 -partial part2.eval   # or -shard env/4 in an array job
//	go run ./cmd/eval merge -stats S.npz -json [-save merged.eval] part*.eval
//
// A shard interrupted by SIGINT/SIGTERM saves its progress in the partial
// file and exits with code 3; run again, it continues from there. A shard
// whose partial file is complete is not recomputed.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"github.com/autogan-go/autogan/inception"
	"github.com/autogan-go/autogan/internal/cli"
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
}

func main() {
	ctx, stop := cli.Interruptible()
	defer stop()
	var err error
	if len(os.Args) > 1 && os.Args[1] == "merge" {
		err = merge(os.Args[2:], os.Stdout)
	} else {
		err = run(ctx, os.Args[1:], os.Stdout, progress.Stderr())
	}
	cli.Exit("eval", err)
}

// fidFlags say where the real images' statistics come from.
type fidFlags struct {
	stats       string
	realDataset string
	realDataDir string
	realSize    int
	realN       int
}

func (f *fidFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.stats, "stats", "", "FID statistics of real images (.npz with mu and sigma)")
	fs.StringVar(&f.realDataset, "real-dataset", "", "compute the real statistics from this dataset instead of -stats")
	fs.StringVar(&f.realDataDir, "real-data-dir", "", "folder or archive of -real-dataset")
	fs.IntVar(&f.realSize, "real-size", 0, "resize the real images to this size (default: the generated images' size)")
	fs.IntVar(&f.realN, "real-n", 0, "real images for -real-dataset (default: 50,000, or 10,000 with -protocol sngan)")
}

func run(ctx context.Context, args []string, stdout io.Writer, rep *progress.Reporter) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	var im cli.ImageFlags
	im.Register(fs)
	var sf cli.ScoringFlags
	sf.Register(fs)
	checkpoint := fs.String("checkpoint", "", "score a generator: checkpoint of cmd/train, or a PyTorch .pth")
	arch := fs.String("arch", "", "architecture of a PyTorch generator (autogan_cifar10_a, or 14 integers)")
	n := fs.Int("n", 0, "generated images (default: 50,000, or 5,000 with -protocol sngan)")
	seed := fs.Uint64("seed", 1, "seed of the generator's latents")
	protocol := fs.String("protocol", "reference", "reference (50k generated vs the training set) or sngan (5k vs 10k)")
	var ff fidFlags
	ff.register(fs)
	asJSON := fs.Bool("json", false, "print one JSON object")
	threads := fs.Int("threads", runtime.GOMAXPROCS(0), "worker goroutines")
	if err := fs.Parse(args); err != nil {
		return cli.Usagef("%v", err)
	}
	runtime.GOMAXPROCS(*threads)

	genN, realN, err := protocolSizes(*protocol)
	if err != nil {
		return err
	}
	if *n > 0 {
		genN = *n
	}
	if ff.realN == 0 {
		ff.realN = realN
	}
	i, shards, err := cli.Shard(sf.Shard)
	if err != nil {
		return cli.Usagef("%v", err)
	}
	if ff.stats != "" && ff.realDataset != "" {
		return cli.Usagef("give -stats or -real-dataset, not both")
	}
	// The scorer first: a wrong weights file fails before a large dataset
	// is read or a generator loaded.
	sc, err := cli.Scorer(sf.Weights, sf.Preprocess)
	if err != nil {
		return err
	}
	var src inception.Images
	var desc string
	if *checkpoint != "" {
		if im.Dir != "" || im.Dataset != "" {
			return cli.Usagef("give -checkpoint or -images/-dataset, not both")
		}
		g, err := nas.OpenGenerator(*checkpoint, *arch)
		if err != nil {
			return err
		}
		src = nas.GeneratedImages(g, genN, tensor.NewRNG(*seed))
		desc = fmt.Sprintf("generator %s (%s), seed %d", filepath.Base(*checkpoint), g.Arch(), *seed)
	} else if src, desc, err = im.Open(); err != nil {
		return err
	}
	h, w := src.Size()
	rep.Log("%s: %d images of %d×%d, scorer %s", desc, src.Len(), w, h, sc.Name())
	e, err := cli.EvaluateShard(ctx, src, desc, sc, i, shards, sf.Partial, rep)
	if err != nil {
		return err
	}
	if shards > 1 {
		return nil // the merge step reports
	}
	return report(e, ff, h, sc, stdout, *asJSON, rep)
}

// protocolSizes returns the numbers of generated and real images of an
// evaluation protocol: the reference's (functions.validate: 50,000
// generated images against the training set's statistics) or SNGAN's
// (5,000 generated against 10,000 real).
func protocolSizes(protocol string) (generated, real int, err error) {
	switch protocol {
	case "reference":
		return 50000, 50000, nil
	case "sngan":
		return 5000, 10000, nil
	}
	return 0, 0, cli.Usagef("-protocol %q: want reference or sngan", protocol)
}

// report prints IS and, with real statistics, FID.
func report(e *inception.Eval, ff fidFlags, size int, sc inception.Scorer, stdout io.Writer, asJSON bool, rep *progress.Reporter) error {
	r := result{N: e.Total, Scorer: e.Scorer, Source: e.Source}
	var err error
	if r.ISMean, r.ISStd, err = e.InceptionScore(); err != nil {
		return err
	}
	var against string
	var mu, sigma []float64
	switch {
	case ff.stats != "":
		if mu, sigma, err = inception.ReadStatsFile(ff.stats); err != nil {
			return err
		}
		against = ff.stats
	case ff.realDataset != "":
		if ff.realSize == 0 {
			ff.realSize = size
		}
		real, desc, err := cli.ImageFlags{Dataset: ff.realDataset, DataDir: ff.realDataDir, Size: ff.realSize, Limit: ff.realN}.Open()
		if err != nil {
			return err
		}
		rep.Log("real statistics: %s, %d images", desc, real.Len())
		re, err := cli.EvaluateShard(context.Background(), real, desc, sc, 0, 1, "", rep)
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
	if asJSON {
		b, _ := json.Marshal(r)
		fmt.Fprintln(stdout, string(b))
		return nil
	}
	fmt.Fprintf(stdout, "IS  %.4f ± %.4f   (%d images, %s, 10 splits)\n", r.ISMean, r.ISStd, r.N, r.Scorer)
	if r.FID != nil {
		fmt.Fprintf(stdout, "FID %.4f   (against %s)\n", *r.FID, against)
	}
	return nil
}

func merge(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	var ff fidFlags
	ff.register(fs)
	weights := fs.String("weights", "", "with -real-dataset: the Inception weights the shards used")
	pre := fs.String("preprocess", "tf", "with -real-dataset: the preprocessing the shards used")
	protocol := fs.String("protocol", "reference", "with -real-dataset: reference (50,000 real images) or sngan (10,000)")
	asJSON := fs.Bool("json", false, "print one JSON object")
	save := fs.String("save", "", "also write the merged statistics to this file (the bytes a single -partial run writes)")
	if err := fs.Parse(args); err != nil {
		return cli.Usagef("%v", err)
	}
	_, realN, err := protocolSizes(*protocol)
	if err != nil {
		return err
	}
	if ff.realN == 0 {
		ff.realN = realN
	}
	if fs.NArg() == 0 {
		return cli.Usagef("eval merge [-stats S.npz] [-json] part1.eval part2.eval ...")
	}
	e, err := cli.MergeFiles(fs.Args())
	if err != nil {
		return err
	}
	if *save != "" {
		if err := e.Save(*save); err != nil {
			return err
		}
	}
	var sc inception.Scorer
	if ff.realDataset != "" {
		if sc, err = cli.Scorer(*weights, *pre); err != nil {
			return err
		}
		if sc.Name() != e.Scorer {
			return fmt.Errorf("the shards were scored by %q, -weights gives %q", e.Scorer, sc.Name())
		}
	}
	return report(e, ff, ff.realSize, sc, stdout, *asJSON, progress.Stderr())
}
