package cifar

import (
	"os"
	"path/filepath"
	"testing"
)

func FuzzCIFARRecords(f *testing.F) {
	f.Add(cifarRecord(3, 1))
	f.Add([]byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, data []byte) {
		m := &Memory{Name: "fuzz", C: 3, H: 32, W: 32}
		if err := appendRecords(m, member{"fuzz", data}); err == nil && m.Len() != len(data)/cifar10Record {
			t.Fatal("record count")
		}
		m2 := &Memory{}
		appendRecords100(m2, member{"fuzz", data}, 1)
	})
}

func FuzzIDX(f *testing.F) {
	f.Add([]byte{0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 7})
	f.Add([]byte{0, 0, 8, 1, 255, 255, 255, 255})
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, nd := range []int{1, 3} {
			if a, err := parseIDX(data, nd); err == nil {
				n := 1
				for _, d := range a.dims {
					n *= d
				}
				if n != len(a.data) {
					t.Fatal("accepted inconsistent sizes")
				}
			}
		}
	})
}

func FuzzArchive(f *testing.F) {
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3})
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "x.tar.gz")
		os.WriteFile(p, data, 0o644)
		CIFAR10(p, false)
	})
}

func FuzzSTL(f *testing.F) {
	f.Add(make([]byte, 10), []byte{1})
	f.Fuzz(func(t *testing.T, x, y []byte) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "train_X.bin"), x, 0o644)
		os.WriteFile(filepath.Join(dir, "train_y.bin"), y, 0o644)
		d, err := STL10(dir, "train")
		if err != nil {
			return
		}
		img := make([]uint8, stlImage)
		for i := 0; i < d.Len(); i++ {
			if err := d.Image(i, img); err != nil {
				t.Fatal(err)
			}
		}
	})
}
