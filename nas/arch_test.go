package nas

import (
	"slices"
	"testing"
)

func TestEncodingRoundTripAndDescription(t *testing.T) {
	a := Released["autogan_cifar10_a"]
	if a.String() != "1 0 1 1 1 0 0 1 1 1 0 1 0 3" {
		t.Fatalf("string %q", a.String())
	}
	b, err := Parse("[1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 1, 0, 3]")
	if err != nil || !slices.Equal(b.Ints(), a.Ints()) {
		t.Fatal(err)
	}
	want := "cell1: pre-activation, no norm, nearest, shortcut; " +
		"cell2: pre-activation, no norm, bilinear, shortcut, skip from cell1; " +
		"cell3: pre-activation, no norm, nearest, no shortcut, skip from cell1 and cell2"
	if a.Describe() != want {
		t.Fatalf("description\n%s\nwant\n%s", a.Describe(), want)
	}
	// Skip token decoding: the least significant bit is the latest cell.
	c := MustParse("0 0 0 0 0 0 0 0 0 0 0 0 0 1")
	if !c.SkipFrom(2, 1) || c.SkipFrom(2, 0) {
		t.Fatal("skip 1 of cell3 must mean from cell2 only")
	}
	c = MustParse("0 0 0 0 0 0 0 0 0 0 0 0 0 2")
	if c.SkipFrom(2, 1) || !c.SkipFrom(2, 0) {
		t.Fatal("skip 2 of cell3 must mean from cell1 only")
	}
	if Released["autogan_cifar10_c"].Cells[0].Norm != NormBatch {
		t.Fatal("model C has batch norm in cell1")
	}
	for _, bad := range []string{"1 0 1", "2 0 0 0", "1 0 1 1 1 0 0 1 2", "1 0 3 1", "1 0 1 1 1 0 0 1 1 1 0 1 0 4", "x"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if SpaceSize() != 373248 {
		t.Fatalf("space size %d", SpaceSize())
	}
	if p := a.Prefix(2); p.String() != "1 0 1 1 1 0 0 1 1" {
		t.Fatalf("prefix %q", p)
	}
}
