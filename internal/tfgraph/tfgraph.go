// Package tfgraph reads the constants and attributes of a TensorFlow
// GraphDef (a .pb file such as Inception's classify_image_graph_def.pb)
// with a protobuf wire-format decoder written here; no generated code and
// no protobuf library are needed. Only the fields this project uses are
// decoded (field numbers from tensorflow/core/framework/*.proto):
//
//	GraphDef      node = 1 (repeated NodeDef)
//	NodeDef       name = 1, op = 2, input = 3 (repeated), attr = 5 (map<string, AttrValue>)
//	AttrValue     list = 1, s = 2, i = 3, f = 4, b = 5, type = 6, shape = 7, tensor = 8
//	TensorProto   dtype = 1, tensor_shape = 2, tensor_content = 4, float_val = 5,
//	              int_val = 7, int64_val = 10
//	TensorShape   dim = 2 (repeated Dim{size = 1})
//
// Every length is checked against the remaining input before use.
package tfgraph

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// Node is one node of the graph.
type Node struct {
	Name, Op string
	Inputs   []string
	Attrs    map[string]Attr
}

// Attr is an attribute value; only the decoded kinds are set.
type Attr struct {
	S      []byte
	I      int64
	F      float32
	B      bool
	Type   int64
	Tensor *Tensor
	Ints   []int64 // list(int)
	HasI   bool
	HasF   bool
	HasB   bool
}

// Tensor is a constant tensor. Values are expanded to the full shape
// (a single scalar value repeated, as TensorProto allows).
type Tensor struct {
	DType  int64
	Shape  []int
	Floats []float32 // for DT_FLOAT
	Ints   []int64   // for DT_INT32 and DT_INT64
}

// TensorFlow data types used here.
const (
	DTFloat = 1
	DTInt32 = 3
	DTInt64 = 9
)

// ErrFormat is wrapped by every decoding error.
var ErrFormat = errors.New("not a valid TensorFlow GraphDef")

func errf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrFormat, fmt.Sprintf(format, args...))
}

// wire reads protobuf fields from a byte slice.
type wire struct {
	b   []byte
	pos int
}

func (w *wire) done() bool { return w.pos >= len(w.b) }

func (w *wire) varint() (uint64, error) {
	var v uint64
	for shift := uint(0); shift < 64; shift += 7 {
		if w.pos >= len(w.b) {
			return 0, errf("truncated varint")
		}
		c := w.b[w.pos]
		w.pos++
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return v, nil
		}
	}
	return 0, errf("varint too long")
}

// field reads a field key and, for length-delimited fields, its bytes.
func (w *wire) field() (num int, typ int, val uint64, bytes []byte, err error) {
	key, err := w.varint()
	if err != nil {
		return 0, 0, 0, nil, err
	}
	num, typ = int(key>>3), int(key&7)
	if num == 0 {
		return 0, 0, 0, nil, errf("field number 0")
	}
	switch typ {
	case 0:
		val, err = w.varint()
	case 1:
		if len(w.b)-w.pos < 8 {
			return 0, 0, 0, nil, errf("truncated fixed64")
		}
		val = binary.LittleEndian.Uint64(w.b[w.pos:])
		w.pos += 8
	case 5:
		if len(w.b)-w.pos < 4 {
			return 0, 0, 0, nil, errf("truncated fixed32")
		}
		val = uint64(binary.LittleEndian.Uint32(w.b[w.pos:]))
		w.pos += 4
	case 2:
		var n uint64
		if n, err = w.varint(); err != nil {
			return
		}
		if n > uint64(len(w.b)-w.pos) {
			return 0, 0, 0, nil, errf("length %d exceeds the %d remaining bytes", n, len(w.b)-w.pos)
		}
		bytes = w.b[w.pos : w.pos+int(n)]
		w.pos += int(n)
	default:
		err = errf("unsupported wire type %d", typ)
	}
	return
}

// expansion bounds the values that constants given as one repeated scalar
// are expanded to, over a whole graph: a scalar of four bytes with a large
// shape is valid, and many of them would otherwise make a small file need
// gigabytes. Twice the file's size in values, plus a little for tiny
// graphs, is far more than real graphs expand (they store their weights).
type expansion struct{ left int }

