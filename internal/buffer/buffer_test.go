package buffer

import "testing"

func TestClassSize(t *testing.T) {
	for _, n := range []int{1, 4096, 4097, 5000, 8192, 8193, 10240, 10241, 1 << 20, 1<<20 + 1, 3 << 20} {
		c := classSize(n)
		if c < n || (n > minPooled && float64(c) > 1.25*float64(n)+1) {
			t.Errorf("classSize(%d) = %d", n, c)
		}
		if n > minPooled && classSize(c) != c {
			t.Errorf("class %d of %d is not stable", c, n)
		}
	}
}

func TestGetPutReuses(t *testing.T) {
	a := Get(100000)
	if len(a) != 100000 {
		t.Fatal(len(a))
	}
	a[0] = 42
	Put(a)
	b := Get(99000) // same class
	if &b[:1][0] != &a[:1][0] {
		t.Fatal("slice of the same class was not reused")
	}
	Put(b)
	z := GetZeroed(100000)
	for _, v := range z {
		if v != 0 {
			t.Fatal("GetZeroed returned a dirty slice")
		}
	}
	Put(z)
	Put(make([]float32, 7)) // foreign slices are ignored
	Put(make([]float32, 100001))
	small := Get(10)
	if len(small) != 10 {
		t.Fatal("small Get")
	}
}

func TestRelease(t *testing.T) {
	a := Get(100000)
	Put(a)
	if Cached() == 0 {
		t.Fatal("Put kept nothing")
	}
	Release()
	if Cached() != 0 {
		t.Fatalf("%d bytes cached after Release", Cached())
	}
	b := Get(100000)
	if &b[:1][0] == &a[:1][0] {
		t.Fatal("a released slice was handed out again")
	}
	Put(b)
	Release()
}

// TestClassIndex: consecutive size classes get consecutive free lists, all
// within the array, up to the largest class a slice can have.
func TestClassIndex(t *testing.T) {
	prev := -1
	for c := classSize(minPooled + 1); c > 0 && c <= 1<<60; c = classSize(c + 1) {
		i := classIndex(c)
		if prev >= 0 && i != prev+1 {
			t.Fatalf("class %d has index %d after %d", c, i, prev)
		}
		if i >= len(cache.free) {
			t.Fatalf("class %d has index %d of %d", c, i, len(cache.free))
		}
		prev = i
	}
}
