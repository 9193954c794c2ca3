// Package torchfile reads files written by torch.save: the zip format
// (PyTorch ≥ 1.6) and the legacy format (≤ 1.5), which is what the
// pytorch-fid Inception weights and the released AutoGAN checkpoints use.
// The format is chosen from the file's first bytes.
//
// A file decodes to pickle values (package internal/pickle) in which every
// torch tensor is a *Tensor. Nothing is executed: the only calls resolved
// are the tensor-rebuilding functions of torch._utils.
//
// Zip format: a zip archive of stored records under one top folder:
// <top>/data.pkl (the pickled object), <top>/data/<key> (raw storages,
// little-endian) and a few small records that are ignored. Persistent ids
// are ('storage', storage type, key, location, numel).
//
// Legacy format: five pickles in a row — the magic number
// 0x1950a86a20f9469cfc6c, the protocol version 1001, the system info, the
// object (persistent ids are 6-tuples with a view-metadata field) and the
// sorted list of storage keys — followed by every storage as an int64
// element count and the raw bytes.
//
// All sizes are checked against the file before anything is allocated.
package torchfile

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/autogan-go/autogan/internal/float16"
	"github.com/autogan-go/autogan/internal/pickle"
)

// Tensor is a tensor rebuilt from a checkpoint, converted to a contiguous
// row-major array.
type Tensor struct {
	DType string // "float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool"
	Shape []int
	F32   []float32 // values of floating-point tensors
	I64   []int64   // values of integer and bool tensors
}

// Numel is the number of elements.
func (t *Tensor) Numel() int {
	n := 1
	for _, d := range t.Shape {
		n *= d
	}
	return n
}

// storageTypes maps torch storage classes to dtypes and element sizes.
var storageTypes = map[string]struct {
	dtype string
	size  int
}{
	"FloatStorage": {"float32", 4}, "DoubleStorage": {"float64", 8}, "HalfStorage": {"float16", 2},
	"BFloat16Storage": {"bfloat16", 2}, "LongStorage": {"int64", 8}, "IntStorage": {"int32", 4},
	"ShortStorage": {"int16", 2}, "CharStorage": {"int8", 1}, "ByteStorage": {"uint8", 1}, "BoolStorage": {"bool", 1},
}

// storage is a typed, loaded (or, in the legacy format, not yet loaded)
// block of elements.
type storage struct {
	dtype string
	size  int // bytes per element
	numel int
	data  []byte
}

// ErrFormat is wrapped by every format error.
var ErrFormat = errors.New("not a valid PyTorch file")

func formatErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrFormat, fmt.Sprintf(format, args...))
}

// legacyMagic is the pickled magic number of the legacy format.
var legacyMagic = []byte{0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e}

// IsTorchFile reports whether data starts like a torch.save file.
func IsTorchFile(data []byte) bool {
	return bytes.HasPrefix(data, []byte("PK\x03\x04")) || bytes.HasPrefix(data, legacyMagic)
}

// ReadFile reads and decodes a torch.save file.
func ReadFile(path string) (pickle.Value, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	v, err := Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}

// Decode decodes a torch.save file held in memory.
func Decode(data []byte) (pickle.Value, error) {
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return decodeZip(data)
	case bytes.HasPrefix(data, legacyMagic):
		return decodeLegacy(data)
	}
	return nil, formatErr("neither the zip format (PK) nor the legacy format (pickled magic number)")
}

