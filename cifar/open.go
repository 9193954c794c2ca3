package cifar

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
)

// Names lists the dataset names Open accepts.
var Names = []string{
	"shapes10", "cifar10", "cifar10-test", "cifar100", "cifar100-test",
	"stl10", "stl10-train", "stl10-test", "fashion-mnist", "fashion-mnist-test",
	"mnist", "mnist-test",
}

// DefaultFashionMNISTDir is where Debian's dataset-fashion-mnist package
// installs the files.
const DefaultFashionMNISTDir = "/usr/share/datasets/fashion-mnist"

// Options refine Open.
type Options struct {
	// Dir is the dataset's folder or archive: cifar-10-batches-bin (or its
	// parent) or cifar-10-binary.tar.gz; cifar-100-binary or its archive;
	// stl10_binary or its parent; the folder of the IDX files. (Folders
	// of image files are read by package cifar/imagefolder.)
	Dir string
	// Seed and N configure "shapes10" (defaults 12345 and 50,000).
	Seed uint64
	N    int
	// Limit, when positive, says the caller will use only the first Limit
	// images; a dataset may then return just those. Shapes-10 does (its
	// image i depends only on (seed, i), so they are the same images,
	// without the seconds drawing all 50,000 takes); files are read whole.
	Limit int
}

// NeedsDir says whether the named dataset (in any case) is read from a
// folder or archive that Options.Dir must give: every one of Names but
// Shapes-10, which is generated, and Fashion-MNIST, which Debian's
// dataset-fashion-mnist installs at DefaultFashionMNISTDir.
func NeedsDir(name string) bool {
	key := strings.ToLower(name)
	return slices.Contains(Names, key) && key != "shapes10" && !strings.HasPrefix(key, "fashion")
}

// Open returns the named dataset; the name is read in any case. "stl10" is
// the reference's train+unlabeled split (105,000 images), read lazily from
// disk.
func Open(name string, o Options) (Dataset, error) {
	// Lower-case once and use key everywhere below: deriving the split or
	// the MNIST variant from the raw name would make "CIFAR10" open the test
	// split and "FASHION-MNIST" the digits.
	key := strings.ToLower(name)
	if o.Dir == "" && NeedsDir(key) {
		return nil, fmt.Errorf("dataset %s needs a folder or archive (-data_dir)", name)
	}
	switch key {
	case "shapes10", "":
		n, seed := o.N, o.Seed
		if n == 0 {
			n = 50000
		}
		if seed == 0 {
			seed = 12345
		}
		if o.Limit > 0 {
			n = min(n, o.Limit)
		}
		if n < 0 || n > MaxShapes10 {
			return nil, fmt.Errorf("shapes10 generates 1 to %d images, not %d", MaxShapes10, n)
		}
		return Shapes10(n, seed), nil
	case "cifar10", "cifar10-test":
		return CIFAR10(o.Dir, key == "cifar10")
	case "cifar100", "cifar100-test":
		return CIFAR100(o.Dir, key == "cifar100", true)
	case "stl10", "stl10-train", "stl10-test":
		split := map[string]string{"stl10": "train+unlabeled", "stl10-train": "train", "stl10-test": "test"}[key]
		return STL10(o.Dir, split)
	case "fashion-mnist", "fashion-mnist-test", "mnist", "mnist-test":
		dir := o.Dir
		if dir == "" { // Fashion-MNIST, from Debian's package (NeedsDir)
			dir = DefaultFashionMNISTDir
		}
		m, err := MNIST(filepath.Clean(dir), !strings.HasSuffix(key, "-test"), strings.HasPrefix(key, "fashion"))
		if o.Dir == "" {
			err = installHint(err)
		}
		return m, err
	}
	return nil, fmt.Errorf("unknown dataset %q (one of %s)", name, strings.Join(Names, ", "))
}

// installHint adds to a missing-file error of Fashion-MNIST's default
// folder how to get the files there.
func installHint(err error) error {
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return fmt.Errorf("%w (Debian and Ubuntu install Fashion-MNIST there with: apt-get install dataset-fashion-mnist; or give the folder with -data_dir)", err)
}
