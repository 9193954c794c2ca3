package torchfile

import (
	"errors"
	"os"
	"testing"

	"github.com/autogan-go/autogan/internal/pickle"
	"github.com/autogan-go/autogan/internal/safetensors"
)

func expected(t *testing.T) *safetensors.File {
	f, err := safetensors.ReadFile("../../testdata/pth_expected.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func compare(t *testing.T, file, name string, got *Tensor, want safetensors.Tensor) {
	t.Helper()
	if len(got.Shape) != len(want.Shape) {
		t.Fatalf("%s %s: shape %v, want %v", file, name, got.Shape, want.Shape)
	}
	for i := range got.Shape {
		if got.Shape[i] != want.Shape[i] {
			t.Fatalf("%s %s: shape %v, want %v", file, name, got.Shape, want.Shape)
		}
	}
	if want.DType == "I64" {
		w, _ := want.Int64()
		for i := range w {
			if got.I64[i] != w[i] {
				t.Fatalf("%s %s[%d] = %d, want %d", file, name, i, got.I64[i], w[i])
			}
		}
		return
	}
	w, _ := want.Float32()
	for i := range w {
		if got.F32[i] != w[i] {
			t.Fatalf("%s %s[%d] = %v, want %v", file, name, i, got.F32[i], w[i])
		}
	}
}

// TestReadsBothFormats reads files written by torch.save itself, in the zip
// and the legacy format (testdata/make_pth_fixtures.py).
func TestReadsBothFormats(t *testing.T) {
	exp := expected(t)
	for _, file := range []string{"pth_state_zip.pth", "pth_state_legacy.pth"} {
		v, err := ReadFile("../../testdata/" + file)
		if err != nil {
			t.Fatal(err)
		}
		names, tensors, err := StateDict(v)
		if err != nil {
			t.Fatal(err)
		}
		if names[0] != "0.weight" || len(names) != 12 {
			t.Fatalf("%s: names %v", file, names)
		}
		for _, e := range exp.Tensors {
			if len(e.Name) > 6 && e.Name[:6] == "state/" {
				got, ok := tensors[e.Name[6:]]
				if !ok {
					t.Fatalf("%s: no %s", file, e.Name[6:])
				}
				compare(t, file, e.Name[6:], got, e)
			}
		}
		if tensors["1.num_batches_tracked"].DType != "int64" || tensors["half"].DType != "float16" {
			t.Fatalf("%s: dtypes %s %s", file, tensors["1.num_batches_tracked"].DType, tensors["half"].DType)
		}
	}
	for _, file := range []string{"pth_ckpt_zip.pth", "pth_ckpt_legacy.pth"} {
		v, err := ReadFile("../../testdata/" + file)
		if err != nil {
			t.Fatal(err)
		}
		d := v.(*pickle.Dict)
		if e, _ := d.Get("epoch"); e != int64(5) {
			t.Fatalf("%s: epoch %v", file, e)
		}
		if f, _ := d.Get("best_fid"); f != 12.42 {
			t.Fatalf("%s: best_fid %v", file, f)
		}
		for _, part := range []string{"gen", "avg"} {
			key := map[string]string{"gen": "gen_state_dict", "avg": "avg_gen_state_dict"}[part]
			sd, _ := d.Get(key)
			_, tensors, err := StateDict(sd)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range []string{"l1.weight", "l1.bias"} {
				want, _ := exp.Get(part + "/" + n)
				compare(t, file, key+"."+n, tensors[n], want)
			}
		}
	}
}

// TestRejectsDamagedFiles truncates the fixtures at many lengths and flips
// bytes: every result must be an error (or a valid decode), never a panic.
func TestRejectsDamagedFiles(t *testing.T) {
	for _, file := range []string{"pth_state_zip.pth", "pth_state_legacy.pth", "pth_ckpt_legacy.pth"} {
		data, err := os.ReadFile("../../testdata/" + file)
		if err != nil {
			t.Fatal(err)
		}
		for n := 0; n < len(data); n += max(1, len(data)/97) {
			if _, err := Decode(data[:n]); err == nil {
				t.Fatalf("%s truncated to %d bytes was accepted", file, n)
			}
		}
		for i := 0; i < len(data); i += 7 {
			b := append([]byte(nil), data...)
			b[i] ^= 0x5a
			Decode(b) // must not panic
		}
	}
	if _, err := Decode([]byte("not a checkpoint")); !errors.Is(err, ErrFormat) {
		t.Fatalf("garbage: %v", err)
	}
}

func FuzzDecode(f *testing.F) {
	for _, file := range []string{"pth_state_zip.pth", "pth_state_legacy.pth", "pth_ckpt_legacy.pth"} {
		if b, err := os.ReadFile("../../testdata/" + file); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Decode(data)
		if err == nil {
			StateDict(v)
		}
	})
}
