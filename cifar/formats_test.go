package cifar

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// cifarRecord builds one CIFAR-10 record whose pixel p of channel c is
// (seed + 7c + p) mod 256.
func cifarRecord(label byte, seed int) []byte {
	rec := []byte{label}
	for c := 0; c < 3; c++ {
		for p := 0; p < 1024; p++ {
			rec = append(rec, byte(seed+7*c+p))
		}
	}
	return rec
}

// writeCIFAR10 writes a miniature CIFAR-10 distribution (k records per
// batch) into dir/cifar-10-batches-bin and returns the expected labels.
func writeCIFAR10(t *testing.T, dir string, k int) []int {
	bin := filepath.Join(dir, "cifar-10-batches-bin")
	os.MkdirAll(bin, 0o755)
	var labels []int
	for b := 1; b <= 5; b++ {
		var data []byte
		for i := 0; i < k; i++ {
			l := (b + i) % 10
			labels = append(labels, l)
			data = append(data, cifarRecord(byte(l), b*100+i)...)
		}
		os.WriteFile(filepath.Join(bin, "data_batch_"+string(rune('0'+b))+".bin"), data, 0o644)
	}
	os.WriteFile(filepath.Join(bin, "test_batch.bin"), cifarRecord(3, 999), 0o644)
	os.WriteFile(filepath.Join(bin, "batches.meta.txt"), []byte(strings.Join(cifar10Classes, "\n")+"\n\n"), 0o644)
	return labels
}

// tarGz packs the files of dir (relative names) into an archive like the
// original: members under the top folder, in the given order.
func tarGz(t *testing.T, dir, out string, names []string) {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: int64(len(b)), Typeflag: tar.TypeReg})
		tw.Write(b)
	}
	tw.Close()
	gz.Close()
	os.WriteFile(out, buf.Bytes(), 0o644)
}

func TestCIFAR10FolderAndArchive(t *testing.T) {
	dir := t.TempDir()
	labels := writeCIFAR10(t, dir, 3)
	var members []string
	for _, n := range []string{"batches.meta.txt", "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
		"data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"} {
		members = append(members, "cifar-10-batches-bin/"+n)
	}
	archive := filepath.Join(dir, "cifar-10-binary.tar.gz")
	tarGz(t, dir, archive, members)
	for _, src := range []string{dir, filepath.Join(dir, "cifar-10-batches-bin"), archive} {
		m, err := CIFAR10(src, true)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if m.Len() != 15 || m.Classes()[9] != "truck" {
			t.Fatalf("%s: %d images, classes %v", src, m.Len(), m.Classes())
		}
		for i, l := range labels {
			if m.Label(i) != l {
				t.Fatalf("%s: label %d = %d, want %d", src, i, m.Label(i), l)
			}
		}
		img := make([]uint8, 3*32*32)
		m.Image(4, img) // batch 2, record 1: seed 201
		if img[0] != byte(201) || img[1024+5] != byte(201+7+5) {
			t.Fatalf("%s: pixels %d %d", src, img[0], img[1024+5])
		}
		test, err := CIFAR10(src, false)
		if err != nil || test.Len() != 1 || test.Label(0) != 3 {
			t.Fatalf("%s test split: %v", src, err)
		}
	}
	// The archive truncated in the middle is reported, naming the file.
	b, _ := os.ReadFile(archive)
	bad := filepath.Join(dir, "truncated.tar.gz")
	os.WriteFile(bad, b[:len(b)/2], 0o644)
	if _, err := CIFAR10(bad, true); err == nil || !strings.Contains(err.Error(), "truncated.tar.gz") {
		t.Fatalf("truncated archive: %v", err)
	}
}

