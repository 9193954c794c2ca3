// Package ckpt builds and reads checkpoints: one safetensors file holding
// named float32 tensors (parameters, buffers, optimiser moments), int64
// counters (steps), opaque byte strings (RNG and loader states) and string
// metadata. Files are written atomically, so an interrupted save never
// damages the previous checkpoint, and read with every field validated.
package ckpt

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/autogan-go/autogan/internal/atomicfile"
	"github.com/autogan-go/autogan/internal/safetensors"
	"github.com/autogan-go/autogan/tensor"
)

// Writer collects the content of a checkpoint.
type Writer struct {
	tensors []safetensors.Tensor
	names   map[string]bool
	meta    map[string]string
}

// NewWriter returns an empty checkpoint.
func NewWriter() *Writer { return &Writer{names: map[string]bool{}, meta: map[string]string{}} }

func (w *Writer) add(t safetensors.Tensor) {
	if w.names[t.Name] {
		panic(fmt.Sprintf("ckpt: name %q written twice", t.Name))
	}
	w.names[t.Name] = true
	w.tensors = append(w.tensors, t)
}

// Tensor stores a float32 tensor (copied).
func (w *Writer) Tensor(name string, t *tensor.Tensor) {
	w.add(safetensors.F32(name, t.Data(), t.Shape()...))
}

// Int stores an int64 value.
func (w *Writer) Int(name string, v int64) { w.add(safetensors.I64(name, []int64{v})) }

// Float stores a float64 value exactly.
func (w *Writer) Float(name string, v float64) {
	b := make([]byte, 8)
	binary.LittleEndian.PutUint64(b, math.Float64bits(v))
	w.add(safetensors.Tensor{Name: name, DType: "F64", Shape: []int{}, Data: b})
}

// Floats stores a float64 slice exactly.
func (w *Writer) Floats(name string, vs []float64) {
	b := make([]byte, 8*len(vs))
	for i, v := range vs {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(v))
	}
	w.add(safetensors.Tensor{Name: name, DType: "F64", Shape: []int{len(vs)}, Data: b})
}

// Bytes stores an opaque byte string.
func (w *Writer) Bytes(name string, b []byte) { w.add(safetensors.U8(name, b)) }

// Ints stores an int64 slice.
func (w *Writer) Ints(name string, vs []int64) { w.add(safetensors.I64(name, vs, len(vs))) }

// Meta stores a metadata string.
func (w *Writer) Meta(key, value string) { w.meta[key] = value }

// Save writes the checkpoint atomically. Tensors are laid out sorted by
// name, so the same content always gives the same bytes.
func (w *Writer) Save(path string) error {
	return atomicfile.Write(path, w.Encode)
}

// Encode writes the checkpoint's bytes to out (what Save writes).
func (w *Writer) Encode(out io.Writer) error {
	ts := slices.Clone(w.tensors)
	sort.Slice(ts, func(i, j int) bool { return ts[i].Name < ts[j].Name })
	return safetensors.Encode(out, ts, w.meta)
}

// Reader gives typed access to a checkpoint's entries. Every accessor
// returns an error that names the entry and the file.
type Reader struct {
	path string
	f    *safetensors.File
	byN  map[string]safetensors.Tensor
}

// Open reads and validates a checkpoint file.
func Open(path string) (*Reader, error) {
	f, err := safetensors.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return newReader(path, f), nil
}

// FromBytes reads a checkpoint held in memory (such as embedded weights);
// name is used in error messages.
func FromBytes(name string, data []byte) (*Reader, error) {
	f, err := safetensors.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return newReader(name, f), nil
}

func newReader(path string, f *safetensors.File) *Reader {
	r := &Reader{path: path, f: f, byN: make(map[string]safetensors.Tensor, len(f.Tensors))}
	for _, t := range f.Tensors {
		r.byN[t.Name] = t
	}
	return r
}

// Path returns the file the reader was opened from.
func (r *Reader) Path() string { return r.path }

// Has reports whether an entry exists.
func (r *Reader) Has(name string) bool { _, ok := r.byN[name]; return ok }

// Numel returns the number of values held by the entries whose names begin
// with prefix, so that a caller can check that sizes read from metadata
// are backed by the file before allocating anything they size.
func (r *Reader) Numel(prefix string) int64 {
	var n int64
	for _, t := range r.f.Tensors {
		if strings.HasPrefix(t.Name, prefix) {
			n += int64(t.Numel())
		}
	}
	return n
}

// Meta returns a metadata value ("" when absent).
func (r *Reader) Meta(key string) string { return r.f.Metadata[key] }

// Names returns every entry name, sorted.
func (r *Reader) Names() []string { return r.f.Names() }

func (r *Reader) get(name, dtype string) (safetensors.Tensor, error) {
	t, ok := r.byN[name]
	if !ok {
		return t, fmt.Errorf("%s: checkpoint has no entry %q", r.path, name)
	}
	if t.DType != dtype {
		return t, fmt.Errorf("%s: entry %q has dtype %s, want %s", r.path, name, t.DType, dtype)
	}
	return t, nil
}

// TensorInto copies a float32 entry into dst, whose shape must match.
func (r *Reader) TensorInto(name string, dst *tensor.Tensor) error {
	t, err := r.get(name, "F32")
	if err != nil {
		return err
	}
	if !slices.Equal(t.Shape, dst.Shape()) {
		return fmt.Errorf("%s: entry %q has shape %v, want %v", r.path, name, t.Shape, dst.Shape())
	}
	vals, _ := t.Float32()
	copy(dst.Data(), vals)
	return nil
}

// Tensor returns a float32 entry as a new tensor.
func (r *Reader) Tensor(name string) (*tensor.Tensor, error) {
	t, err := r.get(name, "F32")
	if err != nil {
		return nil, err
	}
	vals, _ := t.Float32()
	return tensor.FromSlice(vals, t.Shape...), nil
}

// Int returns an int64 entry.
func (r *Reader) Int(name string) (int64, error) {
	t, err := r.get(name, "I64")
	if err != nil {
		return 0, err
	}
	if t.Numel() != 1 {
		return 0, fmt.Errorf("%s: entry %q has shape %v, want a single value", r.path, name, t.Shape)
	}
	v, _ := t.Int64()
	return v[0], nil
}

// Float returns a float64 entry.
func (r *Reader) Float(name string) (float64, error) {
	vs, err := r.Floats(name)
	if err != nil {
		return 0, err
	}
	if len(vs) != 1 {
		return 0, fmt.Errorf("%s: entry %q has %d values, want one", r.path, name, len(vs))
	}
	return vs[0], nil
}

// Floats returns a float64 entry as a slice.
func (r *Reader) Floats(name string) ([]float64, error) {
	t, err := r.get(name, "F64")
	if err != nil {
		return nil, err
	}
	return t.Float64()
}

// Ints returns an int64 entry as a slice; n (if non-negative) is the
// length it must have.
func (r *Reader) Ints(name string, n int) ([]int64, error) {
	t, err := r.get(name, "I64")
	if err != nil {
		return nil, err
	}
	if n >= 0 && t.Numel() != n {
		return nil, fmt.Errorf("%s: entry %q has %d values, want %d", r.path, name, t.Numel(), n)
	}
	return t.Int64()
}

// Bytes returns a byte-string entry.
func (r *Reader) Bytes(name string) ([]byte, error) {
	t, err := r.get(name, "U8")
	if err != nil {
		return nil, err
	}
	return append([]byte(nil), t.Data...), nil
}
