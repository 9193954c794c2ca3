package npy

import (
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestEncodeDecodeRoundTrip(t *testing.T) {
	a := &Array{Shape: []int{2, 3}, Data: []float64{1, -2, 3.5, math.Inf(1), 0, 1e-300}}
	b := Encode(a)
	if (len(b)-len(a.Data)*8)%64 != 0 {
		t.Errorf("data starts at byte %d, not a multiple of 64", len(b)-len(a.Data)*8)
	}
	got, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Shape, a.Shape) || !slices.Equal(got.Data, a.Data) {
		t.Errorf("got %+v, want %+v", got, a)
	}
	f32, err := Decode(EncodeFloat32([]int{3}, []float32{1.5, -2, 0.25}))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(f32.Shape, []int{3}) || !slices.Equal(f32.Data, []float64{1.5, -2, 0.25}) {
		t.Errorf("float32: got %+v", f32)
	}
}

// raw builds a .npy of the given version and header with float64 data.
func raw(major byte, hdr string, data []float64) []byte {
	b := []byte("\x93NUMPY")
	b = append(b, major, 0)
	if major == 1 {
		b = binary.LittleEndian.AppendUint16(b, uint16(len(hdr)))
	} else {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(hdr)))
	}
	b = append(b, hdr...)
	for _, v := range data {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	return b
}

func TestHeaderVersionsAndFortranOrder(t *testing.T) {
	// Column-major [[1 2 3] [4 5 6]] is stored as 1 4 2 5 3 6.
	hdr := "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }\n"
	for _, v := range []byte{1, 2, 3} {
		a, err := Decode(raw(v, hdr, []float64{1, 4, 2, 5, 3, 6}))
		if err != nil {
			t.Fatalf("version %d: %v", v, err)
		}
		if !slices.Equal(a.Data, []float64{1, 2, 3, 4, 5, 6}) {
			t.Errorf("version %d: data %v", v, a.Data)
		}
	}
	// A scalar has shape ().
	a, err := Decode(raw(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (), }\n", []float64{7}))
	if err != nil || len(a.Shape) != 0 || !slices.Equal(a.Data, []float64{7}) {
		t.Errorf("scalar: %+v, %v", a, err)
	}
}

func TestDecodeRejectsBadData(t *testing.T) {
	good := "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }\n"
	for name, b := range map[string][]byte{
		"empty":        nil,
		"magic":        append([]byte("\x93NUMPX"), raw(1, good, []float64{1, 2})[6:]...),
		"version":      raw(4, good, []float64{1, 2}),
		"big-endian":   raw(1, "{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }\n", []float64{1, 2}),
		"int":          raw(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }\n", []float64{1, 2}),
		"short data":   raw(1, good, []float64{1}),
		"long data":    raw(1, good, []float64{1, 2, 3}),
		"no shape":     raw(1, "{'descr': '<f8', 'fortran_order': False, }\n", []float64{1, 2}),
		"huge shape":   raw(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000000), }\n", []float64{1}),
		"bad shape":    raw(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (-2,), }\n", []float64{1, 2}),
		"header len":   raw(1, good, nil)[:12],
		"v2 truncated": []byte("\x93NUMPY\x02\x00\x01"),
	} {
		if _, err := Decode(b); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: error %v, want ErrFormat", name, err)
		}
	}
}

// TestReadNPZ reads the committed statistics files NumPy wrote (see
// testdata/make_metric_fixtures.py): deflated, stored, a version 2 header
// in Fortran order and a version 3 header (those two with mu as float32),
// all holding the same arrays.
func TestReadNPZ(t *testing.T) {
	var first map[string]*Array
	for _, name := range []string{"stats_compressed.npz", "stats_stored.npz", "stats_v2_fortran.npz", "stats_v3.npz"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		m, err := ReadNPZ(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		mu, sigma := m["mu"], m["sigma"]
		if mu == nil || sigma == nil || len(mu.Shape) != 1 || !slices.Equal(sigma.Shape, []int{mu.Shape[0], mu.Shape[0]}) {
			t.Fatalf("%s: members %v", name, m)
		}
		if first == nil {
			first = m
			continue
		}
		if !slices.Equal(sigma.Data, first["sigma"].Data) {
			t.Errorf("%s: sigma differs from the first file's", name)
		}
		// The version 2 and 3 files store mu as float32.
		for i, v := range mu.Data {
			if want := first["mu"].Data[i]; v != want && v != float64(float32(want)) {
				t.Fatalf("%s: mu[%d] = %v, want %v", name, i, v, want)
			}
		}
	}
	if _, err := ReadNPZ([]byte("PK not really")); !errors.Is(err, ErrFormat) {
		t.Errorf("not a zip: %v", err)
	}
}

func TestWriteNPZRoundTrip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "s.npz")
	arrays := map[string]*Array{"mu": {Shape: []int{2}, Data: []float64{1, 2}}, "sigma": {Shape: []int{2, 2}, Data: []float64{1, 0, 0, 1}}}
	if err := WriteNPZ(p, []string{"mu", "sigma"}, arrays); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	m, err := ReadNPZ(b)
	if err != nil {
		t.Fatal(err)
	}
	for k, a := range arrays {
		if !slices.Equal(m[k].Data, a.Data) || !slices.Equal(m[k].Shape, a.Shape) {
			t.Errorf("%s: %+v", k, m[k])
		}
	}
}

// FuzzDecode: any bytes give an array or ErrFormat, never a panic or an
// allocation the input cannot back.
func FuzzDecode(f *testing.F) {
	f.Add(Encode(&Array{Shape: []int{2, 2}, Data: []float64{1, 2, 3, 4}}))
	f.Add(EncodeFloat32([]int{3}, []float32{1, 2, 3}))
	f.Add(raw(3, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 1), }\n", []float64{1, 2}))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := Decode(b)
		if err != nil {
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("error %v does not wrap ErrFormat", err)
			}
			return
		}
		n := 1
		for _, d := range a.Shape {
			n *= d
		}
		if n != len(a.Data) || len(a.Data) > len(b) {
			t.Fatalf("shape %v with %d values from %d bytes", a.Shape, len(a.Data), len(b))
		}
	})
}

// FuzzReadNPZ: damaged archives are errors, never panics.
func FuzzReadNPZ(f *testing.F) {
	for _, name := range []string{"stats_compressed.npz", "stats_stored.npz"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ReadNPZ(b)
		if err == nil && m == nil {
			t.Fatal("no error and no arrays")
		}
		if err != nil && !strings.Contains(err.Error(), "npy") && !errors.Is(err, ErrFormat) {
			t.Fatalf("unclear error %v", err)
		}
	})
}