func (e *expansion) take(n int, shape []int) error {
	if n > e.left {
		return errf("scalar expanded to shape %v: the graph's expanded constants would exceed %d values", shape, e.left)
	}
	e.left -= n
	return nil
}

// Parse decodes the nodes of a GraphDef.
func Parse(data []byte) ([]Node, error) {
	var nodes []Node
	budget := &expansion{left: 2*len(data) + 1<<20}
	w := &wire{b: data}
	for !w.done() {
		num, typ, _, b, err := w.field()
		if err != nil {
			return nil, err
		}
		if num == 1 && typ == 2 {
			n, err := parseNode(b, budget)
			if err != nil {
				return nil, err
			}
			nodes = append(nodes, n)
		}
	}
	if len(nodes) == 0 {
		return nil, errf("no nodes")
	}
	return nodes, nil
}

func parseNode(b []byte, budget *expansion) (Node, error) {
	n := Node{Attrs: map[string]Attr{}}
	w := &wire{b: b}
	for !w.done() {
		num, typ, _, v, err := w.field()
		if err != nil {
			return n, err
		}
		if typ != 2 {
			continue
		}
		switch num {
		case 1:
			n.Name = string(v)
		case 2:
			n.Op = string(v)
		case 3:
			n.Inputs = append(n.Inputs, string(v))
		case 5:
			key, attr, err := parseAttrEntry(v, budget)
			if err != nil {
				return n, fmt.Errorf("node %q attribute: %w", n.Name, err)
			}
			n.Attrs[key] = attr
		}
	}
	return n, nil
}

func parseAttrEntry(b []byte, budget *expansion) (string, Attr, error) {
	var key string
	var a Attr
	w := &wire{b: b}
	for !w.done() {
		num, typ, _, v, err := w.field()
		if err != nil {
			return "", a, err
		}
		if num == 1 && typ == 2 {
			key = string(v)
		}
		if num == 2 && typ == 2 {
			if a, err = parseAttr(v, budget); err != nil {
				return key, a, err
			}
		}
	}
	return key, a, nil
}

func parseAttr(b []byte, budget *expansion) (Attr, error) {
	var a Attr
	w := &wire{b: b}
	for !w.done() {
		num, typ, val, v, err := w.field()
		if err != nil {
			return a, err
		}
		switch {
		case num == 1 && typ == 2:
			if a.Ints, err = parseIntList(v); err != nil {
				return a, err
			}
		case num == 2 && typ == 2:
			a.S = v
		case num == 3 && typ == 0:
			a.I, a.HasI = int64(val), true
		case num == 4 && typ == 5:
			a.F, a.HasF = math.Float32frombits(uint32(val)), true
		case num == 5 && typ == 0:
			a.B, a.HasB = val != 0, true
		case num == 6 && typ == 0:
			a.Type = int64(val)
		case num == 8 && typ == 2:
			t, err := parseTensor(v, budget)
			if err != nil {
				return a, err
			}
			a.Tensor = t
		}
	}
	return a, nil
}

// parseIntList reads ListValue.i (field 3), packed or not.
func parseIntList(b []byte) ([]int64, error) {
	var out []int64
	w := &wire{b: b}
	for !w.done() {
		num, typ, val, v, err := w.field()
		if err != nil {
			return nil, err
		}
		if num != 3 {
			continue
		}
		if typ == 0 {
			out = append(out, int64(val))
			continue
		}
		if typ == 2 {
			p := &wire{b: v}
			for !p.done() {
				x, err := p.varint()
				if err != nil {
					return nil, err
				}
				out = append(out, int64(x))
			}
		}
	}
	return out, nil
}