func decodeZip(data []byte) (pickle.Value, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, formatErr("zip: %v", err)
	}
	var pkl *zip.File
	records := map[string]*zip.File{}
	for _, f := range zr.File {
		name := f.Name
		if i := strings.IndexByte(name, '/'); i >= 0 {
			name = name[i+1:] // drop the top folder
		}
		if name == "data.pkl" {
			pkl = f
		}
		records[name] = f
	}
	if pkl == nil {
		return nil, formatErr("zip has no data.pkl")
	}
	// Records are read by claimed size, and the claims of all the records
	// read are bounded together, or deflated records could each expand a
	// thousandfold up to the limit. The limit is 16 GiB, and also 8× the
	// file's size plus 1 MiB: torch.save stores records uncompressed and
	// weights deflate less than 2:1, while deflate's ratio of about 1000:1
	// would let a 16 MB file make us read 16 GiB.
	maxClaims := min(1<<34, 8*uint64(len(data))+1<<20)
	var claimed uint64
	read := func(f *zip.File) ([]byte, error) {
		// Compared with the room left, so that a claim near 2^64 cannot wrap
		// the sum.
		if f.UncompressedSize64 > maxClaims-claimed {
			return nil, formatErr("records claim more than %d bytes in all, the limit for a file of %d bytes (16 GiB, and 8× its size plus 1 MiB; %s claims %d)", maxClaims, len(data), f.Name, f.UncompressedSize64)
		}
		claimed += f.UncompressedSize64
		rc, err := f.Open()
		if err != nil {
			return nil, formatErr("record %s: %v", f.Name, err)
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, int64(f.UncompressedSize64)+1))
		if err != nil || uint64(len(b)) != f.UncompressedSize64 {
			return nil, formatErr("record %s is damaged: %v", f.Name, err)
		}
		return b, nil
	}
	pb, err := read(pkl)
	if err != nil {
		return nil, err
	}
	loaded := map[string]*storage{}
	persistent := func(pid pickle.Value) (pickle.Value, error) {
		t, ok := pid.(pickle.Tuple)
		if !ok || len(t) < 5 || t[0] != "storage" {
			return nil, fmt.Errorf("persistent id %v is not a storage", pid)
		}
		st, err := newStorage(t[1], t[4])
		if err != nil {
			return nil, err
		}
		key, ok := t[2].(string)
		if !ok {
			return nil, fmt.Errorf("storage key %T", t[2])
		}
		if s, ok := loaded[key]; ok {
			return s, nil
		}
		rec, ok := records["data/"+key]
		if !ok {
			return nil, fmt.Errorf("no record data/%s for storage %s", key, key)
		}
		if rec.UncompressedSize64 < uint64(st.numel*st.size) {
			return nil, fmt.Errorf("record data/%s has %d bytes for %d elements of %s", key, rec.UncompressedSize64, st.numel, st.dtype)
		}
		b, err := read(rec)
		if err != nil {
			return nil, err
		}
		st.data = b[:st.numel*st.size]
		loaded[key] = st
		return st, nil
	}
	budget := newElementBudget(len(data))
	reduce := func(g pickle.Global, args pickle.Tuple) (pickle.Value, bool, error) {
		return rebuildWith(g, args, false, budget)
	}
	v, _, err := pickle.Decode(pb, pickle.Hooks{Persistent: persistent, Reduce: reduce})
	return v, err
}