func TestCIFAR10OfficialSizeAndBadInput(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "cifar-10-batches-bin")
	os.MkdirAll(bin, 0o755)
	official := make([]byte, cifar10FileBytes)
	for i := 0; i < cifar10PerFile; i++ {
		official[i*cifar10Record] = byte(i % 10)
	}
	os.WriteFile(filepath.Join(bin, "test_batch.bin"), official, 0o644)
	m, err := CIFAR10(dir, false)
	if err != nil || m.Len() != 10000 {
		t.Fatalf("official-size file: %v, %d images", err, m.Len())
	}
	// Wrong size.
	os.WriteFile(filepath.Join(bin, "test_batch.bin"), official[:cifar10FileBytes-1], 0o644)
	if _, err := CIFAR10(dir, false); err == nil || !strings.Contains(err.Error(), "test_batch.bin") || !strings.Contains(err.Error(), "30730000") {
		t.Fatalf("wrong size: %v", err)
	}
	// Label out of range.
	rec := cifarRecord(10, 0)
	os.WriteFile(filepath.Join(bin, "test_batch.bin"), rec, 0o644)
	if _, err := CIFAR10(dir, false); err == nil || !strings.Contains(err.Error(), "label 10") {
		t.Fatalf("bad label: %v", err)
	}
	// Missing files.
	if _, err := CIFAR10(dir, true); err == nil || !strings.Contains(err.Error(), "data_batch_1.bin") {
		t.Fatalf("missing batch: %v", err)
	}
	if _, err := CIFAR10(filepath.Join(dir, "nope"), true); err == nil {
		t.Fatal("missing folder accepted")
	}
}

func TestCIFAR100(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cifar-100-binary")
	os.MkdirAll(dir, 0o755)
	var data []byte
	for i := 0; i < 4; i++ {
		rec := append([]byte{byte(i * 5), byte(i * 20)}, make([]byte, cifarPixels)...)
		rec[2] = byte(i)
		data = append(data, rec...)
	}
	os.WriteFile(filepath.Join(dir, "train.bin"), data, 0o644)
	coarse, err := CIFAR100(dir, true, false)
	if err != nil || coarse.Label(3) != 15 {
		t.Fatalf("coarse: %v", err)
	}
	fine, err := CIFAR100(dir, true, true)
	if err != nil || fine.Label(3) != 60 || fine.Pixels[3*cifarPixels] != 3 {
		t.Fatalf("fine: %v", err)
	}
	data[1] = 100 // fine label out of range
	os.WriteFile(filepath.Join(dir, "train.bin"), data, 0o644)
	if _, err := CIFAR100(dir, true, true); err == nil || !strings.Contains(err.Error(), "train.bin") {
		t.Fatalf("bad label: %v", err)
	}
}

func TestSTL10ColumnMajorAndSplits(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "stl10_binary")
	os.MkdirAll(dir, 0o755)
	// Image k: channel c, row y, column x stored at c·9216 + x·96 + y holds (k + c + 2x + 3y) mod 256.
	mk := func(n int) []byte {
		b := make([]byte, n*stlImage)
		for k := 0; k < n; k++ {
			for c := 0; c < 3; c++ {
				for x := 0; x < 96; x++ {
					for y := 0; y < 96; y++ {
						b[k*stlImage+c*9216+x*96+y] = byte(k + c + 2*x + 3*y)
					}
				}
			}
		}
		return b
	}
	os.WriteFile(filepath.Join(dir, "train_X.bin"), mk(2), 0o644)
	os.WriteFile(filepath.Join(dir, "train_y.bin"), []byte{1, 10}, 0o644)
	os.WriteFile(filepath.Join(dir, "unlabeled_X.bin"), mk(3), 0o644)
	d, err := STL10(filepath.Dir(dir), "train+unlabeled")
	if err != nil {
		t.Fatal(err)
	}
	if d.Len() != 5 || d.Label(0) != 0 || d.Label(1) != 9 || d.Label(2) != -1 {
		t.Fatalf("len %d labels %d %d %d", d.Len(), d.Label(0), d.Label(1), d.Label(2))
	}
	img := make([]uint8, stlImage)
	if err := d.Image(3, img); err != nil { // unlabeled image 1
		t.Fatal(err)
	}
	c, y, x := 2, 5, 7
	if got, want := img[c*9216+y*96+x], byte(1+c+2*x+3*y); got != want {
		t.Fatalf("pixel (c%d, y%d, x%d) = %d, want %d: column-major not handled", c, y, x, got, want)
	}
	os.WriteFile(filepath.Join(dir, "train_y.bin"), []byte{1, 11}, 0o644)
	if _, err := STL10(dir, "train"); err == nil || !strings.Contains(err.Error(), "train_y.bin") {
		t.Fatalf("bad label: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "test_X.bin"), make([]byte, stlImage+1), 0o644)
	if _, err := STL10(dir, "test"); err == nil || !strings.Contains(err.Error(), "test_X.bin") {
		t.Fatalf("bad size: %v", err)
	}
}

func writeIDX(t *testing.T, path string, magic uint32, dims []uint32, data []byte) {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, magic)
	for _, d := range dims {
		binary.Write(&b, binary.BigEndian, d)
	}
	b.Write(data)
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write(b.Bytes())
	w.Close()
	os.WriteFile(path+".gz", gz.Bytes(), 0o644)
}

