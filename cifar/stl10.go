package cifar

import (
	"fmt"
	"os"
	"path/filepath"
)

// STL-10 (Coates, Ng & Lee, 2011) images are 96×96 RGB, 27,648 bytes each,
// stored plane by plane in column-major (MATLAB) order: byte
// c·9216 + x·96 + y is channel c, row y, column x.
const (
	stlSide  = 96
	stlImage = 3 * stlSide * stlSide
)

// stlFile is an STL-10 image file read lazily: images are fetched with
// ReadAt when asked for, so the 2.7 GB unlabeled_X.bin is never held whole.
type stlFile struct {
	path    string
	f       *os.File
	n       int
	labels  []int // nil for unlabeled
	classes []string
}

// STL10 opens a split of the STL-10 binary distribution in folder dir
// (stl10_binary, or its parent): "train" (5,000 labeled), "test" (8,000
// labeled), "unlabeled" (100,000) or "train+unlabeled" (105,000: train then
// unlabeled, the split the reference trains on). Labels 1…10 in the files
// become 0…9. Image data stays on disk until requested.
func STL10(dir, split string) (Dataset, error) {
	base := dir
	if _, err := os.Stat(filepath.Join(dir, "stl10_binary")); err == nil {
		base = filepath.Join(dir, "stl10_binary")
	}
	classes := classLines(readOptional(filepath.Join(base, "class_names.txt")))
	if len(classes) != 10 {
		classes = nil
	}
	open := func(x, y string) (Dataset, error) { return openSTL(filepath.Join(base, x), y, base, classes) }
	switch split {
	case "train":
		return open("train_X.bin", "train_y.bin")
	case "test":
		return open("test_X.bin", "test_y.bin")
	case "unlabeled":
		return open("unlabeled_X.bin", "")
	case "train+unlabeled":
		tr, err := open("train_X.bin", "train_y.bin")
		if err != nil {
			return nil, err
		}
		un, err := open("unlabeled_X.bin", "")
		if err != nil {
			return nil, err
		}
		return &Concat{Parts: []Dataset{tr, un}}, nil
	}
	return nil, fmt.Errorf("STL-10 has no split %q (train, test, unlabeled, train+unlabeled)", split)
}

func readOptional(p string) []byte {
	b, _ := os.ReadFile(p)
	return b
}

func openSTL(xPath, yName, base string, classes []string) (*stlFile, error) {
	f, err := os.Open(xPath)
	if err != nil {
		return nil, fmt.Errorf("STL-10: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if st.Size() == 0 || st.Size()%stlImage != 0 {
		f.Close()
		return nil, fmt.Errorf("%s: %d bytes is not a whole number of %d-byte 96×96 images", xPath, st.Size(), stlImage)
	}
	s := &stlFile{path: xPath, f: f, n: int(st.Size() / stlImage), classes: classes}
	if yName != "" {
		yPath := filepath.Join(base, yName)
		yb, err := os.ReadFile(yPath)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("STL-10 labels: %w", err)
		}
		if len(yb) != s.n {
			f.Close()
			return nil, fmt.Errorf("%s: %d labels for %d images in %s", yPath, len(yb), s.n, xPath)
		}
		s.labels = make([]int, s.n)
		for i, l := range yb {
			if l < 1 || l > 10 {
				f.Close()
				return nil, fmt.Errorf("%s: label %d of image %d, want 1…10", yPath, l, i)
			}
			s.labels[i] = int(l) - 1
		}
	}
	return s, nil
}

func (s *stlFile) Len() int            { return s.n }
func (s *stlFile) Size() (c, h, w int) { return 3, stlSide, stlSide }
func (s *stlFile) Classes() []string   { return s.classes }
func (s *stlFile) Label(i int) int {
	if s.labels == nil {
		return -1
	}
	return s.labels[i]
}

// Image reads image i and transposes it from column-major to row-major.
func (s *stlFile) Image(i int, dst []uint8) error {
	if i < 0 || i >= s.n || len(dst) != stlImage {
		return fmt.Errorf("%s: image %d of %d into %d bytes", s.path, i, s.n, len(dst))
	}
	var raw [stlImage]byte
	if _, err := s.f.ReadAt(raw[:], int64(i)*stlImage); err != nil {
		return fmt.Errorf("%s: reading image %d: %w", s.path, i, err)
	}
	decodeSTL(dst, raw[:])
	return nil
}

// decodeSTL converts one column-major STL-10 image to C×H×W row-major.
func decodeSTL(dst, raw []uint8) {
	const plane = stlSide * stlSide
	for c := 0; c < 3; c++ {
		src := raw[c*plane : (c+1)*plane]
		out := dst[c*plane : (c+1)*plane]
		for x := 0; x < stlSide; x++ {
			col := src[x*stlSide : (x+1)*stlSide]
			for y, v := range col {
				out[y*stlSide+x] = v
			}
		}
	}
}
