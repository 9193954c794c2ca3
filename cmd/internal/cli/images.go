package cli

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/autogan-go/autogan/cifar/imagefolder"
	"github.com/autogan-go/autogan/inception/metrics"

	"github.com/autogan-go/autogan/cifar"
	"github.com/autogan-go/autogan/internal/progress"
)

// ImageFlags name the images a command scores: a folder of files, or a
// dataset (optionally resized, optionally only its first N images).
type ImageFlags struct {
	Dir     string // -images
	Dataset string // -dataset
	DataDir string // -data_dir
	Size    int    // -size: resize the dataset's images (0 keeps them)
	Limit   int    // -limit: use only the first N images (0: all)
}

// Register defines the flags -images, -dataset, -data_dir, -size and
// -limit on fs, in a group of their own.
func (f *ImageFlags) Register(fs *FlagSet) {
	fs.Group("Images (a folder, or a dataset)")
	fs.StringVar(&f.Dir, "images", "", "folder of PNG/JPEG images, all of one size")
	fs.StringVar(&f.Dataset, "dataset", "", "dataset: "+strings.Join(DatasetNames(), "|"))
	fs.StringVar(&f.DataDir, "data_dir", "", "folder or archive of the dataset (shapes10 needs none)")
	fs.IntVar(&f.Size, "size", 0, "resize the dataset's images to this size first (0: no resize; the reference uses 48 for STL-10)")
	fs.IntVar(&f.Limit, "limit", 0, "use only the first N images (0: all images)")
}

// ScoringFlags choose the scorer and the shard of an evaluation.
type ScoringFlags struct {
	Scorer     string // -scorer: Inception weights; "" = the embedded scorer
	Preprocess string // -preprocess: tf or pytorch-fid
	Shard      string // -shard I/N
	Partial    string // -partial: the shard's partial statistics file
	AnyScorer  bool   // -any_scorer: a classifier scorer may score other data
}

// Sharding parses -shard (1/1 without it) and checks -partial before any
// work: a shard of several needs its partial file, and a partial file
// that could not be written (it is written when the scoring ends or is
// interrupted, too late to find out) is refused now, unless it already
// holds the shard whole: that one is only read, and a finished task that
// is run again (in a folder mounted read-only, say) finishes at once.
func (f ScoringFlags) Sharding() (i, n int, err error) {
	if i, n, err = Shard(f.Shard); err != nil {
		return 0, 0, Usagef("%v", err)
	}
	if n > 1 && f.Partial == "" {
		return 0, 0, Usagef("-shard %s needs -partial FILE to write the shard's statistics to", f.Shard)
	}
	if f.Partial != "" {
		if err := CheckOutput("partial", f.Partial); err != nil && !metrics.ShardDone(f.Partial, i, n) {
			return 0, 0, err
		}
	}
	return i, n, nil
}

// Register defines the flags -scorer (alias -weights), -preprocess,
// -shard and -partial on fs, in a group of their own.
func (f *ScoringFlags) Register(fs *FlagSet) {
	fs.Group("Scoring")
	fs.StringVar(&f.Scorer, "scorer", "", "Inception-v3 weights (.pth or .pb), or a scorer of cmd/trainscorer (.safetensors); empty: the embedded Shapes-10 scorer")
	fs.StringVar(&f.Preprocess, "preprocess", "tf", "Inception preprocessing: tf|pytorch-fid")
	fs.BoolVar(&f.AnyScorer, "any_scorer", false, "score with a classifier trained on another dataset anyway (its IS and FID then mean little)")
	fs.StringVar(&f.Shard, "shard", "", "compute only shard I/N (I may be 'env': SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX)")
	fs.StringVar(&f.Partial, "partial", "", "partial statistics file of the shard (also keeps progress across interruptions)")
}

