// Package imgio writes images: single 8-bit RGB images and grids of them as
// PNG files, written atomically.
package imgio

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"

	"github.com/autogan-go/autogan/internal/atomicfile"
)

// Grid arranges n C×H×W 8-bit images (C = 1 or 3, channel-major) in rows
// of cols with pad pixels of spacing, like torchvision's make_grid.
func Grid(pix []uint8, n, c, h, w, cols, pad int) *image.NRGBA {
	if c != 1 && c != 3 || len(pix) < n*c*h*w {
		panic(fmt.Sprintf("imgio.Grid: %d bytes for %d images of %d×%d×%d", len(pix), n, c, h, w))
	}
	cols = max(1, min(cols, n))
	rows := (n + cols - 1) / cols
	W, H := cols*(w+pad)+pad, rows*(h+pad)+pad
	img := image.NewNRGBA(image.Rect(0, 0, W, H))
	for i := range img.Pix {
		img.Pix[i] = 255 // opaque black background: alpha set, colour 0 below
		if i%4 != 3 {
			img.Pix[i] = 0
		}
	}
	for k := 0; k < n; k++ {
		ox, oy := pad+(k%cols)*(w+pad), pad+(k/cols)*(h+pad)
		im := pix[k*c*h*w : (k+1)*c*h*w]
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				var col color.NRGBA
				if c == 1 {
					v := im[y*w+x]
					col = color.NRGBA{v, v, v, 255}
				} else {
					col = color.NRGBA{im[y*w+x], im[h*w+y*w+x], im[2*h*w+y*w+x], 255}
				}
				img.SetNRGBA(ox+x, oy+y, col)
			}
		}
	}
	return img
}

// WritePNG writes img to path atomically.
func WritePNG(path string, img image.Image) error {
	return atomicfile.Write(path, func(w io.Writer) error { return png.Encode(w, img) })
}

// WriteImagePNG writes one C×H×W 8-bit image as a PNG file.
func WriteImagePNG(path string, pix []uint8, c, h, w int) error {
	return WritePNG(path, Grid(pix, 1, c, h, w, 1, 0))
}

// Upscale enlarges img by an integer factor with nearest-neighbour
// sampling, to make small images visible in documentation.
func Upscale(img *image.NRGBA, f int) *image.NRGBA {
	b := img.Bounds()
	out := image.NewNRGBA(image.Rect(0, 0, b.Dx()*f, b.Dy()*f))
	for y := 0; y < b.Dy()*f; y++ {
		for x := 0; x < b.Dx()*f; x++ {
			out.SetNRGBA(x, y, img.NRGBAAt(b.Min.X+x/f, b.Min.Y+y/f))
		}
	}
	return out
}
