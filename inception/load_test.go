package inception

import (
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autogan-go/autogan/internal/pickle"
	"github.com/autogan-go/autogan/internal/tfgraph"
	"github.com/autogan-go/autogan/internal/torchfile"
)

// pb is a minimal protobuf writer for building test GraphDefs.
type pb []byte

func (b pb) varint(v uint64) pb {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}
func (b pb) key(num, typ int) pb          { return b.varint(uint64(num<<3 | typ)) }
func (b pb) bytes(num int, v []byte) pb   { return append(b.key(num, 2).varint(uint64(len(v))), v...) }
func (b pb) str(num int, s string) pb     { return b.bytes(num, []byte(s)) }
func (b pb) uvarint(num int, v uint64) pb { return b.key(num, 0).varint(v) }
func (b pb) fixed32(num int, v uint32) pb { return binary.LittleEndian.AppendUint32(b.key(num, 5), v) }
func attr(key string, value pb) pb        { return pb{}.str(1, key).bytes(2, value) }
func floatConst(shape []int, vals []float32) pb {
	var shp pb
	for _, d := range shape {
		shp = shp.bytes(2, pb{}.uvarint(1, uint64(d)))
	}
	content := make([]byte, 4*len(vals))
	for i, v := range vals {
		binary.LittleEndian.PutUint32(content[4*i:], math.Float32bits(v))
	}
	t := pb{}.uvarint(1, tfgraph.DTFloat).bytes(2, shp).bytes(4, content)
	return pb{}.bytes(8, t)
}
func node(name, op string, attrs ...pb) pb {
	n := pb{}.str(1, name).str(2, op)
	for _, a := range attrs {
		n = n.bytes(5, a)
	}
	return n
}

// graphFromWeights encodes w the way the 2015 graph stores it: HWIO
// filters, batch-norm constants and nodes, Conv2D nodes with strides and
// padding, and a transposed softmax.
func graphFromWeights(w *Weights) []byte {
	var g pb
	for i, u := range units {
		r := w.Units[i]
		hwio := make([]float32, len(r.Weight))
		for co := 0; co < u.out; co++ {
			for ci := 0; ci < u.in; ci++ {
				for ky := 0; ky < u.kh; ky++ {
					for kx := 0; kx < u.kw; kx++ {
						hwio[((ky*u.kw+kx)*u.in+ci)*u.out+co] = r.Weight[((co*u.in+ci)*u.kh+ky)*u.kw+kx]
					}
				}
			}
		}
		g = g.bytes(1, node(u.tf+"/conv2d_params", "Const", attr("value", floatConst([]int{u.kh, u.kw, u.in, u.out}, hwio))))
		for _, p := range []struct {
			n string
			v []float32
		}{{"gamma", r.Gamma}, {"beta", r.Beta}, {"moving_mean", r.Mean}, {"moving_variance", r.Var}} {
			g = g.bytes(1, node(u.tf+"/batchnorm/"+p.n, "Const", attr("value", floatConst([]int{u.out}, p.v))))
		}
		g = g.bytes(1, node(u.tf+"/batchnorm", "BatchNormWithGlobalNormalization",
			attr("variance_epsilon", pb{}.fixed32(4, math.Float32bits(0.001))),
			attr("scale_after_normalization", pb{}.uvarint(5, 1))))
		pad := "SAME"
		if u.padH == 0 && u.padW == 0 && (u.kh > 1 || u.kw > 1) {
			pad = "VALID"
		}
		strides := pb{}.bytes(3, pb{}.varint(1).varint(uint64(u.stride)).varint(uint64(u.stride)).varint(1))
		g = g.bytes(1, node(u.tf+"/Conv2D", "Conv2D", attr("strides", pb{}.bytes(1, strides)), attr("padding", pb{}.str(2, pad))))
	}
	sw := make([]float32, len(w.FCWeight))
	for j := 0; j < NumClasses; j++ {
		for i := 0; i < FeatureDim; i++ {
			sw[i*NumClasses+j] = w.FCWeight[j*FeatureDim+i]
		}
	}
	g = g.bytes(1, node("softmax/weights", "Const", attr("value", floatConst([]int{FeatureDim, NumClasses}, sw))))
	g = g.bytes(1, node("softmax/biases", "Const", attr("value", floatConst([]int{NumClasses}, w.FCBias))))
	return g
}

