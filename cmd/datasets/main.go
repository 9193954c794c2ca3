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
	"os"
	"strings"

	"github.com/autogan-go/autogan/cifar"
	"github.com/autogan-go/autogan/internal/imgio"
)

func main() {
	name := flag.String("name", "shapes10", "dataset: "+strings.Join(cifar.Names, ", "))
	dir := flag.String("data-dir", "", "folder or archive of the dataset")
	size := flag.Int("size", 32, "image size for the folder dataset, or a size to resize to")
	grid := flag.String("grid", "", "write a PNG grid of the first images (ten per class when labeled) to this file")
	n := flag.Int("n", 100, "images in the grid")
	scale := flag.Int("scale", 3, "enlarge the grid by this factor")
	seed := flag.Uint64("seed", 12345, "seed of shapes10")
	flag.Parse()

	ds, err := cifar.Open(*name, cifar.Options{Dir: *dir, Size: *size, Seed: *seed})
	if err != nil {
		fmt.Fprintln(os.Stderr, "datasets:", err)
		os.Exit(1)
	}
	c, h, w := ds.Size()
	if h != *size && *name != "folder" && flagSet("size") {
		if ds, err = cifar.Resized(ds, *size); err != nil {
			fmt.Fprintln(os.Stderr, "datasets:", err)
			os.Exit(1)
		}
		c, h, w = ds.Size()
	}
	fmt.Printf("%s: %d images of %d×%d×%d\n", *name, ds.Len(), c, h, w)
	counts := map[int]int{}
	for i := 0; i < ds.Len(); i++ {
		counts[ds.Label(i)]++
	}
	classes := ds.Classes()
	for k := -1; k < max(len(classes), 1); k++ {
		if counts[k] == 0 {
			continue
		}
		label := "unlabeled"
		if k >= 0 && k < len(classes) {
			label = classes[k]
		} else if k >= 0 {
			label = fmt.Sprint(k)
		}
		fmt.Printf("  %-14s %d\n", label, counts[k])
	}
	if *grid == "" {
		return
	}
	// Pick images so that, for a labeled dataset, column j shows class j.
	var pick []int
	if len(classes) > 0 && len(classes) <= 20 {
		per := max(1, *n/len(classes))
		byClass := make([][]int, len(classes))
		for i := 0; i < ds.Len() && len(pick) < per*len(classes); i++ {
			if l := ds.Label(i); l >= 0 && len(byClass[l]) < per {
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
			fmt.Fprintln(os.Stderr, "datasets:", err)
			os.Exit(1)
		}
	}
	cols := 10
	if len(classes) > 0 && len(classes) <= 20 {
		cols = len(classes)
	}
	img := imgio.Upscale(imgio.Grid(pix, len(pick), c, h, w, cols, 2), *scale)
	if err := imgio.WritePNG(*grid, img); err != nil {
		fmt.Fprintln(os.Stderr, "datasets:", err)
		os.Exit(1)
	}
	fmt.Println("wrote", *grid)
}

func flagSet(name string) bool {
	set := false
	flag.Visit(func(f *flag.Flag) {
		if f.Name == name {
			set = true
		}
	})
	return set
}
