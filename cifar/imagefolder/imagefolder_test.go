package imagefolder

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writePNG(t *testing.T, path string, w, h int, fill color.NRGBA) {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetNRGBA(x, y, fill)
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	os.MkdirAll(filepath.Dir(path), 0o755)
	os.WriteFile(path, b.Bytes(), 0o644)
}

func TestImageOpen(t *testing.T) {
	dir := t.TempDir()
	writePNG(t, filepath.Join(dir, "cats", "b.png"), 16, 16, color.NRGBA{200, 10, 20, 255})
	writePNG(t, filepath.Join(dir, "cats", "a.png"), 40, 20, color.NRGBA{1, 2, 3, 128})
	writePNG(t, filepath.Join(dir, "dogs", "x", "c.PNG"), 16, 16, color.NRGBA{5, 6, 7, 255})
	writePNG(t, filepath.Join(dir, "top.png"), 16, 16, color.NRGBA{9, 9, 9, 255})
	m, err := Open(dir, 16)
	if err != nil {
		t.Fatal(err)
	}
	if m.Len() != 4 || strings.Join(m.Classes(), ",") != "cats,dogs" {
		t.Fatalf("%d images, classes %v", m.Len(), m.Classes())
	}
	// Sorted paths: cats/a.png, cats/b.png, dogs/x/c.PNG, top.png.
	if m.Label(0) != 0 || m.Label(2) != 1 || m.Label(3) != -1 {
		t.Fatalf("labels %v", m.Labels)
	}
	if m.Pixels[0] != 1 || m.Pixels[3*256] != 200 {
		t.Fatalf("pixels %d %d (alpha must be dropped, not composited)", m.Pixels[0], m.Pixels[3*256])
	}
	os.WriteFile(filepath.Join(dir, "cats", "broken.png"), []byte("\x89PNG\r\n\x1a\nnot really"), 0o644)
	if _, err := Open(dir, 16); err == nil || !strings.Contains(err.Error(), "broken.png") {
		t.Fatalf("corrupt image: %v", err)
	}
	if _, err := Open(t.TempDir(), 16); err == nil {
		t.Fatal("empty folder accepted")
	}
}

func FuzzDecodeImage(f *testing.F) {
	var b bytes.Buffer
	img := image.NewNRGBA(image.Rect(0, 0, 5, 3))
	png.Encode(&b, img)
	f.Add(b.Bytes())
	f.Add([]byte("\xff\xd8\xff\xe0garbage"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dst := make([]uint8, 3*8*8)
		decodeImage("fuzz.png", data, dst, 8)
	})
}

// TestFilesKeepTheirSize: Files reads images at their own size and refuses
// a folder whose images differ in size.
func TestFilesKeepTheirSize(t *testing.T) {
	dir := t.TempDir()
	writePNG(t, filepath.Join(dir, "a.png"), 12, 10, color.NRGBA{7, 8, 9, 255})
	writePNG(t, filepath.Join(dir, "b.png"), 12, 10, color.NRGBA{1, 2, 3, 255})
	ds, err := Files(dir)
	if err != nil {
		t.Fatal(err)
	}
	if c, h, w := ds.Size(); ds.Len() != 2 || c != 3 || h != 10 || w != 12 {
		t.Fatalf("%d images of %d×%d×%d", ds.Len(), c, h, w)
	}
	pix := make([]uint8, 3*10*12)
	if err := ds.Image(1, pix); err != nil || pix[0] != 1 || pix[120] != 2 {
		t.Fatalf("image 1: %v %v", err, pix[:3])
	}
	writePNG(t, filepath.Join(dir, "c.png"), 5, 5, color.NRGBA{1, 2, 3, 255})
	if ds, err = Files(dir); err != nil {
		t.Fatal(err)
	}
	if err := ds.Image(2, pix); err == nil || !strings.Contains(err.Error(), "share one size") {
		t.Fatalf("mixed sizes: %v", err)
	}
}

// TestRefusesElongatedImages: an image within the pixel limit
// but thin (1×1,000,000 pixels, a 4 KB PNG) would need a gigabyte for its
// resize to 32 on the short side; it is refused from its header.
func TestRefusesElongatedImages(t *testing.T) {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 1, 1_000_000))); err != nil {
		t.Fatal(err)
	}
	dst := make([]uint8, 3*32*32)
	if err := decodeImage("thin.png", b.Bytes(), dst, 32); err == nil || !strings.Contains(err.Error(), "elongated") {
		t.Fatalf("1×1000000 image: %v", err)
	}
	b.Reset()
	png.Encode(&b, image.NewGray(image.Rect(0, 0, 2, 300)))
	if err := decodeImage("tall.png", b.Bytes(), dst, 32); err != nil {
		t.Fatalf("2×300 image: %v", err)
	}
}

// TestCenterCropOffset: the offsets of torchvision's CenterCrop
// (transforms.functional.center_crop), halves rounded to even as Python's
// round does.
func TestCenterCropOffset(t *testing.T) {
	for _, tc := range []struct{ n, size, want int }{
		{32, 32, 0}, {33, 32, 0}, {34, 32, 1}, {35, 32, 2}, {37, 32, 2}, {39, 32, 4}, {42, 32, 5},
	} {
		if got := centerCropOffset(tc.n, tc.size); got != tc.want {
			t.Errorf("centerCropOffset(%d, %d) = %d, want %d", tc.n, tc.size, got, tc.want)
		}
	}
}
