// Command datasets describes a dataset and writes a grid of its images:
//
//	go run ./cmd/datasets -dataset shapes10 -grid shapes10.png
//	go run ./cmd/datasets -dataset cifar10 -data_dir ~/data/cifar-10-binary.tar.gz -grid cifar.png
//	go run ./cmd/datasets -dataset fashion-mnist
//
// It prints the number of images, their size, the classes and how many
// images each has, which is a quick way to check that a download is
// complete and readable.
package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/autogan-go/autogan/cifar"
	"github.com/autogan-go/autogan/cmd/internal/cli"
	"github.com/autogan-go/autogan/internal/imgio"
)

func main() {
	cli.Exit("datasets", run(os.Args[1:], os.Stdout))
}

// options are the command line of datasets.
type options struct {
	dataset, dataDir, grid   string
	size, n, scale, datasetN int
	seed                     uint64
}

// flags defines the command line of datasets.
func flags() (*cli.FlagSet, *options) {
	fs := cli.NewFlagSet("datasets [flags]",
		"Describes a dataset (images, size, classes and their counts) and writes a grid of its images.")
	var o options
	fs.Group("Dataset")
	fs.StringVar(&o.dataset, "dataset", "shapes10", "dataset: "+strings.Join(cli.DatasetNames(), "|"), "name")
	fs.StringVar(&o.dataDir, "data_dir", "", "folder or archive of the dataset (shapes10 needs none)")
	fs.IntVar(&o.size, "size", 32, "image size of the folder dataset; for the others, resize to this size when given")
	fs.Uint64Var(&o.seed, "seed", 12345, "seed of shapes10")
	fs.IntVar(&o.datasetN, "dataset_n", 50000, "images of shapes10", "count")
	fs.Group("Grid")
	fs.StringVar(&o.grid, "grid", "", "write a PNG grid of the first images (one column per class when labeled) to this file")
	fs.IntVar(&o.n, "n", 100, "images in the grid (at least 1)")
	fs.IntVar(&o.scale, "scale", 3, "enlarge the grid by this factor")
	return fs, &o
}

func run(args []string, stdout io.Writer) error {
	fs, o := flags()
	fs.HelpOutput = stdout
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.n < 1 || o.scale < 1 || o.size < 1 || o.datasetN < 1 {
		return cli.Usagef("-n, -scale, -size and -dataset_n must be at least 1")
	}
	sizeSet := fs.IsSet("size")
	if err := cli.CheckDataDir("data_dir", o.dataset, o.dataDir); err != nil {
		return err
	}

	ds, err := cli.OpenDataset(o.dataset, cifar.Options{Dir: o.dataDir, Seed: o.seed, N: o.datasetN}, o.size)
	if err != nil {
		return err
	}
	c, h, w := ds.Size()
	if h != o.size && o.dataset != "folder" && sizeSet {
		if ds, err = cifar.Resized(ds, o.size); err != nil {
			return err
		}
		c, h, w = ds.Size()
	}
	fmt.Fprintf(stdout, "%s: %d images of %d×%d×%d\n", o.dataset, ds.Len(), c, h, w)
	classes := ds.Classes()
	counts := make([]int, len(classes)+1) // the last counts unlabeled images
	for i := 0; i < ds.Len(); i++ {
		if l := ds.Label(i); l >= 0 && l < len(classes) {
			counts[l]++
		} else {
			counts[len(classes)]++
		}
	}
	for k, cnt := range counts {
		if cnt == 0 {
			continue
		}
		label := "unlabeled"
		if k < len(classes) {
			label = classes[k]
		}
		fmt.Fprintf(stdout, "  %-14s %d\n", label, cnt)
	}
	if o.grid == "" {
		return nil
	}
	// Pick images so that, for a labeled dataset, column j shows class j.
	var pick []int
	if len(classes) > 0 && len(classes) <= 20 {
		per := max(1, o.n/len(classes))
		byClass := make([][]int, len(classes))
		for i := 0; i < ds.Len() && len(pick) < per*len(classes); i++ {
			if l := ds.Label(i); l >= 0 && l < len(classes) && len(byClass[l]) < per {
				byClass[l] = append(byClass[l], i)
			}
		}
		for r := 0; r < per; r++ {
			for _, idx := range byClass {
				if r < len(idx) {
					pick = append(pick, idx[r])
				}
			}
		}
	} else {
		for i := 0; i < min(o.n, ds.Len()); i++ {
			pick = append(pick, i)
		}
	}
	pix := make([]uint8, len(pick)*c*h*w)
	for k, i := range pick {
		if err := ds.Image(i, pix[k*c*h*w:(k+1)*c*h*w]); err != nil {
			return err
		}
	}
	cols := 10
	if len(classes) > 0 && len(classes) <= 20 {
		cols = len(classes)
	}
	img := imgio.Upscale(imgio.Grid(pix, len(pick), c, h, w, cols, 2), o.scale)
	if err := imgio.WritePNG(o.grid, img); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "wrote", o.grid)
	return nil
}
