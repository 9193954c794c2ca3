// Package safetensors reads and writes the safetensors format, which the
// project uses for checkpoints, weights and test fixtures so that other
// tools (the Python safetensors library, Hugging Face) can read them:
//
//	8 bytes   little-endian uint64 N, the length of the header
//	N bytes   a JSON object: for every tensor {"dtype", "shape",
//	          "data_offsets": [begin, end]}, plus an optional
//	          "__metadata__" object of string values; padded with spaces
//	rest      the tensors' little-endian bytes, offsets relative to here
//
// Decode validates every field before allocating anything sized by the
// file: header length, JSON syntax, duplicate names, dtypes, shapes,
// offsets (in range, matching the shape, covering the data exactly once),
// so a truncated or malicious file gives an error, never a panic or a huge
// allocation.
package safetensors

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"os"
	"slices"
	"sort"

	"github.com/autogan-go/autogan/internal/atomicfile"
	"github.com/autogan-go/autogan/internal/float16"
)

// MaxHeader is the largest header accepted (the reference implementation
// uses the same 100 MB bound).
const MaxHeader = 100 << 20

// dtypeSizes lists the supported element types and their sizes in bytes.
var dtypeSizes = map[string]int{
	"F64": 8, "F32": 4, "F16": 2, "BF16": 2,
	"I64": 8, "I32": 4, "I16": 2, "I8": 1,
	"U64": 8, "U32": 4, "U16": 2, "U8": 1, "BOOL": 1,
}

// Tensor is one named array with its raw little-endian bytes.
type Tensor struct {
	Name  string
	DType string
	Shape []int
	Data  []byte
}

// File is the decoded content of a safetensors file.
type File struct {
	Tensors  []Tensor // in the order of their data
	Metadata map[string]string
}

// Get returns the tensor with the given name.
func (f *File) Get(name string) (Tensor, bool) {
	for _, t := range f.Tensors {
		if t.Name == name {
			return t, true
		}
	}
	return Tensor{}, false
}

// F32 makes a float32 tensor.
func F32(name string, data []float32, shape ...int) Tensor {
	b := make([]byte, 4*len(data))
	for i, v := range data {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
	}
	return Tensor{Name: name, DType: "F32", Shape: append([]int(nil), shape...), Data: b}
}

// I64 makes an int64 tensor.
func I64(name string, data []int64, shape ...int) Tensor {
	b := make([]byte, 8*len(data))
	for i, v := range data {
		binary.LittleEndian.PutUint64(b[8*i:], uint64(v))
	}
	return Tensor{Name: name, DType: "I64", Shape: append([]int(nil), shape...), Data: b}
}

// U8 makes a byte tensor (for opaque states such as an RNG's).
func U8(name string, data []byte) Tensor {
	return Tensor{Name: name, DType: "U8", Shape: []int{len(data)}, Data: append([]byte(nil), data...)}
}

// Numel returns the number of elements.
func (t Tensor) Numel() int {
	n := 1
	for _, d := range t.Shape {
		n *= d
	}
	return n
}

// Float32 returns the values of an F32, F64, F16 or BF16 tensor as float32.
func (t Tensor) Float32() ([]float32, error) {
	n := t.Numel()
	out := make([]float32, n)
	switch t.DType {
	case "F32":
		for i := range out {
			out[i] = math.Float32frombits(binary.LittleEndian.Uint32(t.Data[4*i:]))
		}
	case "F64":
		for i := range out {
			out[i] = float32(math.Float64frombits(binary.LittleEndian.Uint64(t.Data[8*i:])))
		}
	case "BF16":
		for i := range out {
			out[i] = float16.BFloat(binary.LittleEndian.Uint16(t.Data[2*i:]))
		}
	case "F16":
		for i := range out {
			out[i] = float16.Half(binary.LittleEndian.Uint16(t.Data[2*i:]))
		}
	default:
		return nil, fmt.Errorf("tensor %s has dtype %s, not a float type", t.Name, t.DType)
	}
	return out, nil
}

