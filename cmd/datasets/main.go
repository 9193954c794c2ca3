// Command datasets describes a dataset and writes a grid of its images:
//
//	go run ./cmd/datasets -name shapes10 -grid shapes10.png
//	go run ./cmd/datasets -name cifar10 -data-dir ~/data/cifar-10-binary.tar.gz -grid cifar.png
//	go run ./cmd/datasets -name fashion-mnist
//
// It prints the number of images, their size, the classes and how many
// images each has, which is a quick way to check that a download is
// complete and readable.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/autogan-go/autogan/cifar"
	"github.com/autogan-go/autogan/internal/cli"
	"github.com/autogan-go/autogan/internal/imgio"
)

func main() {
	cli.Exit("datasets", run(os.Args[1:], os.Stdout))
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("datasets", flag.ContinueOnError)
	name := fs.String("name", "shapes10", "dataset: "+strings.Join(cifar.Names, ", "))
	dir := fs.String("data-dir", "", "folder or archive of the dataset")
	size := fs.Int("size", 32, "image size for the folder dataset, or a size to resize to")
	grid := fs.String("grid", "", "write a PNG grid of the first images (ten per class when labeled) to this file")
	n := fs.Int("n", 100, "images in the grid")
	scale := fs.Int("scale", 3, "enlarge the grid by this factor")
	seed := fs.Uint64("seed", 12345, "seed of shapes10")
	count := fs.Int("count", 50000, "number of shapes10 images")
	if err := fs.Parse(args); err != nil {
		return cli.Usagef("%v", err)
	}
	if *n < 1 || *scale < 1 || *size < 1 || *count < 1 {
		return cli.Usagef("-n, -scale, -size and -count must be at least 1")
	}
	sizeSet := false
	fs.Visit(func(f *flag.Flag) { sizeSet = sizeSet || f.Name == "size" })

	ds, err := cifar.Open(*name, cifar.Options{Dir: *dir, Size: *size, Seed: *seed, N: *count})
	if err != nil {
		return err
	}
	c, h, w := ds.Size()
	if h != *size && *name != "folder" && sizeSet {
		if ds, err = cifar.Resized(ds, *size); err != nil {
			return err
		}
		c, h, w = ds.Size()
	}
	fmt.Fprintf(stdout, "%s: %d images of %d×%d×%d\n", *name, ds.Len(), c, h, w)
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
	if *grid == "" {
		return nil
	}
	// Pick images so that, for a labeled dataset, column j shows class j.
	var pick []int
	if len(classes) > 0 && len(classes) <= 20 {
		per := max(1, *n/len(classes))
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
		for i := 0; i < min(*n, ds.Len()); i++ {
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
	img := imgio.Upscale(imgio.Grid(pix, len(pick), c, h, w, cols, 2), *scale)
	if err := imgio.WritePNG(*grid, img); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "wrote", *grid)
	return nil
}
