package inception

import (
	"fmt"

	"github.com/autogan-go/autogan/cifar"
)

// DatasetImages presents a dataset's images (in its order) for scoring.
func DatasetImages(ds cifar.Dataset) Images { return datasetImages{ds} }

type datasetImages struct{ ds cifar.Dataset }

func (d datasetImages) Len() int { return d.ds.Len() }

func (d datasetImages) Size() (h, w int) {
	c, h, w := d.ds.Size()
	if c != 3 {
		panic(fmt.Sprintf("inception: dataset images have %d channels, want 3", c))
	}
	return h, w
}

func (d datasetImages) Fill(start, n int, pix []uint8) error {
	h, w := d.Size()
	size := 3 * h * w
	for i := 0; i < n; i++ {
		if err := d.ds.Image(start+i, pix[i*size:(i+1)*size]); err != nil {
			return err
		}
	}
	return nil
}

// FolderImages presents the PNG and JPEG files below dir (sorted by path)
// for scoring at their own size, which must be the same for all. Files are
// decoded when their block is scored, so memory stays bounded.
func FolderImages(dir string) (Images, error) {
	files, err := cifar.ImageFiles(dir)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s has no .png or .jpg images", dir)
	}
	_, h, w, err := cifar.ReadImage(files[0])
	if err != nil {
		return nil, err
	}
	return &folderImages{files: files, h: h, w: w}, nil
}

type folderImages struct {
	files []string
	h, w  int
}

func (f *folderImages) Len() int         { return len(f.files) }
func (f *folderImages) Size() (h, w int) { return f.h, f.w }

func (f *folderImages) Fill(start, n int, pix []uint8) error {
	size := 3 * f.h * f.w
	for i := 0; i < n; i++ {
		p, h, w, err := cifar.ReadImage(f.files[start+i])
		if err != nil {
			return err
		}
		if h != f.h || w != f.w {
			return fmt.Errorf("%s is %d×%d; the images of a folder must share one size (%d×%d, like %s)",
				f.files[start+i], w, h, f.w, f.h, f.files[0])
		}
		copy(pix[i*size:(i+1)*size], p)
	}
	return nil
}