// Float64 returns the values of an F64 tensor exactly, or of another float
// tensor widened from float32.
func (t Tensor) Float64() ([]float64, error) {
	if t.DType == "F64" {
		out := make([]float64, t.Numel())
		for i := range out {
			out[i] = math.Float64frombits(binary.LittleEndian.Uint64(t.Data[8*i:]))
		}
		return out, nil
	}
	v, err := t.Float32()
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out, nil
}

// Int64 returns the values of an integer tensor as int64.
func (t Tensor) Int64() ([]int64, error) {
	n := t.Numel()
	out := make([]int64, n)
	switch t.DType {
	case "I64", "U64":
		for i := range out {
			out[i] = int64(binary.LittleEndian.Uint64(t.Data[8*i:]))
		}
	case "I32":
		for i := range out {
			out[i] = int64(int32(binary.LittleEndian.Uint32(t.Data[4*i:])))
		}
	case "U8", "BOOL":
		for i := range out {
			out[i] = int64(t.Data[i])
		}
	default:
		return nil, fmt.Errorf("tensor %s has dtype %s, not an integer type", t.Name, t.DType)
	}
	return out, nil
}

type headerEntry struct {
	DType       string   `json:"dtype"`
	Shape       []int    `json:"shape"`
	DataOffsets [2]int64 `json:"data_offsets"`
}

// Encode writes tensors (data in the given order) and metadata.
func Encode(w io.Writer, tensors []Tensor, metadata map[string]string) error {
	header := make(map[string]any, len(tensors)+1)
	var off int64
	for _, t := range tensors {
		size, ok := dtypeSizes[t.DType]
		if !ok {
			return fmt.Errorf("safetensors: tensor %s has unknown dtype %q", t.Name, t.DType)
		}
		if t.Name == "__metadata__" || t.Name == "" {
			return fmt.Errorf("safetensors: invalid tensor name %q", t.Name)
		}
		if _, dup := header[t.Name]; dup {
			return fmt.Errorf("safetensors: duplicate tensor name %q", t.Name)
		}
		if len(t.Data) != t.Numel()*size {
			return fmt.Errorf("safetensors: tensor %s has %d bytes for shape %v of %s", t.Name, len(t.Data), t.Shape, t.DType)
		}
		shape := t.Shape
		if shape == nil {
			shape = []int{}
		}
		header[t.Name] = headerEntry{t.DType, shape, [2]int64{off, off + int64(len(t.Data))}}
		off += int64(len(t.Data))
	}
	if len(metadata) > 0 {
		header["__metadata__"] = metadata
	}
	hj, err := json.Marshal(header) // map keys are sorted: deterministic bytes
	if err != nil {
		return err
	}
	for len(hj)%8 != 0 {
		hj = append(hj, ' ')
	}
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(hj)))
	if _, err := w.Write(n[:]); err != nil {
		return err
	}
	if _, err := w.Write(hj); err != nil {
		return err
	}
	for _, t := range tensors {
		if _, err := w.Write(t.Data); err != nil {
			return err
		}
	}
	return nil
}

// WriteFile writes a safetensors file atomically.
func WriteFile(path string, tensors []Tensor, metadata map[string]string) error {
	return atomicfile.Write(path, func(w io.Writer) error { return Encode(w, tensors, metadata) })
}

// ReadFile reads and validates a safetensors file.
func ReadFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// ErrFormat is wrapped by every validation error.
var ErrFormat = errors.New("not a valid safetensors file")

func formatErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrFormat, fmt.Sprintf(format, args...))
}

