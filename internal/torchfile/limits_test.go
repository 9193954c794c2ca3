package torchfile

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/autogan-go/autogan/internal/pickle"
)

// legacyFile assembles a file of the legacy format holding obj (a pickle
// whose tensors use the float storage "0") and that storage's values.
func legacyFile(obj string, storage []float32) []byte {
	b := append([]byte(nil), legacyMagic...)
	b = append(b, "\x80\x02M\xe9\x03."...) // protocol version 1001
	b = append(b, "\x80\x02}."...)         // system info
	b = append(b, obj...)
	b = append(b, "\x80\x02]X\x01\x00\x00\x000a."...) // storage keys ["0"]
	b = binary.LittleEndian.AppendUint64(b, uint64(len(storage)))
	for _, v := range storage {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
	}
	return b
}

// tensorPickle is {"w": a tensor of the given pickled shape and stride
// tuples over the one-element float storage "0"}.
func tensorPickle(shape, stride string) string {
	return viewPickle(1, "K\x00", shape, stride, 0)
}

// viewPickle is {"w": a tensor of the given pickled offset, shape and
// stride over the float storage "0" of numel elements}, its
// _rebuild_tensor_v2 call wrapped in nest _rebuild_from_type_v2 calls.
func viewPickle(numel uint32, off, shape, stride string, nest int) string {
	f := "ctorch._utils\n_rebuild_tensor_v2\n"
	args := "((X\x07\x00\x00\x00storagectorch\nFloatStorage\nX\x01\x00\x00\x000X\x03\x00\x00\x00cpuJ" +
		string(binary.LittleEndian.AppendUint32(nil, numel)) + "NtQ" +
		off + shape + stride + "\x89}t"
	if nest > 0 { // (func, type, args, state), built without quadratic copying
		fromType := "ctorch._tensor\n_rebuild_from_type_v2\n"
		args = strings.Repeat("("+fromType+"N", nest-1) + "(" + f + "N" + args + strings.Repeat("}t", nest)
		f = fromType
	}
	return "\x80\x02}X\x01\x00\x00\x00w" + f + args + "Rs."
}

// TestRefusesUnbackedViews: a view may repeat storage elements (stride 0,
// as torch.expand saves), so shape and stride alone could describe a
// tensor of terabytes over a one-element storage (torch.save of
// torch.zeros(1).expand(2**20, 2**19) is 353 bytes). The elements
// materialized are bounded by the file's size; small expanded views still
// load.
func TestRefusesUnbackedViews(t *testing.T) {
	huge := legacyFile(tensorPickle("J\x00\x00\x10\x00J\x00\x00\x08\x00\x86", "K\x00K\x00\x86"), []float32{1})
	if _, err := Decode(huge); err == nil || !strings.Contains(err.Error(), "back") {
		t.Fatalf("2^39-element view of one element: %v", err)
	}
	small := legacyFile(tensorPickle("K\x03K\x02\x86", "K\x00K\x00\x86"), []float32{7})
	v, err := Decode(small)
	if err != nil {
		t.Fatal(err)
	}
	_, ts, err := StateDict(v)
	if err != nil || len(ts["w"].F32) != 6 || ts["w"].F32[5] != 7 {
		t.Fatalf("3×2 view of one element: %v %+v", err, ts["w"])
	}
}

// TestStateDictCycles: a pickle's memo lets a dict hold itself (d["a"] = d),
// which made StateDict recurse until memory ran out; shared and
// self-referential dicts are errors.
func TestStateDictCycles(t *testing.T) {
	for name, p := range map[string]string{
		"self":   "\x80\x02}q\x00X\x01\x00\x00\x00ah\x00s.",                     // d = {}; d["a"] = d
		"shared": "\x80\x02}(X\x01\x00\x00\x00a}q\x01X\x01\x00\x00\x00bh\x01u.", // e = {}; {"a": e, "b": e}
	} {
		v, _, err := pickle.Decode([]byte(p), pickle.Hooks{})
		if err != nil {
			t.Fatal(name, err)
		}
		if _, _, err := StateDict(v); err == nil || !errors.Is(err, ErrFormat) {
			t.Errorf("%s: got %v, want a format error", name, err)
		}
	}
}