func decodeLegacy(data []byte) (pickle.Value, error) {
	pos := 0
	next := func(h pickle.Hooks) (pickle.Value, error) {
		v, n, err := pickle.Decode(data[pos:], h)
		pos += n
		return v, err
	}
	for i, what := range []string{"magic number", "protocol version", "system info"} {
		v, err := next(pickle.Hooks{})
		if err != nil {
			return nil, fmt.Errorf("legacy header (%s): %w", what, err)
		}
		if i == 1 && v != int64(1001) {
			return nil, formatErr("legacy protocol version %v, want 1001", v)
		}
		if i == 2 {
			if d, ok := v.(*pickle.Dict); ok {
				if le, ok := d.Get("little_endian"); ok && le != true {
					return nil, formatErr("file was written big-endian")
				}
			}
		}
	}
	pending := map[string]*storage{}
	persistent := func(pid pickle.Value) (pickle.Value, error) {
		t, ok := pid.(pickle.Tuple)
		if !ok || len(t) < 5 || t[0] != "storage" {
			return nil, fmt.Errorf("persistent id %v is not a storage", pid)
		}
		if len(t) >= 6 && t[5] != nil {
			return nil, fmt.Errorf("storage views (view_metadata %v) are not supported", t[5])
		}
		key, ok := t[2].(string)
		if !ok {
			return nil, fmt.Errorf("storage key %T", t[2])
		}
		if s, ok := pending[key]; ok {
			return s, nil
		}
		st, err := newStorage(t[1], t[4])
		if err != nil {
			return nil, err
		}
		pending[key] = st
		return st, nil
	}
	// Tensors are rebuilt after the storages are read, so the object is
	// decoded with placeholders first.
	var tensors []*lazyTensor
	budget := newElementBudget(len(data))
	lazyRebuild := func(g pickle.Global, args pickle.Tuple) (pickle.Value, bool, error) {
		v, handled, err := rebuildWith(g, args, true, budget)
		if lt, ok := v.(*lazyTensor); ok {
			tensors = append(tensors, lt)
			return lt.out, handled, err // filled in once the storages are read
		}
		return v, handled, err
	}
	obj, err := next(pickle.Hooks{Persistent: persistent, Reduce: lazyRebuild})
	if err != nil {
		return nil, err
	}
	keys, err := next(pickle.Hooks{})
	if err != nil {
		return nil, fmt.Errorf("legacy storage key list: %w", err)
	}
	kl, ok := keys.(*pickle.List)
	if !ok {
		return nil, formatErr("storage key list is %T", keys)
	}
	for _, k := range kl.Items {
		key, ok := k.(string)
		if !ok {
			return nil, formatErr("storage key %T", k)
		}
		if len(data)-pos < 8 {
			return nil, formatErr("storage %s: truncated before its size", key)
		}
		numel := binary.LittleEndian.Uint64(data[pos:])
		pos += 8
		st, ok := pending[key]
		if !ok {
			return nil, formatErr("storage %s is not used by the object", key)
		}
		if numel != uint64(st.numel) || numel > uint64(len(data)-pos)/uint64(st.size) {
			return nil, formatErr("storage %s: %d elements in the file, %d expected, %d bytes left", key, numel, st.numel, len(data)-pos)
		}
		st.data = data[pos : pos+st.numel*st.size]
		pos += st.numel * st.size
	}
	for key, st := range pending {
		if st.data == nil && st.numel > 0 {
			return nil, formatErr("storage %s was never written", key)
		}
	}
	for _, lt := range tensors {
		t, err := materialize(lt.st, lt.offset, lt.shape, lt.stride)
		if err != nil {
			return nil, formatErr("%v", err)
		}
		*lt.out = *t
	}
	return obj, nil
}

func newStorage(typ, numel pickle.Value) (*storage, error) {
	g, ok := typ.(pickle.Global)
	if !ok || g.Module != "torch" {
		return nil, fmt.Errorf("storage type %v", typ)
	}
	st, ok := storageTypes[g.Name]
	if !ok {
		return nil, fmt.Errorf("unsupported storage type torch.%s", g.Name)
	}
	n, ok := numel.(int64)
	if !ok || n < 0 || n > 1<<40 {
		return nil, fmt.Errorf("storage size %v", numel)
	}
	return &storage{dtype: st.dtype, size: st.size, numel: int(n)}, nil
}

// lazyTensor is a tensor of the legacy format whose storage is read after
// the object; out is filled in then.
type lazyTensor struct {
	st            *storage
	offset        int
	shape, stride []int
	out           *Tensor
}

// elementBudget bounds the elements of the tensors materialized from one
// file. Tensors are views of storages, and views may overlap (stride 0, as
// torch.expand makes) or share a storage, so without a bound a few bytes
// could describe tensors of terabytes. Twice the file's size in elements
// (plus a little for tiny files) is far more than real checkpoints need:
// their tensors hold each storage element about once.
type elementBudget struct{ left int }

func newElementBudget(fileSize int) *elementBudget {
	return &elementBudget{left: 2*fileSize + 1<<20}
}

// take reserves the elements of a tensor of the given shape.
func (b *elementBudget) take(shape []int) error {
	n := 1
	for _, d := range shape {
		if d == 0 {
			return nil // an empty view; the dimensions after it may be huge
		}
		n *= d // checkView has bounded the product of nonzero dimensions by 2^40
	}
	if n > b.left {
		return fmt.Errorf("tensor of shape %v: the file's tensors would hold more elements than its storages can back (views overlapping or repeated)", shape)
	}
	b.left -= n
	return nil
}

// maxRebuildNesting bounds how many _rebuild_from_type_v2 calls may wrap
// one another. torch.save nests one (around _rebuild_tensor_v2); each level
// is a recursive call, and a file of deeply nested tuples could otherwise
// exhaust the stack.
const maxRebuildNesting = 4

// rebuildWith resolves torch._utils._rebuild_tensor_v2 and friends; lazy
// (the legacy format) defers reading the data until the storages are read.
func rebuildWith(g pickle.Global, args pickle.Tuple, lazy bool, budget *elementBudget) (pickle.Value, bool, error) {
	return rebuildNested(g, args, lazy, budget, 0)
}

