package tfgraph

import (
	"encoding/binary"
	"errors"
	"math"
	"slices"
	"testing"
)

// pb is a minimal protobuf writer for test graphs.
type pb []byte

func (b pb) varint(v uint64) pb {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}
func (b pb) key(num, typ int) pb        { return b.varint(uint64(num<<3 | typ)) }
func (b pb) bytes(num int, v []byte) pb { return append(b.key(num, 2).varint(uint64(len(v))), v...) }
func (b pb) uvarint(num int, v uint64) pb {
	return b.key(num, 0).varint(v)
}

// scalarConstNode is a node whose attribute "value" is a float tensor of
// the given shape stored as the single value v (TensorProto's broadcast).
func scalarConstNode(shape []int, v float32) pb {
	var shp pb
	for _, d := range shape {
		shp = shp.bytes(2, pb{}.uvarint(1, uint64(d)))
	}
	t := pb{}.uvarint(1, DTFloat).bytes(2, shp)
	t = binary.LittleEndian.AppendUint32(t.key(5, 5), math.Float32bits(v))
	a := pb{}.bytes(1, []byte("value")).bytes(2, pb{}.bytes(8, t))
	return pb{}.bytes(1, []byte("c")).bytes(2, []byte("Const")).bytes(5, a)
}

// TestScalarExpansionBounded: a constant stored as one scalar is expanded
// to its shape, so each node of about 40 bytes could claim a gigabyte
// (2^28 values); the expansions of a graph are bounded by its size.
func TestScalarExpansionBounded(t *testing.T) {
	var g pb
	for i := 0; i < 16; i++ {
		g = g.bytes(1, scalarConstNode([]int{1 << 14, 1 << 14}, 1))
	}
	if _, err := Parse(g); err == nil || !errors.Is(err, ErrFormat) {
		t.Fatalf("16 scalars expanded to 2^28 values each: %v", err)
	}
	nodes, err := Parse(pb{}.bytes(1, scalarConstNode([]int{3, 2}, 2.5)))
	if err != nil {
		t.Fatal(err)
	}
	c := nodes[0].Attrs["value"].Tensor
	if len(c.Floats) != 6 || c.Floats[5] != 2.5 {
		t.Fatalf("3×2 expansion: %+v", c)
	}
}

// constNode is a node "c" whose attribute "value" is a tensor of the given
// dtype and shape with the given encoded value fields.
func constNode(dtype int, shape []int, values pb) pb {
	var shp pb
	for _, d := range shape {
		shp = shp.bytes(2, pb{}.uvarint(1, uint64(d)))
	}
	t := append(pb{}.uvarint(1, uint64(dtype)).bytes(2, shp), values...)
	a := pb{}.bytes(1, []byte("value")).bytes(2, pb{}.bytes(8, t))
	return pb{}.bytes(1, []byte("c")).bytes(2, []byte("Const")).bytes(5, a)
}

// TestShapeCountOverflow: dimensions of 2^17, 2^17 and 2^31 multiply to
// 2^65, which wrapped to 0 elements, so a float constant of that shape with
// no values was accepted. Counts are bounded before each product; a shape
// with a zero dimension is empty, however large the others.
func TestShapeCountOverflow(t *testing.T) {
	for _, shape := range [][]int{{1 << 17, 1 << 17, 1 << 31}, {1 << 31, 1 << 31, 1 << 31, 1 << 31}, {1 << 31, 1 << 31}} {
		if _, err := Parse(pb{}.bytes(1, constNode(DTFloat, shape, nil))); err == nil || !errors.Is(err, ErrFormat) {
			t.Errorf("shape %v without values: got %v, want an error", shape, err)
		}
	}
	nodes, err := Parse(pb{}.bytes(1, constNode(DTFloat, []int{1 << 31, 0, 1 << 31}, nil)))
	if err != nil || len(nodes[0].Attrs["value"].Tensor.Floats) != 0 {
		t.Fatalf("empty shape: %v", err)
	}
}

// TestIntValueCount: an int constant must hold one value per element (or
// one value to repeat), as a float constant must; other counts were
// accepted, leaving fewer values than the shape has elements.
func TestIntValueCount(t *testing.T) {
	packed := func(num int, vs ...uint64) pb {
		var p pb
		for _, v := range vs {
			p = p.varint(v)
		}
		return pb{}.bytes(num, p)
	}
	for _, c := range []struct {
		dtype int
		shape []int
		vals  pb
		want  []int64 // nil: an error
	}{
		{DTInt32, []int{3}, packed(7, 1, 2, 3), []int64{1, 2, 3}},
		{DTInt64, []int{2, 2}, packed(10, 5), []int64{5, 5, 5, 5}},
		{DTInt32, nil, pb{}.uvarint(7, 4), []int64{4}},
		{DTInt32, []int{0}, nil, []int64{}},
		{DTInt32, []int{3}, packed(7, 1, 2), nil},
		{DTInt64, []int{2}, packed(10, 1, 2, 3), nil},
		{DTInt64, []int{4}, nil, nil},
		{DTInt32, []int{0}, pb{}.uvarint(7, 4), nil},
	} {
		nodes, err := Parse(pb{}.bytes(1, constNode(c.dtype, c.shape, c.vals)))
		if c.want == nil {
			if err == nil || !errors.Is(err, ErrFormat) {
				t.Errorf("dtype %d, shape %v: got %v, want an error", c.dtype, c.shape, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("dtype %d, shape %v: %v", c.dtype, c.shape, err)
			continue
		}
		if got := nodes[0].Attrs["value"].Tensor.Ints; !slices.Equal(got, c.want) {
			t.Errorf("dtype %d, shape %v: values %v, want %v", c.dtype, c.shape, got, c.want)
		}
	}
}

// FuzzParse: any bytes give nodes or ErrFormat, never a panic, and every
// float or int constant holds exactly one value per element of its shape.
func FuzzParse(f *testing.F) {
	f.Add([]byte(pb{}.bytes(1, scalarConstNode([]int{3, 2}, 2.5))))
	content := binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(nil, math.Float32bits(1)), math.Float32bits(2))
	f.Add([]byte(pb{}.bytes(1, constNode(DTFloat, []int{2}, pb{}.bytes(4, content))).
		bytes(1, constNode(DTInt32, []int{2}, pb{}.bytes(7, pb{}.varint(3).varint(4)))).
		bytes(1, constNode(DTInt64, []int{3}, pb{}.uvarint(10, 9)))))
	attrs := pb{}.bytes(1, []byte("strides")).bytes(2, pb{}.bytes(1, pb{}.bytes(3, pb{}.varint(1).varint(2))))
	f.Add([]byte(pb{}.bytes(1, pb{}.bytes(1, []byte("conv")).bytes(2, []byte("Conv2D")).bytes(3, []byte("x")).bytes(5, attrs))))
	f.Fuzz(func(t *testing.T, data []byte) {
		nodes, err := Parse(data)
		if err != nil {
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("error %v does not wrap ErrFormat", err)
			}
			return
		}
		for _, n := range nodes {
			for k, a := range n.Attrs {
				c := a.Tensor
				if c == nil {
					continue
				}
				want := 1
				for _, d := range c.Shape {
					want *= d
				}
				got := -1
				switch c.DType {
				case DTFloat:
					got = len(c.Floats)
				case DTInt32, DTInt64:
					got = len(c.Ints)
				}
				if got >= 0 && got != want {
					t.Fatalf("node %q attribute %q: %d values for shape %v", n.Name, k, got, c.Shape)
				}
			}
		}
	})
}
