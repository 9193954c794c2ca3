package cifar

import "fmt"

// First returns a view of the first n images of d (d itself when it has
// no more than n). Runs use it to train on part of a large dataset: a
// study at CPU scale keeps a few thousand Fashion-MNIST images, so that an
// epoch is as long as one of the generated Shapes-10.
func First(d Dataset, n int) Dataset {
	if n <= 0 || d.Len() <= n {
		return d
	}
	return &first{d, n}
}

type first struct {
	Dataset
	n int
}

func (f *first) Len() int { return f.n }

func (f *first) Image(i int, dst []uint8) error {
	if i < 0 || i >= f.n {
		return fmt.Errorf("image %d of a %d-image dataset", i, f.n)
	}
	return f.Dataset.Image(i, dst)
}

func (f *first) Label(i int) int {
	if i < 0 || i >= f.n {
		return -1
	}
	return f.Dataset.Label(i)
}