func sameWeights(t *testing.T, got, want *Weights) {
	t.Helper()
	eq := func(name string, a, b []float32) {
		if len(a) != len(b) {
			t.Fatalf("%s: %d values, want %d", name, len(a), len(b))
		}
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("%s[%d] = %v, want %v", name, i, a[i], b[i])
			}
		}
	}
	for i, u := range units {
		g, w := got.Units[i], want.Units[i]
		eq(u.name+" weight", g.Weight, w.Weight)
		eq(u.name+" gamma", g.Gamma, w.Gamma)
		eq(u.name+" beta", g.Beta, w.Beta)
		eq(u.name+" mean", g.Mean, w.Mean)
		eq(u.name+" var", g.Var, w.Var)
	}
	eq("fc.weight", got.FCWeight, want.FCWeight)
	eq("fc.bias", got.FCBias, want.FCBias)
	if math.Abs(got.Eps-0.001) > 1e-9 {
		t.Fatalf("eps %v", got.Eps)
	}
}

// TestGraphDefLoader writes the synthetic weights as a TF GraphDef laid out
// like classify_image_graph_def.pb and reads them back through LoadFile.
func TestGraphDefLoader(t *testing.T) {
	want := SyntheticWeights()
	p := filepath.Join(t.TempDir(), "classify_image_graph_def.pb")
	if err := os.WriteFile(p, graphFromWeights(want), 0o644); err != nil {
		t.Fatal(err)
	}
	got, info, err := LoadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if info.Format != "tensorflow graphdef" || len(info.SHA256) != 64 {
		t.Fatalf("info %+v", info)
	}
	sameWeights(t, got, want)
}

// TestStateDictMapping maps a state dict with every key (and
// num_batches_tracked counters) and checks the errors for a missing key and
// a wrong shape name the key.
func TestStateDictMapping(t *testing.T) {
	want := SyntheticWeights()
	build := func(skip, reshape string) *pickle.Dict {
		d := &pickle.Dict{}
		add := func(k string, shape []int, v []float32) {
			if k == skip {
				return
			}
			if k == reshape {
				shape = append([]int{1}, shape...)
			}
			d.Keys = append(d.Keys, k)
			d.Values = append(d.Values, &torchfile.Tensor{DType: "float32", Shape: shape, F32: v})
		}
		for i, u := range units {
			r := want.Units[i]
			add(u.name+".conv.weight", []int{u.out, u.in, u.kh, u.kw}, r.Weight)
			add(u.name+".bn.weight", []int{u.out}, r.Gamma)
			add(u.name+".bn.bias", []int{u.out}, r.Beta)
			add(u.name+".bn.running_mean", []int{u.out}, r.Mean)
			add(u.name+".bn.running_var", []int{u.out}, r.Var)
			d.Keys = append(d.Keys, u.name+".bn.num_batches_tracked")
			d.Values = append(d.Values, &torchfile.Tensor{DType: "int64", Shape: []int{}, I64: []int64{0}})
		}
		add("fc.weight", []int{NumClasses, FeatureDim}, want.FCWeight)
		add("fc.bias", []int{NumClasses}, want.FCBias)
		return d
	}
	got, err := FromStateDict(build("", ""))
	if err != nil {
		t.Fatal(err)
	}
	sameWeights(t, got, want)
	if _, err := FromStateDict(build("Mixed_6c.branch7x7_2.conv.weight", "")); err == nil || !strings.Contains(err.Error(), "Mixed_6c.branch7x7_2.conv.weight") {
		t.Fatalf("missing key: %v", err)
	}
	if _, err := FromStateDict(build("", "Mixed_7c.branch_pool.bn.running_var")); err == nil || !strings.Contains(err.Error(), "Mixed_7c.branch_pool.bn.running_var") {
		t.Fatalf("wrong shape: %v", err)
	}
}

func TestLoadFileRejectsOtherFiles(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string][]byte{
		"empty.pb":     {},
		"text.pb":      []byte("hello, world"),
		"truncated.pb": graphFromWeights(SyntheticWeights())[:1000],
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, data, 0o644)
		if _, _, err := LoadFile(p); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, _, err := LoadFile(filepath.Join(dir, "missing.pth")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func FuzzGraphDef(f *testing.F) {
	f.Add([]byte(node("softmax/biases", "Const", attr("value", floatConst([]int{2}, []float32{1, 2})))))
	f.Fuzz(func(t *testing.T, data []byte) {
		if nodes, err := tfgraph.Parse(data); err == nil {
			FromGraph(nodes)
		}
	})
}