// TestViewArithmeticOverflow: the offset, shape and stride of a view come
// from the file, and the sums and products checking them wrapped around:
// an offset of 2^63-1 made the last element's index negative (then a slice
// st.data[-4:0] panicked), strides of 2^40 over 2^24+1 rows summed to 2^64
// (index 0, so 2^24 reads past the storage), and a shape of 2^40×2^24
// counted 0 elements, which skipped the bounds check. All are errors; an
// empty view needs no storage behind it.
func TestViewArithmeticOverflow(t *testing.T) {
	maxInt64 := "\x8a\x08\xff\xff\xff\xff\xff\xff\xff\x7f"
	for name, p := range map[string]string{
		"offset 2^63-1, shape (1,)": viewPickle(1, maxInt64, "K\x01\x85", "K\x01\x85", 0),
		"offset 2^63-1, shape (2,)": viewPickle(1, maxInt64, "K\x02\x85", "K\x01\x85", 0),
		"offset past the storage":   viewPickle(1, "K\x01", "K\x01\x85", "K\x01\x85", 0),
		"negative offset":           viewPickle(1, "J\xff\xff\xff\xff", "K\x01\x85", "K\x01\x85", 0),
		"2^40×2^24 elements":        viewPickle(1, "K\x00", "\x8a\x06\x00\x00\x00\x00\x00\x01J\x00\x00\x00\x01\x86", "K\x00K\x00\x86", 0),
	} {
		if _, err := Decode(legacyFile(p, []float32{1})); err == nil {
			t.Errorf("%s: got %v, want the view refused", name, err)
		}
	}

	// The element budget (twice the file's size) admits 2^24+1 elements
	// only from a file of 8 MiB, which the storage provides.
	backing := make([]float32, 1<<21)
	p := viewPickle(1<<21, "K\x00", "J\x01\x00\x00\x01\x85", "\x8a\x06\x00\x00\x00\x00\x00\x01\x85", 0)
	if _, err := Decode(legacyFile(p, backing)); err == nil || !strings.Contains(err.Error(), "exceeds") {
		t.Errorf("strides summing to 2^64: got %v, want the view refused", err)
	}

	// Direct checks of the arithmetic, without the element budget.
	st := &storage{dtype: "float32", size: 4, numel: 10}
	for _, c := range []struct {
		off           int
		shape, stride []int
		ok            bool
	}{
		{0, []int{10}, []int{1}, true},
		{9, []int{1}, []int{1}, true},
		{0, []int{2, 5}, []int{5, 1}, true},
		{0, []int{3, 2}, []int{0, 0}, true}, // expanded
		{5, []int{0, 1 << 40}, []int{1 << 40, 1 << 40}, true},
		{12, []int{0}, []int{1}, true}, // x[12:] of a longer storage, saved alone
		{10, []int{1}, []int{1}, false},
		{-1, []int{1}, []int{1}, false},
		{0, []int{2}, []int{-1}, false},
		{0, []int{-2, -3}, []int{1, 1}, false},
		{0, []int{1<<24 + 1}, []int{1 << 40}, false},
		{1 << 62, []int{3}, []int{1 << 62}, false},
		{0, []int{1 << 40, 1 << 24}, []int{0, 0}, false},
		{0, []int{2, 1 << 40}, []int{0, 0}, false},
		{0, []int{2, 2}, []int{1, 9}, false},
		{0, []int{2}, []int{1, 1}, false},
	} {
		if err := checkView(st, c.off, c.shape, c.stride); (err == nil) != c.ok {
			t.Errorf("offset %d, shape %v, stride %v: got %v, want ok %v", c.off, c.shape, c.stride, err, c.ok)
		}
	}
}

// TestRebuildNesting: _rebuild_from_type_v2 takes the rebuilding function
// and its arguments, which may be _rebuild_from_type_v2 again; each level
// recursed, so a file of nested tuples could exhaust the stack. Real files
// nest once.
func TestRebuildNesting(t *testing.T) {
	for _, nest := range []int{1, maxRebuildNesting} {
		v, err := Decode(legacyFile(viewPickle(1, "K\x00", "K\x01\x85", "K\x01\x85", nest), []float32{3}))
		if err != nil {
			t.Fatalf("nested %d: %v", nest, err)
		}
		if _, ts, err := StateDict(v); err != nil || ts["w"].F32[0] != 3 {
			t.Fatalf("nested %d: %v %+v", nest, err, ts)
		}
	}
	for _, nest := range []int{maxRebuildNesting + 1, 100000} {
		_, err := Decode(legacyFile(viewPickle(1, "K\x00", "K\x01\x85", "K\x01\x85", nest), []float32{3}))
		if err == nil || !strings.Contains(err.Error(), "nested") {
			t.Errorf("nested %d: got %v, want an error", nest, err)
		}
	}
}

// TestZipClaimsBoundedByFileSize: a deflated record may claim 16 GiB,
// which a file of 16 MB can back (deflate expands about 1000:1); records
// of real checkpoints are stored, or deflate less than 2:1, so their claims
// are bounded by 8× the file's size as well. The claim is refused before
// anything is read.
func TestZipClaimsBoundedByFileSize(t *testing.T) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	if _, err := zw.CreateRaw(&zip.FileHeader{Name: "archive/data.pkl", Method: zip.Deflate, UncompressedSize64: 64 << 20}); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	_, err := Decode(b.Bytes())
	if err == nil || !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "claim") {
		t.Fatalf("got %v, want the 64 MiB claim of a %d-byte file refused", err, b.Len())
	}
}