// rebuildNested is rebuildWith inside nest _rebuild_from_type_v2 calls.
func rebuildNested(g pickle.Global, args pickle.Tuple, lazy bool, budget *elementBudget, nest int) (pickle.Value, bool, error) {
	switch {
	case g.Module == "torch._utils" && (g.Name == "_rebuild_tensor_v2" || g.Name == "_rebuild_tensor"):
		if len(args) < 4 {
			return nil, true, fmt.Errorf("%d arguments", len(args))
		}
		st, ok := args[0].(*storage)
		if !ok {
			return nil, true, fmt.Errorf("storage argument %T", args[0])
		}
		off, ok := args[1].(int64)
		if !ok {
			return nil, true, fmt.Errorf("storage offset %T", args[1])
		}
		shape, err := ints(args[2])
		if err != nil {
			return nil, true, err
		}
		stride, err := ints(args[3])
		if err != nil {
			return nil, true, err
		}
		if len(shape) != len(stride) {
			return nil, true, fmt.Errorf("shape %v with stride %v", shape, stride)
		}
		if err := checkView(st, int(off), shape, stride); err != nil {
			return nil, true, err
		}
		if err := budget.take(shape); err != nil {
			return nil, true, err
		}
		if lazy {
			out := &Tensor{}
			return &lazyTensor{st: st, offset: int(off), shape: shape, stride: stride, out: out}, true, nil
		}
		t, err := materialize(st, int(off), shape, stride)
		return t, true, err
	case g.Module == "torch._utils" && g.Name == "_rebuild_parameter":
		if len(args) < 1 {
			return nil, true, errors.New("no data")
		}
		return args[0], true, nil
	case g.Module == "torch._tensor" && g.Name == "_rebuild_from_type_v2":
		// (func, type, args, state): rebuild with func(*args), ignore type.
		if len(args) < 3 {
			return nil, true, fmt.Errorf("%d arguments", len(args))
		}
		if nest >= maxRebuildNesting {
			return nil, true, fmt.Errorf("_rebuild_from_type_v2 nested more than %d deep", maxRebuildNesting)
		}
		f, ok1 := args[0].(pickle.Global)
		a, ok2 := args[2].(pickle.Tuple)
		if !ok1 || !ok2 {
			return nil, true, errors.New("malformed arguments")
		}
		return rebuildNested(f, a, lazy, budget, nest+1)
	}
	return nil, false, nil
}

func ints(v pickle.Value) ([]int, error) {
	t, ok := v.(pickle.Tuple)
	if !ok {
		return nil, fmt.Errorf("size %T", v)
	}
	out := make([]int, len(t))
	for i, x := range t {
		n, ok := x.(int64)
		if !ok || n < 0 || n > 1<<40 {
			return nil, fmt.Errorf("size element %v", x)
		}
		out[i] = int(n)
	}
	return out, nil
}

// maxViewElements bounds the elements of one view, as newStorage bounds
// those of a storage.
const maxViewElements = 1 << 40

// checkView verifies that every element of the view lies in the storage.
// The offset, shape and stride come from the file, so no sum or product is
// formed before it is known not to overflow: a wrapped value would pass the
// bounds check and let materialize index outside the storage.
func checkView(st *storage, off int, shape, stride []int) error {
	if len(shape) != len(stride) {
		return fmt.Errorf("shape %v with stride %v", shape, stride)
	}
	if off < 0 {
		return fmt.Errorf("negative storage offset %d", off)
	}
	empty := false
	for i, d := range shape {
		if d < 0 || stride[i] < 0 {
			return fmt.Errorf("view of shape %v, stride %v: negative size or stride", shape, stride)
		}
		empty = empty || d == 0
	}
	if empty {
		return nil // no element is read, so the offset may lie past the storage (x[n:] saves offset n)
	}
	n := 1
	for _, d := range shape {
		if n > maxViewElements/d {
			return fmt.Errorf("shape %v has more than %d elements", shape, maxViewElements)
		}
		n *= d
	}
	if off >= st.numel {
		return fmt.Errorf("storage offset %d exceeds a storage of %d elements", off, st.numel)
	}
	// The last element is at off + Σ(d_i−1)·stride_i; each term is checked
	// against the room left after the previous ones, so the sum stays below
	// st.numel (≤ 2^40) throughout.
	last := off
	for i, d := range shape {
		if d > 1 && stride[i] > (st.numel-1-last)/(d-1) {
			return fmt.Errorf("view of shape %v, stride %v, offset %d exceeds a storage of %d elements", shape, stride, off, st.numel)
		}
		last += (d - 1) * stride[i]
	}
	return nil
}