// Open returns the images and a description for logs and file metadata.
func (f ImageFlags) Open() (metrics.Images, string, error) {
	if f.Limit < 0 || f.Size < 0 {
		return nil, "", Usagef("-limit and -size must not be negative")
	}
	switch {
	case f.Dir != "" && f.Dataset != "":
		return nil, "", Usagef("give either -images or -dataset, not both")
	case f.Dir != "":
		if err := CheckExists("images", f.Dir); err != nil {
			return nil, "", err
		}
		ds, err := imagefolder.Files(f.Dir)
		if err != nil {
			return nil, "", err
		}
		// The description names the folder without its path, so shards
		// that see it mounted at different places still merge.
		return limit(metrics.DatasetImages(ds), f.Limit), "folder " + filepath.Base(filepath.Clean(f.Dir)), nil
	case f.Dataset != "":
		if err := CheckDataDir("data_dir", f.Dataset, f.DataDir); err != nil {
			return nil, "", err
		}
		ds, err := OpenDataset(f.Dataset, cifar.Options{Dir: f.DataDir, Limit: f.Limit}, 0)
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
		return limit(metrics.DatasetImages(ds), f.Limit), desc, nil
	}
	return nil, "", Usagef("nothing to score: give -images DIR or -dataset NAME")
}

// limit keeps the first n images (all when n is 0).
func limit(im metrics.Images, n int) metrics.Images {
	if im == nil || n <= 0 || n >= im.Len() {
		return im
	}
	return firstN{im, n}
}

type firstN struct {
	metrics.Images
	n int
}

func (f firstN) Len() int { return f.n }

// TrainingData opens the dataset a search or a training run learns from,
// resized to size×size pixels when it has another size (CIFAR-10 for an
// 8×8 stage, STL-10 at 48×48), saying so on rep.
func TrainingData(name, dir string, seed uint64, n, size int, rep *progress.Reporter) (cifar.Dataset, error) {
	data, err := OpenDataset(name, cifar.Options{Dir: dir, Seed: seed, N: n}, size)
	if err != nil {
		return nil, err
	}
	if n > 0 && data.Len() > n {
		rep.Log("using the first %d of the %d images of %s (dataset_n)", n, data.Len(), name)
		data = cifar.First(data, n)
	}
	if _, h, _ := data.Size(); h != size {
		rep.Log("resizing %s from %d to %d pixels", name, h, size)
		return cifar.Resized(data, size)
	}
	return data, nil
}

// DatasetNames are the names OpenDataset knows: package cifar's formats
// and "folder", a folder of PNG/JPEG images (labelled by subfolder).
func DatasetNames() []string { return append(append([]string(nil), cifar.Names...), "folder") }

// KnownDataset says whether OpenDataset knows the name (in any case, as
// package cifar reads it).
func KnownDataset(name string) bool {
	return name == "folder" || slices.Contains(cifar.Names, strings.ToLower(name))
}

// OpenDataset opens a dataset by name. A "folder" dataset is read from
// o.Dir at size×size pixels (32 when size is 0). The mistakes in the
// settings are usage errors: an unknown name, no folder for a dataset that
// needs one, a number of Shapes-10 images out of range.
func OpenDataset(name string, o cifar.Options, size int) (cifar.Dataset, error) {
	if !KnownDataset(name) {
		return nil, Usagef("unknown dataset %q (one of %s)", name, strings.Join(DatasetNames(), ", "))
	}
	if name != "folder" {
		ds, err := cifar.Open(name, o)
		if err != nil && usageOfDataset(name, o.Dir) {
			return nil, fmt.Errorf("%w: %w", ErrUsage, err)
		}
		return ds, err
	}
	if o.Dir == "" {
		return nil, Usagef("dataset folder needs a folder of images (-data_dir)")
	}
	if size == 0 {
		size = 32
	}
	return imagefolder.Open(o.Dir, size)
}

// usageOfDataset says whether cifar.Open's error for a dataset is a
// mistake in the settings: an unknown name; Shapes-10, whose only failure
// is a number of images out of range; no folder for a dataset that needs
// one.
func usageOfDataset(name, dir string) bool {
	return !KnownDataset(name) || isShapes10(name) || dir == "" && NeedsDataDir(name)
}

// NeedsDataDir says whether a dataset is read from a folder or archive
// that must be given (-data_dir): a folder dataset, and those of
// cifar.NeedsDir.
func NeedsDataDir(name string) bool { return name == "folder" || cifar.NeedsDir(name) }

// DatasetChannels is the number of channels of a dataset's images before
// they are made RGB: 1 for the (Fashion-)MNIST digits and garments, 3 for
// the others.
func DatasetChannels(name string) int {
	if strings.Contains(name, "mnist") {
		return 1
	}
	return 3
}