func TestMNISTIDX(t *testing.T) {
	dir := t.TempDir()
	img := make([]byte, 2*28*28)
	img[0] = 200            // image 0, row 0, column 0
	img[28*28+27*28+27] = 9 // image 1, last pixel
	writeIDX(t, filepath.Join(dir, "train-images-idx3-ubyte"), 0x803, []uint32{2, 28, 28}, img)
	writeIDX(t, filepath.Join(dir, "train-labels-idx1-ubyte"), 0x801, []uint32{2}, []byte{4, 7})
	m, err := MNIST(dir, true, true)
	if err != nil {
		t.Fatal(err)
	}
	if m.Len() != 2 || m.Label(1) != 7 || m.Classes()[7] != "Sneaker" {
		t.Fatalf("%d images, label %d", m.Len(), m.Label(1))
	}
	px := func(i, c, y, x int) uint8 { return m.Pixels[i*3*1024+c*1024+y*32+x] }
	if px(0, 0, 2, 2) != 200 || px(0, 2, 2, 2) != 200 || px(0, 1, 0, 0) != 0 || px(1, 1, 29, 29) != 9 {
		t.Fatal("padding or channel copy wrong")
	}
	writeIDX(t, filepath.Join(dir, "train-labels-idx1-ubyte"), 0x801, []uint32{3}, []byte{4, 7, 1})
	if _, err := MNIST(dir, true, true); err == nil || !strings.Contains(err.Error(), "labels") {
		t.Fatalf("count mismatch: %v", err)
	}
	writeIDX(t, filepath.Join(dir, "train-images-idx3-ubyte"), 0x803, []uint32{1 << 30, 28, 28}, img)
	if _, err := MNIST(dir, true, true); err == nil || !strings.Contains(err.Error(), "train-images") {
		t.Fatalf("huge dimensions: %v", err)
	}
}

// TestFashionMNISTFromDebian reads the real files of Debian's
// dataset-fashion-mnist package (CI installs it).
func TestFashionMNISTFromDebian(t *testing.T) {
	if _, err := os.Stat(filepath.Join(DefaultFashionMNISTDir, "train-images-idx3-ubyte.gz")); err != nil {
		t.Skipf("Fashion-MNIST not installed at %s (apt-get install dataset-fashion-mnist)", DefaultFashionMNISTDir)
	}
	for _, c := range []struct {
		name string
		n    int
	}{{"fashion-mnist", 60000}, {"fashion-mnist-test", 10000}} {
		d, err := Open(c.name, Options{})
		if err != nil {
			t.Fatal(err)
		}
		counts := make([]int, 10)
		for i := 0; i < d.Len(); i++ {
			counts[d.Label(i)]++
		}
		if d.Len() != c.n || counts[0] != c.n/10 || counts[9] != c.n/10 {
			t.Fatalf("%s: %d images, class counts %v", c.name, d.Len(), counts)
		}
	}
}

// TestArchiveMemberClaimNotAllocated: a tar header claiming 2 GB for a
// member that holds a few bytes is a truncation error, found without
// allocating what the header claims.
func TestArchiveMemberClaimNotAllocated(t *testing.T) {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	tw.WriteHeader(&tar.Header{Name: "cifar-10-batches-bin/test_batch.bin", Mode: 0o644, Size: 1 << 31, Typeflag: tar.TypeReg})
	tw.Write(cifarRecord(1, 0))
	gz.Close() // the tar stream ends inside the member
	p := filepath.Join(t.TempDir(), "claims.tar.gz")
	os.WriteFile(p, buf.Bytes(), 0o644)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := CIFAR10(p, false)
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Fatalf("got %v, want a truncated member", err)
	}
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 256<<20 {
		t.Fatalf("reading a %d-byte archive allocated %d bytes", buf.Len(), grown)
	}
}
