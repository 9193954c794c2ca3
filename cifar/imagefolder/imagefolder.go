// Package imagefolder reads folders of PNG and JPEG images: as a dataset
// resized to one size and labelled by subfolder, as torchvision's
// ImageFolder does (Open), or as images scored at their own size (Files).
// It is the only part of the data code that decodes image files, so the
// packages that do not need it (the search among them) do not link the
// decoders.
package imagefolder

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg" // register the decoders
	_ "image/png"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/autogan-go/autogan/cifar"
	"github.com/autogan-go/autogan/internal/parallel"
)

// maxImagePixels bounds the size of an image the folder reader accepts,
// checked from the file header before decoding.
const maxImagePixels = 64 << 20

// Open reads every PNG and JPEG file below dir (recursively, in sorted
// path order) as a dataset of size×size RGB images. Images that are not
// already size×size are resized as torchvision's Resize(size) followed by
// CenterCrop(size): the shorter side becomes size (PIL bilinear, see
// cifar.ResizePlane), then the centre is cut out. Files in a subdirectory are
// labeled by the name of the first-level subdirectory (classes sorted by
// name), as torchvision's ImageFolder; files directly in dir are unlabeled.
func Open(dir string, size int) (*cifar.Memory, error) {
	if size < 1 {
		return nil, fmt.Errorf("image folder %s: size %d", dir, size)
	}
	files, err := ImageFiles(dir)
	if err != nil {
		return nil, fmt.Errorf("image folder: %w", err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("image folder %s has no .png or .jpg files", dir)
	}
	classOf := make([]string, len(files))
	var classes []string
	for i, f := range files {
		rel, _ := filepath.Rel(dir, f)
		if parts := strings.Split(filepath.ToSlash(rel), "/"); len(parts) > 1 {
			classOf[i] = parts[0]
			if !slices.Contains(classes, parts[0]) {
				classes = append(classes, parts[0])
			}
		}
	}
	slices.Sort(classes)
	n := 3 * size * size
	m := &cifar.Memory{Name: "folder:" + dir, C: 3, H: size, W: size, Pixels: make([]uint8, len(files)*n)}
	if len(classes) > 0 {
		m.ClassNames = classes
		m.Labels = make([]int, len(files))
		for i, c := range classOf {
			m.Labels[i] = slices.Index(classes, c) // −1 for top-level files
		}
	}
	errs := make([]error, len(files))
	parallel.For(len(files), 16, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			errs[i] = decodeInto(files[i], m.Pixels[i*n:(i+1)*n], size)
		}
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return m, nil
}

// ReadImage decodes a PNG or JPEG file at its own size into C×H×W RGB
// bytes (alpha dropped, like PIL's convert("RGB")).
func ReadImage(path string) (pix []uint8, h, w int, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, 0, err
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, 0, 0, fmt.Errorf("%s: not a readable PNG or JPEG image: %w", path, err)
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width*cfg.Height > maxImagePixels {
		return nil, 0, 0, fmt.Errorf("%s: %s image of %d×%d pixels is empty or too large", path, format, cfg.Width, cfg.Height)
	}
	pix = make([]uint8, 3*cfg.Width*cfg.Height)
	if err := decodeImage(path, b, pix, -1); err != nil {
		return nil, 0, 0, err
	}
	return pix, cfg.Height, cfg.Width, nil
}

// ImageFiles lists the PNG and JPEG files below dir, sorted.
func ImageFiles(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".png", ".jpg", ".jpeg":
			if !d.IsDir() {
				files = append(files, p)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(files)
	return files, nil
}

// decodeInto decodes one image file into a size×size C×H×W RGB buffer.
func decodeInto(path string, dst []uint8, size int) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return decodeImage(path, b, dst, size)
}

func decodeImage(path string, b []byte, dst []uint8, size int) error {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("%s: not a readable PNG or JPEG image: %w", path, err)
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width*cfg.Height > maxImagePixels {
		return fmt.Errorf("%s: %s image of %d×%d pixels is empty or too large", path, format, cfg.Width, cfg.Height)
	}
	// The resize below makes the whole image with its shorter side at
	// size: a thin image (1×60000) would need gigabytes for it.
	short, long := min(cfg.Width, cfg.Height), max(cfg.Width, cfg.Height)
	if size > 0 && float64(size)*float64(size)*float64(long)/float64(short) > maxImagePixels {
		return fmt.Errorf("%s: %s image of %d×%d pixels is too elongated to resize to %d", path, format, cfg.Width, cfg.Height, size)
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("%s: corrupt %s image: %w", path, format, err)
	}
	r := img.Bounds()
	w, h := r.Dx(), r.Dy()
	planes := make([]uint8, 3*w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			// Like PIL's convert("RGB"): alpha is dropped, not composited.
			c := color.NRGBAModel.Convert(img.At(r.Min.X+x, r.Min.Y+y)).(color.NRGBA)
			planes[y*w+x], planes[w*h+y*w+x], planes[2*w*h+y*w+x] = c.R, c.G, c.B
		}
	}
	if size < 0 || w == size && h == size { // size < 0: keep the image's own size
		copy(dst, planes)
		return nil
	}
	// Resize the shorter side to size, keeping the aspect ratio
	// (torchvision computes the long side as int(size·long/short)).
	rw, rh := size, size
	if w < h {
		rh = int(float64(size) * float64(h) / float64(w))
	} else {
		rw = int(float64(size) * float64(w) / float64(h))
	}
	resized := make([]uint8, rw*rh)
	top, left := centerCropOffset(rh, size), centerCropOffset(rw, size)
	for c := 0; c < 3; c++ {
		cifar.ResizePlane(resized, rh, rw, planes[c*w*h:(c+1)*w*h], h, w)
		for y := 0; y < size; y++ {
			copy(dst[c*size*size+y*size:c*size*size+(y+1)*size], resized[(top+y)*rw+left:])
		}
	}
	return nil
}

// Files presents the PNG and JPEG files below dir (sorted by path) as a
// dataset at their own size, which must be the same for all; files are
// decoded when they are read, so memory stays bounded (cmd/eval -images).
func Files(dir string) (cifar.Dataset, error) {
	files, err := ImageFiles(dir)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s has no .png or .jpg images", dir)
	}
	_, h, w, err := ReadImage(files[0])
	if err != nil {
		return nil, err
	}
	return &lazyFolder{files: files, h: h, w: w}, nil
}

type lazyFolder struct {
	files []string
	h, w  int
}

func (f *lazyFolder) Len() int            { return len(f.files) }
func (f *lazyFolder) Size() (c, h, w int) { return 3, f.h, f.w }
func (f *lazyFolder) Label(int) int       { return -1 }
func (f *lazyFolder) Classes() []string   { return nil }
func (f *lazyFolder) Image(i int, dst []uint8) error {
	p, h, w, err := ReadImage(f.files[i])
	if err != nil {
		return err
	}
	if h != f.h || w != f.w {
		return fmt.Errorf("%s is %d×%d; the images of a folder must share one size (%d×%d, like %s)",
			f.files[i], w, h, f.w, f.h, f.files[0])
	}
	copy(dst, p)
	return nil
}

// centerCropOffset is where torchvision's CenterCrop starts a crop of size
// out of length n: int(round((n − size)/2)), and Python's round sends
// halves to the even integer (33 → 32 starts at 0, 35 → 32 at 2).
func centerCropOffset(n, size int) int {
	return int(math.RoundToEven(float64(n-size) / 2))
}