// Decode parses a whole file held in memory. The tensors' Data slices
// alias data.
func Decode(data []byte) (*File, error) {
	if len(data) < 8 {
		return nil, formatErr("%d bytes is too short for the header length", len(data))
	}
	hlen := binary.LittleEndian.Uint64(data)
	if hlen > MaxHeader || hlen > uint64(len(data)-8) {
		return nil, formatErr("header length %d exceeds the file (%d bytes) or the %d-byte limit", hlen, len(data), MaxHeader)
	}
	hdr := data[8 : 8+hlen]
	body := data[8+hlen:]
	entries, meta, err := parseHeader(hdr)
	if err != nil {
		return nil, err
	}
	f := &File{Metadata: meta}
	for name, e := range entries {
		size, ok := dtypeSizes[e.DType]
		if !ok {
			return nil, formatErr("tensor %s has unknown dtype %q", name, e.DType)
		}
		numel := uint64(1)
		for _, d := range e.Shape {
			if d < 0 {
				return nil, formatErr("tensor %s has negative dimension in shape %v", name, e.Shape)
			}
			hi, lo := bits.Mul64(numel, uint64(d))
			if hi != 0 {
				return nil, formatErr("tensor %s shape %v overflows", name, e.Shape)
			}
			numel = lo
		}
		hi, nbytes := bits.Mul64(numel, uint64(size))
		b, end := e.DataOffsets[0], e.DataOffsets[1]
		if hi != 0 || b < 0 || end < b || uint64(end) > uint64(len(body)) || uint64(end-b) != nbytes {
			return nil, formatErr("tensor %s: offsets %v do not hold shape %v of %s in %d data bytes", name, e.DataOffsets, e.Shape, e.DType, len(body))
		}
		f.Tensors = append(f.Tensors, Tensor{Name: name, DType: e.DType, Shape: e.Shape, Data: body[b:end:end]})
	}
	// Sort by offset (then name, for empty tensors) and require the buffers
	// to tile the data section exactly.
	sort.Slice(f.Tensors, func(i, j int) bool {
		oi, oj := entries[f.Tensors[i].Name].DataOffsets, entries[f.Tensors[j].Name].DataOffsets
		if oi[0] != oj[0] {
			return oi[0] < oj[0]
		}
		if oi[1] != oj[1] {
			return oi[1] < oj[1]
		}
		return f.Tensors[i].Name < f.Tensors[j].Name
	})
	var pos int64
	for _, t := range f.Tensors {
		o := entries[t.Name].DataOffsets
		if o[0] != pos {
			return nil, formatErr("tensor %s starts at %d, expected %d (gap or overlap)", t.Name, o[0], pos)
		}
		pos = o[1]
	}
	if pos != int64(len(body)) {
		return nil, formatErr("data section has %d bytes, tensors cover %d", len(body), pos)
	}
	return f, nil
}

// parseHeader reads the JSON header, rejecting duplicate keys.
func parseHeader(hdr []byte) (map[string]headerEntry, map[string]string, error) {
	dec := json.NewDecoder(bytes.NewReader(hdr))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil, nil, formatErr("header is not a JSON object")
	}
	entries := map[string]headerEntry{}
	var meta map[string]string
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, formatErr("header JSON: %v", err)
		}
		name, ok := tok.(string)
		if !ok {
			return nil, nil, formatErr("header key is not a string")
		}
		if seen[name] {
			return nil, nil, formatErr("duplicate header key %q", name)
		}
		seen[name] = true
		if name == "__metadata__" {
			if err := dec.Decode(&meta); err != nil {
				return nil, nil, formatErr("__metadata__ must map strings to strings: %v", err)
			}
			continue
		}
		var e headerEntry
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, nil, formatErr("header entry %q: %v", name, err)
		}
		strict := json.NewDecoder(bytes.NewReader(raw))
		strict.DisallowUnknownFields()
		if err := strict.Decode(&e); err != nil || e.Shape == nil && !bytes.Contains(raw, []byte(`"shape"`)) {
			return nil, nil, formatErr("header entry %q is not {dtype, shape, data_offsets}", name)
		}
		entries[name] = e
	}
	if _, err := dec.Token(); err != nil {
		return nil, nil, formatErr("header JSON: %v", err)
	}
	// Only padding may follow the object.
	rest, _ := io.ReadAll(dec.Buffered())
	if len(bytes.TrimRight(rest, " ")) != 0 {
		return nil, nil, formatErr("unexpected bytes after the header object")
	}
	return entries, meta, nil
}

// Names returns the tensor names in sorted order.
func (f *File) Names() []string {
	names := make([]string, len(f.Tensors))
	for i, t := range f.Tensors {
		names[i] = t.Name
	}
	slices.Sort(names)
	return names
}
