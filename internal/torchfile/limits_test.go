package torchfile

import (
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
	return "\x80\x02}X\x01\x00\x00\x00w" +
		"ctorch._utils\n_rebuild_tensor_v2\n(" +
		"(X\x07\x00\x00\x00storagectorch\nFloatStorage\nX\x01\x00\x00\x000X\x03\x00\x00\x00cpuK\x01NtQ" +
		"K\x00" + shape + stride + "\x89}tRs."
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
