// Command datasets describes a dataset and writes a grid of its images:
//
//	go run ./cmd/datasets -dataset shapes10 -grid shapes10.png
//	go run ./cmd/datasets -dataset cifar10 -data_dir ~/data/cifar-10-binary.tar.gz -grid cifar.png
//	go run ./cmd/datasets -dataset fashion-mnist
//	go run ./cmd/datasets -dataset shapes10 -dataset_n 8192 -npz shapes10.npz
//
// It prints the number of images, their size, the classes and how many
// images each has, which is a quick way to check that a download is
// complete and readable.
//
// -npz exports the images for other tools (NumPy, PyTorch): an archive with
// "images", uint8 N×C×H×W, and for a labeled dataset "labels", int64 N
// (−1 for an unlabeled image). testdata/train_twin.py trains from it.
package main

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/autogan-go/autogan/cifar"
	"github.com/autogan-go/autogan/cmd/internal/cli"
	"github.com/autogan-go/autogan/internal/atomicfile"
	"github.com/autogan-go/autogan/internal/imgio"
	"github.com/autogan-go/autogan/internal/npy"
)

func main() {
	cli.Exit("datasets", run(os.Args[1:], os.Stdout))
}

// options are the command line of datasets.
type options struct {
	dataset, dataDir, grid   string
	npz                      string
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
	fs.Group("Export")
	fs.StringVar(&o.npz, "npz", "", "write every image (uint8 N×C×H×W, key images) and the labels (int64, key labels) to this .npz archive")
	return fs, &o
}

// maxGridSide bounds the side of the sample grid in pixels (a 16384² RGBA
// image is 1 GiB).
const maxGridSide = 16384

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
	// The outputs are checked before a large dataset is read.
	for _, out := range []struct{ flag, path string }{{"grid", o.grid}, {"npz", o.npz}} {
		if out.path == "" {
			continue
		}
		if err := cli.CheckOutput(out.flag, out.path); err != nil {
			return err
		}
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
	if o.npz != "" {
		if err := writeNPZ(o.npz, ds); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s: images %d×%d×%d×%d uint8", o.npz, ds.Len(), c, h, w)
		if len(classes) > 0 {
			fmt.Fprintf(stdout, ", labels %d int64", ds.Len())
		}
		fmt.Fprintln(stdout)
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
	cols := 10
	if len(classes) > 0 && len(classes) <= 20 {
		cols = len(classes)
	}
	// The grid's size is checked before it is made: -scale and -size have
	// no bound of their own.
	cols = max(1, min(cols, len(pick)))
	rows := (len(pick) + cols - 1) / cols
	if gw, gh := int64(cols*(w+2)+2)*int64(o.scale), int64(rows*(h+2)+2)*int64(o.scale); gw > maxGridSide || gh > maxGridSide {
		return cli.Usagef("the grid would be %d×%d pixels, more than %d on a side; lower -scale, -size or -n", gw, gh, maxGridSide)
	}
	pix := make([]uint8, len(pick)*c*h*w)
	for k, i := range pick {
		if err := ds.Image(i, pix[k*c*h*w:(k+1)*c*h*w]); err != nil {
			return err
		}
	}
	img := imgio.Upscale(imgio.Grid(pix, len(pick), c, h, w, cols, 2), o.scale)
	if err := imgio.WritePNG(o.grid, img); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "wrote", o.grid)
	return nil
}

// writeNPZ exports a dataset as np.savez_compressed would: "images", uint8
// N×C×H×W, streamed image by image, and for a labeled dataset "labels",
// int64 N with −1 for an unlabeled image. The file is written atomically.
func writeNPZ(path string, ds cifar.Dataset) error {
	n := ds.Len()
	c, h, w := ds.Size()
	return atomicfile.Write(path, func(wr io.Writer) error {
		zw := zip.NewWriter(wr)
		f, err := zw.CreateHeader(&zip.FileHeader{Name: "images.npy", Method: zip.Deflate})
		if err != nil {
			return err
		}
		if _, err := f.Write(npy.Uint8Header([]int{n, c, h, w})); err != nil {
			return err
		}
		img := make([]uint8, c*h*w)
		for i := range n {
			if err := ds.Image(i, img); err != nil {
				return err
			}
			if _, err := f.Write(img); err != nil {
				return err
			}
		}
		if len(ds.Classes()) > 0 {
			labels := make([]int64, n)
			for i := range labels {
				labels[i] = int64(ds.Label(i))
			}
			if f, err = zw.CreateHeader(&zip.FileHeader{Name: "labels.npy", Method: zip.Deflate}); err != nil {
				return err
			}
			if _, err := f.Write(npy.EncodeInt64([]int{n}, labels)); err != nil {
				return err
			}
		}
		return zw.Close()
	})
}
