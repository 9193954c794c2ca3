package metrics

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
