package cifar

import (
	"errors"
	"fmt"

	"github.com/autogan-go/autogan/internal/parallel"
	"github.com/autogan-go/autogan/tensor"
)

// Loader hands out shuffled mini-batches of a dataset as float32 tensors in
// [-1, 1] (N×C×H×W), epoch after epoch, as the reference's DataLoader with
// shuffle=True and drop_last=False: each epoch is a new random permutation
// and its last batch may be smaller.
//
// Its position (epoch, index within the epoch, and the RNG state the
// epoch's permutation was drawn from) can be saved and restored, so that a
// resumed run sees exactly the batches an uninterrupted one would.
type Loader struct {
	ds    Dataset
	batch int
	rng   *tensor.RNG

	epoch      int
	index      int
	perm       []int
	epochState []byte // rng state before drawing perm

	prefetch bool
	pending  chan prefetched
}

type prefetched struct {
	batch *tensor.Tensor
	err   error
}

// NewLoader returns a loader over ds with the given batch size, shuffling
// with rng (which the loader owns from now on).
func NewLoader(ds Dataset, batch int, rng *tensor.RNG) (*Loader, error) {
	if batch < 1 {
		return nil, fmt.Errorf("batch size %d", batch)
	}
	if ds.Len() == 0 {
		return nil, errors.New("empty dataset")
	}
	l := &Loader{ds: ds, batch: batch, rng: rng}
	l.startEpoch()
	return l, nil
}

// SetPrefetch turns on a goroutine that converts the next batch while the
// caller works on the current one. The batch sequence is unchanged.
func (l *Loader) SetPrefetch(on bool) {
	l.drain()
	l.prefetch = on
}

func (l *Loader) drain() {
	if l.pending != nil {
		if p := <-l.pending; p.batch != nil {
			p.batch.Release()
		}
		l.pending = nil
	}
}

func (l *Loader) startEpoch() {
	st, _ := l.rng.MarshalBinary()
	l.epochState = st
	l.perm = l.rng.Perm(l.ds.Len())
	l.index = 0
}

// NewEpoch abandons the rest of the current epoch, if any, and starts a
// new one with a new permutation, as starting a new iterator over a
// shuffling DataLoader does.
func (l *Loader) NewEpoch() {
	if l.index == 0 {
		return
	}
	l.drain()
	l.epoch++
	l.startEpoch()
}

// BatchesPerEpoch returns ⌈N/batch⌉.
func (l *Loader) BatchesPerEpoch() int { return (l.ds.Len() + l.batch - 1) / l.batch }

// Epoch returns the number of completed epochs.
func (l *Loader) Epoch() int { return l.epoch }

// Next returns the next batch and whether it ends an epoch. The caller owns
// the tensor (and may Release it).
func (l *Loader) Next() (*tensor.Tensor, bool, error) {
	idx := l.perm[l.index:min(l.index+l.batch, len(l.perm))]
	var b *tensor.Tensor
	var err error
	if l.pending != nil {
		p := <-l.pending
		b, err = p.batch, p.err
		l.pending = nil
	} else {
		b, err = l.assemble(idx)
	}
	l.index += len(idx)
	last := l.index >= len(l.perm)
	if last {
		l.epoch++
		l.startEpoch()
	}
	if l.prefetch && err == nil {
		next := append([]int(nil), l.perm[l.index:min(l.index+l.batch, len(l.perm))]...)
		ch := make(chan prefetched, 1)
		l.pending = ch
		go func() {
			b, err := l.assemble(next)
			ch <- prefetched{b, err}
		}()
	}
	return b, last, err
}

// assemble converts the images idx to a float batch.
func (l *Loader) assemble(idx []int) (*tensor.Tensor, error) {
	c, h, w := l.ds.Size()
	n := c * h * w
	out := tensor.Empty(len(idx), c, h, w)
	data := out.Data()
	errs := make([]error, len(idx))
	parallel.For(len(idx), 16, func(lo, hi int) {
		pix := make([]uint8, n)
		for k := lo; k < hi; k++ {
			if err := l.ds.Image(idx[k], pix); err != nil {
				errs[k] = err
				return
			}
			dst := data[k*n : (k+1)*n]
			for j, p := range pix {
				dst[j] = tensor.PixelToFloat(p)
			}
		}
	})
	for _, err := range errs {
		if err != nil {
			out.Release()
			return nil, err
		}
	}
	return out, nil
}

// Position is a loader's resumable state.
type Position struct {
	Epoch, Index int
	RNG          []byte // the RNG state the current epoch's permutation was drawn from
}

// Position returns the state after the batches handed out so far.
func (l *Loader) Position() Position {
	return Position{Epoch: l.epoch, Index: l.index, RNG: append([]byte(nil), l.epochState...)}
}

// Restore continues from a saved position of a loader over the same
// dataset and batch size.
func (l *Loader) Restore(p Position) error {
	l.drain()
	if p.Index < 0 || p.Index >= l.ds.Len() || p.Epoch < 0 { // Next never stops at Len: it starts the next epoch
		return fmt.Errorf("loader position epoch %d index %d does not fit a %d-image dataset", p.Epoch, p.Index, l.ds.Len())
	}
	if err := l.rng.UnmarshalBinary(p.RNG); err != nil {
		return fmt.Errorf("loader position: %w", err)
	}
	l.startEpoch()
	l.epoch, l.index = p.Epoch, p.Index
	return nil
}
