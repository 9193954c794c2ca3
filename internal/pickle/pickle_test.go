package pickle

import (
	"testing"
)

func TestSmallValues(t *testing.T) {
	// pickle.dumps({'a': [1, -2, 3.5, None, True], 'b': (b'x', 'é')}, protocol=2)
	data := []byte("\x80\x02}q\x00(X\x01\x00\x00\x00aq\x01]q\x02(K\x01J\xfe\xff\xff\xffG@\x0c\x00\x00\x00\x00\x00\x00N\x88eX\x01\x00\x00\x00bq\x03C\x01xq\x04X\x02\x00\x00\x00\xc3\xa9q\x05\x86q\x06u.")
	v, n, err := Decode(data, Hooks{})
	if err != nil || n != len(data) {
		t.Fatal(err, n)
	}
	d := v.(*Dict)
	a, _ := d.Get("a")
	items := a.(*List).Items
	if items[0] != int64(1) || items[1] != int64(-2) || items[2] != 3.5 || items[3] != nil || items[4] != true {
		t.Fatalf("a = %v", items)
	}
	b, _ := d.Get("b")
	tup := b.(Tuple)
	if string(tup[0].([]byte)) != "x" || tup[1] != "é" {
		t.Fatalf("b = %v", tup)
	}
}

func TestErrorsNotPanics(t *testing.T) {
	for _, data := range [][]byte{nil, {0x80}, {'h', 5}, {'X', 0xff, 0xff, 0xff, 0x7f}, {'t'}, {'.'}, {'a'}, {0xfe},
		[]byte("(K\x01(K\x02\x86l."), // TUPLE2 across a mark (the fuzz campaign's crasher, minimized)
	} {
		if _, _, err := Decode(data, Hooks{}); err == nil {
			t.Errorf("%x accepted", data)
		}
	}
}

func FuzzPickle(f *testing.F) {
	f.Add([]byte("\x80\x02}q\x00(X\x01\x00\x00\x00aq\x01K\x01u."))
	f.Fuzz(func(t *testing.T, data []byte) { Decode(data, Hooks{}) })
}

// TestDictKeys: a repeated string key replaces its value, as in Python;
// tuple keys (found by review: comparing two tuples with == panicked) are
// kept side by side rather than compared.
func TestDictKeys(t *testing.T) {
	// {'a': 1, 'a': 2, (1,): 3, (1,): 4}, built with SETITEM.
	v, _, err := Decode([]byte("\x80\x02}X\x01\x00\x00\x00aK\x01sX\x01\x00\x00\x00aK\x02sK\x01\x85K\x03sK\x01\x85K\x04s."), Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	d := v.(*Dict)
	if a, _ := d.Get("a"); len(d.Keys) != 3 || a != int64(2) || d.Values[2] != int64(4) {
		t.Fatalf("keys %v, values %v", d.Keys, d.Values)
	}
}