// materialize copies a strided view of a storage into a contiguous tensor.
func materialize(st *storage, off int, shape, stride []int) (*Tensor, error) {
	if err := checkView(st, off, shape, stride); err != nil {
		return nil, err
	}
	if st.data == nil && st.numel > 0 {
		return nil, errors.New("storage has no data")
	}
	t := &Tensor{DType: st.dtype, Shape: shape}
	n := t.Numel()
	float := strings.HasPrefix(st.dtype, "float") || st.dtype == "bfloat16"
	if float {
		t.F32 = make([]float32, n)
	} else {
		t.I64 = make([]int64, n)
	}
	idx := make([]int, len(shape))
	for k := 0; k < n; k++ {
		pos := off
		for i, x := range idx {
			pos += x * stride[i]
		}
		b := st.data[pos*st.size : (pos+1)*st.size]
		switch st.dtype {
		case "float32":
			t.F32[k] = math.Float32frombits(binary.LittleEndian.Uint32(b))
		case "float64":
			t.F32[k] = float32(math.Float64frombits(binary.LittleEndian.Uint64(b)))
		case "float16":
			t.F32[k] = float16.Half(binary.LittleEndian.Uint16(b))
		case "bfloat16":
			t.F32[k] = float16.BFloat(binary.LittleEndian.Uint16(b))
		case "int64":
			t.I64[k] = int64(binary.LittleEndian.Uint64(b))
		case "int32":
			t.I64[k] = int64(int32(binary.LittleEndian.Uint32(b)))
		case "int16":
			t.I64[k] = int64(int16(binary.LittleEndian.Uint16(b)))
		case "int8":
			t.I64[k] = int64(int8(b[0]))
		default: // uint8, bool
			t.I64[k] = int64(b[0])
		}
		for i := len(idx) - 1; i >= 0; i-- { // next row-major index
			if idx[i]++; idx[i] < shape[i] {
				break
			}
			idx[i] = 0
		}
	}
	return t, nil
}

// maxNameBytes bounds the dotted names StateDict builds (real state dicts
// need kilobytes): the names of nested dicts grow with their depth, so a
// small file of deep or long keys could otherwise need gigabytes.
const maxNameBytes = 16 << 20

// StateDict collects the tensors of a (possibly nested) dict by dotted
// name, in order. Non-tensor values are skipped; num_batches_tracked
// counters are included (as int64 tensors).
func StateDict(v pickle.Value) (names []string, tensors map[string]*Tensor, err error) {
	d, ok := v.(*pickle.Dict)
	if !ok {
		return nil, nil, fmt.Errorf("object is %T, not a dict of tensors", v)
	}
	tensors = map[string]*Tensor{}
	// A pickle can make a dict hold itself, or one dict appear under many
	// keys at many levels (its memo shares objects): each dict is walked
	// once, and the names built are bounded.
	seen := map[*pickle.Dict]bool{}
	budget := maxNameBytes
	var walk func(prefix string, d *pickle.Dict) error
	walk = func(prefix string, d *pickle.Dict) error {
		if seen[d] {
			return formatErr("the dict at %q appears twice in the object (shared or self-referential)", strings.TrimSuffix(prefix, "."))
		}
		seen[d] = true
		for i, k := range d.Keys {
			name, ok := k.(string)
			if !ok {
				continue
			}
			switch x := d.Values[i].(type) {
			case *Tensor:
				if budget -= len(prefix) + len(name); budget < 0 {
					return formatErr("tensor names longer than %d bytes in total", maxNameBytes)
				}
				names = append(names, prefix+name)
				tensors[prefix+name] = x
			case *pickle.Dict:
				if budget -= len(prefix) + len(name) + 1; budget < 0 {
					return formatErr("tensor names longer than %d bytes in total", maxNameBytes)
				}
				if err := walk(prefix+name+".", x); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := walk("", d); err != nil {
		return nil, nil, err
	}
	return names, tensors, nil
}
