package cifar

import (
	"slices"
	"testing"

	"github.com/autogan-go/autogan/tensor"
)

func batchKey(b *tensor.Tensor) []float32 {
	// The first value of every image identifies it well enough here.
	n := b.Dim(0)
	out := make([]float32, n)
	per := b.Len() / n
	for i := range out {
		out[i] = b.Data()[i*per] + 3*b.Data()[i*per+1] + 7*b.Data()[i*per+2]
	}
	return out
}

func TestLoaderEpochsAndPartialBatch(t *testing.T) {
	ds := Shapes10(50, 3)
	l, err := NewLoader(ds, 16, tensor.NewRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	if l.BatchesPerEpoch() != 4 {
		t.Fatal(l.BatchesPerEpoch())
	}
	var sizes []int
	for {
		b, last, err := l.Next()
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, b.Dim(0))
		if lo, hi := tensor.Min(b, nil, false).Item(), tensor.Max(b, nil, false).Item(); lo < -1 || hi > 1 {
			t.Fatalf("batch outside [-1, 1]: [%v, %v]", lo, hi)
		}
		if last {
			break
		}
	}
	if !slices.Equal(sizes, []int{16, 16, 16, 2}) || l.Epoch() != 1 {
		t.Fatalf("batch sizes %v, epoch %d", sizes, l.Epoch())
	}
}

// TestLoaderResume: a loader restored from a saved position continues with
// exactly the batches of an uninterrupted one, across an epoch boundary, with
// and without prefetching.
func TestLoaderResume(t *testing.T) {
	ds := Shapes10(70, 4)
	run := func(prefetch bool, stopAt int) [][]float32 {
		l, _ := NewLoader(ds, 16, tensor.NewRNG(9))
		l.SetPrefetch(prefetch)
		var out [][]float32
		for i := 0; i < 12; i++ {
			if i == stopAt {
				pos := l.Position()
				l2, _ := NewLoader(ds, 16, tensor.NewRNG(12345)) // a different seed: the position carries the state
				l2.SetPrefetch(prefetch)
				if err := l2.Restore(pos); err != nil {
					t.Fatal(err)
				}
				l = l2
			}
			b, _, err := l.Next()
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, batchKey(b))
		}
		return out
	}
	want := run(false, -1)
	for _, prefetch := range []bool{false, true} {
		for _, stop := range []int{1, 5, 7} {
			got := run(prefetch, stop)
			for i := range want {
				if !slices.Equal(got[i], want[i]) {
					t.Fatalf("prefetch=%v stop=%d: batch %d differs", prefetch, stop, i)
				}
			}
		}
	}
}

func TestShapes10Deterministic(t *testing.T) {
	a, b := Shapes10(30, 5), Shapes10(20, 5)
	if !slices.Equal(a.Pixels[:len(b.Pixels)], b.Pixels) {
		t.Fatal("the first images depend on n")
	}
	if slices.Equal(Shapes10(10, 6).Pixels, a.Pixels[:len(Shapes10(10, 6).Pixels)]) {
		t.Fatal("seed has no effect")
	}
}

// TestShapes10Limit: with Options.Limit, Open draws only the first images,
// the same ones as without it.
func TestShapes10Limit(t *testing.T) {
	ds, err := Open("shapes10", Options{Seed: 5, N: 30, Limit: 12})
	if err != nil {
		t.Fatal(err)
	}
	m, ok := ds.(*Memory)
	if !ok || m.Len() != 12 {
		t.Fatalf("got %T with %d images, want 12", ds, ds.Len())
	}
	if !slices.Equal(m.Pixels, Shapes10(30, 5).Pixels[:len(m.Pixels)]) {
		t.Fatal("the limited images differ from the first images of the full dataset")
	}
}

// TestLoaderRefusesImpossiblePositions: a position a loader never saves
// (an index at or past the end of the data, which would hand out an empty
// batch, or a negative one) is refused.
func TestLoaderRefusesImpossiblePositions(t *testing.T) {
	ds := Shapes10(20, 4)
	l, _ := NewLoader(ds, 8, tensor.NewRNG(9))
	good := l.Position()
	for _, index := range []int{-1, 20, 21} {
		p := good
		p.Index = index
		if err := l.Restore(p); err == nil {
			t.Errorf("index %d of a 20-image dataset accepted", index)
		}
	}
	if err := l.Restore(good); err != nil {
		t.Errorf("a saved position: %v", err)
	}
}
