package cifar

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Fashion-MNIST class names (Xiao, Rasul & Vollgraf, 2017).
var fashionClasses = []string{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"}

// MNIST reads MNIST or Fashion-MNIST from the IDX files of its
// distribution in dir (train-images-idx3-ubyte.gz and
// train-labels-idx1-ubyte.gz, or the t10k-* files for the test split),
// gzipped or not, as Debian's dataset-fashion-mnist installs them under
// /usr/share/datasets/fashion-mnist/.
//
// The 28×28 grayscale images become 32×32 RGB: the gray value is copied to
// the three channels, and two rows or columns of zeros (the black
// background) pad every side. Padding keeps every pixel exact, as LeNet-5
// did with MNIST; resizing would blur the strokes.
func MNIST(dir string, train bool, fashion bool) (*Memory, error) {
	prefix, name := "t10k", "mnist-test"
	if train {
		prefix, name = "train", "mnist"
	}
	if fashion {
		name = "fashion-" + name
	}
	images, where, err := readIDX(filepath.Join(dir, prefix+"-images-idx3-ubyte"), 3)
	if err != nil {
		return nil, err
	}
	labels, lwhere, err := readIDX(filepath.Join(dir, prefix+"-labels-idx1-ubyte"), 1)
	if err != nil {
		return nil, err
	}
	n, h, w := images.dims[0], images.dims[1], images.dims[2]
	if labels.dims[0] != n {
		return nil, fmt.Errorf("%s has %d labels for the %d images of %s", lwhere, labels.dims[0], n, where)
	}
	if h != 28 || w != 28 {
		return nil, fmt.Errorf("%s: images are %d×%d, want 28×28", where, h, w)
	}
	const side, pad = 32, 2
	m := &Memory{Name: name, C: 3, H: side, W: side, Pixels: make([]uint8, n*3*side*side), Labels: make([]int, n)}
	if fashion {
		m.ClassNames = fashionClasses
	} else {
		m.ClassNames = []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}
	}
	for i := 0; i < n; i++ {
		l := labels.data[i]
		if l > 9 {
			return nil, fmt.Errorf("%s: label %d of image %d, want 0…9", lwhere, l, i)
		}
		m.Labels[i] = int(l)
		img := images.data[i*h*w : (i+1)*h*w]
		out := m.Pixels[i*3*side*side:]
		for c := 0; c < 3; c++ {
			for y := 0; y < h; y++ {
				copy(out[c*side*side+(y+pad)*side+pad:], img[y*w:(y+1)*w])
			}
		}
	}
	return m, nil
}

type idxArray struct {
	dims []int
	data []byte
}

// readIDX reads path or path.gz as an IDX file of unsigned bytes with the
// given number of dimensions (LeCun's format: magic 0x00000800|ndim,
// big-endian uint32 sizes, then the data).
func readIDX(path string, ndim int) (idxArray, string, error) {
	raw, err := os.ReadFile(path + ".gz")
	where := path + ".gz"
	if err == nil {
		gz, gerr := gzip.NewReader(bytes.NewReader(raw))
		if gerr != nil {
			return idxArray{}, where, fmt.Errorf("%s: not gzip: %w", where, gerr)
		}
		// Bound the decompressed size: 60,000 28×28 images are 47 MB.
		raw, err = io.ReadAll(io.LimitReader(gz, 1<<30))
		if err != nil {
			return idxArray{}, where, fmt.Errorf("%s: damaged archive: %w", where, err)
		}
	} else {
		where = path
		raw, err = os.ReadFile(path)
		if err != nil {
			return idxArray{}, where, fmt.Errorf("dataset file not found: %s(.gz): %w", path, err)
		}
	}
	a, err := parseIDX(raw, ndim)
	if err != nil {
		return a, where, fmt.Errorf("%s: %w", where, err)
	}
	return a, where, nil
}

// parseIDX validates the header against the data before using any size.
func parseIDX(b []byte, ndim int) (idxArray, error) {
	if len(b) < 4+4*ndim {
		return idxArray{}, fmt.Errorf("%d bytes is too short for an IDX header", len(b))
	}
	magic := binary.BigEndian.Uint32(b)
	if magic != 0x800|uint32(ndim) {
		return idxArray{}, fmt.Errorf("magic %#08x, want %#08x (unsigned bytes, %d dimensions)", magic, 0x800|ndim, ndim)
	}
	a := idxArray{dims: make([]int, ndim)}
	total := uint64(1)
	for i := range a.dims {
		d := binary.BigEndian.Uint32(b[4+4*i:])
		a.dims[i] = int(d)
		total *= uint64(d)
		if total > uint64(len(b)) {
			return idxArray{}, fmt.Errorf("dimensions %v need more bytes than the file has", a.dims[:i+1])
		}
	}
	body := b[4+4*ndim:]
	if uint64(len(body)) != total {
		return idxArray{}, fmt.Errorf("dimensions %v need %d bytes of data, file has %d", a.dims, total, len(body))
	}
	a.data = body
	return a, nil
}
