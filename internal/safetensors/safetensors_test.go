package safetensors

import (
	"bytes"
	"encoding/binary"
	"errors"
	"path/filepath"
	"slices"
	"testing"
)

func sample() []Tensor {
	return []Tensor{
		F32("w", []float32{1, -2, 3.5, 4, 5, 6}, 2, 3),
		I64("step", []int64{7}),
		U8("rng", []byte{1, 2, 3}),
		F32("empty", nil, 0, 4),
	}
}

func TestRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	meta := map[string]string{"stage": "2", "format": "autogan-go"}
	if err := Encode(&buf, sample(), meta); err != nil {
		t.Fatal(err)
	}
	if binary.LittleEndian.Uint64(buf.Bytes())%8 != 0 {
		t.Fatal("header not padded to 8 bytes")
	}
	f, err := Decode(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if f.Metadata["stage"] != "2" || len(f.Tensors) != 4 {
		t.Fatalf("decoded %+v", f)
	}
	w, _ := f.Get("w")
	vals, _ := w.Float32()
	if !slices.Equal(vals, []float32{1, -2, 3.5, 4, 5, 6}) || !slices.Equal(w.Shape, []int{2, 3}) {
		t.Fatalf("w = %v %v", vals, w.Shape)
	}
	s, _ := f.Get("step")
	if v, _ := s.Int64(); v[0] != 7 {
		t.Fatal("step")
	}
	// Deterministic bytes.
	var again bytes.Buffer
	Encode(&again, sample(), meta)
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Fatal("encoding is not deterministic")
	}
	p := filepath.Join(t.TempDir(), "x.safetensors")
	if err := WriteFile(p, sample(), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(p); err != nil {
		t.Fatal(err)
	}
}

func TestRejectsMalformed(t *testing.T) {
	var good bytes.Buffer
	Encode(&good, sample(), nil)
	b := good.Bytes()
	hlen := int(binary.LittleEndian.Uint64(b))
	header := func(h string) []byte {
		out := binary.LittleEndian.AppendUint64(nil, uint64(len(h)))
		return append(append(out, h...), make([]byte, 24)...)
	}
	bad := map[string][]byte{
		"short":            b[:5],
		"huge header":      binary.LittleEndian.AppendUint64(nil, 1<<62),
		"truncated data":   b[:len(b)-1],
		"truncated header": b[:8+hlen/2],
		"not json":         header("{nope"),
		"bad dtype":        header(`{"a":{"dtype":"X9","shape":[1],"data_offsets":[0,4]}}`),
		"negative dim":     header(`{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}`),
		"size mismatch":    header(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}`),
		"past end":         header(`{"a":{"dtype":"F32","shape":[100],"data_offsets":[0,400]}}`),
		"overflow":         header(`{"a":{"dtype":"F32","shape":[4611686018427387904,8],"data_offsets":[0,0]}}`),
		"duplicate":        header(`{"a":{"dtype":"U8","shape":[12],"data_offsets":[0,12]},"a":{"dtype":"U8","shape":[12],"data_offsets":[12,24]}}`),
		"gap":              header(`{"a":{"dtype":"U8","shape":[4],"data_offsets":[4,8]}}`),
		"unknown field":    header(`{"a":{"dtype":"U8","shape":[24],"data_offsets":[0,24],"x":1}}`),
		"bad metadata":     header(`{"__metadata__":{"a":1}}`),
	}
	for name, data := range bad {
		if _, err := Decode(data); err == nil || !errors.Is(err, ErrFormat) {
			t.Errorf("%s: got %v, want a format error", name, err)
		}
	}
}

func FuzzDecode(f *testing.F) {
	var good bytes.Buffer
	Encode(&good, sample(), map[string]string{"k": "v"})
	f.Add(good.Bytes())
	f.Add([]byte{8, 0, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' ', ' ', ' ', ' ', ' '})
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Decode(data)
		if err != nil {
			return
		}
		for _, ts := range file.Tensors { // every accepted tensor must be readable
			if _, err := ts.Float32(); err != nil {
				ts.Int64()
			}
		}
	})
}
