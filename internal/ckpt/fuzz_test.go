package ckpt

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/autogan-go/autogan/internal/safetensors"
	"github.com/autogan-go/autogan/tensor"
)

// FuzzReader: a checkpoint is a user-supplied file (-resume, -checkpoint,
// a scorer's weights). Any bytes give a format error or a Reader whose
// every typed accessor, on every entry, returns a value or an error that
// names the entry: never a panic, never more values than the file holds.
func FuzzReader(f *testing.F) {
	w := NewWriter()
	w.Tensor("g.l1.weight", tensor.FromSlice([]float32{1, 2, 3, 4, 5, 6}, 2, 3))
	w.Tensor("g.empty", tensor.New(0, 4))
	w.Tensor("g.scalar", tensor.FromSlice([]float32{7}))
	w.Int("adam.step", 42)
	w.Ints("counts", []int64{1, 2, 3})
	w.Float("baseline", 0.1)
	w.Floats("window", []float64{1, 2.5})
	w.Bytes("rng", []byte{9, 8, 7})
	w.Meta("format", "autogan-go train v1")
	p := filepath.Join(f.TempDir(), "seed.safetensors")
	if err := w.Save(p); err != nil {
		f.Fatal(err)
	}
	seed, err := os.ReadFile(p)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte{8, 0, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' ', ' ', ' ', ' ', ' '})
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := FromBytes("fuzz.safetensors", data)
		if err != nil {
			if !errors.Is(err, safetensors.ErrFormat) {
				t.Fatalf("error %v does not wrap safetensors.ErrFormat", err)
			}
			return
		}
		for _, name := range r.Names() {
			if !r.Has(name) {
				t.Fatalf("Names lists %q but Has denies it", name)
			}
			if x, err := r.Tensor(name); err == nil {
				if 4*x.Len() > len(data) {
					t.Fatalf("entry %q: %d float32 values from %d bytes", name, x.Len(), len(data))
				}
				y := tensor.New(x.Shape()...)
				if err := r.TensorInto(name, y); err != nil {
					t.Fatalf("Tensor accepts %q, TensorInto refuses it: %v", name, err)
				}
				if !slices.Equal(bitsOf(x.Data()), bitsOf(y.Data())) {
					t.Fatalf("entry %q: Tensor and TensorInto disagree", name)
				}
				if err := r.TensorInto(name, tensor.New(x.Len()+1)); err == nil {
					t.Fatalf("entry %q: TensorInto accepts a wrong shape", name)
				}
			}
			if _, err := r.Int(name); err == nil {
				if v, err := r.Ints(name, 1); err != nil || len(v) != 1 {
					t.Fatalf("Int accepts %q, Ints(1) gives %v, %v", name, v, err)
				}
			}
			if v, err := r.Ints(name, -1); err == nil && 8*len(v) > len(data) {
				t.Fatalf("entry %q: %d int64 values from %d bytes", name, len(v), len(data))
			}
			if v, err := r.Floats(name); err == nil && 8*len(v) > len(data) {
				t.Fatalf("entry %q: %d float64 values from %d bytes", name, len(v), len(data))
			}
			r.Float(name)
			if b, err := r.Bytes(name); err == nil && len(b) > len(data) {
				t.Fatalf("entry %q: %d bytes from %d", name, len(b), len(data))
			}
		}
		if _, err := r.Int("\x00 no such entry"); err == nil {
			t.Fatal("a missing entry was found")
		}
		r.Meta("format")
	})
}

// bitsOf compares float32 values bit for bit (NaN payloads included).
func bitsOf(v []float32) []uint32 {
	out := make([]uint32, len(v))
	for i, x := range v {
		out[i] = math.Float32bits(x)
	}
	return out
}