func parseTensor(b []byte, budget *expansion) (*Tensor, error) {
	t := &Tensor{}
	var content []byte
	w := &wire{b: b}
	for !w.done() {
		num, typ, val, v, err := w.field()
		if err != nil {
			return nil, err
		}
		switch {
		case num == 1 && typ == 0:
			t.DType = int64(val)
		case num == 2 && typ == 2:
			if t.Shape, err = parseShape(v); err != nil {
				return nil, err
			}
		case num == 4 && typ == 2:
			content = v
		case num == 5 && typ == 5: // unpacked float_val
			t.Floats = append(t.Floats, math.Float32frombits(uint32(val)))
		case num == 5 && typ == 2: // packed float_val
			if len(v)%4 != 0 {
				return nil, errf("packed float_val of %d bytes", len(v))
			}
			for i := 0; i < len(v); i += 4 {
				t.Floats = append(t.Floats, math.Float32frombits(binary.LittleEndian.Uint32(v[i:])))
			}
		case (num == 7 || num == 10) && typ == 0: // int_val, int64_val
			t.Ints = append(t.Ints, int64(val))
		case (num == 7 || num == 10) && typ == 2:
			p := &wire{b: v}
			for !p.done() {
				x, err := p.varint()
				if err != nil {
					return nil, err
				}
				if num == 7 {
					x = uint64(int32(x))
				}
				t.Ints = append(t.Ints, int64(x))
			}
		}
	}
	n, err := numElements(t.Shape)
	if err != nil {
		return nil, err
	}
	switch t.DType {
	case DTFloat:
		switch {
		case content != nil:
			if len(content) != 4*n {
				return nil, errf("tensor_content of %d bytes for shape %v of floats", len(content), t.Shape)
			}
			t.Floats = make([]float32, n)
			for i := range t.Floats {
				t.Floats[i] = math.Float32frombits(binary.LittleEndian.Uint32(content[4*i:]))
			}
		case len(t.Floats) == 1 && n > 1:
			if err := budget.take(n, t.Shape); err != nil {
				return nil, err
			}
			v := t.Floats[0]
			t.Floats = make([]float32, n)
			for i := range t.Floats {
				t.Floats[i] = v
			}
		case len(t.Floats) != n:
			return nil, errf("%d float values for shape %v", len(t.Floats), t.Shape)
		}
	case DTInt32, DTInt64:
		size := 4
		if t.DType == DTInt64 {
			size = 8
		}
		if content != nil {
			if len(content) != size*n {
				return nil, errf("tensor_content of %d bytes for shape %v of ints", len(content), t.Shape)
			}
			t.Ints = make([]int64, n)
			for i := range t.Ints {
				if size == 4 {
					t.Ints[i] = int64(int32(binary.LittleEndian.Uint32(content[4*i:])))
				} else {
					t.Ints[i] = int64(binary.LittleEndian.Uint64(content[8*i:]))
				}
			}
		} else if len(t.Ints) == 1 && n > 1 {
			if err := budget.take(n, t.Shape); err != nil {
				return nil, err
			}
			v := t.Ints[0]
			t.Ints = make([]int64, n)
			for i := range t.Ints {
				t.Ints[i] = v
			}
		} else if len(t.Ints) != n {
			// As for floats: users index Ints by the shape, so fewer values
			// than elements must not pass.
			return nil, errf("%d int values for shape %v", len(t.Ints), t.Shape)
		}
	}
	return t, nil
}

func parseShape(b []byte) ([]int, error) {
	shape := []int{}
	w := &wire{b: b}
	for !w.done() {
		num, typ, _, v, err := w.field()
		if err != nil {
			return nil, err
		}
		if num != 2 || typ != 2 {
			continue
		}
		d := &wire{b: v}
		size := int64(-1)
		for !d.done() {
			n, t, val, _, err := d.field()
			if err != nil {
				return nil, err
			}
			if n == 1 && t == 0 {
				size = int64(val)
			}
		}
		if size < 0 || size > 1<<31 {
			return nil, errf("dimension size %d", size)
		}
		shape = append(shape, int(size))
	}
	if _, err := numElements(shape); err != nil {
		return nil, err
	}
	return shape, nil
}

// maxElements bounds the element count of a tensor shape: 2^34 floats are
// 64 GiB, far more than any graph holds.
const maxElements = 1 << 34

// numElements is the element count of shape, whose dimensions are at most
// 2^31 (parseShape). Each product is checked against maxElements before it
// is formed: dimensions of 2^17, 2^17 and 2^31 multiply to 2^65, which
// wraps to 0 and would pass for an empty tensor.
func numElements(shape []int) (int, error) {
	for _, d := range shape {
		if d == 0 {
			return 0, nil // empty, however large the other dimensions
		}
	}
	n := 1
	for _, d := range shape {
		if d < 0 {
			return 0, errf("shape %v has a negative dimension", shape)
		}
		if n > maxElements/d {
			return 0, errf("shape %v has more than %d elements", shape, maxElements)
		}
		n *= d
	}
	return n, nil
}
