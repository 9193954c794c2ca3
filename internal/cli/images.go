package cli

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/autogan-go/autogan/cifar"
	"github.com/autogan-go/autogan/inception"
)

// ImageFlags name the images a command scores: a folder of files, or a
// dataset (optionally resized, optionally only its first N images).
type ImageFlags struct {
	Dir     string // -images
	Dataset string // -dataset
	DataDir string // -data-dir
	Size    int    // -size: resize the dataset's images (0 keeps them)
	Limit   int    // -limit: use only the first N images (0: all)
}

// Open returns the images and a description for logs and file metadata.
func (f ImageFlags) Open() (inception.Images, string, error) {
	switch {
	case f.Dir != "" && f.Dataset != "":
		return nil, "", fmt.Errorf("give either -images or -dataset, not both")
	case f.Dir != "":
		im, err := inception.FolderImages(f.Dir)
		// The description names the folder without its path, so shards
		// that see it mounted at different places still merge.
		return limit(im, f.Limit), "folder " + filepath.Base(filepath.Clean(f.Dir)), err
	case f.Dataset != "":
		opt := cifar.Options{Dir: f.DataDir}
		if strings.EqualFold(f.Dataset, "shapes10") && f.Limit > 0 {
			// Shapes-10 image i depends only on (seed, i): drawing just the
			// first Limit images gives the same images, without the
			// seconds that drawing all 50,000 takes.
			opt.N = f.Limit
		}
		ds, err := cifar.Open(f.Dataset, opt)
		if err != nil {
			return nil, "", err
		}
		desc := "dataset " + f.Dataset
		if f.Size > 0 {
			if _, h, _ := ds.Size(); h != f.Size {
				if ds, err = cifar.Resized(ds, f.Size); err != nil {
					return nil, "", err
				}
				desc += fmt.Sprintf(" resized to %d", f.Size)
			}
		}
		return limit(inception.DatasetImages(ds), f.Limit), desc, nil
	}
	return nil, "", fmt.Errorf("nothing to score: give -images DIR or -dataset NAME")
}

// limit keeps the first n images (all when n is 0).
func limit(im inception.Images, n int) inception.Images {
	if im == nil || n <= 0 || n >= im.Len() {
		return im
	}
	return firstN{im, n}
}

type firstN struct {
	inception.Images
	n int
}

func (f firstN) Len() int { return f.n }
