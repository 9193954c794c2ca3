package tfgraph

import (
	"encoding/binary"
	"errors"
	"math"
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
