package ckpt

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autogan-go/autogan/tensor"
)

func TestRoundTripAndErrors(t *testing.T) {
	w := NewWriter()
	x := tensor.FromSlice([]float32{1, 2, 3, 4, 5, 6}, 2, 3)
	w.Tensor("g.l1.weight", x)
	w.Int("adam.step", 42)
	w.Float("baseline", 0.1)
	w.Floats("window", []float64{1, 2.5})
	w.Bytes("rng", []byte{9, 8, 7})
	w.Meta("stage", "1")
	dir := t.TempDir()
	p := filepath.Join(dir, "c.safetensors")
	if err := w.Save(p); err != nil {
		t.Fatal(err)
	}
	r, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	y := tensor.New(2, 3)
	if err := r.TensorInto("g.l1.weight", y); err != nil || y.At(1, 2) != 6 {
		t.Fatal(err, y)
	}
	if v, _ := r.Int("adam.step"); v != 42 {
		t.Fatal(v)
	}
	if v, _ := r.Float("baseline"); v != 0.1 {
		t.Fatal(v)
	}
	if v, _ := r.Floats("window"); len(v) != 2 || v[1] != 2.5 {
		t.Fatal(v)
	}
	if b, _ := r.Bytes("rng"); !bytes.Equal(b, []byte{9, 8, 7}) || r.Meta("stage") != "1" {
		t.Fatal("bytes/meta")
	}
	if err := r.TensorInto("g.l1.weight", tensor.New(3, 2)); err == nil || !strings.Contains(err.Error(), "g.l1.weight") {
		t.Fatalf("shape mismatch error: %v", err)
	}
	if _, err := r.Int("missing"); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Fatalf("missing entry error: %v", err)
	}
	// Same content, same bytes.
	p2 := filepath.Join(dir, "d.safetensors")
	w.Save(p2)
	a, _ := os.ReadFile(p)
	b, _ := os.ReadFile(p2)
	if !bytes.Equal(a, b) {
		t.Fatal("checkpoint bytes differ for the same content")
	}
}
