package cifar

import (
	"fmt"

	"github.com/autogan-go/autogan/internal/parallel"
)

// Dataset is a collection of same-sized 8-bit RGB images, with labels when
// the source has them.
type Dataset interface {
	// Len is the number of images.
	Len() int
	// Size returns channels, height and width of every image.
	Size() (c, h, w int)
	// Image copies image i, channel-major (C×H×W, rows top to bottom), into
	// dst, which holds c·h·w bytes.
	Image(i int, dst []uint8) error
	// Label returns the class of image i, or −1 for unlabeled images.
	Label(i int) int
	// Classes lists the class names (nil when unknown).
	Classes() []string
}

// Memory is a dataset held in memory as uint8 pixels: N×C×H×W, 50,000
// CIFAR images take 150 MB. Images are converted to float32 only per batch.
type Memory struct {
	Name       string
	C, H, W    int
	Pixels     []uint8
	Labels     []int // nil when unlabeled
	ClassNames []string
}

// Len implements Dataset.
func (m *Memory) Len() int { return len(m.Pixels) / max(m.C*m.H*m.W, 1) }

// Size implements Dataset.
func (m *Memory) Size() (c, h, w int) { return m.C, m.H, m.W }

// Image implements Dataset.
func (m *Memory) Image(i int, dst []uint8) error {
	n := m.C * m.H * m.W
	if i < 0 || i >= m.Len() || len(dst) != n {
		return fmt.Errorf("%s: image %d of %d into %d bytes", m.Name, i, m.Len(), len(dst))
	}
	copy(dst, m.Pixels[i*n:(i+1)*n])
	return nil
}

// Label implements Dataset.
func (m *Memory) Label(i int) int {
	if m.Labels == nil {
		return -1
	}
	return m.Labels[i]
}

// Classes implements Dataset.
func (m *Memory) Classes() []string { return m.ClassNames }

// Concat joins datasets of the same image size, one after another (the
// reference's STL-10 "train+unlabeled" split is train followed by
// unlabeled).
type Concat struct {
	Parts []Dataset
}

// Len implements Dataset.
func (c *Concat) Len() int {
	n := 0
	for _, p := range c.Parts {
		n += p.Len()
	}
	return n
}

// Size implements Dataset.
func (c *Concat) Size() (ch, h, w int) { return c.Parts[0].Size() }

func (c *Concat) locate(i int) (Dataset, int) {
	for _, p := range c.Parts {
		if i < p.Len() {
			return p, i
		}
		i -= p.Len()
	}
	return nil, -1
}

// Image implements Dataset.
func (c *Concat) Image(i int, dst []uint8) error {
	p, j := c.locate(i)
	if p == nil {
		return fmt.Errorf("image %d of a %d-image dataset", i, c.Len())
	}
	return p.Image(j, dst)
}

// Label implements Dataset.
func (c *Concat) Label(i int) int {
	p, j := c.locate(i)
	if p == nil {
		return -1
	}
	return p.Label(j)
}

// Classes implements Dataset.
func (c *Concat) Classes() []string { return c.Parts[0].Classes() }

// Load reads every image of d into memory (in parallel, for lazy sources).
func Load(name string, d Dataset) (*Memory, error) {
	if m, ok := d.(*Memory); ok {
		return m, nil
	}
	c, h, w := d.Size()
	n := c * h * w
	m := &Memory{Name: name, C: c, H: h, W: w, Pixels: make([]uint8, d.Len()*n), ClassNames: d.Classes()}
	labeled := false
	labels := make([]int, d.Len())
	errs := make([]error, parallel.NumChunks(d.Len(), 256))
	parallel.ForChunks(d.Len(), 256, func(ch, lo, hi int) {
		for i := lo; i < hi; i++ {
			if err := d.Image(i, m.Pixels[i*n:(i+1)*n]); err != nil {
				errs[ch] = err
				return
			}
			labels[i] = d.Label(i)
		}
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	for _, l := range labels {
		if l >= 0 {
			labeled = true
		}
	}
	if labeled {
		m.Labels = labels
	}
	return m, nil
}
